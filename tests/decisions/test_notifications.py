"""Telling followers and respondents, once each, that the decision is published."""

import pytest
from django.core import mail
from django.urls import reverse

from decisions import services
from notifications import tasks
from notifications.models import NotificationSent
from tests.accounts.factories import VerifiedUserFactory
from tests.decisions.conftest import record
from tests.hearings.factories import add
from tests.notifications.factories import FollowFactory


@pytest.fixture
def people(closed_hearing):
    """Who is told and who not: a follower, an author, one who both follows and answered (twice), the author
    of a hidden response, a deactivated follower, and someone of another hearing's."""
    both = VerifiedUserFactory(email="begge@example.dk", name="Bo Begge")
    found = {
        "follower": FollowFactory(hearing=closed_hearing, user__email="foelger@example.dk").user,
        "author": add(closed_hearing, author=VerifiedUserFactory(email="svar@example.dk")).author,
        "both": both,
        "hidden": add(
            closed_hearing, status="hidden", author=VerifiedUserFactory(email="skjult@example.dk")
        ).author,
        "inactive": FollowFactory(
            hearing=closed_hearing, user__email="væk@example.dk", user__is_active=False
        ).user,
        "other": FollowFactory(user__email="anden@example.dk").user,
    }
    FollowFactory(hearing=closed_hearing, user=both)
    add(closed_hearing, author=both)
    add(closed_hearing, author=both)
    return found


def publish(decision, actor, capture):
    with capture(execute=True):
        services.publish_decision(decision=decision, actor=actor)


def test_each_follower_and_respondent_gets_one_email(
    closed_hearing, decision, v_editor, people, django_capture_on_commit_callbacks
):
    publish(decision, v_editor, django_capture_on_commit_callbacks)
    to = sorted(message.to[0] for message in mail.outbox)
    assert to == ["begge@example.dk", "foelger@example.dk", "svar@example.dk"]
    by_person = {message.to[0]: message for message in mail.outbox}
    for message in mail.outbox:
        assert message.subject == f"Det sagde I – det gjorde vi: {closed_hearing.title}"
        assert reverse("decisions:page", args=[closed_hearing.pk]) in message.body
        assert "Kommunalbestyrelsen har truffet beslutning" in message.body
        assert "vedtaget med ændringer" in message.body
        assert "https://www.vallensbaek.dk/referat" in message.body
    assert "Du sendte høringssvarene nr." in by_person["begge@example.dk"].body
    assert "Stop med at følge høringen" in by_person["begge@example.dk"].body
    assert "List-Unsubscribe" in by_person["foelger@example.dk"].extra_headers
    assert "fordi du har sendt et høringssvar" in by_person["svar@example.dk"].body
    assert "List-Unsubscribe" not in by_person["svar@example.dk"].extra_headers
    assert NotificationSent.objects.filter(kind="decision", hearing=closed_hearing).count() == 3


def test_running_the_tasks_again_sends_nothing_more(
    closed_hearing, decision, v_editor, people, django_capture_on_commit_callbacks
):
    publish(decision, v_editor, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 3
    assert tasks.send_decision_notices(decision.pk) == 0
    for user in people.values():
        assert tasks.send_decision_notice(decision.pk, user.pk) is False
    tasks.send_due_notifications()  # the beat's sweep enqueues the decision again: nobody is left
    with django_capture_on_commit_callbacks(execute=True):
        record(closed_hearing, v_editor, decided_by="Byrådet")  # a correction tells nobody again
    assert len(mail.outbox) == 3


def test_a_failed_send_is_given_back_for_the_retry(
    closed_hearing, decision, v_editor, people, monkeypatch, django_capture_on_commit_callbacks
):
    def down(*args, **kwargs):
        raise OSError("mail server down")

    monkeypatch.setattr(tasks.mail, "send", down)
    publish(
        decision, v_editor, django_capture_on_commit_callbacks
    )  # eager: the errors are recorded, not raised
    assert not NotificationSent.objects.filter(kind="decision").exists()
    monkeypatch.undo()
    assert tasks.send_decision_notices(decision.pk) == 3
    assert len(mail.outbox) == 3


def test_nothing_is_sent_for_an_unpublished_decision(decision, people):
    assert tasks.send_decision_notices(decision.pk) == 0
    assert tasks.send_decision_notice(decision.pk, people["follower"].pk) is False
    assert mail.outbox == []


def test_each_is_written_to_in_the_language_they_last_answered_in(
    closed_hearing, decision, v_editor, monkeypatch, django_capture_on_commit_callbacks
):
    english = VerifiedUserFactory(email="john@example.dk")
    add(closed_hearing, author=english, language="da")
    add(closed_hearing, author=english, language="en")
    follower = FollowFactory(hearing=closed_hearing, user__email="foelger@example.dk").user
    languages = {}

    def send(name, context, *, to, headers=None, language=None):
        languages[to[0]] = language

    monkeypatch.setattr(tasks.mail, "send", send)
    publish(decision, v_editor, django_capture_on_commit_callbacks)
    assert languages == {"john@example.dk": "en", follower.email: None}  # None: the site's, Danish
