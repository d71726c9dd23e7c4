"""A hearing's state follows the clock, in Europe/Copenhagen, across the changes to and from summer time."""

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.urls import reverse

from hearings import services
from hearings.models import Hearing, Response
from hearings.templatetags.hearing_tags import hearing_period, time_left
from tests.accounts.factories import UserFactory, VerifiedUserFactory
from tests.hearings.factories import HearingFactory

CPH = zoneinfo.ZoneInfo("Europe/Copenhagen")
SECOND = dt.timedelta(seconds=1)

# (name, opens, closes) in local time; the first spans the change to summer time (the night has 23 hours),
# the second the change back (25 hours), the third an ordinary period.
PERIODS = [
    ("spring", dt.datetime(2026, 3, 28, 12, 0, tzinfo=CPH), dt.datetime(2026, 3, 29, 12, 0, tzinfo=CPH)),
    ("autumn", dt.datetime(2026, 10, 24, 12, 0, tzinfo=CPH), dt.datetime(2026, 10, 25, 12, 0, tzinfo=CPH)),
    ("ordinary", dt.datetime(2018, 5, 1, 9, 0, tzinfo=CPH), dt.datetime(2018, 6, 15, 12, 0, tzinfo=CPH)),
]

ROLES = ["anonymous", "unverified", "citizen", "superuser"]


def make_user(role):
    from django.contrib.auth.models import AnonymousUser

    return {
        "anonymous": lambda: AnonymousUser(),
        "unverified": lambda: UserFactory(),
        "citizen": lambda: VerifiedUserFactory(),
        "superuser": lambda: VerifiedUserFactory(is_staff=True, is_superuser=True),
    }[role]()


def boundaries(opens, closes):
    """(moment, the state the hearing must be in)"""
    return [
        (opens - SECOND, Hearing.State.UPCOMING),
        (opens, Hearing.State.OPEN),
        (closes - SECOND, Hearing.State.OPEN),
        (closes, Hearing.State.CLOSED),
    ]


@pytest.mark.parametrize(("name", "opens", "closes"), PERIODS, ids=[p[0] for p in PERIODS])
@pytest.mark.parametrize("role", ROLES)
def test_who_may_respond_at_each_boundary(db, name, opens, closes, role):
    hearing = HearingFactory(opens_at=opens, closes_at=closes)
    user = make_user(role)
    for moment, state in boundaries(opens, closes):
        assert hearing.state(moment) == state
        assert Hearing.objects.open(moment).filter(pk=hearing.pk).exists() == (state == Hearing.State.OPEN)
        may = role in ("citizen", "superuser") and state == Hearing.State.OPEN
        if may:
            response = services.submit_response(
                hearing=hearing, author=user, target_key="strategy", respondent_type="private",
                display_name="Navn", text=f"Svar {moment.isoformat()}", consent=True, now=moment,
            )  # fmt: skip
            assert response.status == Response.Status.PUBLISHED
        else:
            with pytest.raises(services.ResponseRefused) as refused:
                services.submit_response(
                    hearing=hearing, author=user, target_key="strategy", respondent_type="private",
                    display_name="Navn", text="Svar", consent=True, now=moment,
                )  # fmt: skip
            expected = {
                Hearing.State.UPCOMING: "upcoming",
                Hearing.State.CLOSED: "closed",
            }.get(state, "anonymous" if role == "anonymous" else "unverified")
            assert refused.value.code == expected
    accepted = 2 if role in ("citizen", "superuser") else 0
    assert Response.objects.filter(hearing=hearing).count() == accepted
    assert sorted(Response.objects.filter(hearing=hearing).values_list("number", flat=True)) == list(
        range(1, accepted + 1)
    )


@pytest.mark.parametrize(("name", "opens", "closes"), PERIODS[:2], ids=["spring", "autumn"])
def test_the_form_refuses_at_closing_and_keeps_the_text(client, db, name, opens, closes):
    hearing = HearingFactory(opens_at=opens, closes_at=closes)
    client.force_login(VerifiedUserFactory())
    data = {"target": "strategy", "respondent_type": "private", "display_name": "Navn", "text": "Mit sene svar",
            "consent": "on"}  # fmt: skip
    url = reverse("hearings:respond", args=[hearing.pk])
    with time_machine.travel(closes - SECOND, tick=False):
        assert client.post(url, data).status_code == 302
    with time_machine.travel(closes, tick=False):
        response = client.post(url, data)
    html = response.content.decode()
    assert response.status_code == 403
    assert "Høringen lukkede" in html and "Mit sene svar" in html
    assert Response.objects.filter(hearing=hearing).count() == 1


def test_the_period_is_shown_in_danish_local_time(db):
    spring = HearingFactory(opens_at=PERIODS[0][1], closes_at=PERIODS[0][2])
    ordinary = HearingFactory(opens_at=PERIODS[2][1], closes_at=PERIODS[2][2])
    assert hearing_period(spring) == "28. marts – 29. marts 2026 kl. 12.00"
    assert hearing_period(ordinary) == "1. maj – 15. juni 2018 kl. 12.00"


def test_time_left_counts_real_hours_across_the_changes(db):
    spring = HearingFactory(opens_at=PERIODS[0][1], closes_at=PERIODS[0][2])
    autumn = HearingFactory(opens_at=PERIODS[1][1], closes_at=PERIODS[1][2])
    assert time_left(spring, now=PERIODS[0][1]) == "23 timer og 0 minutter tilbage"
    assert time_left(autumn, now=PERIODS[1][1]) == "1 dag og 1 time tilbage"
    assert time_left(autumn, now=PERIODS[1][2] - dt.timedelta(minutes=5)) == "5 minutter tilbage"
    assert time_left(autumn, now=PERIODS[1][2]) == ""


def test_the_hearing_page_shows_state_and_time_left(client, db):
    hearing = HearingFactory(opens_at=PERIODS[0][1], closes_at=PERIODS[0][2])
    with time_machine.travel(PERIODS[0][1] + dt.timedelta(hours=1), tick=False):
        html = client.get(hearing.get_absolute_url()).content.decode()
    assert "Åben for høringssvar" in html
    assert "28. marts – 29. marts 2026 kl. 12.00" in html
    assert "22 timer og 0 minutter tilbage" in html
    with time_machine.travel(PERIODS[0][2], tick=False):
        html = client.get(hearing.get_absolute_url()).content.decode()
    assert "Høringen er afsluttet" in html


def test_the_english_page_writes_its_dates_in_english(client, db):
    hearing = HearingFactory(opens_at=PERIODS[0][1], closes_at=PERIODS[0][2])
    client.cookies["django_language"] = "en"
    with time_machine.travel(PERIODS[0][1] + dt.timedelta(hours=1), tick=False):
        html = client.get(hearing.get_absolute_url()).content.decode()
    assert "28 March – 29 March 2026, 12:00" in html and "22 hours and 0 minutes left" in html
    assert " kl. " not in html and "marts" not in html


def test_contradicting_dates_are_refused_with_a_clear_message(admin_client, db):
    from tests.strategies.factories import StrategyFactory

    strategy = StrategyFactory()
    response = admin_client.post(
        reverse("admin:hearings_hearing_add"),
        {
            "strategy": strategy.pk,
            "title": "Forkert høring",
            "opens_at_0": "15.06.2018", "opens_at_1": "12:00",
            "closes_at_0": "01.05.2018", "closes_at_1": "12:00",
            "moderation": "post",
            "personal_data_removal_on": "01.01.2018",
            "events-TOTAL_FORMS": "0", "events-INITIAL_FORMS": "0",
        },
    )  # fmt: skip
    html = response.content.decode()
    assert response.status_code == 200
    assert "Høringen skal lukke efter, at den åbner." in html
    assert "Personoplysninger kan først fjernes efter, at høringen er lukket." in html
    assert not Hearing.objects.filter(title="Forkert høring").exists()
