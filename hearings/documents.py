"""The hearing proposal and the hearing summary as PDFs.

Each document is made from a plain *content* dict read from the database, and the PDF is rendered from
that dict, never from anything else. Which content a document shows is named by its *fingerprint*,
made without reading the content (a hearing may have 10,000 responses): from the hearing's persisted
``content_version``, raised with every change a reader could see (hearings.response_cache.bump), and
the few things outside it (``edition()``). So a document is made anew when what it shows changed, and
looking for the current one costs one small query.
"""

import datetime as dt
import hashlib
import json
import logging
import mimetypes
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Prefetch
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.markdown import render_markdown
from portal.queue import enqueue_on_commit
from portal.text import clean_tree, normalise_line
from strategies.models import Goal, Section

from . import summary_pdf
from .models import Hearing, ModerationEvent, Remark, RenderedDocument, Response, ResponseAttachment

DocumentKind = RenderedDocument.Kind
DocStatus = RenderedDocument.Status

logger = logging.getLogger(__name__)

# Bump when the documents' layout changes, so that every document is made anew.
LAYOUT_VERSION = "2026-11-30.1"


# --- Content --------------------------------------------------------------------------------------


def _stamp(value: dt.datetime | dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _strategy_content(hearing: Hearing) -> dict:
    strategy = hearing.strategy
    sections = (
        Section.objects.filter(strategy=strategy)
        .order_by("number")
        .prefetch_related(
            Prefetch("goals", queryset=Goal.objects.filter(parent=None).order_by("position").prefetch_related(
                Prefetch("children", queryset=Goal.objects.order_by("position"))
            ), to_attr="headline_goals"),
            "themes",
        )
    )  # fmt: skip
    if hearing.section_id:
        sections = sections.filter(pk=hearing.section_id)
    municipality = strategy.municipality
    return {
        "municipality": {
            "name": municipality.name,
            "address": municipality.address,
            "postcode": municipality.postcode,
            "city": municipality.city,
            "phone": municipality.phone,
            "email": municipality.email,
        },
        "strategy": {
            "title": strategy.title,
            "subtitle": strategy.subtitle,
            "intro": strategy.intro,
            "body": strategy.body,
            "closing": strategy.closing,
            "period": strategy.period,
            "label_singular": strategy.section_label_singular,
            "label_plural": strategy.section_label_plural,
        },
        "hearing": {
            "id": hearing.pk,
            "title": hearing.title,
            "opens_at": _stamp(hearing.opens_at),
            "closes_at": _stamp(hearing.closes_at),
            "intro": hearing.intro,
            "contact": [
                hearing.contact_name,
                hearing.contact_title,
                hearing.contact_email,
                hearing.contact_phone,
            ],
            "url": settings.SITE_URL + hearing.get_absolute_url(),
        },
        "sections": [
            {
                "id": section.pk,
                "number": section.number,
                "label": section.label if section.strategy_id == strategy.pk else "",
                "title": section.title,
                "tagline": section.tagline,
                "intro": section.intro,
                "body": section.body,
                "goals_intro": section.goals_intro,
                "themes_intro": section.themes_intro,
                "goals": [
                    {
                        "id": g.pk,
                        "text": g.text,
                        "children": [{"id": c.pk, "text": c.text} for c in g.children.all()],
                    }
                    for g in section.headline_goals
                ],
                "themes": [
                    {"id": t.pk, "question": t.question, "sub_questions": t.sub_question_list}
                    for t in section.themes.all()
                ],
            }
            for section in sections
        ],
    }


def proposal_content(hearing: Hearing) -> dict:
    """Everything the hearing proposal shows, every text under the portal's text policy (``clean_tree``)."""
    return clean_tree({"kind": DocumentKind.PROPOSAL, "layout": LAYOUT_VERSION, **_strategy_content(hearing)})


def summary_content(hearing: Hearing, now: dt.datetime | None = None) -> dict:
    """Everything the hearing summary shows: only published responses, with their remarks. Read as plain
    values (a hearing may have 10,000 responses; model instances would cost seconds), labels in Danish
    whatever the language of the request that asks."""
    published = hearing.responses.published()
    rows = published.order_by("number").values_list(
        "pk", "number", "display_name", "organisation_name", "respondent_type", "created_at", "text",
        "target_section_id", "target_goal_id", "target_theme_id", "target_goal__section_id",
        "target_theme__section_id", "remark__text", "remark__recommendation",
    )  # fmt: skip
    attachments = defaultdict(list)
    for response_id, name in ResponseAttachment.objects.filter(response__in=published).order_by(
        "response_id", "pk"
    ).values_list("response_id", "original_name"):  # fmt: skip
        attachments[response_id].append(name)
    draft = summary_is_draft(
        closes_at=hearing.closes_at,
        summary_published_at=hearing.summary_published_at,
        now=now or timezone.now(),
    )
    with translation.override("da"):
        types = {key: str(label) for key, label in Response.RespondentType.choices}
        recommendations = {key: str(label) for key, label in Remark.Recommendation.choices}
        anonymous = str(_("Anonym"))
        responses = [
            {
                "number": number,
                "name": name or anonymous,
                "organisation": organisation,
                "type": types.get(kind, kind),
                "type_key": kind,
                "created_at": _stamp(created_at),
                "text": text,
                "attachments": attachments.get(pk, []),
                "target": {"section": section or goal_section or theme_section, "goal": goal, "theme": theme},
                "remark": {"text": remark, "recommendation": recommendations.get(recommendation, recommendation)}
                if remark is not None
                else None,
            }
            for (pk, number, name, organisation, kind, created_at, text, section, goal, theme, goal_section,
                 theme_section, remark, recommendation) in rows
        ]  # fmt: skip
    # The second guard after the one on input (portal.text): a control character in a row would show as
    # a missing-glyph box, and the PDF's structure and outline are XML-like text too.
    return clean_tree(
        {
            "kind": DocumentKind.SUMMARY,
            "layout": LAYOUT_VERSION,
            "draft": draft,
            **_strategy_content(hearing),
            "responses": responses,
        }
    )


def summary_is_draft(
    *, closes_at: dt.datetime, summary_published_at: dt.datetime | None, now: dt.datetime
) -> bool:
    """A hearing summary is a draft until the hearing has closed and its summary is published."""
    return now < closes_at or summary_published_at is None


def fingerprint(content: dict) -> str:
    """SHA-256 (64 hex digits) of a JSON-able dict, its keys sorted."""
    return hashlib.sha256(
        json.dumps(content, sort_keys=True, ensure_ascii=False, default=str).encode()
    ).hexdigest()


@dataclass(frozen=True)
class Edition:
    """Which content a document of a hearing shows now: its ``fingerprint`` (64 hex digits) and whether
    it is a draft (a summary before it is published after the hearing closed)."""

    fingerprint: str
    is_draft: bool


def edition(*, hearing: Hearing, kind: str, now: dt.datetime | None = None) -> Edition:
    """The edition of ``kind`` ('proposal' or 'summary') of ``hearing`` now, from one query of the
    hearing's row (read afresh: ``hearing`` may be older than a change). The fingerprint changes
    whenever the content (``content_for``) would:

    - ``content_version``: every saved or deleted response, remark, attachment and event, the hearing,
      its strategy's texts and its municipality raise it (hearings.response_cache.bump);
    - ``updated_at``: a save of the whole hearing row may write back an older ``content_version`` it
      read before another change; the row's new time still tells the two apart;
    - ``summary_published_at`` and the draft flag (which the clock turns at ``closes_at``), also when
      set by ``QuerySet.update()``;
    - the layout (``LAYOUT_VERSION``), the kind and the portal's address (``SITE_URL``, in the links).

    Documents are always made in Danish, whatever the language of the request, so the language is
    not part of it. Raises Hearing.DoesNotExist if the hearing is gone."""
    now = now or timezone.now()
    version, updated_at, published_at, closes_at = (
        Hearing.objects.filter(pk=hearing.pk)
        .values_list("content_version", "updated_at", "summary_published_at", "closes_at")
        .get()
    )
    draft = kind == RenderedDocument.Kind.SUMMARY and summary_is_draft(
        closes_at=closes_at, summary_published_at=published_at, now=now
    )
    key = {
        "layout": LAYOUT_VERSION,
        "kind": kind,
        "hearing": hearing.pk,
        "content_version": version or 0,
        "updated_at": _stamp(updated_at),
        "summary_published_at": _stamp(published_at),
        "draft": draft,
        "site": settings.SITE_URL,
    }
    return Edition(fingerprint=fingerprint(key), is_draft=draft)


def current_edition_document(*, hearing: Hearing, kind: str) -> tuple[RenderedDocument | None, Edition]:
    """The document of the hearing's current edition, if one was asked for (in any status), and that
    edition. Two queries, however many responses the hearing has; nothing is created."""
    now_edition = edition(hearing=hearing, kind=kind)
    document = RenderedDocument.objects.current(
        hearing=hearing, kind=kind, fingerprint=now_edition.fingerprint
    ).first()
    return document, now_edition


def content_for(hearing: Hearing, kind: str) -> dict:
    return proposal_content(hearing) if kind == DocumentKind.PROPOSAL else summary_content(hearing)


# --- Layout ---------------------------------------------------------------------------------------


def _group_responses(content: dict) -> list[dict]:
    """The responses grouped by their target, in the strategy's order: the whole strategy first, then each
    section, its goals and its themes. Empty groups are left out."""
    by_target: dict[tuple, list[dict]] = defaultdict(list)
    for response in content["responses"]:
        target = response["target"]
        key = ("goal", target["goal"]) if target["goal"] else ("theme", target["theme"]) if target["theme"] else (
            ("section", target["section"]) if target["section"] else ("strategy", None)
        )  # fmt: skip
        by_target[key].append(response)
    groups = []
    if by_target.get(("strategy", None)):
        groups.append({"level": 1, "title": f"Hele strategien: {content['strategy']['title']}",
                       "anchor": "svar-strategi", "responses": by_target[("strategy", None)]})  # fmt: skip
    for section in content["sections"]:
        label = f"{section['label']}: {section['title']}" if section["label"] else section["title"]
        children = []
        if by_target.get(("section", section["id"])):
            children.append({"level": 2, "title": label, "anchor": f"svar-del-{section['id']}",
                             "responses": by_target[("section", section["id"])]})  # fmt: skip
        for goal in section["goals"]:
            for g in [goal, *goal["children"]]:
                if by_target.get(("goal", g["id"])):
                    children.append({"level": 3, "title": f"Målsætning: {g['text']}", "anchor": f"svar-maal-{g['id']}",
                                     "responses": by_target[("goal", g["id"])]})  # fmt: skip
        for theme in section["themes"]:
            if by_target.get(("theme", theme["id"])):
                children.append({"level": 3, "title": f"Tema: {theme['question']}", "anchor": f"svar-tema-{theme['id']}",
                                 "responses": by_target[("theme", theme["id"])]})  # fmt: skip
        if children:
            if children[0]["level"] != 2:
                children.insert(
                    0, {"level": 2, "title": label, "anchor": f"svar-del-{section['id']}", "responses": []}
                )
            groups.extend(children)
    return groups


def bar_chart_svg(rows: list[tuple[str, int]], *, width: int = 480, bar_height: int = 18) -> str:
    """A horizontal bar chart as SVG (text as real text, so it is searchable and read aloud)."""
    from django.utils.html import escape

    top = max((n for _label, n in rows), default=0) or 1
    label_width, gap = 190, 6
    height = len(rows) * (bar_height + gap) + gap
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" role="img" font-family="IBM Plex Sans">']  # fmt: skip
    for i, (label, n) in enumerate(rows):
        y = gap + i * (bar_height + gap)
        bar = round((width - label_width - 50) * n / top)
        short = label if len(label) <= 32 else label[:31] + "…"
        parts.append(f'<text x="0" y="{y + bar_height - 5}" font-size="10">{escape(short)}</text>')
        parts.append(f'<rect x="{label_width}" y="{y}" width="{bar}" height="{bar_height}" fill="#0059b3"/>')
        parts.append(f'<text x="{label_width + bar + 4}" y="{y + bar_height - 5}" font-size="10">{n}</text>')
    parts.append("</svg>")
    return "".join(parts)


def summary_statistics(content: dict) -> dict:
    responses = content["responses"]
    by_type = Counter(r["type"] for r in responses)
    weeks: Counter[tuple[int, int]] = Counter()
    for r in responses:
        created = dt.datetime.fromisoformat(r["created_at"]).astimezone(timezone.get_current_timezone())
        year, week, _day = created.isocalendar()
        weeks[(year, week)] += 1
    by_target = []
    for group in _group_responses(content):
        by_target.append((group["title"], len(group["responses"])))
    return {
        "total": len(responses),
        "by_type": sorted(by_type.items(), key=lambda item: -item[1]),
        "by_week": [(f"Uge {week} ({year})", n) for (year, week), n in sorted(weeks.items())],
        "by_target": by_target,
    }


def summary_context(content: dict, *, made_at: dt.datetime) -> dict:
    """What the summary's templates show, whole or in parts: groups, statistics, charts, the table of
    contents and the respondents in alphabetical order."""
    stats = summary_statistics(content)
    groups = _group_responses(content)
    return {
        **_dates(content, made_at),
        "groups": groups,
        "stats": stats,
        "charts": {
            "by_type": bar_chart_svg(stats["by_type"]),
            "by_week": bar_chart_svg(stats["by_week"]),
            "by_target": bar_chart_svg(stats["by_target"]),
        },
        "toc": [
            {"level": 1, "title": "Sammenfatning", "anchor": "sammenfatning"},
            {
                "level": 1,
                "title": "Høringssvarene og administrationens bemærkninger",
                "anchor": "hoeringssvar",
            },
            *(
                {"level": g["level"], "title": g["title"], "anchor": g["anchor"]}
                for g in groups
                if g["level"] < 3
            ),
            {"level": 1, "title": "Bilag: Afsendere i alfabetisk orden", "anchor": "afsendere"},
        ],
        "respondents": sorted(
            (
                (r["organisation"] or r["name"], r["name"] if r["organisation"] else "", r["number"])
                for r in content["responses"]
            ),
            key=lambda row: (row[0].casefold(), row[2]),
        ),
    }


def _dates(content: dict, made_at: dt.datetime) -> dict:
    return {
        "content": content,
        "made_at": made_at,
        "opens_at": dt.datetime.fromisoformat(content["hearing"]["opens_at"]),
        "closes_at": dt.datetime.fromisoformat(content["hearing"]["closes_at"]),
        "markdown": render_markdown,
    }


def render_html(content: dict, *, made_at: dt.datetime) -> str:
    """A document as one HTML page: the proposal as the portal renders it, or the whole summary (which
    the portal renders in parts, summary_pdf.py; whole, it is the benchmark's naive comparison)."""
    with translation.override("da"):
        if content["kind"] == DocumentKind.SUMMARY:
            context = summary_context(content, made_at=made_at)
            items = [item for g in context["groups"]
                     for item in [{"heading": g}, *({"response": r} for r in g["responses"])]]  # fmt: skip
            return render_to_string("documents/summary.html", {**context, "items": items, "furniture": True})
        return render_to_string("documents/proposal.html", {**_dates(content, made_at), "furniture": True})


# --- PDF --------------------------------------------------------------------------------------------


def static_only_fetcher():
    """WeasyPrint's URL fetcher for our documents: serves only the portal's own static files (fonts,
    CSS) by the ``static:`` scheme and refuses everything else: ``file://``, http(s) and data that a
    citizen's text could smuggle in."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        def fetch(self, url: str, headers=None):
            return _fetch_static(url, URLFetcherResponse)

    return StaticOnlyFetcher()


def _fetch_static(url: str, response_class):
    if not url.startswith("static:"):
        raise ValueError(f"Refused to fetch {url!r}: documents may only use the portal's static files")
    relative = url.removeprefix("static:").lstrip("/")
    if ".." in Path(relative).parts:
        raise ValueError(f"Refused to fetch {url!r}")
    found = finders.find(relative)
    if not found:
        raise ValueError(f"No static file {relative!r}")
    mime, _encoding = mimetypes.guess_type(found)
    return response_class(
        url, body=Path(found).read_bytes(), headers={"Content-Type": mime or "application/octet-stream"}
    )


def weasyprint_html(html: str):
    """WeasyPrint's document for our HTML: relative URLs are our static files, and only those are fetched."""
    from weasyprint import HTML

    return HTML(string=html, base_url="static:/", url_fetcher=static_only_fetcher())


def render_tagged(html: str, *, title: str = "", author: str = "") -> tuple[bytes, list]:
    """PDF bytes and WeasyPrint's pages: tagged PDF/UA-1, Danish, with title and author metadata if given."""
    document = weasyprint_html(html).render(pdf_variant="pdf/ua-1", pdf_tags=True)
    document.metadata.lang = "da"
    if title:
        document.metadata.title = title
        document.metadata.authors = [author]
    return document.write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True), document.pages


def render_pdf(html: str, *, title: str, author: str) -> tuple[bytes, int]:
    """PDF bytes and page count of one whole document (the proposal)."""
    pdf, pages = render_tagged(html, title=title, author=author)
    return pdf, len(pages)


# --- Services ---------------------------------------------------------------------------------------


@transaction.atomic
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
        from .tasks import render_document

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
        pdf, pages, _work = summary_pdf.render(summary_context(content, made_at=made_at),
                                               hearing_id=document.hearing_id, title=title, author=municipality)  # fmt: skip
    else:
        pdf, pages = render_pdf(render_html(content, made_at=made_at), title=title, author=municipality)
    document.file.save(f"{document.kind}.pdf", ContentFile(pdf), save=False)
    document.page_count = pages
    document.size = len(pdf)
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
    _parts, rendered = summary_pdf.ready_parts(context, hearing_id=hearing_id)
    return rendered


def schedule_summary_parts(hearing_id: int) -> None:
    """After a change the summary may show: its parts are prepared SUMMARY_PARTS_PREPARE_SECONDS later,
    once for every change in between (the first change sets a cache key that lives as long)."""
    delay = settings.SUMMARY_PARTS_PREPARE_SECONDS
    if not delay or not cache.add(f"hearings:summary-parts:{hearing_id}", 1, timeout=delay):
        return

    def send() -> None:
        from .tasks import prepare_summary_parts as task

        try:
            task.apply_async(args=[hearing_id], countdown=delay)
        except Exception:  # the broker is down: the next change, or the next summary asked for, does it
            logger.exception("Could not schedule the summary parts of hearing %s", hearing_id)

    transaction.on_commit(send)


def connect() -> None:
    """Changes to responses, their remarks and attachments schedule the summary's parts."""
    from django.db.models.signals import post_delete, post_save

    from .models import Remark, ResponseAttachment

    def changed(sender, instance, **kwargs) -> None:
        if not settings.SUMMARY_PARTS_PREPARE_SECONDS:
            return
        if sender is Response:
            schedule_summary_parts(instance.hearing_id)
        else:
            hearing_id = (
                Response.objects.filter(pk=instance.response_id).values_list("hearing_id", flat=True).first()
            )
            if hearing_id:
                schedule_summary_parts(hearing_id)

    for model in (Response, Remark, ResponseAttachment):
        post_save.connect(
            changed, sender=model, weak=False, dispatch_uid=f"summary-parts-{model.__name__}-save"
        )
        post_delete.connect(
            changed, sender=model, weak=False, dispatch_uid=f"summary-parts-{model.__name__}-del"
        )


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
        summary_pdf.remove_unused_parts(hearing_id, keep=set())


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


@transaction.atomic
def publish_summary(*, hearing: Hearing, actor, now: dt.datetime | None = None) -> Hearing:
    """Staff publish the hearing summary once the hearing has closed: it becomes public, the remarks lock."""
    from . import permissions

    now = now or timezone.now()
    hearing = Hearing.objects.select_for_update().select_related("strategy").get(pk=hearing.pk)
    if not permissions.may_remark(actor, hearing):
        raise PermissionDenied
    if hearing.state(now) != Hearing.State.CLOSED:
        raise ValidationError("Høringsnotatet kan først offentliggøres, når høringen er lukket.")
    if hearing.summary_published_at is None:
        hearing.summary_published_at = now
        hearing.save(update_fields=["summary_published_at"])
        from .moderation import record_event

        record_event(action=ModerationEvent.Action.SUMMARY_PUBLISHED, hearing=hearing, actor=actor, now=now)
    return hearing
