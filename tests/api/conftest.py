"""Fixtures of the public API's tests: a closed hearing whose remarks staff released and an open hearing of a published strategy (with a
section, goals on two levels and a theme), a hearing of a draft strategy, and a moderator to redact.
The API's rate limits are off here (tests/api/test_http.py turns them on for itself)."""

import datetime as dt
from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from hearings.models import Hearing
from strategies.models import Strategy
from tests.accounts.factories import staff
from tests.hearings.factories import HearingFactory
from tests.strategies.factories import GoalFactory, SectionFactory, StrategyFactory, ThemeFactory


@pytest.fixture(autouse=True)
def _api_defaults(settings, tmp_path):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {}}
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()


@dataclass
class World:
    strategy: Strategy
    section: object
    goal: object
    child_goal: object
    theme: object
    closed: Hearing
    open: Hearing
    draft_hearing: Hearing
    moderator: object


def build_world() -> World:
    now = timezone.now()
    strategy = StrategyFactory(title="Fremtidens Testrup", status=Strategy.Status.ADOPTED)
    section = SectionFactory(strategy=strategy, number=1, title="Grøn by", slug="groen-by")
    goal = GoalFactory(section=section, position=1, text="Flere træer")
    child_goal = GoalFactory(section=section, parent=goal, position=2, text="100 træer om året")
    theme = ThemeFactory(
        section=section, position=1, question="Hvor skal træerne stå?", sub_questions="I parken\nVed skolen"
    )
    closed = HearingFactory(
        strategy=strategy, title="Lukket høring", opens_at=now - dt.timedelta(days=30),
        closes_at=now - dt.timedelta(days=2), personal_data_removal_on=(now + dt.timedelta(days=300)).date(),
        remarks_released_at=now - dt.timedelta(days=1),
    )  # fmt: skip
    open_ = HearingFactory(strategy=strategy, title="Åben høring")
    draft = StrategyFactory(
        title="Hemmelig kladde", status=Strategy.Status.DRAFT, municipality=strategy.municipality
    )
    draft_hearing = HearingFactory(
        strategy=draft,
        title="Kladdens høring",
        opens_at=now - dt.timedelta(days=30),
        closes_at=now - dt.timedelta(days=2),
    )
    moderator = staff(strategy.municipality, "moderator", "moderator@testrup.dk", name="Mads Moderator")
    return World(strategy, section, goal, child_goal, theme, closed, open_, draft_hearing, moderator)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


@pytest.fixture
def w(world, db) -> World:
    """The module's world, inside this test's savepoint."""
    return world
