"""Suggested topics ("Forslag til emner") for a hearing's responses that are not yet in a topic.

The engine (pure, no database): Danish words are lower-cased and cut out (letters only, æøå included),
stop words dropped, each word reduced to its stem by Snowball's Danish stemmer (PyStemmer), and each
response weighed as TF-IDF over the stems (sublinear term frequency). The vectors are reduced by LSA
(TruncatedSVD) and L2-normalised, and clustered by k-means; the number of clusters is the one with the
best silhouette on a sample, over a range (``_choose_k``). A response far from its cluster's centre, and
a cluster that is small or loose, is "no suggestion". Each cluster is named by its characteristic words:
the stems that weigh most in its centroid, each shown as the surface word the responses use most for it
("cykelsti · fortov · krydset").

Persistence: ``compute_suggestions`` replaces a hearing's open suggestions (a Celery task runs it,
``analysis.suggestion_tasks``); ``request_suggestions`` and ``note_response_changed`` ask for it;
``accept_suggestion`` and ``dismiss_suggestion`` are the staff's decisions. A suggestion publishes and
sends nothing: only a topic made from it is the administration's, and it is the staff's decision.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import Stemmer
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case, Count, F, Prefetch, QuerySet, TextField, Value, When
from django.db.models.functions import Greatest, Left
from django.utils import timezone
from django.utils.translation import gettext as _

from hearings.models import Hearing, Response
from moderation.models import ModerationEvent
from moderation.services import record_event
from portal.queue import enqueue_on_commit

from . import selectors, services
from .models import TOPIC_TITLE_MAX_LENGTH, Campaign, HearingAnalysis, Suggestion, Topic
from .permissions import may_analyse

if TYPE_CHECKING:
    from sklearn.cluster import KMeans, MiniBatchKMeans

if TYPE_CHECKING:
    from accounts.models import User

# --- The engine ----------------------------------------------------------------------------------------

# Snowball's Danish stop words (snowballstem.org, algorithms/danish/stop.txt), and the words that every
# hearing response uses whatever it is about (the hearing's own vocabulary and opinion words).
STOP_WORDS: frozenset[str] = frozenset(
    """
    og i jeg det at en den til er som på de med han af for ikke der var mig sig men et har om vi min
    havde ham hun nu over da fra du ud sin dem os op man hans hvor eller hvad skal selv her alle vil blev
    kunne ind når være dog noget ville jo deres efter ned skulle denne end dette mit også under have dig
    anden hende mine alt meget sit sine vor mod disse hvis din nogle hos blive mange ad bliver hendes
    været thi jer sådan
    kan bør må få får så ja nej ved hele mere mest mindre flere nogen ingen andre anden andet kun lige
    helt godt god gode bedre bedst stor store lille små nye ny gamle gammel rigtig gerne vores jeres
    hinanden mener synes håber ønsker tror vigtigt vigtig især derfor fordi samt både enten
    kommunen kommune kommunens byen borgerne borgere strategien forslaget høringen høringssvar
    høringssvaret tak venlig hilsen mvh
    """.split()  # noqa: SIM905 - a list of 150 strings reads worse
)
# A letter (æøå and every other letter included), then letters or digits: "co2" is a word, "2030" not.
_WORD = re.compile(r"[^\W\d_][^\W_]+")

MIN_DOCUMENTS = 8  # fewer (distinct) texts than this: no suggestions
MAX_K = 30  # at most this many clusters are tried
SAMPLE_SIZE = 2_000  # documents on which the number of clusters is chosen
PATIENCE = 6  # k tried past the best one before the search stops
SAMPLE_INITS = 4  # k-means runs per k on the sample (fewer: a bad start splits one topic and merges two)
INITS = 4  # k-means runs of the final clustering
SVD_COMPONENTS = 100  # dimensions of the LSA space
MINI_BATCH_ABOVE = 5_000  # more documents than this: MiniBatchKMeans
MIN_MEMBER_SIMILARITY = 0.30  # a document closer than this (cosine) to its centroid is left out
MIN_CLUSTER_COHESION = 0.45  # mean cosine of the members to their centroid, in LSA space
FOCUS_TERMS = 10  # a cluster's focus: the share of its centroid's weight on its FOCUS_TERMS heaviest stems
MIN_RELATIVE_FOCUS = 0.5  # a cluster less than half as focused as the median cluster is a miscellany
MIN_DF_SHARE = 0.001  # a stem in fewer documents than this share (and than 2) is noise
MAX_DF = 0.9  # a stem in more than this share of the documents says nothing (measured: see _vectorise)
TERMS_PER_SUGGESTION = 8  # stored per suggestion (for matching a dismissed one)
TERMS_IN_LABEL = 3  # shown in its name


def min_cluster_size(n: int) -> int:
    """The fewest documents a suggestion needs among ``n``: 3, or 0.5 % of them when that is more."""
    return max(3, math.ceil(n * 0.005))


_stemmer = Stemmer.Stemmer("danish")


def words(text: str) -> list[str]:
    """The words of ``text`` that count, lower-cased: two or more letters or digits beginning with a
    letter, stop words left out."""
    return [w for w in _WORD.findall(text.lower()) if w not in STOP_WORDS]


class _Analyser:
    """Text → stems, for TfidfVectorizer; remembers each stem's surface words and how often they occur
    (for naming clusters), and stems every distinct word once."""

    def __init__(self) -> None:
        self.stem_of: dict[str, str] = {}
        self.surface: dict[str, Counter[str]] = {}

    def __call__(self, text: str) -> list[str]:
        stems = []
        for word in words(text):
            stem = self.stem_of.get(word)
            if stem is None:
                stem = self.stem_of[word] = _stemmer.stemWord(word)
                self.surface[stem] = Counter()
            self.surface[stem][word] += 1
            stems.append(stem)
        return stems

    def shown(self, stem: str) -> str:
        """The surface word most used for ``stem`` (the first of the alphabet on a tie)."""
        counts = self.surface[stem]
        return min(counts, key=lambda w: (-counts[w], w))


def stems(text: str) -> list[str]:
    """The stems of ``text``'s words (``words``), in order."""
    return [str(s) for s in _stemmer.stemWords(words(text))]


@dataclass(frozen=True)
class Cluster:
    """A suggested topic: ``members`` are indices into the texts given to ``cluster_texts``; ``terms`` its
    characteristic words (surface words, most characteristic first), ``stems`` their stems;
    ``cohesion`` the members' mean cosine similarity to the centroid (0–1); ``focus`` the share (0–1) of
    the centroid's TF-IDF weight on its FOCUS_TERMS heaviest stems."""

    members: tuple[int, ...]
    terms: tuple[str, ...]
    stems: tuple[str, ...]
    cohesion: float
    focus: float

    @property
    def label(self) -> str:
        """Its name: its first characteristic words, "cykelsti · fortov · krydset"."""
        return " · ".join(self.terms[:TERMS_IN_LABEL])


@dataclass
class EngineReport:
    """What one run decided, for the benchmark: documents, vocabulary, the k tried and their silhouette."""

    documents: int = 0
    vocabulary: int = 0
    k: int = 0
    silhouettes: dict[int, float] = field(default_factory=dict)
    dropped_clusters: int = 0
    unassigned: int = 0


def _vectorise(texts: Sequence[str]) -> tuple[Any, list[str], _Analyser]:
    """TF-IDF over stems: sublinear tf; a stem in fewer than 2 documents (or MIN_DF_SHARE of a large
    hearing) is noise, one in more than MAX_DF of them says nothing about a topic. MAX_DF 0.9 rather than
    0.5: on the bench corpus both give the same clusters (ARI 1.0 at 600), but when one topic is raised by
    60 % of a hearing's responses, 0.5 drops that topic's own words and finds 1 cluster of 12 (0.7 and
    0.9: 11 of 12); the stop words already take out the words every response uses."""
    from sklearn.feature_extraction.text import TfidfVectorizer  # scikit-learn: see _cluster_texts

    analyser = _Analyser()
    n = len(texts)
    vectorizer = TfidfVectorizer(
        analyzer=analyser,
        sublinear_tf=True,
        min_df=max(2, int(n * MIN_DF_SHARE)),
        max_df=MAX_DF,
        dtype=np.float32,
    )
    matrix = vectorizer.fit_transform(texts)
    return matrix, [str(s) for s in vectorizer.get_feature_names_out()], analyser


def _kmeans(k: int, n: int, seed: int) -> KMeans | MiniBatchKMeans:
    from sklearn.cluster import KMeans, MiniBatchKMeans  # scikit-learn: see _cluster_texts

    if n > MINI_BATCH_ABOVE:
        return MiniBatchKMeans(n_clusters=k, random_state=seed, n_init=INITS, batch_size=2048)
    return KMeans(n_clusters=k, random_state=seed, n_init=INITS)


def _choose_k(points: Any, seed: int, report: EngineReport) -> int:
    """The number of clusters with the best silhouette (cosine) on a sample of at most SAMPLE_SIZE
    points, over 2 … min(MAX_K, n / 4). Silhouette prefers a k whose clusters are both tight and apart;
    a planted topic split in two, or two merged, both score lower than the planted number. The search
    stops once PATIENCE k in a row past the best did not beat it (on the bench corpus the curve rises to
    the planted 12–13 and falls after). The sample's distances are computed once."""
    from sklearn.cluster import KMeans  # scikit-learn: see _cluster_texts
    from sklearn.metrics import silhouette_score

    n = points.shape[0]
    rng = np.random.default_rng(seed)
    sample = points if n <= SAMPLE_SIZE else points[rng.choice(n, SAMPLE_SIZE, replace=False)]
    distances = np.clip(1.0 - sample @ sample.T, 0.0, 2.0)
    np.fill_diagonal(distances, 0.0)
    best_k, best = 2, -1.0
    for k in range(2, max(2, min(MAX_K, sample.shape[0] // 4)) + 1):
        if k - best_k > PATIENCE:
            break
        labels = KMeans(n_clusters=k, random_state=seed, n_init=SAMPLE_INITS).fit_predict(sample)
        if len(set(labels.tolist())) < 2:
            continue
        score = float(silhouette_score(distances, labels, metric="precomputed"))
        report.silhouettes[k] = round(score, 4)
        if score > best:
            best_k, best = k, score
    return best_k


def cluster_texts(
    texts: Sequence[str], *, seed: int = 0, report: EngineReport | None = None
) -> list[Cluster]:
    """Cluster ``texts`` into suggested topics; texts left out of every cluster get no suggestion.

    Returns the clusters, largest first, each with members as indices into ``texts``. Deterministic for
    ``seed``. Fewer than MIN_DOCUMENTS texts, or texts with too few shared words, give no cluster. Time
    and memory grow about linearly with the number of texts (the number of clusters is chosen on a
    sample; MiniBatchKMeans above MINI_BATCH_ABOVE texts). Runs on one thread (BLAS and OpenMP limited
    to 1): a worker shares the machine's cores with the web processes, and on a busy 2-core machine
    scikit-learn's spinning OpenMP threads made it 6 to 10 times slower than one thread."""
    from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]  # scikit-learn's dependency

    with threadpool_limits(limits=1):
        return _cluster_texts(texts, seed=seed, report=report if report is not None else EngineReport())


def _cluster_texts(texts: Sequence[str], *, seed: int, report: EngineReport) -> list[Cluster]:
    # scikit-learn is imported where suggestions are computed, not when the portal starts: it takes about
    # a second and 60 MiB, and only a worker computing suggestions needs it (tests/portal/test_startup.py).
    from sklearn.decomposition import TruncatedSVD
    from sklearn.preprocessing import normalize

    n = len(texts)
    report.documents = n
    if n < MIN_DOCUMENTS:
        return []
    try:
        matrix, features, analyser = _vectorise(texts)
    except ValueError:  # no stem in two documents: nothing shared to suggest a topic from
        return []
    report.vocabulary = len(features)
    components = min(SVD_COMPONENTS, len(features) - 1, n - 1)
    if components < 2:
        return []
    svd = TruncatedSVD(n_components=components, random_state=seed, algorithm="randomized", n_iter=5)
    points = normalize(svd.fit_transform(matrix))
    nonempty = np.asarray(matrix.getnnz(axis=1) > 0)
    k = _choose_k(points[nonempty], seed, report)
    report.k = k
    model = _kmeans(k, n, seed).fit(points[nonempty])
    labels = np.full(n, -1)
    labels[nonempty] = model.labels_
    centres = normalize(model.cluster_centers_)
    similarity = np.zeros(n, dtype=np.float32)
    similarity[nonempty] = np.einsum("ij,ij->i", points[nonempty], centres[model.labels_])
    smallest = min_cluster_size(n)
    candidates: list[tuple[np.ndarray[Any, Any], float, np.ndarray[Any, Any], float]] = []
    for c in range(k):
        in_cluster = labels == c
        kept = np.flatnonzero(in_cluster & (similarity >= MIN_MEMBER_SIMILARITY))
        cohesion = float(similarity[in_cluster].mean()) if in_cluster.any() else 0.0
        if len(kept) < smallest or cohesion < MIN_CLUSTER_COHESION:
            report.dropped_clusters += 1
            continue
        centroid = np.asarray(matrix[kept].mean(axis=0)).ravel()
        heaviest = np.sort(centroid)[::-1][:FOCUS_TERMS].sum()
        candidates.append((kept, cohesion, centroid, float(heaviest / centroid.sum())))
    # A group of responses that share only everyday words spreads its weight over many of them; a topic
    # puts it on a few. Relative to the median cluster, so that short or long texts do not matter.
    median_focus = float(np.median([focus for *_rest, focus in candidates])) if len(candidates) >= 3 else 0.0
    clusters: list[Cluster] = []
    for kept, cohesion, centroid, focus in candidates:
        if focus < MIN_RELATIVE_FOCUS * median_focus:
            report.dropped_clusters += 1
            continue
        top = np.argsort(-centroid, kind="stable")[:TERMS_PER_SUGGESTION]
        top_stems = tuple(features[i] for i in top if centroid[i] > 0)
        clusters.append(
            Cluster(
                members=tuple(int(i) for i in kept),
                terms=tuple(analyser.shown(s) for s in top_stems),
                stems=top_stems,
                cohesion=round(cohesion, 4),
                focus=round(focus, 4),
            )
        )
    report.unassigned = n - sum(len(c.members) for c in clusters)
    clusters.sort(key=lambda c: (-len(c.members), c.members[0]))
    return clusters


# --- Persistence ---------------------------------------------------------------------------------------

BATCH_CHANGES = 25  # changed responses that ask for new suggestions, or …
BATCH_SHARE = 0.10  # … this share of the hearing's responses, whichever is larger
REQUEST_PENDING_FOR = dt.timedelta(minutes=10)  # a request younger than this is not sent again
DISMISSED_OVERLAP = 0.5  # a cluster sharing this share of its stems with a dismissed suggestion is not made


@dataclass(frozen=True)
class _Document:
    text: str
    response_ids: tuple[int, ...]


def _free_responses(hearing_id: int) -> QuerySet[Response]:
    """The hearing's responses that may be suggested: those the Analyse page lists as without a topic
    (``analysis.selectors.unassigned_responses``: not withdrawn, rejected or hidden, in no topic)."""
    return selectors.unassigned_responses(hearing_id)


def _documents(hearing_id: int) -> list[_Document]:
    """One document per response not in a campaign, and one per campaign (its representative's text,
    or its first member's while it has none) standing for all its members that may be suggested. Two
    or three queries; the texts of campaign members are not read."""
    rows = (
        _free_responses(hearing_id)
        .order_by("number")
        .values_list(
            "pk",
            "signature__campaign_id",
            Case(
                When(signature__campaign__isnull=True, then="text"),
                default=Value(""),
                output_field=TextField(),
            ),
        )
    )
    documents: list[_Document] = []
    members: dict[int, list[int]] = {}
    for pk, campaign_id, text in rows:
        if campaign_id is None:
            documents.append(_Document(text, (pk,)))
        else:
            members.setdefault(campaign_id, []).append(pk)
    if members:
        shared = dict(
            Campaign.objects.filter(pk__in=members, representative__isnull=False).values_list(
                "pk", "representative__text"
            )
        )
        missing = {members[c][0]: c for c in members if c not in shared}
        for pk, text in Response.objects.filter(pk__in=missing).values_list("pk", "text"):
            shared[missing[pk]] = text
        documents.extend(_Document(shared[c], tuple(ids)) for c, ids in members.items())
    return documents


def _stem_set(terms: Iterable[Any]) -> set[str]:
    return {str(_stemmer.stemWord(str(term).lower())) for term in terms}


def _like_dismissed(stems_: set[str], dismissed: list[set[str]]) -> bool:
    return any(
        d and stems_ and len(stems_ & d) / min(len(stems_), len(d)) >= DISMISSED_OVERLAP for d in dismissed
    )


def compute_suggestions(*, hearing_id: int, now: dt.datetime | None = None) -> int:
    """Replace the hearing's open suggestions with new ones over its responses without a topic
    (``_free_responses``); returns the number of open suggestions made. Accepted and dismissed suggestions stay; a
    cluster whose characteristic words are mostly those of a dismissed suggestion (DISMISSED_OVERLAP) is
    not suggested again. A campaign counts as one text (its representative's), and all its members that
    are free go with it. The clustering runs outside any transaction; the write is one transaction, which
    leaves out responses that joined a topic meanwhile. Records ``suggestions_computed_at`` and takes the
    changes seen so far off ``changes_since_suggestions``. For a Celery task: never call it in a request.
    A hearing that does not exist: 0."""
    if not Hearing.objects.filter(pk=hearing_id).exists():
        return 0
    analysis, _created = HearingAnalysis.objects.get_or_create(hearing_id=hearing_id)
    changes_seen = analysis.changes_since_suggestions
    documents = _documents(hearing_id)
    clusters = cluster_texts([d.text for d in documents])
    with transaction.atomic():
        HearingAnalysis.objects.select_for_update().get(pk=hearing_id)
        now = now or timezone.now()
        free = set(_free_responses(hearing_id).values_list("pk", flat=True))
        dismissed = [
            _stem_set(terms)
            for terms in Suggestion.objects.filter(
                hearing_id=hearing_id, status=Suggestion.Status.DISMISSED
            ).values_list("terms", flat=True)
        ]
        Suggestion.objects.filter(hearing_id=hearing_id, status=Suggestion.Status.OPEN).delete()
        made: list[tuple[Suggestion, list[int]]] = []
        for cluster in clusters:
            if _like_dismissed(set(cluster.stems), dismissed):
                continue
            ids = sorted(pk for d in cluster.members for pk in documents[d].response_ids if pk in free)
            if not ids:
                continue
            suggestion = Suggestion(
                hearing_id=hearing_id,
                label=cluster.label[:TOPIC_TITLE_MAX_LENGTH],
                terms=list(cluster.terms),
                created_at=now,
            )
            made.append((suggestion, ids))
        Suggestion.objects.bulk_create([s for s, _ids in made])
        through = Suggestion.responses.through
        through.objects.bulk_create(
            [through(suggestion_id=s.pk, response_id=pk) for s, ids in made for pk in ids], batch_size=5000
        )
        HearingAnalysis.objects.filter(pk=hearing_id).update(
            suggestions_computed_at=now,
            changes_since_suggestions=Greatest(F("changes_since_suggestions") - changes_seen, 0),
        )
    return len(made)


def _pending(analysis: HearingAnalysis, now: dt.datetime) -> bool:
    requested, computed = analysis.suggestions_requested_at, analysis.suggestions_computed_at
    return (
        requested is not None
        and (computed is None or computed < requested)
        and requested > now - REQUEST_PENDING_FOR
    )


def _enqueue(hearing_id: int) -> None:
    # Local: analysis.suggestion_tasks imports this module for the task's body (each needs the other).
    from .suggestion_tasks import compute_suggestions as task

    enqueue_on_commit(task, hearing_id)


@transaction.atomic
def request_suggestions(*, hearing: Hearing, actor: User, now: dt.datetime | None = None) -> None:
    """Staff ask for the hearing's suggestions to be computed anew: ``suggestions_requested_at`` is set
    and the task is enqueued after the commit (not again while a request of the last REQUEST_PENDING_FOR
    is still being computed). Raises PermissionDenied unless ``may_analyse(actor, hearing)``."""
    if not may_analyse(actor, hearing):
        raise PermissionDenied
    now = now or timezone.now()
    HearingAnalysis.objects.get_or_create(hearing_id=hearing.pk)
    analysis = HearingAnalysis.objects.select_for_update().get(pk=hearing.pk)
    if _pending(analysis, now):
        return
    analysis.suggestions_requested_at = now
    analysis.save(update_fields=["suggestions_requested_at"])
    _enqueue(hearing.pk)


def batch_size(responses: int) -> int:
    """How many changed responses ask for new suggestions in a hearing of ``responses``: BATCH_CHANGES
    (25), or BATCH_SHARE (10 %) of the responses when that is more. So a small hearing is recomputed
    after a handful of new responses have come together, and a large one is not recomputed for every
    25 of 100,000."""
    return max(BATCH_CHANGES, math.ceil(responses * BATCH_SHARE))


@transaction.atomic
def note_response_changed(*, hearing_id: int, now: dt.datetime | None = None) -> None:
    """A response of the hearing was submitted, edited, withdrawn or put in or out of a topic: count the
    change, and once ``batch_size`` changes have gathered since the last computation, ask for new
    suggestions (the task is enqueued after the commit). Cheap: two short queries and a row lock."""
    now = now or timezone.now()
    HearingAnalysis.objects.get_or_create(hearing_id=hearing_id)
    analysis = HearingAnalysis.objects.select_for_update().get(pk=hearing_id)
    analysis.changes_since_suggestions += 1
    fields = ["changes_since_suggestions"]
    total = Response.objects.filter(hearing_id=hearing_id).exclude(status=Response.Status.WITHDRAWN).count()
    if analysis.changes_since_suggestions >= batch_size(total) and not _pending(analysis, now):
        analysis.suggestions_requested_at = now
        fields.append("suggestions_requested_at")
        _enqueue(hearing_id)
    analysis.save(update_fields=fields)


# --- The staff's decisions -----------------------------------------------------------------------------


def suggested_title(suggestion: Suggestion) -> str:
    """The title offered for a topic made from ``suggestion``: its words, the first one capitalised."""
    label: str = suggestion.label
    return label[:1].upper() + label[1:]


def _locked(suggestion: Suggestion, actor: User) -> Suggestion:
    """The suggestion read again under a row lock; PermissionDenied unless the actor may analyse its
    hearing; a ValidationError in Danish when it was decided already (by another moderator, or by the
    same form sent twice)."""
    locked = (
        Suggestion.objects.select_for_update(of=("self",))
        .select_related("hearing__strategy")
        .get(pk=suggestion.pk)
    )
    if not may_analyse(actor, locked.hearing):
        raise PermissionDenied
    if locked.status == Suggestion.Status.ACCEPTED:
        raise ValidationError(_("Forslaget er allerede godtaget; emnet findes."), code="decided")
    if locked.status == Suggestion.Status.DISMISSED:
        raise ValidationError(_("Forslaget er allerede afvist."), code="decided")
    return locked


def _make_topic(
    *, hearing: Hearing, actor: User, title: str, response_ids: list[int], now: dt.datetime
) -> Topic:
    topic = services.create_topic(hearing=hearing, actor=actor, title=title, now=now)
    services.link_responses(
        topic=topic, actor=actor, responses=Response.objects.filter(pk__in=response_ids), now=now
    )
    return topic


@transaction.atomic
def accept_suggestion(
    *, suggestion: Suggestion, actor: User, title: str | None = None, now: dt.datetime | None = None
) -> Topic:
    """Make a topic of ``suggestion``: titled ``title`` (its words when None), with its responses that are
    still free (``_free_responses``: those that joined a topic meanwhile are skipped). The suggestion
    becomes accepted and points at the topic; the audit log gets the topic, each response linked and the
    acceptance. Publishes and sends nothing.

    Raises PermissionDenied unless ``may_analyse(actor, hearing)`` (another municipality's suggestion
    included); ValidationError in Danish when the suggestion was accepted or dismissed already (code
    ``decided``), when none of its responses is free any more, or on ``title`` (empty, too long, or a
    topic's title already: ``analysis.services.create_topic``'s rules)."""
    now = now or timezone.now()
    suggestion = _locked(suggestion, actor)
    hearing = suggestion.hearing
    title = suggested_title(suggestion) if title is None else title
    response_ids = list(
        _free_responses(hearing.pk)
        .filter(pk__in=suggestion.responses.values("pk"))
        .order_by("number")
        .values_list("pk", flat=True)
    )
    if not response_ids:
        raise ValidationError(
            _("Alle høringssvar i forslaget er kommet i et emne i mellemtiden. Beregn forslagene igen."),
            code="empty",
        )
    topic = _make_topic(hearing=hearing, actor=actor, title=title, response_ids=response_ids, now=now)
    suggestion.status = Suggestion.Status.ACCEPTED
    suggestion.topic = topic
    suggestion.save(update_fields=["status", "topic"])
    record_event(
        action=ModerationEvent.Action.SUGGESTION_ACCEPTED, hearing=hearing, actor=actor, now=now,
        details={"suggestion": suggestion.pk, "label": suggestion.label, "topic": topic.pk,
                 "responses": len(response_ids)},
    )  # fmt: skip
    return topic


@transaction.atomic
def dismiss_suggestion(*, suggestion: Suggestion, actor: User, now: dt.datetime | None = None) -> None:
    """Dismiss ``suggestion``: it is no longer shown, and a cluster of mostly the same words is not
    suggested again. Audit-logged. Raises PermissionDenied unless ``may_analyse(actor, hearing)``;
    ValidationError in Danish when it was accepted or dismissed already (code ``decided``)."""
    now = now or timezone.now()
    suggestion = _locked(suggestion, actor)
    suggestion.status = Suggestion.Status.DISMISSED
    suggestion.save(update_fields=["status"])
    record_event(
        action=ModerationEvent.Action.SUGGESTION_DISMISSED, hearing=suggestion.hearing, actor=actor, now=now,
        details={"suggestion": suggestion.pk, "label": suggestion.label},
    )  # fmt: skip


# --- The page's reads ----------------------------------------------------------------------------------

FIRST_RESPONSES = 5  # responses shown under each suggestion
OPENING_CHARACTERS = 300  # of each shown response's text


def open_suggestions(*, hearing: Hearing) -> list[Suggestion]:
    """The hearing's open suggestions, largest first, each with ``response_count`` and ``first``: its
    FIRST_RESPONSES responses of the lowest numbers (``pk``, ``number``, ``opening``: the first
    OPENING_CHARACTERS characters of the text). Two queries, whatever the number of responses."""
    first = (
        Response.objects.order_by("number")
        .only("pk", "number")
        .annotate(opening=Left("text", OPENING_CHARACTERS))
    )
    return list(
        Suggestion.objects.filter(hearing=hearing, status=Suggestion.Status.OPEN)
        .annotate(response_count=Count("responses"))
        .order_by("-response_count", "pk")
        .prefetch_related(Prefetch("responses", queryset=first[:FIRST_RESPONSES], to_attr="first"))
    )


def analysis_state(*, hearing: Hearing) -> HearingAnalysis:
    """The hearing's HearingAnalysis (unsaved and empty while it has none). One query."""
    return HearingAnalysis.objects.filter(pk=hearing.pk).first() or HearingAnalysis(hearing=hearing)


def is_pending(analysis: HearingAnalysis) -> bool:
    """Whether suggestions were asked for and are not computed yet (shown as "beregnes …")."""
    requested, computed = analysis.suggestions_requested_at, analysis.suggestions_computed_at
    return requested is not None and (computed is None or computed < requested)
