"""Reads of the decisions app: a hearing's decision (published, or for staff) and what the public page
"Det sagde I – det gjorde vi" shows, in a fixed number of queries whatever the size of the hearing."""

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch, QuerySet

from analysis.models import Topic, TopicResponse
from analysis.selectors import part_label
from hearings.models import Hearing, Response
from strategies.models import Section, Strategy

from .models import Decision, SectionChange

RESPONSE_LINKS_SHOWN = 30  # per topic; the rest are counted


def _with_changes(decisions: QuerySet[Decision]) -> QuerySet[Decision]:
    return decisions.prefetch_related(
        Prefetch("changes", queryset=SectionChange.objects.select_related("section"))
    )


def published_decision(hearing: Hearing) -> Decision | None:
    """``hearing``'s decision if it is published, with its changes (and their sections) read along; else
    None. Two queries (one when there is none)."""
    decision = _with_changes(Decision.objects.published().filter(hearing=hearing)).first()
    if decision is not None:
        decision.hearing = hearing
    return decision


def staff_decision(hearing: Hearing) -> Decision | None:
    """``hearing``'s decision, published or not, with its changes; None before one is recorded."""
    decision = _with_changes(Decision.objects.filter(hearing=hearing)).first()
    if decision is not None:
        decision.hearing = hearing
    return decision


def adopting_decision(*, strategy: Strategy, section: Section | None = None) -> Decision | None:
    """The latest published decision on a hearing of ``strategy`` (for a section page: of the whole strategy
    or that section) that adopted it, with its hearing; None if there is none. One query."""
    decisions = Decision.objects.published().filter(
        hearing__strategy=strategy,
        outcome__in=[Decision.Outcome.ADOPTED, Decision.Outcome.ADOPTED_WITH_CHANGES],
    )
    if section is not None:
        decisions = decisions.filter(hearing__section__in=[section]) | decisions.filter(hearing__section=None)
    else:
        decisions = decisions.filter(hearing__section=None)
    return decisions.select_related("hearing").order_by("-decided_on", "-pk").first()


@dataclass
class TopicRow:
    """One topic of the page: the topic (with ``target`` read along), the published responses that raised
    it (``count``, and the first ``RESPONSE_LINKS_SHOWN`` as ``numbers``), its part of the strategy
    (``section``, None for the whole) and that part's change, if this is the first topic of the part
    (``section_change``; a later topic of the same part gets ``change_shown_with``, the first one)."""

    topic: Topic
    part: str
    section: Section | None
    count: int
    numbers: list[int]
    section_change: SectionChange | None = None
    change_shown_with: Topic | None = None

    @property
    def more(self) -> int:
        return self.count - len(self.numbers)


@dataclass
class DecisionPage:
    decision: Decision
    remarks_public: bool
    topics: list[TopicRow] = field(default_factory=list)
    other_changes: list[SectionChange] = field(default_factory=list)


def _section_of(topic: Topic) -> Section | None:
    if topic.target_section is not None:
        return topic.target_section
    if topic.target_goal is not None:
        return topic.target_goal.section
    if topic.target_theme is not None:
        return topic.target_theme.section
    return None


def decision_page(*, hearing: Hearing) -> DecisionPage | None:
    """What "Det sagde I – det gjorde vi" shows of ``hearing`` (read with its strategy), or None while its
    decision is not published. Four queries, whatever the number of topics and responses:

    - ``decision`` with its changes;
    - ``topics``: the hearing's topics by their position (``TopicRow``), counting published responses only;
    - ``remarks_public``: whether the administration's remarks and recommendations may be shown
      (``Hearing.remarks_are_public``); the template shows them only then;
    - ``other_changes``: the changes of parts no topic concerns, the whole strategy first."""
    decision = published_decision(hearing)
    if decision is None:
        return None
    published_links = (
        TopicResponse.objects.filter(response__status=Response.Status.PUBLISHED)
        .select_related("response")
        .only("topic_id", "response__number", "response__hearing_id")
        .order_by("response__number")
    )
    topics = list(
        Topic.objects.filter(hearing=hearing)
        .select_related("target_section", "target_goal__section", "target_theme__section")
        .prefetch_related(Prefetch("links", queryset=published_links, to_attr="published_links"))
        .order_by("position", "pk")
    )
    changes = {change.section_id: change for change in decision.changes.all()}
    for change in changes.values():
        if change.section is not None:
            change.section.strategy = hearing.strategy
    page = DecisionPage(decision=decision, remarks_public=hearing.remarks_are_public())
    first_of_section: dict[int | None, Topic] = {}
    for topic in topics:
        section = _section_of(topic)
        links = topic.published_links  # the Prefetch's to_attr
        if section is not None:
            section.strategy = hearing.strategy  # the page's own: Section.label asks for its word
        row = TopicRow(
            topic=topic,
            part=part_label(hearing=hearing, target=topic.target),
            section=section,
            count=len(links),
            numbers=[link.response.number for link in links[:RESPONSE_LINKS_SHOWN]],
        )
        key = section.pk if section is not None else None
        if key in first_of_section:
            row.change_shown_with = first_of_section[key] if key in changes else None
        else:
            first_of_section[key] = topic
            row.section_change = changes.get(key)
        page.topics.append(row)
    page.other_changes = [
        change for section_id, change in changes.items() if section_id not in first_of_section
    ]
    return page


def decision_panel(*, hearing: Hearing) -> dict[str, Any]:
    """The hearing page's link to "Det sagde I – det gjorde vi": ``{"published_decision": Decision | None}``
    (one query, none of its changes)."""
    return {"published_decision": Decision.objects.published().filter(hearing=hearing).first()}
