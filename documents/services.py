"""The hearing proposal and the hearing summary as PDFs.

Each document is made from a plain *content* dict read from the database, and the PDF is rendered from
that dict, never from anything else. Which content a document shows is named by its *fingerprint*,
made without reading the content (a hearing may have 10,000 responses): from the hearing's persisted
``content_version``, raised with every change a reader could see (hearings.response_cache.bump), and
the few things outside it (``edition()``). So a document is made anew when what it shows changed, and
looking for the current one costs one small query.
"""

import datetime as dt
import logging

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from hearings.models import Hearing
from portal.queue import enqueue_on_commit
from portal.text import normalise_line

from . import parts, pdf
from .content import DocumentKind, content_for, edition, summary_content
from .layout import render_html, summary_context
from .models import RenderedDocument

DocStatus = RenderedDocument.Status

logger = logging.getLogger(__name__)


def request_document(*, hearing: Hearing, kind: str, user=None) -> RenderedDocument:
    """Ask for the document of the hearing's current content (its ``edition()``); the content itself is
    read by the worker. Nothing is rendered twice: an existing record of the same fingerprint is
    returned as it is (a failed one is queued again)."""
    current = edition(hearing=hearing, kind=kind)
    counted = hearing.responses.published().count() if kind == DocumentKind.SUMMARY else 0
    document, created = RenderedDocument.objects.get_or_create(
        hearing=hearing, kind=kind, fingerprint=current.fingerprint,
        defaults={"requested_by": user if user is not None and user.is_authenticated else None,
                  "response_count": counted, "is_draft": current.is_draft},
    )  # fmt: skip
    if created or document.status == DocStatus.FAILED:
        if not created:
            RenderedDocument.objects.filter(pk=document.pk).update(status=DocStatus.QUEUED, error="",
                                                                   requested_at=timezone.now())  # fmt: skip
            document.refresh_from_db()
        from .tasks import render_document  # the tasks module imports this one (its bodies are here)

        enqueue_on_commit(render_document, document.pk)
    return document


def render_document(*, document_id: int, now: dt.datetime | None = None) -> RenderedDocument | None:
    """The task's body: claim the record, render from the content it names, store the file. Idempotent:
    a done document is left alone; a record whose content changed meanwhile is rendered from the content
    of its own fingerprint or failed if that content is gone."""
    claimed = RenderedDocument.objects.filter(
        pk=document_id, status__in=[DocStatus.QUEUED, DocStatus.RENDERING]
    ).update(status=DocStatus.RENDERING, started_at=timezone.now(), attempts=F("attempts") + 1)
    if not claimed:
        return None
    document = RenderedDocument.objects.select_related("hearing__strategy__municipality").get(pk=document_id)
    # The edition first, the content after: the content read is never older than the edition named.
    if edition(hearing=document.hearing, kind=document.kind).fingerprint != document.fingerprint:
        # The content changed after this was asked for: the newer request has its own record.
        _fail(document, "Indholdet er ændret, siden dokumentet blev bestilt. Bestil det igen.")
        return document
    content = content_for(document.hearing, document.kind)
    municipality = normalise_line(document.hearing.strategy.municipality.name)
    title = normalise_line(
        f"Høringsnotat: {document.hearing.title}" if document.kind == DocumentKind.SUMMARY
        else f"Høringsforslag: {document.hearing.strategy.title}"
    )  # fmt: skip
    made_at = timezone.localtime(now or timezone.now())
    if document.kind == DocumentKind.SUMMARY:
        data, pages, _work = parts.render(summary_context(content, made_at=made_at),
                                               hearing_id=document.hearing_id, title=title, author=municipality)  # fmt: skip
    else:
        data, pages = pdf.render_pdf(render_html(content, made_at=made_at), title=title, author=municipality)
    document.file.save(f"{document.kind}.pdf", ContentFile(data), save=False)
    document.page_count = pages
    document.size = len(data)
    document.status = DocStatus.DONE
    document.finished_at = timezone.now()
    document.error = ""
    document.save(update_fields=["file", "page_count", "size", "status", "finished_at", "error"])
    _remove_older(document)
    return document


def prepare_summary_parts(*, hearing_id: int) -> int:
    """Render the parts of the hearing summary's current content that are not rendered yet (and drop the
    ones it no longer has), so that the next summary asked for only has the front to make and the parts
    to join. Returns how many parts were rendered."""
    hearing = Hearing.objects.select_related("strategy__municipality").get(pk=hearing_id)
    context = summary_context(summary_content(hearing), made_at=timezone.localtime())
    _parts, rendered = parts.ready_parts(context, hearing_id=hearing_id)
    return rendered


def schedule_summary_parts(hearing_id: int) -> None:
    """After a change the summary may show: its parts are prepared SUMMARY_PARTS_PREPARE_SECONDS later,
    once for every change in between (the first change sets a cache key that lives as long)."""
    delay = settings.SUMMARY_PARTS_PREPARE_SECONDS
    if not delay or not cache.add(f"hearings:summary-parts:{hearing_id}", 1, timeout=delay):
        return

    def send() -> None:
        from .tasks import prepare_summary_parts as task  # the tasks module imports this one

        try:
            task.apply_async(args=[hearing_id], countdown=delay)
        except Exception:  # the broker is down: the next change, or the next summary asked for, does it
            logger.exception("Could not schedule the summary parts of hearing %s", hearing_id)

    transaction.on_commit(send)


def _fail(document: RenderedDocument, message: str) -> None:
    RenderedDocument.objects.filter(pk=document.pk).update(
        status=DocStatus.FAILED, error=message[:2000], finished_at=timezone.now()
    )


def mark_failed(*, document_id: int, message: str) -> None:
    RenderedDocument.objects.filter(pk=document_id).exclude(status=DocStatus.DONE).update(
        status=DocStatus.FAILED, error=message[:2000], finished_at=timezone.now()
    )


def _remove_older(document: RenderedDocument) -> None:
    """Once a newer document of the same kind is done, the older files go."""
    older = RenderedDocument.objects.filter(hearing=document.hearing, kind=document.kind, status=DocStatus.DONE,
                                            finished_at__lt=document.finished_at).exclude(pk=document.pk)  # fmt: skip
    for old in older:
        old.file.delete(save=False)
    older.delete()


def discard_summaries(*, hearing_ids) -> None:
    """The hearing summaries of these hearings, their files and their stored parts: gone (a respondent
    deleted their account, and those name them). The next summary asked for is made from what is there
    now."""
    for document in RenderedDocument.objects.filter(hearing_id__in=hearing_ids, kind=DocumentKind.SUMMARY):
        document.file.delete(save=False)
        document.delete()
    for hearing_id in hearing_ids:
        parts.remove_unused_parts(hearing_id, keep=set())


def fail_stuck_documents(*, older_than: dt.timedelta, now: dt.datetime | None = None) -> int:
    """Documents left 'rendering' by a worker that died and whose message is gone: failed, so they can
    be asked for again."""
    now = now or timezone.now()
    return RenderedDocument.objects.filter(
        status=DocStatus.RENDERING, started_at__lt=now - older_than
    ).update(status=DocStatus.FAILED, error="Arbejdet blev afbrudt. Prøv igen.", finished_at=now)


def estimate_seconds(*, kind: str, response_count: int) -> float | None:
    """From earlier renders of similar size: the median seconds of up to 10 done documents of the same
    kind with a response count within a factor of two."""
    low, high = max(0, response_count // 2), max(response_count * 2, 10)
    done = RenderedDocument.objects.filter(kind=kind, status=DocStatus.DONE, response_count__range=(low, high),
                                           started_at__isnull=False, finished_at__isnull=False)  # fmt: skip
    durations = sorted(
        seconds for d in done.order_by("-finished_at")[:10] if (seconds := d.render_seconds) is not None
    )
    return durations[len(durations) // 2] if durations else None
