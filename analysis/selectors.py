"""Reads for the analysis' staff pages: the Analyse hub of a hearing, a topic's page, the panel of a
response's staff page and the queue's topic choice. Each reads in a fixed number of queries, whatever the
size of the hearing.

"Behandlet" (processed) is the rule of ``analysis.services``: a response that is not withdrawn is processed
once it is in at least one topic or has a remark of its own. Withdrawn responses count nowhere here."""

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.paginator import Paginator
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from hearings.models import Hearing, Response
from hearings.selectors import target_choices as response_target_choices
from hearings.selectors import target_object
from hearings.targets import TargetKey
from moderation.models import ModerationEvent, Remark
from strategies.models import Goal, Section, Theme

from . import campaigns
from .models import Campaign, Neighbour, Signature, Suggestion, Topic, TopicResponse
from .permissions import may_analyse

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User

UNASSIGNED_PAGE_SIZE = 25
TOPIC_PAGE_SIZE = 50
NEIGHBOURS_SHOWN = 5

Target = Section | Goal | Theme


# Withdrawn, rejected and hidden responses are not part of what the hearing answered: no topic needs them.
NOT_COUNTED = (Response.Status.WITHDRAWN, Response.Status.REJECTED, Response.Status.HIDDEN)


def counted_responses(hearing: Hearing | int) -> QuerySet[Response]:
    """The responses that count (of a hearing or a hearing's id): published ones and those waiting for
    moderation (``NOT_COUNTED`` not)."""
    return Response.objects.filter(hearing=hearing).exclude(status__in=NOT_COUNTED)


def unassigned_responses(hearing: Hearing | int) -> QuerySet[Response]:
    """The counted responses in no topic: what is left to do, and what topics are suggested for."""
    return counted_responses(hearing).filter(~_in_a_topic())


def _in_a_topic() -> Exists:
    return Exists(TopicResponse.objects.filter(response=OuterRef("pk")))


def ordered_topics(*, hearing: Hearing) -> QuerySet[Topic]:
    """The hearing's topics in the order of the strategy's parts: by section number; within a section the
    section itself, then its goals (a headline goal before its bullet goals), then its themes; then by
    the topics' own order. Topics without a part come last. Each with ``response_count`` (responses
    that are not withdrawn) and its target read along (one query)."""
    return (
        Topic.objects.filter(hearing=hearing)
        .select_related("target_section", "target_goal__section", "target_theme__section")
        .annotate(
            response_count=Count(
                "links", filter=~Q(links__response__status=Response.Status.WITHDRAWN), distinct=True
            ),
            section_number=Coalesce(
                "target_section__number", "target_goal__section__number", "target_theme__section__number"
            ),
            part_kind=Case(
                When(target_theme__isnull=False, then=Value(2)),
                When(target_goal__isnull=False, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            ),
            goal_position=Coalesce("target_goal__parent__position", "target_goal__position"),
            goal_sub_position=Case(
                When(target_goal__parent__isnull=True, then=Value(0)),
                default=F("target_goal__position") + 1,
                output_field=IntegerField(),
            ),
        )
        .order_by(
            F("section_number").asc(nulls_last=True),
            "part_kind",
            F("goal_position").asc(nulls_first=True),
            "goal_sub_position",
            F("target_theme__position").asc(nulls_first=True),
            "position",
            "pk",
        )
    )


def part_label(*, hearing: Hearing, target: Target | None) -> str:
    """ "Delvision 5", "Delvision 5 · målsætning: …", "" for none: a topic's part of the strategy, in words
    (no query when the target's section was read along)."""
    if target is None:
        return ""
    word = hearing.strategy.section_label_singular
    if isinstance(target, Section):
        return f"{Section.label_of(word, target.number)}: {target.title}"
    return f"{Section.label_of(word, target.section.number)} · {target}"


def analysis_overview(*, hearing: Hearing, page: int | str = 1) -> dict[str, Any]:
    """What the Analyse hub shows of ``hearing`` (read with its strategy), in five queries whatever its size:

    - ``progress``: ``{"total", "processed", "without_topic", "percent"}`` over the responses that count
      (``counted_responses``: not withdrawn, rejected or hidden; ``percent`` an int 0–100);
    - ``topics``: the topics in the strategy's order (``ordered_topics``), each with ``response_count``
      and ``part`` (its part's label, "" for none);
    - ``campaigns``: ``{"count", "responses", "distinct_texts"}``: campaigns with a counted member, the
      counted responses in one, and distinct texts (responses in no campaign, plus one per campaign);
    - ``open_suggestions``: the number of suggested topics still open;
    - ``unassigned``: a page (``UNASSIGNED_PAGE_SIZE``) of the counted responses in no topic, by number.
    """
    counted = counted_responses(hearing)
    in_campaign = Exists(Signature.objects.filter(response=OuterRef("pk"), campaign__isnull=False))
    has_remark = Exists(Remark.objects.filter(response=OuterRef("pk")))
    counts = counted.aggregate(
        total=Count("pk"),
        in_topic=Count("pk", filter=Q(_in_a_topic())),
        processed=Count("pk", filter=Q(_in_a_topic()) | Q(has_remark)),
        in_campaigns=Count("pk", filter=Q(in_campaign)),
        campaigns=Count("signature__campaign", distinct=True),
    )
    total: int = counts["total"]
    topics = list(ordered_topics(hearing=hearing))
    for topic in topics:
        topic.part = part_label(hearing=hearing, target=topic.target)  # type: ignore[attr-defined]
    unassigned = unassigned_responses(hearing).order_by("number")
    return {
        "progress": {
            "total": total,
            "processed": counts["processed"],
            "without_topic": total - counts["in_topic"],
            "percent": round(100 * counts["processed"] / total) if total else 0,
        },
        "topics": topics,
        "campaigns": {
            "count": counts["campaigns"],
            "responses": counts["in_campaigns"],
            "distinct_texts": total - counts["in_campaigns"] + counts["campaigns"],
        },
        "open_suggestions": Suggestion.objects.filter(hearing=hearing, status=Suggestion.Status.OPEN).count(),
        "unassigned": Paginator(unassigned, UNASSIGNED_PAGE_SIZE).get_page(page),
    }


def topic(*, hearing: Hearing, topic_id: int) -> Topic:
    """A topic of ``hearing`` with its target read along; 404 for any other id."""
    return get_object_or_404(
        Topic.objects.select_related("target_section", "target_goal__section", "target_theme__section"),
        hearing=hearing,
        pk=topic_id,
    )


def last_change(*, topic: Topic) -> ModerationEvent | None:
    """The audit log's latest event that changed ``topic``'s own fields (who and when), if any."""
    return (
        ModerationEvent.objects.filter(
            hearing=topic.hearing_id,
            action__in=(
                ModerationEvent.Action.TOPIC_CREATED,
                ModerationEvent.Action.TOPIC_CHANGED,
                ModerationEvent.Action.TOPIC_MERGED,
                ModerationEvent.Action.TOPIC_SPLIT,
            ),
            details__topic=topic.pk,
        )
        .order_by("-pk")
        .first()
    )


def topic_page(*, hearing: Hearing, topic_id: int, page: int | str = 1) -> dict[str, Any]:
    """A topic's page, in four queries whatever its size: ``topic`` (404 unless it is ``hearing``'s, with
    ``part``), ``links`` (a page of ``TOPIC_PAGE_SIZE`` of its ``TopicResponse``s by response number, each
    with its response read along and its ``quote``), ``last_change`` (``last_change``)."""
    found = topic(hearing=hearing, topic_id=topic_id)
    found.part = part_label(hearing=hearing, target=found.target)  # type: ignore[attr-defined]
    links = TopicResponse.objects.filter(topic=found).select_related("response").order_by("response__number")
    return {
        "topic": found,
        "links": Paginator(links, TOPIC_PAGE_SIZE).get_page(page),
        "last_change": last_change(topic=found),
    }


def topic_target_choices(*, hearing: Hearing) -> list[tuple[str, str | list[tuple[str, str]]]]:
    """The parts a topic of ``hearing`` may concern, for a <select> grouped by section: "" (no particular
    part), then each section, its goals and themes as ``TargetKey`` values (three queries)."""
    choices = [c for c in response_target_choices(hearing=hearing) if c[0] != str(TargetKey.strategy())]
    return [("", "—"), *choices]


def target_of(*, hearing: Hearing, key: str) -> Target | None:
    """The Section, Goal or Theme named by ``key`` (a ``TargetKey`` value) in ``hearing``'s strategy, or
    None for "" or a key that names nothing there (one query at most)."""
    return target_object(hearing=hearing, key=key)


def public_topics(*, hearing: Hearing) -> list[Topic]:
    """The topics that public pages show once ``hearing``'s remarks are public (``Hearing.remarks_are_public``;
    [] before: until then topics are the administration's drafts), in the strategy's order
    (``ordered_topics``), each with ``part`` (its part of the strategy in words, ``part_label``) and
    ``published_numbers`` (the numbers of its published responses, ascending; withdrawn, pending, rejected
    and hidden ones are not shown). Two queries; none before the release."""
    if not hearing.remarks_are_public():
        return []
    topics = list(ordered_topics(hearing=hearing))
    numbers: dict[int, list[int]] = {topic.pk: [] for topic in topics}
    published = (
        TopicResponse.objects.filter(topic__in=topics, response__status=Response.Status.PUBLISHED)
        .order_by("response__number")
        .values_list("topic_id", "response__number")
    )
    for topic_id, number in published:
        numbers[topic_id].append(number)
    for topic in topics:
        topic.part = part_label(hearing=hearing, target=topic.target)  # type: ignore[attr-defined]
        topic.published_numbers = numbers[topic.pk]  # type: ignore[attr-defined]
    return topics


def hearing_topics(*, hearing: Hearing) -> list[Topic]:
    """The hearing's topics in the strategy's order, for a <select> (one query)."""
    return list(ordered_topics(hearing=hearing))


@dataclass
class ResponsePanel:
    """What the analysis shows on a response's staff page: the ``links`` of the response (with their
    topics), the hearing's ``topics`` (for the link form), up to ``NEIGHBOURS_SHOWN`` ``neighbours``
    (most similar first, each with ``other`` read along) and its ``campaign`` with ``campaign_size``
    (members not withdrawn), if any."""

    links: list[TopicResponse]
    topics: list[Topic]
    neighbours: list[Neighbour]
    campaign: Campaign | None
    campaign_size: int


def response_panel(*, response: Response) -> ResponsePanel:
    """The analysis panel of ``response``'s staff page, in five queries at most."""
    links = list(
        TopicResponse.objects.filter(response=response).select_related("topic").order_by("topic__title")
    )
    neighbours = campaigns.neighbours(response, limit=NEIGHBOURS_SHOWN)
    signature = Signature.objects.filter(response=response).select_related("campaign").first()
    campaign = signature.campaign if signature is not None else None
    size = 0
    if campaign is not None:
        size = campaign.members.exclude(response__status=Response.Status.WITHDRAWN).count()
    return ResponsePanel(
        links=links,
        topics=hearing_topics(hearing=response.hearing),
        neighbours=neighbours,
        campaign=campaign,
        campaign_size=size,
    )


def queue_topics(
    *, user: "User | AnonymousUser", responses: list[Response]
) -> list[tuple[Hearing, list[Topic]]]:
    """The topics of the hearings of ``responses`` (the queue's page) that ``user`` may analyse, grouped by
    hearing in the order first met (one query)."""
    hearings: dict[int, Hearing] = {}
    for response in responses:
        if response.hearing_id not in hearings and may_analyse(user, response.hearing):
            hearings[response.hearing_id] = response.hearing
    if not hearings:
        return []
    grouped: dict[int, list[Topic]] = {pk: [] for pk in hearings}
    for found in Topic.objects.filter(hearing_id__in=hearings).order_by("title", "pk"):
        grouped[found.hearing_id].append(found)
    return [(hearings[pk], topics) for pk, topics in grouped.items() if topics]
