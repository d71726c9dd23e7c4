"""Who may record and publish a decision, across roles, municipalities and the hearing's close."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from decisions.models import Decision
from decisions.permissions import can_record_decision

EDIT = "decisions:edit"

# Every role of the matrix: (user key, status of the page after closing, status before).
MATRIX = [
    ("anonymous", 302, 302),  # to the login page
    ("citizen", 404, 404),
    ("v_editor", 200, 200),  # before closing: the page says why, with no form
    ("v_moderator", 403, 403),
    ("v_council", 403, 403),
    ("b_editor", 404, 404),
    ("b_moderator", 404, 404),
    ("b_council", 404, 404),
    ("superuser", 200, 200),
]


def _get(client, users, who, hearing):
    if users[who] is not None:
        client.force_login(users[who])
    return client.get(reverse(EDIT, args=[hearing.pk]))


@pytest.mark.parametrize(("who", "after", "before"), MATRIX)
def test_the_decision_page_per_role_before_and_after_closing(
    client, users, closed_hearing, who, after, before
):
    result = _get(client, users, who, closed_hearing)
    assert result.status_code == after
    if after == 200:
        assert 'name="decided_on"' in result.content.decode()
    if after == 403:
        assert "Kun kommunens redaktører kan registrere beslutningen" in result.content.decode()
    with time_machine.travel(closed_hearing.closes_at - dt.timedelta(days=1), tick=False):
        client.logout()
        result = _get(client, users, who, closed_hearing)
        assert result.status_code == before
        if before == 200:
            html = result.content.decode()
            assert "Beslutningen kan først registreres, når høringen er lukket." in html
            assert 'name="decided_on"' not in html


@pytest.mark.parametrize(("who", "allowed"), [(w, a == 200) for w, a, _b in MATRIX if w != "anonymous"])
def test_the_predicate_agrees_with_the_pages(users, closed_hearing, who, allowed):
    assert bool(can_record_decision(users[who], closed_hearing)) is allowed


def test_posting_before_closing_is_refused_in_danish_and_saves_nothing(client, users, closed_hearing):
    client.force_login(users["v_editor"])
    with time_machine.travel(closed_hearing.closes_at - dt.timedelta(hours=1), tick=False):
        result = client.post(
            reverse(EDIT, args=[closed_hearing.pk]),
            {"decided_on": "2027-01-01", "decided_by": "Byrådet", "outcome": "adopted"},
        )
    assert result.status_code == 400
    assert "Beslutningen kan først registreres, når høringen er lukket." in result.content.decode()
    assert not Decision.objects.exists()


@pytest.mark.parametrize(("who", "status"), [("b_editor", 404), ("v_moderator", 403), ("citizen", 404)])
def test_others_cannot_post_or_publish(client, users, closed_hearing, decision, who, status):
    client.force_login(users[who])
    data = {"decided_on": "2027-01-01", "decided_by": "Hacket", "outcome": "rejected"}
    assert client.post(reverse(EDIT, args=[closed_hearing.pk]), data).status_code == status
    assert client.post(reverse("decisions:publish", args=[closed_hearing.pk])).status_code == status
    decision.refresh_from_db()
    assert decision.decided_by == "Kommunalbestyrelsen"
    assert decision.published_at is None
