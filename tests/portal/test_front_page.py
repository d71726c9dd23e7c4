"""The front page: open hearings first with their deadline, then upcoming and recently closed ones, per
municipality; the municipalities and their strategies below."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from strategies.models import Strategy
from tests.hearings.factories import HearingFactory
from tests.strategies.factories import MunicipalityFactory, StrategyFactory

pytestmark = pytest.mark.django_db


def flat(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def hearings():
    now = timezone.now()
    north = StrategyFactory(municipality=MunicipalityFactory(name="Nordby Kommune", slug="nordby"))
    south = StrategyFactory(municipality=MunicipalityFactory(name="Sydby Kommune", slug="sydby"))
    quiet = StrategyFactory(municipality=MunicipalityFactory(name="Stilleby Kommune", slug="stilleby"))
    day = dt.timedelta(days=1)
    return {
        "open_late": HearingFactory(strategy=north, title="Åben A", opens_at=now - day, closes_at=now + 20 * day),
        "open_soon": HearingFactory(strategy=north, title="Åben B", opens_at=now - day, closes_at=now + 2 * day),
        "upcoming": HearingFactory(strategy=north, title="Kommende C", opens_at=now + 5 * day, closes_at=now + 30 * day),
        "closed": HearingFactory(strategy=north, title="Lukket D", opens_at=now - 40 * day, closes_at=now - 3 * day),
        "old": HearingFactory(strategy=north, title="Gammel E", opens_at=now - 400 * day, closes_at=now - 300 * day),
        "south": HearingFactory(strategy=south, title="Sydlig F", opens_at=now + day, closes_at=now + 9 * day),
        "draft": HearingFactory(
            strategy=StrategyFactory(municipality=quiet.municipality, status=Strategy.Status.DRAFT),
            title="Kladde G", opens_at=now - day, closes_at=now + 9 * day,
        ),
    }  # fmt: skip


def test_open_hearings_first_then_upcoming_then_recently_closed_per_municipality(client, hearings):
    html = client.get(reverse("home")).content.decode()
    hearings_part, strategies_part = html.split("Kommuner og deres strategier")
    text = flat(hearings_part)
    order = [text.index(word) for word in ("Nordby Kommune", "Åben B", "Åben A", "Kommende C", "Lukket D", "Sydby Kommune", "Sydlig F")]  # fmt: skip
    assert order == sorted(order)
    assert "Gammel E" not in text and "Kladde G" not in text and "Stilleby Kommune" not in text
    deadline = timezone.localtime(hearings["open_soon"].closes_at)
    assert f"Frist: {deadline.day}." in text
    assert "tilbage" in text
    assert "Stilleby Kommune" in flat(strategies_part)  # the list of municipalities is still there


def test_nothing_to_show(client, db):
    html = client.get(reverse("home")).content.decode()
    assert "Der er ingen åbne, kommende eller nyligt afsluttede høringer lige nu." in html


def test_front_page_query_count_does_not_grow_with_hearings(client, hearings, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "Åben A" in flat(response.content.decode())
    for n in range(10):
        HearingFactory(strategy=hearings["open_late"].strategy, title=f"Flere {n}")
    with django_assert_max_num_queries(3):
        response = client.get(reverse("home"))
    assert response.status_code == 200
    text = flat(response.content.decode())
    assert "Åben A" in text and all(f"Flere {n}" in text for n in range(10))
