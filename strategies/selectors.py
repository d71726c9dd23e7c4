"""Reads that the public pages need, each with the joins and prefetches that keep its query count
fixed however much content a strategy has."""

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from .models import Goal, Municipality, Section, Strategy


def municipality_list() -> QuerySet[Municipality]:
    """Every municipality with its public strategies (``public_strategies``)."""
    return Municipality.objects.prefetch_related(
        Prefetch(
            "strategies", queryset=Strategy.objects.public().order_by("title"), to_attr="public_strategies"
        )
    )


def municipality_detail(*, slug: str) -> Municipality:
    return get_object_or_404(municipality_list(), slug=slug)


def strategy_detail(*, municipality_slug: str, slug: str) -> Strategy:
    """A public strategy with its municipality and its sections in order."""
    return get_object_or_404(
        Strategy.objects.public()
        .select_related("municipality")
        .prefetch_related(Prefetch("sections", queryset=Section.objects.order_by("number"))),
        municipality__slug=municipality_slug,
        slug=slug,
    )


def section_detail(*, strategy: Strategy, slug: str) -> Section:
    """A section of ``strategy`` with its headline goals (``headline_goals``, each with
    ``children``) and its themes."""
    headline_goals = (
        Goal.objects.filter(parent=None)
        .order_by("position")
        .prefetch_related(Prefetch("children", queryset=Goal.objects.order_by("position")))
    )
    section = get_object_or_404(
        Section.objects.prefetch_related(
            Prefetch("goals", queryset=headline_goals, to_attr="headline_goals"),
            "themes",
        ),
        strategy=strategy,
        slug=slug,
    )
    section.strategy = strategy
    return section
