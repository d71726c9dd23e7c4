import datetime as dt

import pytest
from django.utils import timezone

from analysis.models import Topic
from decisions import services
from decisions.models import Decision
from tests.accounts.factories import staff_users
from tests.analysis.factories import TopicFactory, TopicResponseFactory
from tests.hearings.factories import HearingFactory, add

DECIDED_ON = (timezone.now() - dt.timedelta(days=2)).date()


@pytest.fixture
def users(vallensbaek, billund):
    """anonymous, citizen, v_/b_ editor, moderator, council, superuser (tests.accounts.factories.staff_users)."""
    return staff_users(vallensbaek.municipality, billund.municipality)


@pytest.fixture
def closed_hearing(vallensbaek):
    """Vallensbæk's hearing on the whole strategy, closed ten days ago."""
    now = timezone.now()
    return HearingFactory(
        strategy=vallensbaek, title="Høring om Kommuneplanstrategi 2018",
        opens_at=now - dt.timedelta(days=40), closes_at=now - dt.timedelta(days=10),
    )  # fmt: skip


@pytest.fixture
def responses(closed_hearing):
    """Three published responses, one pending and one hidden."""
    published = [
        add(closed_hearing, text=t) for t in ("Flere cykelstier.", "Bevar skoven.", "Trafiksikkerhed.")
    ]
    add(closed_hearing, status="pending", text="Venter stadig.")
    add(closed_hearing, status="hidden", text="Skjult svar.")
    return published


@pytest.fixture
def topics(closed_hearing, responses, vallensbaek):
    """Two topics in position order: "Cykelstier" on section 5 (two published responses and the hidden
    one) and "Skoven" on the whole strategy (one)."""
    section5 = vallensbaek.sections.get(number=5)
    cycle = TopicFactory(
        hearing=closed_hearing, title="Cykelstier", position=1, target_section=section5,
        summary="Mange ønsker **flere cykelstier**.", remark="Administrationen foreslår to nye stier.",
        recommendation=Topic.Recommendation.CHANGE, change="Afsnittet om cykelstier er skrevet om.",
    )  # fmt: skip
    forest = TopicFactory(
        hearing=closed_hearing, title="Skoven", position=2, summary="Bevar skoven.",
        remark="Skoven er fredet.", recommendation=Topic.Recommendation.COVERED,
    )  # fmt: skip
    for response in responses[:2]:
        TopicResponseFactory(topic=cycle, response=response)
    TopicResponseFactory(topic=cycle, response=closed_hearing.responses.get(status="hidden"))
    TopicResponseFactory(topic=forest, response=responses[1])
    return [cycle, forest]


@pytest.fixture
def v_editor(users):
    return users["v_editor"]


def record(hearing, actor, **overrides) -> Decision:
    values = {
        "decided_on": DECIDED_ON,
        "decided_by": "Kommunalbestyrelsen",
        "outcome": Decision.Outcome.ADOPTED_WITH_CHANGES,
        "minutes_url": "https://www.vallensbaek.dk/referat",
        "text": "Strategien blev vedtaget med **to** ændringer.",
        "changes": {},
    }
    values.update(overrides)
    return services.save_decision(hearing=hearing, actor=actor, **values)


@pytest.fixture
def decision(closed_hearing, v_editor, vallensbaek):
    section5 = vallensbaek.sections.get(number=5)
    section2 = vallensbaek.sections.get(number=2)
    return record(
        closed_hearing, v_editor,
        changes={None: "Visionen er kortere.", section5.pk: "To nye cykelstier.", section2.pk: "Nyt kort."},
    )  # fmt: skip


@pytest.fixture
def published(decision, v_editor, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return services.publish_decision(decision=decision, actor=v_editor)
