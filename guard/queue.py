"""The guard in the moderation queue: the tab "Personoplysninger" (a check registered in
``moderation.panels.queue_checks``, which bulk publishing respects) and the findings of each row, with the
found text highlighted (a provider of ``moderation.panels.queue_page``).

The moderation app sits below the guard and cannot read its Review; it asks through these registries."""

import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Length, Substr
from django.http import HttpRequest
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from hearings.models import ModerationReason, Response, ResponseAttachment
from moderation import panels

from . import finders, models
from .models import Review, TermList

TAB = "personal"

# The words on each side of a finding in a snippet, at most (cut at a space).
SNIPPET_CONTEXT = 40
# The snippets one row shows at most (the sure ones first); the response's page shows them all.
SNIPPETS_PER_ROW = 5
# The characters of each attachment's text that the queue scans (a page must stay quick: the finders read
# about a million characters a second); the rows say which attachments were read only in part.
ATTACHMENT_HEAD = 5_000

FIELD_LABELS = {
    "text": _("Tekst"),
    "display_name": _("Navn"),
    "organisation_name": _("Organisation"),
}


def kind_label(kind: str) -> str:
    """The Danish name of a finder's kind, capitalised ("CPR-nummer", "Adresse")."""
    return capfirst(models.kind_label(kind))


def waiting_for_check() -> Q:
    """The responses that wait for a moderator to look at possible personal data: held by the guard and
    not yet decided (pending with the reason "mulige personoplysninger"), or, while pending or published,
    with a finding of high confidence that no moderator has cleared (``Review``: an edit, or a scan of old
    responses by newer finders), or with an attachment held for a check."""
    uncleared = Review.objects.filter(response=OuterRef("pk"), high__gt=0, cleared_at__isnull=True)
    held = ResponseAttachment.objects.filter(
        response=OuterRef("pk"), publication=ResponseAttachment.Publication.HELD
    )
    visible = Q(status__in=[Response.Status.PENDING, Response.Status.PUBLISHED])
    held_back = Q(status=Response.Status.PENDING, moderation_reason=ModerationReason.POSSIBLE_PERSONAL_DATA)
    return held_back | (visible & (Q(Exists(uncleared)) | Q(Exists(held))))


def skipped_sentence(count: int) -> str:
    """What bulk publishing says of the ``count`` responses it left for the check."""
    return ngettext(
        "%(count)s svar med mulige personoplysninger skal gennemses enkeltvis; det er ikke offentliggjort.",
        "%(count)s svar med mulige personoplysninger skal gennemses enkeltvis; de er ikke offentliggjort.",
        count,
    ) % {"count": count}


# --- The findings of the queue's rows ------------------------------------------------------------------


@dataclass(frozen=True)
class Snippet:
    where: str  # "Tekst", "Navn", "Organisation" or an attachment's file name
    kind: str
    label: str  # kind_label(kind)
    confidence: str  # "high" or "low" (a hint, that holds nothing back)
    html: SafeString  # the text around the finding, escaped, with the finding in <mark>


@dataclass
class RowFindings:
    """What the queue shows of one response's findings: the kinds as badges (sure ones, and hints), the
    first snippets, how many more there are, and whether a moderator has cleared the response."""

    high_kinds: list[str] = field(default_factory=list)  # labels, in the order of finders.KINDS
    low_kinds: list[str] = field(default_factory=list)
    snippets: list[Snippet] = field(default_factory=list)
    more: int = 0
    cleared: bool = False
    partly: list[str] = field(default_factory=list)  # names of attachments scanned only in part


def snippet(text: str, finding: finders.Finding, context: int = SNIPPET_CONTEXT) -> SafeString:
    """``finding`` in ``text`` with at most ``context`` characters each side (cut at a space, "…" where
    cut, runs of white space as one space), escaped, the finding itself in ``<mark>``."""
    before = text[max(0, finding.start - context) : finding.start]
    after = text[finding.end : finding.end + context]
    if finding.start > context and (first := _SPACES.search(before)):
        before = "…" + before[first.end() :]
    if finding.end + context < len(text) and (last := _LAST_SPACE.search(after)):
        after = after[: last.start()] + "…"
    return format_html("{}<mark>{}</mark>{}", _flat(before), _flat(finding.text), _flat(after))


def _flat(text: str) -> str:
    return _SPACES.sub(" ", text)


_SPACES = re.compile(r"\s+")
_LAST_SPACE = re.compile(r"\s+(?=\S*$)")


def row_findings(
    texts: list[tuple[str, str]], *, terms: list[str], cleared: bool = False, partly: list[str] | None = None
) -> RowFindings | None:
    """The findings in ``texts`` ((where, text) pairs: the response's fields and attachments), or None if
    there are none and no attachment was read only in part (``partly``: their names)."""
    found = [(where, text, f) for where, text in texts for f in finders.find(text, terms)]
    if not found and not partly:
        return None
    order = finders.KINDS.index
    high = sorted({f.kind for _w, _t, f in found if f.confidence == "high"}, key=order)
    low = sorted({f.kind for _w, _t, f in found if f.confidence == "low"} - set(high), key=order)
    found.sort(key=lambda item: item[2].confidence != "high")  # stable: the sure ones first, in text order
    shown = [
        Snippet(where, f.kind, kind_label(f.kind), f.confidence, snippet(text, f))
        for where, text, f in found[:SNIPPETS_PER_ROW]
    ]
    return RowFindings(
        high_kinds=[kind_label(k) for k in high],
        low_kinds=[kind_label(k) for k in low],
        snippets=shown,
        more=len(found) - len(shown),
        cleared=cleared,
        partly=partly or [],
    )


def _head(text: str, length: int) -> str:
    """The beginning of ``text`` when it is longer than ``length``: cut at the last white space before it,
    so that no number or word is cut in two (and found as something it is not)."""
    if length < 1 or len(text) <= length:
        return text
    cut = _LAST_SPACE.search(text[:length])
    return text[: cut.start()] if cut else text[:length]


def queue_panel_context(request: HttpRequest, *, responses: list[Response]) -> dict[str, object]:
    """``moderation.panels.queue_page``: ``guard_queue``, the findings of each response shown that has
    any, by its pk (RowFindings), in its text, name, organisation and attachments' text (the first
    ATTACHMENT_HEAD characters of each); the municipality's own terms as hints. Three queries, however
    many responses; at most 25 x (10,000 + 5 x ATTACHMENT_HEAD) characters scanned."""
    if not responses:
        return {}
    pks = [response.pk for response in responses]
    municipality_ids = {response.hearing.strategy.municipality_id for response in responses}
    terms = {
        terms.municipality_id: terms.term_list()
        for terms in TermList.objects.filter(municipality_id__in=municipality_ids, enabled=True)
    }
    attachments: dict[int, list[tuple[str, str]]] = defaultdict(list)
    partly: dict[int, list[str]] = defaultdict(list)
    read = (
        ResponseAttachment.objects.filter(response_id__in=pks)
        .exclude(text="")
        .annotate(head=Substr("text", 1, ATTACHMENT_HEAD + 1), length=Length("text"))
        .values_list("response_id", "original_name", "head", "length")
        .order_by("pk")
    )
    for response_id, name, head, length in read:
        attachments[response_id].append((name, _head(head, ATTACHMENT_HEAD)))
        if length > ATTACHMENT_HEAD:
            partly[response_id].append(name)
    cleared = set(
        Review.objects.filter(response_id__in=pks, cleared_at__isnull=False).values_list(
            "response_id", flat=True
        )
    )
    rows = {}
    for response in responses:
        texts = [(str(label), getattr(response, name)) for name, label in FIELD_LABELS.items()]
        texts += attachments.get(response.pk, [])
        row = row_findings(
            [(where, text) for where, text in texts if text],
            terms=terms.get(response.hearing.strategy.municipality_id, []),
            cleared=response.pk in cleared,
            partly=partly.get(response.pk),
        )
        if row is not None:
            rows[response.pk] = row
    return {"guard_queue": rows, "guard_queue_head": number_format(ATTACHMENT_HEAD, force_grouping=True)}


def register() -> None:
    """Called once from ``GuardConfig.ready()``: the queue's tab and bulk publishing's check, and the
    findings of its rows."""
    panels.queue_checks.register(
        panels.QueueCheck(
            value=TAB, label=_("Personoplysninger"), condition=waiting_for_check, skipped=skipped_sentence
        )
    )
    panels.queue_page.register(queue_panel_context)
