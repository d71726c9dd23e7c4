"""Reads of the feeds and the calendars. Each owns its joins so that a feed's query count does not grow with its items."""

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from hearings.models import Hearing, HearingEvent, Response
from strategies.models import Municipality

FEED_ITEMS = 50


def public_hearings(*, municipality: Municipality | None = None) -> QuerySet[Hearing]:
    """Hearings of public strategies, newest first, with what their feed items and calendar entries
    show (strategy, municipality, section, events)."""
    hearings = (
        Hearing.objects.public()
        .select_related("strategy__municipality", "section__strategy")
        .prefetch_related(Prefetch("events", queryset=HearingEvent.objects.order_by("starts_at")))
        .order_by("-opens_at", "-pk")
    )
    if municipality is not None:
        hearings = hearings.filter(strategy__municipality=municipality)
    return hearings


def municipality(*, slug: str) -> Municipality:
    return get_object_or_404(Municipality, slug=slug)


def public_hearing(*, pk: int) -> Hearing:
    return get_object_or_404(public_hearings(), pk=pk)


def published_responses(*, hearing: Hearing) -> QuerySet[Response]:
    """The newest published responses of ``hearing``, for its feed."""
    return (
        hearing.responses.published()
        .select_related("target_section__strategy", "target_goal", "target_theme")
        .order_by("-published_at", "-number")[:FEED_ITEMS]
    )
