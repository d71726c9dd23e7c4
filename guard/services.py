"""Changes of state by the personal-data guard, each checked, validated and logged in one transaction.

Text redaction (issue 15, item 4): a moderator replaces spans of a response's published fields (its text,
published name and organisation: ``scanning.FIELDS``) by ``REDACTION_MARKER``. The field's value before is
kept in a ``Redaction`` for staff only (emptied with the hearing's personal data, ``receivers``); the public
text itself changes, so every page, list, feed, search hit, export and summary made from it afterwards
shows the marker. What still holds a copy of the old text is told: the hearing's cached lists (by the
response's save), its hearing summaries made so far (``hearings.signals.published_text_changed``) and the
analysis' quotes (``guard.signals.response_redacted``). The author is e-mailed what was left out and why
(``moderation.signals.response_moderated``), never the removed text itself.
"""

import datetime as dt
import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import rules
from hearings import signals as hearing_signals
from hearings.models import NAME_MAX_LENGTH, Hearing, Response
from moderation import signals as moderation_signals
from moderation.models import MODERATION_NOTE_MAX_LENGTH, ModerationEvent
from moderation.services import record_event
from portal.text import normalise_text

from . import scanning, signals
from .models import REDACTION_MARKER, Redaction, RedactionReason

if TYPE_CHECKING:
    from accounts.models import User

Span = tuple[int, int]

# The fields whose database column has a length limit: a marker longer than what it replaces must fit.
_LIMITED = {"display_name": NAME_MAX_LENGTH, "organisation_name": NAME_MAX_LENGTH}


@dataclass(frozen=True)
class RedactionPart:
    """Spans of one published field (``scanning.FIELDS``) to be replaced by the marker, with one reason
    (a ``RedactionReason`` value). Spans are ``(start, end)`` character offsets in the field's value now."""

    field: str
    spans: Sequence[Span]
    reason: str


def redaction_digest(response: Response) -> str:
    """A short fingerprint (16 hex digits) of ``response``'s published fields as they are now. The
    redaction form carries it, so that spans chosen on a text that has changed since (the author edited
    it, another moderator redacted it) are refused instead of cutting the wrong characters."""
    joined = "\x00".join(getattr(response, field) or "" for field in scanning.FIELDS)
    return hashlib.sha256(joined.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def _passage_pattern(passage: str, *, ignore_case: bool = False) -> re.Pattern[str] | None:
    words = passage.split()
    if not words:
        return None
    return re.compile(r"\s+".join(re.escape(w) for w in words), re.IGNORECASE if ignore_case else 0)


def redaction_passage_spans(text: str, passage: str) -> list[Span]:
    """Every place ``passage`` stands in ``text`` (its words in order, any white space between them, the
    case as typed), as ``(start, end)`` offsets, in order, not overlapping; [] if none or if ``passage``
    is blank."""
    pattern = _passage_pattern(passage)
    return [m.span() for m in pattern.finditer(text)] if pattern else []


def redact_passages(text: str, passages: Iterable[str]) -> str:
    """``text`` with every occurrence of each of ``passages`` (any case, any white space between its
    words) replaced by the marker: for copies of a response's text, such as a topic's quote, that must
    lose what the response lost. Longer passages first, so that one inside another leaves no rest."""
    for passage in sorted({p for p in passages if p.strip()}, key=len, reverse=True):
        pattern = _passage_pattern(passage, ignore_case=True)
        if pattern is not None:
            text = pattern.sub(REDACTION_MARKER, text)
    return text


def redacted_value(value: str, spans: Iterable[Span]) -> str:
    """``value`` with each of ``spans`` (sorted or not, not overlapping) replaced by the marker."""
    out: list[str] = []
    at = 0
    for start, end in sorted(spans):
        out += [value[at:start], REDACTION_MARKER]
        at = end
    out.append(value[at:])
    return "".join(out)


def _checked_spans(raw: Sequence[object], length: int) -> list[Span]:
    """``raw`` as (start, end) pairs of ints inside a value of ``length``, not empty; else ValidationError."""
    spans: list[Span] = []
    for item in raw:
        if (
            not isinstance(item, (tuple, list))
            or len(item) != 2
            or not all(isinstance(n, int) and not isinstance(n, bool) for n in item)
        ):
            raise ValidationError(_("Et markeret sted kunne ikke læses."), code="bad_span")
        start, end = item
        if start < 0 or end > length:
            raise ValidationError(_("Et markeret sted ligger uden for teksten."), code="outside")
        if end <= start:
            raise ValidationError(_("Et markeret sted er tomt."), code="empty")
        spans.append((start, end))
    return spans


def _field_label(field: str) -> str:
    return str(Redaction.Field(field).label)


@transaction.atomic
def redact_response(
    *,
    response: Response,
    actor: "User",
    parts: Sequence[RedactionPart],
    note: str = "",
    digest: str | None = None,
    now: dt.datetime | None = None,
) -> list[Redaction]:
    """Replace the spans of ``parts`` in ``response``'s published fields by ``REDACTION_MARKER``, as one
    redaction: a ``Redaction`` row per field and reason (the field's value before, for staff only; none
    kept if the hearing's personal data was already removed), one ``ModerationEvent`` REDACTED (with
    ``details`` ``{"fields": [...], "reasons": [...], "count": n, "parts": [{"field", "reason",
    "count"}]}``: never the removed text), a new scan (``scanning.review_response``, marked as seen by
    ``actor``), and the author's e-mail. The response keeps its status: a pending one waits for a moderator
    to publish it as before.

    ``digest``: ``redaction_digest`` of the response as the moderator saw it; if given and the fields have
    changed since, nothing is done. Spans of one field, over all parts, must lie inside its value, not be
    empty and not overlap. Raises PermissionDenied unless ``actor`` may moderate the hearing, and
    ValidationError (Danish, keyed ``reason`` where it is the reason's fault) for anything else refused.
    Returns the Redaction rows made."""
    now = now or timezone.now()
    response = Response.objects.select_for_update().select_related("hearing__strategy").get(pk=response.pk)
    if not rules.may_moderate(actor, response.hearing):
        raise PermissionDenied
    if digest is not None and digest != redaction_digest(response):
        raise ValidationError(
            _("Høringssvaret er ændret, siden siden blev vist. Se fundene igen, og vælg på ny."), code="stale"
        )
    if not parts or not any(part.spans for part in parts):
        raise ValidationError(_("Vælg mindst ét sted, der skal udelades."), code="nothing")
    by_field: dict[str, list[tuple[Span, str]]] = {}
    for part in parts:
        if part.field not in scanning.FIELDS:
            raise ValidationError(_("Ukendt felt."), code="field")
        if part.reason not in RedactionReason.values:
            raise ValidationError({"reason": _("Vælg en begrundelse fra listen.")}, code="reason")
        value = getattr(response, part.field) or ""
        for span in _checked_spans(part.spans, len(value)):
            by_field.setdefault(part.field, []).append((span, part.reason))

    new_values: dict[str, str] = {}
    for field, chosen in by_field.items():
        chosen.sort()
        ordered = [span for span, _r in chosen]
        for (_start, end), (next_start, _end) in zip(ordered, ordered[1:], strict=False):
            if next_start < end:
                raise ValidationError(_("To markerede steder overlapper hinanden."), code="overlap")
        value = getattr(response, field)
        new_values[field] = redacted_value(value, [span for span, _r in chosen])
        limit = _LIMITED.get(field)
        if limit is not None and len(new_values[field]) > limit:
            raise ValidationError(
                _("%(field)s bliver for langt med markeringen; udelad det hele i stedet.")
                % {"field": _field_label(field).capitalize()},
                code="too_long",
            )
    note = normalise_text(note or "").strip()[:MODERATION_NOTE_MAX_LENGTH]

    originals = {field: getattr(response, field) for field in by_field}
    for field, value in new_values.items():
        setattr(response, field, value)
    response.save(update_fields=list(new_values))

    removed = response.hearing.personal_data_removed_at is not None
    made: list[Redaction] = []
    counts: Counter[tuple[str, str]] = Counter()
    for field in scanning.FIELDS:
        picked = by_field.get(field)
        if not picked:
            continue
        reasons = sorted({reason for _span, reason in picked}, key=RedactionReason.values.index)
        for reason in reasons:
            spans = [[start, end] for (start, end), r in picked if r == reason]
            counts[(field, reason)] = len(spans)
            redaction = Redaction.objects.create(
                response=response, field=field, original="" if removed else originals[field], spans=spans,
                reason=reason, note=note, actor=actor, created_at=now, original_removed_at=now if removed else None,
            )  # fmt: skip
            made.append(redaction)

    review = scanning.review_response(response, now=now)
    review.cleared_at, review.cleared_by = now, actor
    review.save(update_fields=["cleared_at", "cleared_by"])

    details = {
        "fields": [f for f in scanning.FIELDS if f in by_field],
        "reasons": sorted({r for _f, r in counts}, key=RedactionReason.values.index),
        "count": sum(counts.values()),
        "parts": [{"field": f, "reason": r, "count": n} for (f, r), n in counts.items()],
    }
    event = record_event(action=ModerationEvent.Action.REDACTED, response=response, actor=actor, note=note,
                         status_before=response.status, status_after=response.status, details=details,
                         now=now)  # fmt: skip

    passages = [
        originals[field][start:end] for field, chosen in by_field.items() for (start, end), _r in chosen
    ]
    signals.response_redacted.send(sender=Response, response=response, passages=passages)
    if response.published_at is not None:  # it may be in a summary made so far: those go
        hearing_signals.published_text_changed.send(sender=Hearing, hearing_ids={response.hearing_id})
    if response.author_id:
        moderation_signals.response_moderated.send(sender=ModerationEvent, event=event)
    return made


def redact(
    *,
    response: Response,
    actor: "User",
    field: str,
    spans: Sequence[Span],
    reason: str,
    note: str = "",
    now: dt.datetime | None = None,
) -> Redaction:
    """Redact ``spans`` of one published ``field`` of ``response`` with one ``reason``: ``redact_response``
    with one part. Returns its Redaction; raises as it does."""
    [made] = redact_response(
        response=response, actor=actor, parts=[RedactionPart(field, spans, reason)], note=note, now=now
    )
    return made


def redaction_summary(details: dict) -> list[dict]:
    """What a REDACTED event's ``details`` say, for people: per field (in the order of the response's
    page), ``{"field": label, "count": places, "reasons": [labels]}``. Reads codes only, so an event
    logged before a label changed is told in today's words."""
    rows: dict[str, dict] = {}
    for part in details.get("parts", []):
        field, reason = part.get("field"), part.get("reason")
        if field not in scanning.FIELDS or reason not in RedactionReason.values:
            continue
        row = rows.setdefault(field, {"field": _field_label(field), "count": 0, "reasons": []})
        row["count"] += int(part.get("count", 0))
        label = str(RedactionReason(reason).label)
        if label not in row["reasons"]:
            row["reasons"].append(label)
    return [rows[f] for f in scanning.FIELDS if f in rows]
