"""The follower e-mails through a real Celery worker against Redis and PostgreSQL (not eager mode):
the beat task enqueues, the worker sends, each e-mail once even when the beat runs twice."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from notifications import tasks
from notifications.models import Follow, NotificationSent
from tests.accounts.factories import VerifiedUserFactory
from tests.conftest import solo_worker, wait_for
from tests.hearings.factories import HearingFactory
from tests.notifications.factories import FollowFactory
from tests.waiting import tracked_tasks

# Our own Redis database: 14 and 15 belong to other suites.
REDIS_TEST_BROKER = "redis://127.0.0.1:6379/13"


@pytest.fixture
def worker(transactional_db):
    with solo_worker(REDIS_TEST_BROKER) as app:
        yield app


@pytest.mark.slow
def test_the_worker_sends_each_due_notification_once(worker):
    mail.outbox = []
    now = timezone.now()
    hearing = HearingFactory(title="Høring om stien", opens_at=now - dt.timedelta(minutes=5))
    follower = VerifiedUserFactory(email="foelger@example.dk")
    FollowFactory(user=follower, hearing=hearing, created_at=now - dt.timedelta(days=1))

    tasks.send_due_notifications.delay()  # what beat does every 10 minutes
    assert wait_for(lambda: NotificationSent.objects.filter(user=follower, kind="opened").exists())
    assert wait_for(lambda: len(mail.outbox) == 1)
    with tracked_tasks() as sent:
        tasks.send_due_notifications.delay()  # again: nothing is due any more
        tasks.send_follow_notification.delay(Follow.objects.get().pk, "opened")  # a duplicate message
        sent.wait_until_all_ran()  # both (and anything they queued) have run before the e-mails are counted
    assert [m.subject for m in mail.outbox] == ["Høringen er åbnet: Høring om stien"]
