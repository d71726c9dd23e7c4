"""Reads of the feeds, the calendars and the front page (kept apart from selectors.py, which the
hearing pages own). Each owns its joins so that a feed's query count does not grow with its items."""

import datetime as dt
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from strategies.models import Municipality

from .models import Hearing, HearingEvent, Response

FEED_ITEMS = 50
RECENTLY_CLOSED_DAYS = 60


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


def front_page_hearings(*, now: dt.datetime | None = None) -> list[dict[str, Any]]:
    """Per municipality with any: its open hearings (closing first), upcoming ones (opening first) and
    those closed in the last RECENTLY_CLOSED_DAYS days (latest first). One query."""
    now = now or timezone.now()
    hearings = (
        Hearing.objects.public()
        .filter(closes_at__gt=now - dt.timedelta(days=RECENTLY_CLOSED_DAYS))
        .select_related("strategy__municipality", "section__strategy")
        .order_by("strategy__municipality__name", "closes_at")
    )
    groups: dict[int, dict[str, Any]] = {}
    for hearing in hearings:
        municipality = hearing.strategy.municipality
        group = groups.setdefault(
            municipality.pk, {"municipality": municipality, "open": [], "upcoming": [], "closed": []}
        )
        group[hearing.state(now)].append(hearing)
    for group in groups.values():
        group["upcoming"].sort(key=lambda h: h.opens_at)
        group["closed"].sort(key=lambda h: h.closes_at, reverse=True)
    # Municipalities with an open hearing first, then by name.
    return sorted(groups.values(), key=lambda g: (not g["open"], g["municipality"].name))
