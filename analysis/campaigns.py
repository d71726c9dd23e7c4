"""Campaigns ("enslydende høringssvar") and similar responses ("Lignende høringssvar"): the services that
compute and correct them, and what pages and the hearing summary read of them.

What is stored (analysis.models): per response a ``Signature`` (MinHash of its word shingles and of its
words, analysis.similarity, and its campaign), its LSH ``Band`` keys, and its ``Neighbour`` rows (at most
``NEIGHBOURS`` per response, both directions). A ``Campaign`` is a group of near-duplicate responses of one
hearing; its ``representative`` (the earliest member, by number) gives the shared text, shown once.
A response's signatures are made of its text and its attachments' extracted text
(``similarity.response_text``), so a form letter sent as an attachment joins its campaign once the
attachment has been read (the guard's ``attachment_text_read`` asks for the response to be analysed again).

- ``analyse_response``: one new or edited response, incrementally (a Celery task after commit).
- ``analyse_hearing``: a whole hearing from nothing, in batch.
- ``split_from_campaign`` / ``merge_campaigns``: staff's corrections, pinned so that no computation
  undoes them, and logged.
- ``campaign_overview`` / ``campaign_members`` / ``distinct_text_count``: reads, each in a constant number
  of queries.

Responses withdrawn or emptied (a deleted account's unpublished response) take no part: they leave their
campaign (a campaign left with one member is dissolved) and have no signature. Removing a hearing's
personal data keeps the texts, and so the campaigns.
"""

import datetime as dt
import itertools
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr
from django.utils import timezone
from django.utils.translation import gettext as _

from hearings import response_cache
from hearings.models import Hearing, Response, ResponseAttachment
from moderation.models import ModerationEvent
from moderation.services import record_event
from portal.queue import enqueue_on_commit

from . import similarity
from .models import Band, Campaign, Neighbour, Signature
from .permissions import may_analyse

if TYPE_CHECKING:
    from accounts.models import User

NEIGHBOURS = 10  # similar responses kept per response
NEIGHBOUR_FLOOR = 0.3  # least words Jaccard of a similar response
MAX_CANDIDATES = 1_000  # candidates compared for one response, those sharing the most bands first
_LOCK_NAMESPACE = 14_0001  # pg_advisory_xact_lock(namespace, hearing id): one analysis of a hearing at a time


def threshold() -> float:
    """The least estimated shingle Jaccard similarity of two members of a campaign (setting
    ``ANALYSIS_CAMPAIGN_THRESHOLD``, 0.25 by default)."""
    return float(settings.ANALYSIS_CAMPAIGN_THRESHOLD)


def attachment_texts(**filters: Any) -> dict[int, list[str]]:
    """{response id: its attachments' extracted texts (each cut at ``similarity.ATTACHMENT_TEXT_MAX``
    characters), in upload order} of the attachments matching ``filters`` (e.g. ``response_id=...`` or
    ``response__hearing_id=...``) whose text was read; one query."""
    found: dict[int, list[str]] = defaultdict(list)
    rows = (
        ResponseAttachment.objects.filter(text_status=ResponseAttachment.TextStatus.EXTRACTED, **filters)
        .exclude(text="")
        .order_by("response_id", "pk")
        .values_list("response_id", Substr("text", 1, similarity.ATTACHMENT_TEXT_MAX))
    )
    for response_id, text in rows.iterator(chunk_size=500):
        found[response_id].append(text)
    return found


def _takes_part(response: Response | Mapping[str, Any], normalised: str) -> bool:
    get = response.get if isinstance(response, Mapping) else lambda name: getattr(response, name)
    return bool(normalised and get("status") != Response.Status.WITHDRAWN)


def _lock_hearing(hearing_id: int) -> None:
    """Serialise the analyses of one hearing (a batch and the incremental tasks) until the transaction
    ends. SQLite (the demo) serialises every writing transaction anyway."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_LOCK_NAMESPACE, hearing_id])


def _band_rows(signature_id: int, hearing_id: int, shingles: np.ndarray, words: np.ndarray) -> list[Band]:
    rows = [
        Band(signature_id=signature_id, hearing_id=hearing_id, kind=kind, band=band, key=int(key))
        for kind, keys in (
            (Band.Kind.SHINGLES, similarity.band_keys(shingles, similarity.SHINGLES)),
            (Band.Kind.WORDS, similarity.band_keys(words, similarity.WORDS)),
        )
        for band, key in enumerate(keys)
    ]
    return rows


def _candidates(*, hearing_id: int, response_id: int, kind: int, keys: np.ndarray) -> list[int]:
    """The responses of the hearing that share a band key of ``kind`` with ``keys``, those sharing most
    first, at most ``MAX_CANDIDATES``."""
    match = Q()
    for band, key in enumerate(keys.tolist()):
        match |= Q(band=band, key=key)
    return list(
        Band.objects.filter(match, hearing_id=hearing_id, kind=kind)
        .exclude(signature_id=response_id)
        .values("signature_id")
        .annotate(shared=Count("pk"))
        .order_by("-shared", "signature_id")
        .values_list("signature_id", flat=True)[:MAX_CANDIDATES]
    )


MEDOID_SAMPLE = 200  # members a campaign's members are compared with to find its most typical text


def _medoid(members: Sequence[tuple[int, int, bytes | memoryview]]) -> int:
    """The response id of the most typical of a campaign's ``members`` ((response id, number, shingle
    signature) each): the one whose text is most like the others' (highest mean estimated Jaccard to up
    to MEDOID_SAMPLE members), the lowest number on a tie. So the shared text is the letter itself rather
    than the first sender's copy with their own sentence added. O(members × MEDOID_SAMPLE × num_perm)."""
    ordered = sorted(members, key=lambda member: member[1])
    matrix = np.stack([similarity.from_bytes(member[2]) for member in ordered])
    step = max(1, len(ordered) // MEDOID_SAMPLE)
    sample = matrix[::step][:MEDOID_SAMPLE]
    means = (matrix[:, None, :] == sample[None, :, :]).mean(axis=(1, 2))
    return ordered[int(np.argmax(means))][0]  # argmax takes the first (lowest number) of equal means


def _set_representative(campaign_ids: set[int]) -> None:
    """Each campaign's representative: its most typical member (``_medoid``). One query per campaign."""
    for campaign_id in campaign_ids:
        members = list(
            Signature.objects.filter(campaign_id=campaign_id).values_list(
                "response_id", "response__number", "shingles"
            )
        )
        if members:
            Campaign.objects.filter(pk=campaign_id).update(
                representative_id=_medoid(members), updated_at=timezone.now()
            )


def _leave(signature: Signature) -> int | None:
    """Take ``signature`` out of its campaign (saved); dissolve the campaign when one member is left,
    else give it a representative anew. Returns the campaign's id, or None if it was in none."""
    campaign_id = signature.campaign_id
    if campaign_id is None:
        return None
    signature.campaign = None
    signature.save(update_fields=["campaign"])
    remaining = Signature.objects.filter(campaign_id=campaign_id).count()
    if remaining <= 1:
        Signature.objects.filter(campaign_id=campaign_id).update(campaign=None)
        Campaign.objects.filter(pk=campaign_id).delete()
    else:
        _set_representative({campaign_id})
    return campaign_id


def _forget(response_id: int) -> bool:
    """A response that takes no part any more: out of its campaign, no signature, bands or similar
    responses. Returns whether anything was stored."""
    signature = Signature.objects.select_for_update().filter(response_id=response_id).first()
    Neighbour.objects.filter(Q(response_id=response_id) | Q(other_id=response_id)).delete()
    if signature is None:
        return False
    _leave(signature)
    signature.delete()
    return True


@transaction.atomic
def analyse_response(*, response_id: int) -> None:
    """Give one new or edited response its signatures, campaign and similar responses, against what is
    stored for the rest of its hearing (nothing else is recomputed). Idempotent: an unchanged text is
    not computed again. A response that takes no part (withdrawn, emptied)
    leaves its campaign. A pinned response keeps the campaign (or none) staff gave it. A missing
    response is ignored. About 11 queries, whatever the size of the hearing."""
    response = Response.objects.filter(pk=response_id).first()
    if response is None:
        return
    _lock_hearing(response.hearing_id)
    attached = attachment_texts(response_id=response_id).get(response_id, [])
    normalised = similarity.normalise(similarity.response_text(response.text, attached))
    if not _takes_part(response, normalised):
        if _forget(response_id):
            response_cache.bump([response.hearing_id])
        return
    text_hash = similarity.text_hash(normalised)
    signature = Signature.objects.select_for_update().filter(response_id=response_id).first()
    if signature is not None and signature.text_hash == text_hash:
        return
    shingles = similarity.minhashes([similarity.shingles(normalised)], similarity.SHINGLES)[0]
    words = similarity.minhashes([similarity.words(normalised)], similarity.WORDS)[0]
    changed: set[int] = set()
    if signature is None:
        signature = Signature(response=response, hearing_id=response.hearing_id)
    elif not signature.pinned and (left := _leave(signature)) is not None:
        changed.add(left)
    signature.text_hash = text_hash
    signature.shingles = similarity.to_bytes(shingles)
    signature.words = similarity.to_bytes(words)
    signature.computed_at = timezone.now()
    signature.save()
    Band.objects.filter(signature_id=response_id).delete()
    Band.objects.bulk_create(_band_rows(response_id, response.hearing_id, shingles, words))

    if not signature.pinned:
        joined = _join_campaign(signature, shingles)
        if joined is not None:
            changed.add(joined)
    _store_neighbours(response_id=response_id, hearing_id=response.hearing_id, words=words)
    if changed:
        response_cache.bump([response.hearing_id])


def _join_campaign(signature: Signature, shingles: np.ndarray) -> int | None:
    """Put an unpinned signature into the campaign of its most similar candidate at or above the
    threshold, or make a campaign of the two; returns the campaign's id, or None."""
    keys = similarity.band_keys(shingles, similarity.SHINGLES)
    ids = _candidates(
        hearing_id=signature.hearing_id, response_id=signature.response_id, kind=Band.Kind.SHINGLES, keys=keys
    )
    if not ids:
        return None
    rows = list(Signature.objects.filter(pk__in=ids).values_list("pk", "shingles", "campaign_id", "pinned"))
    matrix = np.stack([similarity.from_bytes(row[1]) for row in rows])
    scores = similarity.jaccard_many(shingles, matrix)
    for index in np.argsort(-scores, kind="stable").tolist():
        if scores[index] < threshold():
            return None
        other_id, _data, campaign_id, pinned = rows[index]
        if campaign_id is not None:
            signature.campaign_id = campaign_id
            signature.save(update_fields=["campaign"])
            _set_representative({campaign_id})
            return int(campaign_id)
        if not pinned:  # both unassigned: a new campaign of the two
            campaign = Campaign.objects.create(hearing_id=signature.hearing_id)
            Signature.objects.filter(pk__in=[other_id, signature.pk]).update(campaign=campaign)
            _set_representative({campaign.pk})
            return campaign.pk
        # a pinned response out of every campaign stays alone: try the next most similar
    return None


def _store_neighbours(*, response_id: int, hearing_id: int, words: np.ndarray) -> None:
    """This response's most similar responses, and it among theirs (each keeps at most ``NEIGHBOURS``)."""
    Neighbour.objects.filter(Q(response_id=response_id) | Q(other_id=response_id)).delete()
    keys = similarity.band_keys(words, similarity.WORDS)
    ids = _candidates(hearing_id=hearing_id, response_id=response_id, kind=Band.Kind.WORDS, keys=keys)
    if not ids:
        return
    rows = list(Signature.objects.filter(pk__in=ids).values_list("pk", "words"))
    scores = similarity.jaccard_many(words, np.stack([similarity.from_bytes(row[1]) for row in rows]))
    best = [
        (int(rows[i][0]), float(scores[i]))
        for i in np.argsort(-scores, kind="stable")[:NEIGHBOURS].tolist()
        if scores[i] >= NEIGHBOUR_FLOOR
    ]
    if not best:
        return
    theirs: dict[int, list[tuple[float, int]]] = defaultdict(list)
    for owner, other, value in Neighbour.objects.filter(response_id__in=[o for o, _s in best]).values_list(
        "response_id", "other_id", "similarity"
    ):
        theirs[owner].append((value, other))
    new = [Neighbour(response_id=response_id, other_id=other, similarity=value) for other, value in best]
    dropped: list[tuple[int, int]] = []
    for other, value in best:
        kept = theirs[other]
        if len(kept) >= NEIGHBOURS:
            weakest = min(kept)
            if weakest[0] >= value:
                continue
            dropped.append((other, weakest[1]))
        new.append(Neighbour(response_id=other, other_id=response_id, similarity=value))
    if dropped:
        match = Q()
        for owner, other in dropped:
            match |= Q(response_id=owner, other_id=other)
        Neighbour.objects.filter(match).delete()
    Neighbour.objects.bulk_create(new, ignore_conflicts=True)


# --- The whole hearing -------------------------------------------------------------------------------


def _copy_rows(table: str, columns: list[str], rows: Iterable[tuple[Any, ...]]) -> None:
    """Insert many rows, streamed: PostgreSQL's COPY (many times bulk_create's speed), else INSERTs in
    chunks (the demo's SQLite)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"  # noqa: S608 - our names
        iterator = iter(rows)
        while chunk := list(itertools.islice(iterator, 5_000)):
            cursor.executemany(sql, chunk)


@dataclass
class _Batch:
    """What analyse_hearing computed for the hearing's responses that take part (rows in number order)."""

    ids: list[int]
    hashes: list[str]
    shingles: np.ndarray
    words: np.ndarray


def compute_batch(responses: Sequence[Mapping[str, Any]]) -> _Batch:
    """The signatures of the responses that take part, from dicts with ``pk``, ``text``, ``status`` and
    optionally ``attachments`` (their attachments' read texts); the others are left out. Pure computation
    (no queries)."""
    ids: list[int] = []
    texts: list[str] = []
    for row in responses:
        normalised = similarity.normalise(similarity.response_text(row["text"], row.get("attachments", ())))
        if _takes_part(row, normalised):
            ids.append(row["pk"])
            texts.append(normalised)
    shingles, words = similarity.signatures(texts)
    return _Batch(
        ids=ids, hashes=[similarity.text_hash(text) for text in texts], shingles=shingles, words=words
    )


@transaction.atomic
def analyse_hearing(*, hearing_id: int) -> None:
    """Campaigns and similar responses of a whole hearing from nothing: every signature, band and
    similar response is made anew, and campaigns are regrouped (union–find over the candidate pairs at
    or above the threshold). Pinned responses stay where staff put them: a pinned member keeps its
    campaign (others may join it; two pinned campaigns are never joined), a response pinned out of
    every campaign stays out. A new group keeps the id of the old campaign most of its members were in,
    so links to campaign pages mostly survive. A missing hearing is ignored."""
    if not Hearing.objects.filter(pk=hearing_id).exists():
        return
    _lock_hearing(hearing_id)
    attached = attachment_texts(response__hearing_id=hearing_id)
    responses: list[dict[str, Any]] = [
        {**values, "attachments": attached.get(values["pk"], [])}
        for values in Response.objects.filter(hearing_id=hearing_id)
        .order_by("number")
        .values("pk", "text", "status")
    ]
    old = {
        pk: (campaign_id, pinned)
        for pk, campaign_id, pinned in Signature.objects.filter(hearing_id=hearing_id).values_list(
            "pk", "campaign_id", "pinned"
        )
    }
    batch = compute_batch(responses)
    tags = [
        (old[pk][0] or -1) if pk in old and old[pk][1] else -1
        for pk in batch.ids  # a pinned member: tagged with its campaign
    ]
    fixed = [pk in old and old[pk][1] and old[pk][0] is None for pk in batch.ids]
    labels = similarity.campaign_groups(batch.shingles, threshold(), tags=tags, fixed=fixed)
    rows, others, values = similarity.top_neighbours(batch.words, k=NEIGHBOURS, floor=NEIGHBOUR_FLOOR)

    members: dict[int, list[int]] = defaultdict(list)
    for row, label in enumerate(labels.tolist()):
        members[label].append(row)
    reserved = {tag for tag in tags if tag != -1}  # pinned campaigns: only their own group keeps them
    campaign_of_row: dict[int, int] = {}
    taken: set[int] = set()
    pending: list[list[int]] = []
    for group in members.values():
        tag = next((tags[row] for row in group if tags[row] != -1), -1)
        if tag == -1 and len(group) < 2:
            continue
        if tag == -1:  # the old campaign most members were in, if no other group took it
            votes = Counter(old[batch.ids[row]][0] for row in group if batch.ids[row] in old)
            tag = next((c for c, _n in votes.most_common() if c and c not in taken and c not in reserved), -1)
        if tag == -1:
            pending.append(group)
            continue
        taken.add(tag)
        campaign_of_row.update((row, tag) for row in group)
    made = Campaign.objects.bulk_create([Campaign(hearing_id=hearing_id) for _group in pending])
    for group, campaign in zip(pending, made, strict=True):
        campaign_of_row.update((row, campaign.pk) for row in group)
        taken.add(campaign.pk)

    Neighbour.objects.filter(response__hearing_id=hearing_id).delete()
    Signature.objects.filter(hearing_id=hearing_id).delete()  # with their bands
    now = timezone.now()
    _copy_rows(
        Signature._meta.db_table,
        [
            "response_id",
            "hearing_id",
            "text_hash",
            "shingles",
            "words",
            "campaign_id",
            "pinned",
            "computed_at",
        ],
        [
            (
                pk,
                hearing_id,
                batch.hashes[row],
                similarity.to_bytes(batch.shingles[row]),
                similarity.to_bytes(batch.words[row]),
                campaign_of_row.get(row),
                bool(pk in old and old[pk][1]),
                now,
            )  # fmt: skip
            for row, pk in enumerate(batch.ids)
        ],
    )
    ids = np.asarray(batch.ids, dtype=np.int64)
    _copy_rows(
        Band._meta.db_table,
        ["signature_id", "hearing_id", "kind", "band", "key"],
        _band_rows_of_batch(hearing_id, ids, batch),
    )
    _copy_rows(
        Neighbour._meta.db_table,
        ["response_id", "other_id", "similarity"],
        list(zip(ids[rows].tolist(), ids[others].tolist(), values.astype(float).tolist(), strict=True)),
    )
    Campaign.objects.filter(hearing_id=hearing_id).exclude(pk__in=taken).delete()
    if connection.vendor == "postgresql":  # fresh statistics, or the planner scans every band of the hearing
        with connection.cursor() as cursor:
            cursor.execute(
                f"ANALYZE {Band._meta.db_table}, {Signature._meta.db_table}, {Neighbour._meta.db_table}"
            )
    _set_representatives_of_hearing(hearing_id)
    response_cache.bump([hearing_id])


def _band_rows_of_batch(hearing_id: int, ids: np.ndarray, batch: _Batch) -> Iterable[tuple[int, ...]]:
    """Every band row of a batch, made as they are written (a few million for 100,000 responses)."""
    for kind, matrix, scheme in (
        (int(Band.Kind.SHINGLES), batch.shingles, similarity.SHINGLES),
        (int(Band.Kind.WORDS), batch.words, similarity.WORDS),
    ):
        for start in range(0, len(ids), 10_000):
            keys = similarity.band_keys(matrix[start : start + 10_000], scheme).tolist()
            for pk, row in zip(ids[start : start + 10_000].tolist(), keys, strict=True):
                for band, key in enumerate(row):
                    yield (pk, hearing_id, kind, band, key)


def _set_representatives_of_hearing(hearing_id: int) -> None:
    members: dict[int, list[tuple[int, int, bytes]]] = defaultdict(list)
    rows = Signature.objects.filter(hearing_id=hearing_id, campaign__isnull=False).values_list(
        "campaign_id", "response_id", "response__number", "shingles"
    )
    for campaign_id, response_id, number, shingles in rows.iterator(chunk_size=5000):
        members[campaign_id].append((response_id, number, bytes(shingles)))
    now = timezone.now()
    campaigns = [
        Campaign(pk=campaign_id, representative_id=_medoid(rows_of), updated_at=now)
        for campaign_id, rows_of in members.items()
    ]
    Campaign.objects.bulk_update(campaigns, ["representative", "updated_at"], batch_size=1000)


# --- Staff's corrections -------------------------------------------------------------------------------


def unanalysed_count(hearing: Hearing) -> int:
    """How many of the hearing's responses that take part (not withdrawn, not empty) have no signature
    yet: sent before the analysis existed, or still waiting for their task. One query."""
    return (
        Response.objects.filter(hearing=hearing, signature__isnull=True)
        .exclude(status=Response.Status.WITHDRAWN)
        .exclude(text="")
        .count()
    )


def request_analysis(*, hearing: Hearing, actor: "User") -> None:
    """Staff ask for the whole hearing to be analysed anew (``analyse_hearing``, in a task after the
    commit): for responses sent before the analysis existed, or after the threshold was changed. What
    staff pinned stays. Raises PermissionDenied unless ``may_analyse(actor, hearing)``."""
    _check(actor, hearing)
    # Local: analysis.tasks imports this module for the tasks' bodies (each needs the other).
    from .tasks import analyse_hearing as task

    enqueue_on_commit(task, hearing.pk)


def _check(actor: "User", hearing: Hearing) -> None:
    if not may_analyse(actor, hearing):
        raise PermissionDenied


@transaction.atomic
def split_from_campaign(*, response: Response, actor: "User", now: dt.datetime | None = None) -> None:
    """Staff take ``response`` out of its campaign: it is pinned out (no computation puts it back), the
    campaign is dissolved if one member is left, and the change is logged (CAMPAIGN_SPLIT).
    Raises PermissionDenied unless ``actor`` may analyse the hearing, ValidationError (Danish) if the
    response is in no campaign."""
    response = Response.objects.select_related("hearing__strategy").get(pk=response.pk)
    _check(actor, response.hearing)
    _lock_hearing(response.hearing_id)
    signature = Signature.objects.select_for_update().filter(response=response).first()
    if signature is None or signature.campaign_id is None:
        raise ValidationError(
            _("Høringssvar nr. %(number)s er ikke i en kampagne.") % {"number": response.number}
        )
    campaign_id = signature.campaign_id
    _leave(signature)
    signature.pinned = True
    signature.save(update_fields=["pinned"])
    record_event(
        action=ModerationEvent.Action.CAMPAIGN_SPLIT, response=response, hearing=response.hearing, actor=actor,
        details={"campaign": campaign_id}, now=now,
    )  # fmt: skip
    response_cache.bump([response.hearing_id])


@transaction.atomic
def merge_campaigns(
    *, campaign: Campaign, into: Campaign, actor: "User", now: dt.datetime | None = None
) -> Campaign:
    """Staff put every member of ``campaign`` into ``into``; ``campaign`` is deleted, every member of
    both is pinned (no computation parts them again), and the change is logged (CAMPAIGN_MERGED). Returns
    ``into`` with its representative anew. Raises PermissionDenied unless ``actor`` may analyse the
    hearing, ValidationError (Danish) for a campaign merged into itself or one of another hearing."""
    campaign = Campaign.objects.select_related("hearing__strategy").get(pk=campaign.pk)
    into = Campaign.objects.select_related("hearing__strategy").get(pk=into.pk)
    _check(actor, campaign.hearing)
    if into.pk == campaign.pk:
        raise ValidationError(_("En kampagne kan ikke lægges sammen med sig selv."))
    if into.hearing_id != campaign.hearing_id:
        raise ValidationError(_("Kampagnerne skal høre til samme høring."))
    _lock_hearing(campaign.hearing_id)
    moved = Signature.objects.filter(campaign=campaign).update(campaign=into, pinned=True)
    Signature.objects.filter(campaign=into).update(pinned=True)
    campaign_id = campaign.pk
    campaign.delete()
    _set_representative({into.pk})
    record_event(
        action=ModerationEvent.Action.CAMPAIGN_MERGED, hearing=into.hearing, actor=actor,
        details={"campaign": campaign_id, "into": into.pk, "moved": moved}, now=now,
    )  # fmt: skip
    response_cache.bump([into.hearing_id])
    into.refresh_from_db()
    return into


# --- Reads ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CampaignRow:
    """One campaign of ``campaign_overview``: ``size`` members; ``shared_text`` is its representative's
    text ("" if it has none, which only a campaign emptied in between can have)."""

    campaign: Campaign
    size: int
    representative: Response | None

    @property
    def shared_text(self) -> str:
        return self.representative.text if self.representative else ""


def campaigns_of(hearing: Hearing) -> "QuerySet[Campaign]":
    """The hearing's campaigns with ``size`` (members, annotated) and their representative (and its
    hearing) joined, largest first: one query."""
    return (
        Campaign.objects.filter(hearing=hearing)
        .select_related("representative")
        .annotate(size=Count("members"))
        .order_by("-size", "pk")
    )


def campaign_overview(hearing: Hearing) -> list[CampaignRow]:
    """Every campaign of ``hearing`` with its member count and shared text, largest first: one query."""
    return [
        CampaignRow(campaign=c, size=c.size, representative=c.representative)  # type: ignore[attr-defined]
        for c in campaigns_of(hearing)
    ]


def campaign_row(hearing: Hearing, campaign_id: int) -> CampaignRow | None:
    """One campaign of ``hearing`` as ``campaign_overview`` gives it, or None if it has no such campaign:
    one query."""
    campaign = campaigns_of(hearing).filter(pk=campaign_id).first()
    if campaign is None:
        return None
    return CampaignRow(campaign=campaign, size=campaign.size, representative=campaign.representative)  # type: ignore[attr-defined]


def campaign_members(campaign: Campaign) -> "QuerySet[Response]":
    """The responses of ``campaign`` in number order, with what their staff pages and the campaign page
    show (author, target); slice or paginate it (one query a page)."""
    return (
        Response.objects.filter(signature__campaign=campaign)
        .select_related("author", "target_section", "target_goal", "target_theme")
        .order_by("number")
    )


def campaign_of_responses(response_ids: list[int]) -> dict[int, int]:
    """{response id: campaign id} for those of ``response_ids`` that are in a campaign: one query (for
    exports and lists)."""
    return dict(
        Signature.objects.filter(response_id__in=response_ids, campaign__isnull=False).values_list(
            "response_id", "campaign_id"
        )
    )


def distinct_text_count(hearing: Hearing, responses: "QuerySet[Response] | None" = None) -> int:
    """How many distinct texts there were: the responses not in a campaign plus the number of campaigns
    they belong to. ``responses`` are those counted (default: the hearing's responses that are not
    withdrawn; the summary passes the published ones). One query."""
    if responses is None:
        responses = Response.objects.filter(hearing=hearing).exclude(status=Response.Status.WITHDRAWN)
    counts = responses.aggregate(
        alone=Count("pk", filter=Q(signature__campaign__isnull=True)),
        campaigns=Count("signature__campaign", distinct=True),
    )
    return int(counts["alone"]) + int(counts["campaigns"])


def neighbours(response: Response, *, limit: int = NEIGHBOURS) -> list[Neighbour]:
    """The responses most similar to ``response`` ("Lignende høringssvar"), most similar first: Neighbour
    rows with ``other`` read along and ``similarity`` the estimated words Jaccard (0–1). Withdrawn ones
    are left out (their rows go when their task runs). One query."""
    return list(
        Neighbour.objects.filter(response=response)
        .exclude(other__status=Response.Status.WITHDRAWN)
        .select_related("other")
        .order_by("-similarity", "other__number")[:limit]
    )
