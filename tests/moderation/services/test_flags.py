"""Citizens flag published responses: once each, with a reason, never their own; three flags take a
response back to the moderators."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from moderation import services as moderation
from moderation.models import Flag, ModerationEvent
from tests.accounts.factories import UserFactory, VerifiedUserFactory
from tests.hearings.factories import add
from tests.helpers import public_html, status_of


def test_flag_threshold_is_three():
    assert moderation.FLAG_THRESHOLD == 3


def test_a_user_flags_a_response_once_through_the_page(client, open_hearing, citizen):
    response = add(open_hearing, text="Et svar med grimme ord")
    url = reverse("moderation:flag", args=[open_hearing.pk, response.number])
    client.force_login(citizen)
    page = public_html(client, url)
    assert "Anmeld høringssvar nr. 1" in page and "Send anmeldelse" in page

    result = client.post(url, {"reason": "offensive", "note": "Kalder naboen et skældsord"})
    assert result.status_code == 302 and result["Location"] == open_hearing.get_absolute_url()
    flag = Flag.objects.get()
    assert (flag.response, flag.user, flag.reason, flag.note) == (
        response, citizen, "offensive", "Kalder naboen et skældsord"
    )  # fmt: skip
    assert "Tak. En moderator ser på høringssvaret." in client.get(result["Location"]).content.decode()

    again = client.post(url, {"reason": "spam"})
    assert again.status_code == 400
    assert "Du har allerede anmeldt dette høringssvar." in again.content.decode()
    assert Flag.objects.count() == 1
    assert "Du har allerede anmeldt dette høringssvar." in public_html(client, url)
    assert status_of(response) == "published"


def test_a_flag_needs_a_reason(client, open_hearing, citizen):
    response = add(open_hearing)
    client.force_login(citizen)
    result = client.post(reverse("moderation:flag", args=[open_hearing.pk, response.number]), {"reason": ""})
    assert result.status_code == 400
    assert "Vælg hvorfor du anmelder svaret." in result.content.decode()
    assert not Flag.objects.exists()


def test_nobody_flags_their_own_response(client, open_hearing, citizen):
    response = add(open_hearing, author=citizen)
    client.force_login(citizen)
    result = client.post(reverse("moderation:flag", args=[open_hearing.pk, 1]), {"reason": "spam"})
    assert result.status_code == 400
    assert "Du kan ikke anmelde dit eget høringssvar." in result.content.decode()
    with pytest.raises(ValidationError) as refused:
        moderation.flag_response(response=response, user=citizen, reason="spam")
    assert refused.value.messages == ["Du kan ikke anmelde dit eget høringssvar."]
    assert not Flag.objects.exists() and not ModerationEvent.objects.exists()


@pytest.mark.parametrize(
    ("who", "status", "message"),
    [
        ("unverified", "published", "Bekræft din e-mailadresse, før du anmelder et høringssvar."),
        ("citizen", "pending", "Kun offentliggjorte høringssvar kan anmeldes."),
        ("citizen", "hidden", "Kun offentliggjorte høringssvar kan anmeldes."),
    ],
)
def test_the_flag_service_refuses_in_danish(open_hearing, citizen, who, status, message):
    response = add(open_hearing, status, moderation_reason="spam" if status == "hidden" else "")
    user = UserFactory() if who == "unverified" else citizen
    with pytest.raises(ValidationError) as refused:
        moderation.flag_response(response=response, user=user, reason="spam")
    assert refused.value.messages == [message]
    assert not Flag.objects.exists()


def test_three_flags_from_different_users_take_a_response_back_to_pending(client, open_hearing):
    response = add(open_hearing, text="Et svar, der bliver anmeldt")
    url = open_hearing.get_absolute_url()
    flaggers = VerifiedUserFactory.create_batch(3)
    for i, user in enumerate(flaggers[:2]):
        moderation.flag_response(response=response, user=user, reason="offensive", note=f"Anmeldelse {i}")
        assert status_of(response) == "published"
    assert "Et svar, der bliver anmeldt" in public_html(client, url)

    moderation.flag_response(response=response, user=flaggers[2], reason="spam")
    assert status_of(response) == "pending"
    html = public_html(client, url)
    assert "Et svar, der bliver anmeldt" not in html and "Viser" not in html
    assert client.get(response.get_absolute_url()).status_code == 404

    events = list(ModerationEvent.objects.filter(response=response).order_by("created_at", "pk"))
    assert [e.action for e in events] == ["flagged", "flagged", "flagged", "flag_threshold"]
    assert [e.actor for e in events[:3]] == flaggers
    threshold = events[3]
    assert (threshold.status_before, threshold.status_after, threshold.details) == (
        "published", "pending", {"flags": 3}
    )  # fmt: skip
    assert (threshold.actor, threshold.actor_label) == (None, "systemet")


def test_after_a_moderator_republishes_one_more_flag_is_not_enough(open_hearing, moderator):
    response = add(open_hearing)
    for user in VerifiedUserFactory.create_batch(3):
        moderation.flag_response(response=response, user=user, reason="spam")
    moderation.moderate(response=response, actor=moderator, action="published", notify=False)
    moderation.flag_response(response=response, user=VerifiedUserFactory(), reason="spam")
    assert status_of(response) == "published"
