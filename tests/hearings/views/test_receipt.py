"""The receipt e-mail is sent by a Celery task enqueued only after the response is committed."""

import datetime as dt

import pytest
from django.db import transaction

from hearings import services
from hearings.models import Response
from notifications import tasks
from tests.accounts.factories import StaffRoleFactory
from tests.conftest import celery_broker
from tests.notifications.factories import FollowFactory


def submit(hearing, user, text="Et svar"):
    return services.submit_response(
        hearing=hearing, author=user, target_key="strategy", respondent_type="private",
        display_name=user.name, text=text, consent=True,
    )  # fmt: skip


def test_the_receipt_is_enqueued_on_commit(
    citizen, open_hearing, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks() as callbacks:
        response = submit(open_hearing, citizen)
    assert callbacks  # the receipt (and the hearing page's new list version, hearings.response_cache)
    assert mailoutbox == []  # nothing before the commit
    for callback in callbacks:  # the commit happens: the task is sent (eager in the suite)
        callback()
    assert len(mailoutbox) == 1
    response.refresh_from_db()
    assert response.receipt_sent_at is not None


def test_nothing_is_enqueued_on_rollback(
    citizen, open_hearing, django_capture_on_commit_callbacks, mailoutbox
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        submit(open_hearing, citizen)
        raise RuntimeError("rolled back")
    assert callbacks == []
    assert mailoutbox == []
    assert Response.objects.count() == 0


def test_the_task_sends_once(citizen, open_hearing, mailoutbox):
    response = submit(open_hearing, citizen, text="Linje 1\nLinje 2")
    assert tasks.send_response_receipt(response.pk) is True
    assert tasks.send_response_receipt(response.pk) is False
    assert len(mailoutbox) == 1
    assert "Linje 1\nLinje 2" in mailoutbox[0].body
    assert "http://testserver/mine-hoeringssvar/" in mailoutbox[0].body


def test_with_the_broker_down_the_response_is_saved_and_the_receipt_page_shown(
    client, citizen, open_hearing, settings, django_capture_on_commit_callbacks, mailoutbox
):
    client.force_login(citizen)
    # Nothing listens on port 1: publishing fails as it does when Redis is down.
    with celery_broker("redis://127.0.0.1:1/0"), django_capture_on_commit_callbacks(execute=True):
        response = client.post(
                f"/hoeringer/{open_hearing.pk}/svar/",
                {"target": "strategy", "respondent_type": "private", "display_name": "K", "text": "Gemt trods alt",
                 "consent": "on"},
            )  # fmt: skip
    assert response.status_code == 302
    saved = Response.objects.get()
    assert saved.text == "Gemt trods alt" and saved.receipt_sent_at is None
    assert "Tak for dit høringssvar nr. 1" in client.get(response["Location"]).content.decode()

    # Once the broker is back, the periodic sweep sends the missing receipt.
    Response.objects.filter(pk=saved.pk).update(created_at=saved.created_at - dt.timedelta(minutes=5))
    assert tasks.send_missing_receipts() == 1
    assert len(mailoutbox) == 1


# --- Characters XML cannot carry (issue 12, item 1) -------------------------------------------------------


def test_every_email_is_sent_whatever_a_row_holds(citizen, open_hearing, mailoutbox):
    """A hearing title and a response written past the text policy on input (a line feed in a one-line
    title would make Django refuse the subject with BadHeaderError): every e-mail still goes, its subject
    on one line, its body without a control character."""
    from moderation.models import ModerationEvent
    from moderation.services import record_event
    from tests.accounts.factories import VerifiedUserFactory
    from tests.hearings.factories import ResponseFactory
    from tests.textutil import write_raw

    response = submit(open_hearing, citizen)
    write_raw(open_hearing, title="Høring\nom\x0bhavnen\x01\ufffe", moderation="pre")
    write_raw(response, text="Før\x0bEfter\x01\ufffe slut")
    moderator = VerifiedUserFactory()
    StaffRoleFactory(user=moderator, municipality=open_hearing.strategy.municipality, role="moderator")
    ResponseFactory(hearing=open_hearing, number=2, status="pending")
    event = record_event(action=ModerationEvent.Action.HIDDEN, response=response, reason="other")
    follow = FollowFactory(user=citizen, hearing=open_hearing)

    assert tasks.send_response_receipt(response.pk) is True
    assert tasks.send_moderation_notice(event.pk) is True
    assert tasks.notify_moderators(open_hearing.pk) == 1
    assert tasks.send_follow_notification(follow.pk, "opened") is True

    assert [m.subject for m in mailoutbox] == [
        "Kvittering for dit høringssvar nr. 1 – Høring om havnen",
        "Dit høringssvar nr. 1 er skjult",
        "Høringssvar venter på moderation – Høring om havnen",
        "Høringen er åbnet: Høring om havnen",
    ]
    assert "Før\nEfter slut" in mailoutbox[0].body
    for message in mailoutbox:
        assert [ch for ch in message.body if ch < " " and ch not in "\n"] == [], message.subject
        assert "\ufffe" not in message.body
        message.message().as_bytes()  # the whole message can be written out
