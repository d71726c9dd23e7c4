"""Fixtures of the documents app's view tests."""

import pytest

from tests.accounts.factories import staff_users
from tests.hearings.factories import HearingFactory, ResponseFactory
from tests.strategies.factories import (
    GoalFactory,
    MunicipalityFactory,
    SectionFactory,
    StrategyFactory,
    ThemeFactory,
)

from .test_exports import CLOSES, OPENS


@pytest.fixture
def world(db):
    """Two municipalities with a hearing each, a section with a goal and a theme in V's strategy, and a
    user for each kind of visitor."""
    v = MunicipalityFactory(name="Vallensbæk Kommune", slug="v")
    b = MunicipalityFactory(name="Billund Kommune", slug="b")
    v_strategy = StrategyFactory(
        municipality=v, title="Kommuneplanstrategi", section_label_singular="delvision"
    )
    section = SectionFactory(strategy=v_strategy, number=5, title="Et grønt Vallensbæk")
    goal = GoalFactory(section=section, position=1, text="Flere træer langs Vallensbæk Torvevej")
    theme = ThemeFactory(section=section, position=1, question="Hvordan bruger vi strandengen?")
    v_hearing = HearingFactory(strategy=v_strategy, title="Høring om strategien", opens_at=OPENS,
                               closes_at=CLOSES)  # fmt: skip
    b_hearing = HearingFactory(strategy=StrategyFactory(municipality=b), opens_at=OPENS, closes_at=CLOSES)
    ResponseFactory(hearing=b_hearing, number=1, display_name="Billund-borger")

    users = staff_users(v, b)
    return {
        "v_hearing": v_hearing,
        "b_hearing": b_hearing,
        "section": section,
        "goal": goal,
        "theme": theme,
        "users": users,
    }
