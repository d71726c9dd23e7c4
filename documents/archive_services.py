"""Asking for the archive for the journal system, and the work of making it (documents/archive.py says
what it holds).

The work is cut so that it scales with the number of workers, on the ``documents`` queue:

1. ``start_archive`` claims the job, counts the published responses, asks for the hearing summary and
   proposal of the current content (``services.request_document``: rendered by their own tasks, or
   reused when already made) and sends one ``render_archive_chunk`` per ``CHUNK_SIZE`` responses.
2. Each chunk task renders the PDFs of its responses that are not stored yet (any worker, in parallel);
   the last chunk to finish sends ``pack_archive``.
3. ``pack_archive`` waits for the summary and proposal, then writes the ZIP in a temporary file, one
   response at a time (rendering what a lost chunk left missing), and stores it through Django's storage.

The job records ``done`` of ``total`` for the progress page. The same content is never packed twice: a
job is named by the fingerprint of its content (``archive_fingerprint``), and each response's PDF is
stored by the hash of what it shows, so a new archive after one new response renders one PDF.
"""

import datetime as dt
import logging
import tempfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from decisions.selectors import published_decision
from hearings.models import Hearing

from . import archive
from .content import DocumentKind, current_edition_document, edition, fingerprint
from .models import ArchiveJob, RenderedDocument
from .services import request_document

logger = logging.getLogger(__name__)

Status = ArchiveJob.Status
CHUNK_SIZE = 200  # responses per chunk task: about 30 s of rendering on one core
WORKING = (Status.QUEUED, Status.RENDERING, Status.PACKING)
CHANGED = "Indholdet er ændret, siden arkivet blev bestilt. Bestil det igen."


def decision_stamp(hearing: Hearing) -> dict | None:
    """What of the hearing's published decision the archive shows, as far as its fingerprint needs to
    know: its id, times and a hash of its changes (None without one). Two queries."""
    decision = published_decision(hearing)
    if decision is None:
        return None
    changes = [(c.pk, c.section_id, c.text) for c in decision.changes.all()]
    return {"id": decision.pk, "updated_at": decision.updated_at.isoformat(),
            "published_at": decision.published_at.isoformat() if decision.published_at else None,
            "changes": fingerprint({"changes": changes})}  # fmt: skip


def archive_fingerprint(hearing: Hearing) -> str:
    """64 hex digits naming the content the archive of ``hearing`` would hold now: the editions of the
    summary and proposal (every change to a response, its attachments, redactions and remarks raises the
    hearing's content_version, documents.content.edition), the decision, and the archive's layout."""
    return fingerprint({
        "archive": archive.METADATA_VERSION,
        "layout": archive.LAYOUT_VERSION,
        "summary": edition(hearing=hearing, kind=DocumentKind.SUMMARY).fingerprint,
        "proposal": edition(hearing=hearing, kind=DocumentKind.PROPOSAL).fingerprint,
        "decision": decision_stamp(hearing),
    })  # fmt: skip


def current_archive(*, hearing: Hearing) -> ArchiveJob | None:
    """The archive job of the hearing's current content, if one was asked for (in any status). Nothing is
    created; reads no response."""
    return ArchiveJob.objects.filter(hearing=hearing, fingerprint=archive_fingerprint(hearing)).first()


def check_archivable(hearing: Hearing, now: dt.datetime | None = None) -> None:
    """Raises ValidationError (Danish) when the hearing cannot be archived yet: before it has closed,
    responses may still come."""
    if hearing.state(now) != Hearing.State.CLOSED:
        raise ValidationError(
            _("Arkivet kan først laves, når høringen er lukket. Der kan stadig komme høringssvar.")
        )


@transaction.atomic
def request_archive(*, hearing: Hearing, user=None, now: dt.datetime | None = None) -> ArchiveJob:
    """Ask for the archive of the hearing's current content: the existing job of the same fingerprint as
    it is (a failed one is queued again), else a new one, whose work is enqueued after commit. Raises
    ValidationError (Danish) before the hearing has closed."""
    check_archivable(hearing, now)
    job, created = ArchiveJob.objects.get_or_create(
        hearing=hearing, fingerprint=archive_fingerprint(hearing),
        defaults={"requested_by": user if user is not None and user.is_authenticated else None},
    )  # fmt: skip
    if created or job.status == Status.FAILED:
        if not created:
            ArchiveJob.objects.filter(pk=job.pk).update(
                status=Status.QUEUED, error="", done=0, total=0, chunks=0, chunks_done=0,
                requested_at=timezone.now(), finished_at=None,
            )  # fmt: skip
            job.refresh_from_db()
        _enqueue("start_archive", job.pk)
    return job


def _enqueue(name: str, *args, countdown: int | None = None) -> None:
    from portal.queue import enqueue_on_commit

    from . import tasks  # the tasks module imports this one

    task = getattr(tasks, name)
    if countdown:
        transaction.on_commit(lambda: task.apply_async(args=args, countdown=countdown))
    else:
        enqueue_on_commit(task, *args)


def start_archive(*, job_id: int) -> ArchiveJob | None:
    """The first task's body: claim the queued job, ask for the summary and proposal, send the chunks.
    Idempotent: a job that is not queued is left alone."""
    claimed = ArchiveJob.objects.filter(pk=job_id, status=Status.QUEUED).update(
        status=Status.RENDERING, started_at=timezone.now(), attempts=F("attempts") + 1, done=0
    )
    if not claimed:
        return None
    job = ArchiveJob.objects.select_related("hearing__strategy__municipality").get(pk=job_id)
    hearing = job.hearing
    if archive_fingerprint(hearing) != job.fingerprint:
        mark_failed(job_id=job.pk, message=CHANGED)
        return job
    for kind in (DocumentKind.SUMMARY, DocumentKind.PROPOSAL):
        request_document(hearing=hearing, kind=kind, user=job.requested_by)
    chunks: list[tuple[int, int]] = []
    run: list[int] = []
    numbers = hearing.responses.published().order_by("number").values_list("number", flat=True)
    total = 0
    for number in numbers.iterator(chunk_size=archive.QUERY_CHUNK):
        total += 1
        run.append(number)
        if len(run) == CHUNK_SIZE:
            chunks.append((run[0], run[-1]))
            run = []
    if run:
        chunks.append((run[0], run[-1]))
    ArchiveJob.objects.filter(pk=job.pk).update(total=total, chunks=len(chunks), chunks_done=0)
    with transaction.atomic():
        for first, last in chunks:
            _enqueue("render_archive_chunk", job.pk, first, last)
        if not chunks:
            _enqueue("pack_archive", job.pk)
    return job


def render_archive_chunk(*, job_id: int, first: int, last: int) -> int:
    """A chunk task's body: render the PDFs of the published responses numbered ``first`` to ``last``
    that are not stored yet, count them into the job's progress, and send the packing when this was the
    last chunk. Returns how many were rendered. A job no longer rendering (failed, or packed) is left
    alone."""
    job = ArchiveJob.objects.select_related("hearing__strategy__municipality").filter(pk=job_id).first()
    if job is None or job.status != Status.RENDERING:
        return 0
    counted = 0

    def progress(seen: int) -> None:
        nonlocal counted
        if seen > counted:
            ArchiveJob.objects.filter(pk=job_id).update(done=F("done") + (seen - counted))
            counted = seen

    rendered = archive.render_missing(job.hearing, first=first, last=last, progress=progress)
    ArchiveJob.objects.filter(pk=job_id, status=Status.RENDERING).update(chunks_done=F("chunks_done") + 1)
    left = ArchiveJob.objects.filter(pk=job_id, status=Status.RENDERING, chunks_done__gte=F("chunks"))
    if left.exists():
        with transaction.atomic():
            _enqueue("pack_archive", job_id)
    return rendered


class NotReady(Exception):
    """The summary or proposal is still being made: pack again in a while."""


def _ready(hearing: Hearing, kind: str) -> archive.Ready:
    document, _edition = current_edition_document(hearing=hearing, kind=kind)
    if document is None:
        request_document(hearing=hearing, kind=kind)
        raise NotReady
    if document.status == RenderedDocument.Status.FAILED:
        raise ValidationError(_("%(document)s kunne ikke laves: %(error)s") % {
            "document": document.get_kind_display(), "error": document.error or _("Der skete en fejl.")})  # fmt: skip
    if document.status != RenderedDocument.Status.DONE or not document.file:
        raise NotReady
    title = (f"Høringsnotat: {hearing.title}" if kind == DocumentKind.SUMMARY
             else f"Høringsforslag: {hearing.strategy.title}")  # fmt: skip
    if document.is_draft:
        title += " (udkast)"
    return archive.Ready(storage_name=document.file.name, title=title, date=document.finished_at)


def pack_archive(*, job_id: int, now: dt.datetime | None = None) -> ArchiveJob | None:
    """The packing task's body: once the summary and proposal are made, write the ZIP and store it.
    Raises NotReady while they are being made (the task asks again later). Idempotent: only a job that
    is rendering is packed, and it is claimed first."""
    job = ArchiveJob.objects.select_related("hearing__strategy__municipality").filter(pk=job_id).first()
    if job is None or job.status != Status.RENDERING:
        return None
    hearing = job.hearing
    if archive_fingerprint(hearing) != job.fingerprint:
        mark_failed(job_id=job.pk, message=CHANGED)
        return job
    try:
        summary = _ready(hearing, DocumentKind.SUMMARY)
        proposal = _ready(hearing, DocumentKind.PROPOSAL)
    except ValidationError as error:
        mark_failed(job_id=job.pk, message=" ".join(error.messages))
        return job
    if not ArchiveJob.objects.filter(pk=job_id, status=Status.RENDERING).update(
        status=Status.PACKING, done=0
    ):
        return None

    def progress(written: int) -> None:
        ArchiveJob.objects.filter(pk=job_id).update(done=written)

    with tempfile.TemporaryFile() as file:
        packed = archive.write_archive(file, hearing=hearing, summary=summary, proposal=proposal,
                                       decision=decision_pdf(hearing), progress=progress, now=now)  # fmt: skip
        if archive_fingerprint(hearing) != job.fingerprint:  # changed while it was packed
            mark_failed(job_id=job.pk, message=CHANGED)
            return job
        size = file.tell()
        file.seek(0)
        job.file.save(archive.archive_file_name(hearing), File(file), save=False)
    ArchiveJob.objects.filter(pk=job_id).update(
        file=job.file.name, size=size, status=Status.DONE, finished_at=timezone.now(), error="",
        total=packed.responses, done=packed.responses,
    )  # fmt: skip
    job.refresh_from_db()
    _remove_older(job)
    archive.remove_unused_responses(hearing.pk, packed.keys)
    return job


def decision_pdf(hearing: Hearing) -> tuple[bytes, str, dt.date] | None:
    """The published decision as PDF/A-2b bytes (archive.render_decision), its title and the date it was
    decided; None without one."""
    decision = published_decision(hearing)
    if decision is None:
        return None
    return archive.render_decision(decision, hearing), f"Beslutning: {hearing.title}", decision.decided_on


def mark_failed(*, job_id: int, message: str) -> None:
    """The job failed with ``message`` (Danish, shown to staff with 'Prøv igen'); a done job stays done."""
    ArchiveJob.objects.filter(pk=job_id).exclude(status=Status.DONE).update(
        status=Status.FAILED, error=message[:2000], finished_at=timezone.now()
    )


def hand_back(*, job_id: int, claimed: str) -> None:
    """Before a retry: the step the failed attempt claimed (``"start"`` or ``"pack"``) is open again, so
    that the retry can claim it."""
    if claimed == "start":
        ArchiveJob.objects.filter(pk=job_id, status=Status.RENDERING).update(status=Status.QUEUED)
    elif claimed == "pack":
        ArchiveJob.objects.filter(pk=job_id, status=Status.PACKING).update(status=Status.RENDERING)


def _remove_older(job: ArchiveJob) -> None:
    """Once a newer archive of the hearing is done, the older ones and their files go."""
    older = ArchiveJob.objects.filter(hearing=job.hearing, finished_at__lt=job.finished_at).exclude(pk=job.pk)
    for old in older.exclude(status__in=WORKING):
        if old.file:
            old.file.delete(save=False)
    older.exclude(status__in=WORKING).delete()


def discard_archives(*, hearing_ids) -> None:
    """The archives of these hearings, their files and their stored response PDFs: gone (they named a
    person whose data is removed: a deleted account, the hearing's removal date). The next archive asked
    for is made from what is there now."""
    for job in ArchiveJob.objects.filter(hearing_id__in=hearing_ids):
        if job.file:
            job.file.delete(save=False)
        job.delete()
    for hearing_id in hearing_ids:
        archive.remove_unused_responses(hearing_id, keep=set())


def fail_stuck_archives(*, older_than: dt.timedelta, now: dt.datetime | None = None) -> int:
    """Archives left working by a worker that died and whose messages are gone: failed, so they can be
    asked for again (what was rendered is kept)."""
    now = now or timezone.now()
    return ArchiveJob.objects.filter(status__in=WORKING, requested_at__lt=now - older_than).update(
        status=Status.FAILED, error="Arbejdet blev afbrudt. Prøv igen.", finished_at=now
    )


def archive_wait_expired(job_id: int, now: dt.datetime | None = None) -> bool:
    """Whether the job has waited longer than ARCHIVE_WAIT_SECONDS for the summary and proposal."""
    started = ArchiveJob.objects.filter(pk=job_id).values_list("started_at", flat=True).first()
    limit = dt.timedelta(seconds=settings.ARCHIVE_WAIT_SECONDS)
    return started is None or (now or timezone.now()) - started > limit
