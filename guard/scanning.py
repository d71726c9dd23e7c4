"""The guard run on a response: its published fields scanned by the finders, the scan kept as a Review,
and the check that holds a response back (``hearings.holds``, registered in GuardConfig.ready)."""

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from django.utils import timezone

from hearings.models import Hearing, Response

from . import finders
from .models import Review, TermList

# The response's fields the public sees, in the order the staff page shows them.
FIELDS = ("text", "display_name", "organisation_name")


@dataclass(frozen=True)
class FieldFindings:
    field: str  # one of FIELDS, or "attachment" for an attachment's text
    text: str
    findings: list[finders.Finding]


def terms_of(hearing: Hearing) -> list[str]:
    """The municipality's own sensitive terms when it turned its list on (guard.models.TermList), else []."""
    terms = TermList.objects.filter(municipality_id=hearing.strategy.municipality_id).first()
    return terms.term_list() if terms else []


def scan_fields(texts: Mapping[str, str], *, terms: list[str] | tuple[str, ...] = ()) -> list[FieldFindings]:
    """The findings in each of a response's published fields (FIELDS) present in ``texts``."""
    return [
        FieldFindings(field, texts[field], finders.find(texts[field], terms))
        for field in FIELDS
        if texts.get(field)
    ]


def has_high(scanned: list[FieldFindings]) -> bool:
    return any(f.confidence == "high" for s in scanned for f in s.findings)


def hold_check(hearing: Hearing, texts: Mapping[str, str]) -> bool:
    """``hearings.holds`` check: True if a finder is sure of personal data in the response's published
    fields (issue 15: "a response with a finding of high confidence is never published automatically")."""
    return has_high(scan_fields(texts, terms=terms_of(hearing)))


def review_response(response: Response, *, now: dt.datetime | None = None) -> Review:
    """Scan ``response``'s published fields and save the result as its Review (made or updated). A scan
    that finds more than before clears the moderator's earlier "gennemset"."""
    scanned = scan_fields(
        {field: getattr(response, field) for field in FIELDS}, terms=terms_of(response.hearing)
    )
    all_findings = [f for s in scanned for f in s.findings]
    high = sum(1 for f in all_findings if f.confidence == "high")
    low = len(all_findings) - high
    kinds = sorted({f.kind for f in all_findings}, key=finders.KINDS.index)
    review, created = Review.objects.get_or_create(
        response=response,
        defaults={"high": high, "low": low, "kinds": kinds, "finders_version": finders.VERSION,
                  "scanned_at": now or timezone.now()},
    )  # fmt: skip
    if not created:
        if high > review.high:
            review.cleared_at = None
            review.cleared_by = None
        review.high, review.low, review.kinds = high, low, kinds
        review.finders_version = finders.VERSION
        review.scanned_at = now or timezone.now()
        review.save()
    return review
