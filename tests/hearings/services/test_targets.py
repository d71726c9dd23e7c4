"""TargetKey: the one reader and writer of a response's target ('strategy', 'section-3' …)."""

import pytest
from django.core.exceptions import ValidationError

from hearings import services
from hearings.targets import TargetKey
from tests.hearings.factories import ResponseFactory

GOOD = {
    "strategy": TargetKey("strategy"),
    "section-3": TargetKey("section", 3),
    "goal-12": TargetKey("goal", 12),
    "theme-5": TargetKey("theme", 5),
    f"theme-{2**63 - 1}": TargetKey("theme", 2**63 - 1),
}
BAD = [
    "", "section-", "section-²", "section-٣", "section-0", "section--1", "section-1e3", "section-+1",
    " section-1", "section-1 ", "section-" + "9" * 40, f"goal-{2**63}", "strategy-", "strategy-1",
    "hearing-1", "Section-1", "section_1", "section", None, 3, ["section-1"],
]  # fmt: skip


@pytest.mark.parametrize(("text", "key"), GOOD.items())
def test_a_key_is_read_and_written_back_the_same(text, key):
    assert TargetKey.parse(text) == key
    assert str(key) == text


@pytest.mark.parametrize("text", BAD, ids=repr)
def test_anything_else_is_no_key(text):
    assert TargetKey.parse(text) is None


@pytest.mark.parametrize(
    ("kind", "target_id"), [("strategy", 1), ("section", None), ("section", 0), ("x", 1)]
)
def test_a_key_cannot_be_made_wrong(kind, target_id):
    with pytest.raises(ValueError):
        TargetKey(kind, target_id)


@pytest.mark.parametrize("text", BAD, ids=repr)
def test_the_service_refuses_a_bad_key_with_the_forms_message(open_hearing, text):
    with pytest.raises(ValidationError) as refused:
        services.resolve_target(hearing=open_hearing, key=text)
    assert refused.value.messages == ["Vælg hvad dit høringssvar handler om."]


def test_a_responses_key_names_its_target(open_hearing, section5):
    goal = section5.goals.first()
    theme = section5.themes.first()
    keys = [
        ResponseFactory(hearing=open_hearing, number=1).target_key,
        ResponseFactory(hearing=open_hearing, number=2, target_section=section5).target_key,
        ResponseFactory(hearing=open_hearing, number=3, target_goal=goal).target_key,
        ResponseFactory(hearing=open_hearing, number=4, target_theme=theme).target_key,
    ]
    assert keys == ["strategy", f"section-{section5.pk}", f"goal-{goal.pk}", f"theme-{theme.pk}"]
    assert [services.resolve_target(hearing=open_hearing, key=key) for key in keys] == [
        services.Target(),
        services.Target(section=section5),
        services.Target(goal=goal),
        services.Target(theme=theme),
    ]
