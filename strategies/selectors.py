"""Reads that the public pages need, each with the joins and prefetches that keep its query count
fixed however much content a strategy has."""

from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404

from .models import Goal, Municipality, Section, Strategy, Theme


def municipality_list() -> QuerySet[Municipality]:
    """Every municipality with its public strategies (``public_strategies``)."""
    return Municipality.objects.prefetch_related(
        Prefetch(
            "strategies", queryset=Strategy.objects.public().order_by("title"), to_attr="public_strategies"
        )
    )


def municipality_detail(*, slug: str) -> Municipality:
    return get_object_or_404(municipality_list(), slug=slug)


# A section's goals (both levels) and themes, each in order.
CONTENTS = (
    Prefetch("goals", queryset=Goal.objects.order_by("position")),
    Prefetch("themes", queryset=Theme.objects.order_by("position")),
)


def add_contents(sections: list[Section]) -> list[Section]:
    """Read the goals and themes of ``sections`` that were read without them (two queries)."""
    prefetch_related_objects(sections, *CONTENTS)
    return sections


def strategy_detail(*, municipality_slug: str, slug: str, with_contents: bool = False) -> Strategy:
    """A public strategy with its municipality and its sections in order (two queries). With
    ``with_contents``, each section also has its goals and themes, for all sections in two more
    queries: a section page shows its own and offers all of them in the response form."""
    sections = Section.objects.order_by("number")
    if with_contents:
        sections = sections.prefetch_related(*CONTENTS)
    return get_object_or_404(
        Strategy.objects.public()
        .select_related("municipality")
        .prefetch_related(Prefetch("sections", queryset=sections)),
        municipality__slug=municipality_slug,
        slug=slug,
    )


def section_detail(*, strategy: Strategy, slug: str) -> Section:
    """The section of ``strategy`` (read with ``with_contents``) called ``slug``, with its headline
    goals in order (``headline_goals``, each with its ``child_goals``). No query: taken from what the
    strategy's page read."""
    section = next((s for s in strategy.sections.all() if s.slug == slug), None)
    if section is None:
        raise Http404
    goals = list(section.goals.all())  # in position order
    headline_goals = [g for g in goals if g.parent_id is None]
    for goal in headline_goals:
        goal.child_goals = [child for child in goals if child.parent_id == goal.pk]
    # For the template, under the name documents.content's Prefetch(to_attr=...) gives the same list; the
    # plugin types that name through the Prefetch, so it cannot also be declared on the model.
    section.headline_goals = headline_goals  # type: ignore[attr-defined]
    return section
