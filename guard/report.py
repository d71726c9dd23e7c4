"""What the guard finds in what is already stored (issue 15, item 5: "Existing data"), per hearing, without
changing anything a citizen sees.

- ``scan_existing``: every response's published fields (text, name, organisation) and every attachment's
  extracted text and file name scanned by the finders; each response's ``Review`` saved (made or
  updated, as ``guard.scanning.review_response`` does), so that the moderation queue's filter
  "Personoplysninger" lists what a moderator has to look at. Returns a ``HearingReport`` per hearing.
  Used by ``manage.py scan_personal_data``.
- ``rescan_outdated``: the responses whose Review an older version of the finders made (or that have
  none), in bounded batches; used by the beat task ``guard.scan_tasks.rescan_outdated``.

Nothing public changes: no response's status, text or publication, no attachment's publication or text.
The only writes are the Reviews, which only staff see. A finding of high confidence on a response that is
already published does not take it down: it waits in the queue's filter until a moderator acts.

Both read the responses in chunks by primary key (``CHUNK`` a query, values only) and write each chunk's
Reviews in one upsert, so 10,000 responses take a few dozen queries, not one per response
(docs/benchmarks.md, "Scanning existing data").
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from hearings.models import Hearing, Response, ResponseAttachment

from . import finders
from .models import Review, TermList
from .scanning import FIELDS, scan_fields

CHUNK = 1_000  # responses read, scanned and upserted at a time
ATTACHMENT_CHUNK = 100  # attachments at a time: their texts may be long (a read PDF of 500 pages)
RESCAN_LIMIT = 20_000  # responses one run of rescan_outdated scans at most (about 10 s on one core)

# Where a moderator works through what was found: the moderation queue's tab "Personoplysninger" (its
# value in ``?tab=``, registered by the guard in moderation.panels.queue_checks).
QUEUE_TAB = "personal"

_RESPONSE_VALUES = ("pk", "hearing_id", "status", *FIELDS)

Status = Response.Status
TextStatus = ResponseAttachment.TextStatus


@dataclass
class HearingReport:
    """What the finders found in one hearing's stored responses and attachments.

    Counts of responses: ``responses`` scanned; ``high_by_status`` {Response.Status value: responses with
    at least one finding of high confidence}; ``cleared_by_status`` the same for those a moderator had
    already gone through (their Review's "gennemset" stays, as the new scan found no more than before).
    Counts of findings (responses' fields and attachments' text and name together): ``kinds``
    {finders kind: findings of both confidences}; ``low`` the hints of low confidence.
    Counts of attachments: ``attachments`` read and scanned (text_status extracted);
    ``attachments_with_findings`` of those, with a finding of high confidence in the text or the file's
    name; ``attachments_public_with_findings`` of those, public now (publication public, response
    published), and ``public_attachments_in`` their responses as (number, id), sorted, each once: the
    queue's tab does not list them (it lists held attachments), so a moderator opens these one by one;
    ``attachments_not_read`` text_status pending; ``attachments_failed`` could not be read.
    """

    hearing_id: int
    title: str
    municipality: str
    responses: int = 0
    high_by_status: Counter[str] = field(default_factory=Counter)
    cleared_by_status: Counter[str] = field(default_factory=Counter)
    kinds: Counter[str] = field(default_factory=Counter)
    low: int = 0
    attachments: int = 0
    attachments_with_findings: int = 0
    attachments_public_with_findings: int = 0
    public_attachments_in: list[tuple[int, int]] = field(default_factory=list)
    attachments_not_read: int = 0
    attachments_failed: int = 0

    @property
    def high(self) -> int:
        """Responses with a finding of high confidence, of every status."""
        return sum(self.high_by_status.values())

    @property
    def published_high(self) -> int:
        """Published responses with a finding of high confidence: public now, what matters most."""
        return self.high_by_status[Status.PUBLISHED]

    @property
    def cleared(self) -> int:
        """Responses with a finding of high confidence that a moderator had already gone through."""
        return sum(self.cleared_by_status.values())

    @property
    def published_to_check(self) -> int:
        """Published responses with a finding of high confidence that no moderator has gone through."""
        return self.published_high - self.cleared_by_status[Status.PUBLISHED]

    @property
    def others_to_check(self) -> int:
        """Responses of another status with a finding of high confidence, not gone through."""
        return self.high - self.cleared - self.published_to_check


@dataclass(frozen=True)
class ScannedResponse:
    """One response's scan: the numbers its Review keeps, the findings per kind, and whether its Review
    stays "gennemset" (``cleared``: a moderator went through it and the scan found no more)."""

    response_id: int
    hearing_id: int
    status: str
    high: int
    low: int
    kinds: list[str]
    per_kind: Counter[str]
    cleared: bool


def _terms_by_municipality() -> dict[int, list[str]]:
    """{municipality id: its own sensitive terms} of every municipality that turned its list on (one
    query); what ``guard.scanning.terms_of`` gives per hearing."""
    return {terms.municipality_id: terms.term_list() for terms in TermList.objects.filter(enabled=True)}


def _scan_row(row: Mapping[str, Any], terms: Sequence[str]) -> tuple[int, int, list[str], Counter[str]]:
    """(high, low, kinds, findings per kind) of one response's published fields, counted as
    ``guard.scanning.review_response`` counts them."""
    scanned = scan_fields({name: row[name] for name in FIELDS}, terms=list(terms))
    found = [f for s in scanned for f in s.findings]
    high = sum(1 for f in found if f.confidence == "high")
    per_kind: Counter[str] = Counter(f.kind for f in found)
    kinds = sorted(per_kind, key=finders.KINDS.index)
    return high, len(found) - high, kinds, per_kind


def _chunks(queryset: QuerySet[Any], values: Sequence[str], size: int) -> Iterator[list[dict[str, Any]]]:
    """The rows of ``queryset`` as dicts of ``values``, ``size`` at a time in primary-key order (keyset:
    one query a chunk, however far in)."""
    last = 0
    while True:
        rows = list(queryset.filter(pk__gt=last).order_by("pk").values(*values)[:size])
        if not rows:
            return
        yield rows
        last = rows[-1]["pk"]
        if len(rows) < size:
            return


def _save_reviews(rows: Sequence[Mapping[str, Any]], terms_of_hearing: Mapping[int, Sequence[str]],
                  now: dt.datetime) -> list[ScannedResponse]:  # fmt: skip
    """Scan ``rows`` (response values) and upsert their Reviews in one transaction: the rows' existing
    Reviews are locked and read (one query), all written in one INSERT … ON CONFLICT UPDATE. As in
    ``review_response``, a scan that finds more of high confidence than before ends a moderator's
    earlier "gennemset"."""
    scans = [(row, _scan_row(row, terms_of_hearing.get(row["hearing_id"], ()))) for row in rows]
    with transaction.atomic():
        before = {
            response_id: (high, cleared_at, cleared_by_id)
            for response_id, high, cleared_at, cleared_by_id in Review.objects.select_for_update()
            .filter(response_id__in=[row["pk"] for row in rows])
            .values_list("response_id", "high", "cleared_at", "cleared_by_id")
        }
        reviews: list[Review] = []
        result: list[ScannedResponse] = []
        for row, (high, low, kinds, per_kind) in scans:
            old = before.get(row["pk"])
            keep = old is not None and old[1] is not None and high <= old[0]
            cleared_at, cleared_by_id = (old[1], old[2]) if keep and old is not None else (None, None)
            reviews.append(
                Review(
                    response_id=row["pk"],
                    high=high,
                    low=low,
                    kinds=kinds,
                    finders_version=finders.VERSION,
                    scanned_at=now,
                    cleared_at=cleared_at,
                    cleared_by_id=cleared_by_id,
                )  # fmt: skip
            )
            result.append(
                ScannedResponse(
                    response_id=row["pk"],
                    hearing_id=row["hearing_id"],
                    status=row["status"],
                    high=high,
                    low=low,
                    kinds=kinds,
                    per_kind=per_kind,
                    cleared=keep and high > 0,
                )  # fmt: skip
            )
        Review.objects.bulk_create(
            reviews,
            update_conflicts=True,
            unique_fields=["response"],
            update_fields=[
                "high",
                "low",
                "kinds",
                "finders_version",
                "scanned_at",
                "cleared_at",
                "cleared_by",
            ],
        )
    return result


def scan_responses(queryset: QuerySet[Response], *, terms_of_hearing: Mapping[int, Sequence[str]],
                   now: dt.datetime, chunk: int = CHUNK, limit: int | None = None) -> Iterator[ScannedResponse]:  # fmt: skip
    """Scan the responses of ``queryset`` chunk by chunk, saving their Reviews; yields each response's
    scan. ``terms_of_hearing``: {hearing id: the municipality's own terms}. At most ``limit`` responses
    (None: all). Each chunk is its own transaction, so no lock is held for the whole scan."""
    done = 0
    for rows in _chunks(queryset, _RESPONSE_VALUES, chunk if limit is None else min(chunk, limit)):
        if limit is not None:
            rows = rows[: limit - done]
        yield from _save_reviews(rows, terms_of_hearing, now)
        done += len(rows)
        if limit is not None and done >= limit:
            return


def _terms_of_hearings(hearing_ids: Iterable[int] | None) -> dict[int, list[str]]:
    """{hearing id: its municipality's own terms}, for the given hearings (None: all): two queries."""
    by_municipality = _terms_by_municipality()
    if not by_municipality:
        return {}
    hearings = Hearing.objects.all() if hearing_ids is None else Hearing.objects.filter(pk__in=hearing_ids)
    return {
        pk: by_municipality[municipality_id]
        for pk, municipality_id in hearings.values_list("pk", "strategy__municipality_id")
        if municipality_id in by_municipality
    }


def _scan_attachments(reports: dict[int, HearingReport], *, published_only: bool, chunk: int) -> None:
    """Add the attachments of the reports' hearings to them: the read ones scanned (text and file name),
    chunk by chunk; the unread and failed ones counted (one query)."""
    attachments = ResponseAttachment.objects.filter(response__hearing_id__in=list(reports))
    if published_only:
        attachments = attachments.filter(response__status=Status.PUBLISHED)
    counts = (
        attachments.exclude(text_status=TextStatus.EXTRACTED)
        .values("response__hearing_id", "text_status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in counts:
        report = reports[row["response__hearing_id"]]
        if row["text_status"] == TextStatus.PENDING:
            report.attachments_not_read += row["n"]
        else:
            report.attachments_failed += row["n"]
    terms_of_hearing = _terms_of_hearings(reports)
    values = (
        "pk", "response_id", "response__number", "response__hearing_id", "response__status", "publication",
        "original_name", "text",
    )  # fmt: skip
    for rows in _chunks(attachments.filter(text_status=TextStatus.EXTRACTED), values, chunk):
        for row in rows:
            report = reports[row["response__hearing_id"]]
            terms = terms_of_hearing.get(row["response__hearing_id"], ())
            found = [*finders.find(row["original_name"], terms), *finders.find(row["text"], terms)]
            report.attachments += 1
            report.kinds.update(f.kind for f in found)
            high = sum(1 for f in found if f.confidence == "high")
            report.low += len(found) - high
            if high:
                report.attachments_with_findings += 1
                if (
                    row["publication"] == ResponseAttachment.Publication.PUBLIC
                    and row["response__status"] == Status.PUBLISHED
                ):
                    report.attachments_public_with_findings += 1
                    report.public_attachments_in.append((row["response__number"], row["response_id"]))
    for report in reports.values():
        report.public_attachments_in = sorted(set(report.public_attachments_in))


def scan_existing(*, hearing_ids: Sequence[int] | None = None, published_only: bool = False,
                  now: dt.datetime | None = None, chunk: int = CHUNK,
                  attachment_chunk: int = ATTACHMENT_CHUNK) -> list[HearingReport]:  # fmt: skip
    """Scan the stored responses and attachments of the hearings ``hearing_ids`` (None: every hearing)
    and report per hearing, in id order (a hearing without responses gets a report of zeros).
    ``published_only``: only published responses and their attachments (what is public now).

    Saves each scanned response's Review (finders' version, counts; ``now`` its time, default now).
    Changes nothing else: no status, text or publication. A constant number of queries plus three per
    ``chunk`` responses and one per ``attachment_chunk`` read attachments."""
    now = now or timezone.now()
    hearings = Hearing.objects.select_related("strategy__municipality").order_by("pk")
    if hearing_ids is not None:
        hearings = hearings.filter(pk__in=hearing_ids)
    reports = {
        h.pk: HearingReport(hearing_id=h.pk, title=h.title, municipality=h.strategy.municipality.name)
        for h in hearings
    }
    if not reports:
        return []
    terms_of_hearing = _terms_of_hearings(reports)
    responses = Response.objects.filter(hearing_id__in=list(reports))
    if published_only:
        responses = responses.filter(status=Status.PUBLISHED)
    for scanned in scan_responses(responses, terms_of_hearing=terms_of_hearing, now=now, chunk=chunk):
        report = reports[scanned.hearing_id]
        report.responses += 1
        report.kinds.update(scanned.per_kind)
        report.low += scanned.low
        if scanned.high:
            report.high_by_status[scanned.status] += 1
            if scanned.cleared:
                report.cleared_by_status[scanned.status] += 1
    _scan_attachments(reports, published_only=published_only, chunk=attachment_chunk)
    return list(reports.values())


@dataclass(frozen=True)
class RescanResult:
    """One run of ``rescan_outdated``: ``scanned`` responses; ``high`` of them with a finding of high
    confidence, ``published_high`` of those published (and not gone through by a moderator); ``more``:
    responses are left for another run."""

    scanned: int
    high: int
    published_high: int
    more: bool


def outdated_responses() -> QuerySet[Response]:
    """The responses the current finders have not scanned: without a Review, or with one an older
    ``finders.VERSION`` made."""
    return Response.objects.filter(
        Q(guard_review__isnull=True) | ~Q(guard_review__finders_version=finders.VERSION)
    )


def rescan_outdated(*, limit: int = RESCAN_LIMIT, now: dt.datetime | None = None,
                    chunk: int = CHUNK) -> RescanResult:  # fmt: skip
    """Scan at most ``limit`` of ``outdated_responses()`` (oldest first), saving their Reviews. Changes
    nothing public: a published response with a new finding of high confidence stays published and shows
    in the moderation queue's filter "Personoplysninger" through its Review until a moderator acts."""
    now = now or timezone.now()
    terms_of_hearing = _terms_of_hearings(None)
    scanned = high = published_high = 0
    for one in scan_responses(outdated_responses(), terms_of_hearing=terms_of_hearing, now=now,
                              chunk=chunk, limit=limit):  # fmt: skip
        scanned += 1
        if one.high:
            high += 1
            published_high += one.status == Status.PUBLISHED and not one.cleared
    more = scanned >= limit and outdated_responses().exists()
    return RescanResult(scanned=scanned, high=high, published_high=published_high, more=more)
