"""Following a hearing: the button, the e-mails (each exactly once, at the right time, by the beat
task), the unsubscribe link that works without signing in, and the follower's choice about the
moderation notice."""

import datetime as dt
import re
import zoneinfo

import icalendar
import pytest
import time_machine
from django.core import mail, signing
from django.urls import reverse

from moderation.models import ModerationEvent
from notifications import follows, tasks
from notifications.models import Follow, NotificationSent
from strategies.models import Strategy
from tests.accounts.factories import UserFactory, VerifiedUserFactory
from tests.hearings.factories import HearingFactory, ResponseFactory
from tests.moderation.factories import RemarkFactory
from tests.notifications.factories import FollowFactory
from tests.strategies.factories import StrategyFactory

pytestmark = pytest.mark.django_db

CPH = zoneinfo.ZoneInfo("Europe/Copenhagen")
OPENS = dt.datetime(2026, 3, 2, 9, 0, tzinfo=CPH)
CLOSES = dt.datetime(2026, 3, 20, 12, 0, tzinfo=CPH)


@pytest.fixture
def hearing(db):
    return HearingFactory(title="Høring om havnen", opens_at=OPENS, closes_at=CLOSES)


@pytest.fixture
def follower(db):
    return VerifiedUserFactory(email="karen@example.dk", name="Karen Borger")


def follow_before_opening(user, hearing, **preferences):
    with time_machine.travel(OPENS - dt.timedelta(days=5), tick=False):
        return follows.follow_hearing(user=user, hearing=hearing, preferences=preferences or None)


def run_beat_at(moment):
    with time_machine.travel(moment, tick=False):
        return tasks.send_due_notifications()


def subjects():
    return [message.subject for message in mail.outbox]


def test_each_notification_is_sent_once_at_the_right_time(hearing, follower):
    follow_before_opening(follower, hearing)
    run_beat_at(OPENS - dt.timedelta(minutes=1))
    assert subjects() == []

    run_beat_at(OPENS + dt.timedelta(minutes=5))
    run_beat_at(OPENS + dt.timedelta(minutes=15))
    assert subjects() == ["Høringen er åbnet: Høring om havnen"]
    assert mail.outbox[0].to == ["karen@example.dk"]
    assert "20. marts 2026 kl. 12.00" in mail.outbox[0].body

    run_beat_at(CLOSES - dt.timedelta(days=3, minutes=1))
    assert len(mail.outbox) == 1
    run_beat_at(CLOSES - dt.timedelta(days=3) + dt.timedelta(minutes=5))
    run_beat_at(CLOSES - dt.timedelta(days=2))
    assert subjects()[1:] == ["Høringen lukker om 3 dage: Høring om havnen"]

    run_beat_at(CLOSES - dt.timedelta(minutes=1))
    assert len(mail.outbox) == 2
    run_beat_at(CLOSES + dt.timedelta(minutes=5))
    run_beat_at(CLOSES + dt.timedelta(hours=5))
    assert subjects()[2:] == ["Høringen er lukket: Høring om havnen"]

    published = CLOSES + dt.timedelta(days=10)
    hearing.summary_published_at = published
    hearing.save(update_fields=["summary_published_at"])
    run_beat_at(published - dt.timedelta(minutes=1))
    assert len(mail.outbox) == 3
    run_beat_at(published + dt.timedelta(minutes=5))
    run_beat_at(published + dt.timedelta(hours=1))
    assert subjects()[3:] == ["Høringsnotatet er offentliggjort: Høring om havnen"]

    assert NotificationSent.objects.filter(user=follower, hearing=hearing).count() == 4


def test_the_mails_that_give_the_deadline_link_the_calendar(client, hearing, follower):
    follow_before_opening(follower, hearing)
    run_beat_at(OPENS + dt.timedelta(minutes=5))
    run_beat_at(CLOSES - dt.timedelta(days=3) + dt.timedelta(minutes=5))
    run_beat_at(CLOSES + dt.timedelta(minutes=5))
    opened, closing_soon, closed = mail.outbox
    url = reverse("notifications:calendar", args=[hearing.pk])
    for message in (opened, closing_soon):
        assert f"Sæt høringsfristen i din kalender:\nhttp://testserver{url}\n" in message.body
    assert "kalender" not in closed.body
    cal = icalendar.Calendar.from_ical(client.get(url).content)
    assert [
        e.decoded("dtstart") for e in cal.walk("VEVENT") if str(e["summary"]).startswith("Høringsfrist")
    ] == [CLOSES]


def test_each_follower_gets_only_what_they_chose(hearing, follower):
    other = VerifiedUserFactory(email="ole@example.dk")
    follow_before_opening(follower, hearing)
    follow_before_opening(other, hearing, on_open=False, before_close=False, on_close=True, on_summary=False)
    run_beat_at(OPENS + dt.timedelta(minutes=5))
    run_beat_at(CLOSES - dt.timedelta(days=2))
    run_beat_at(CLOSES + dt.timedelta(minutes=5))
    to_ole = [m.subject for m in mail.outbox if m.to == ["ole@example.dk"]]
    to_karen = [m.subject for m in mail.outbox if m.to == ["karen@example.dk"]]
    assert to_ole == ["Høringen er lukket: Høring om havnen"]
    assert len(to_karen) == 3


def test_no_stale_news_for_a_late_follower(hearing, follower):
    """Who follows an open hearing is not told that it opened; who follows in its last days is not told
    that it closes in 3 days."""
    with time_machine.travel(CLOSES - dt.timedelta(days=1), tick=False):
        follows.follow_hearing(user=follower, hearing=hearing)
    run_beat_at(CLOSES - dt.timedelta(hours=20))
    assert subjects() == []
    run_beat_at(CLOSES + dt.timedelta(minutes=5))
    assert subjects() == ["Høringen er lukket: Høring om havnen"]


def test_a_beat_that_was_down_sends_what_fell_due_but_nothing_old(hearing, follower):
    follow_before_opening(follower, hearing)
    run_beat_at(OPENS + dt.timedelta(days=1))  # late, but within the grace period
    assert subjects() == ["Høringen er åbnet: Høring om havnen"]
    mail.outbox.clear()
    run_beat_at(CLOSES + dt.timedelta(days=5))  # the closing is too old to tell now
    assert subjects() == []


def test_a_failed_send_gives_the_claim_back_so_the_retry_sends_it(hearing, follower, monkeypatch):
    follow = follow_before_opening(follower, hearing)

    def broken(self, fail_silently=False):
        raise OSError("SMTP down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", broken)
    with time_machine.travel(OPENS + dt.timedelta(minutes=5), tick=False), pytest.raises(OSError):
        tasks.send_follow_notification.run(follow.pk, "opened")
    assert not NotificationSent.objects.exists()
    monkeypatch.undo()
    run_beat_at(OPENS + dt.timedelta(minutes=15))
    assert subjects() == ["Høringen er åbnet: Høring om havnen"]


def test_the_task_sends_a_claimed_notification_only_once(hearing, follower):
    follow = follow_before_opening(follower, hearing)
    assert tasks.send_follow_notification(follow.pk, "opened") is True
    assert tasks.send_follow_notification(follow.pk, "opened") is False
    assert len(mail.outbox) == 1


def test_nothing_for_a_draft_strategys_hearing(follower):
    hearing = HearingFactory(
        strategy=StrategyFactory(status=Strategy.Status.DRAFT), opens_at=OPENS, closes_at=CLOSES
    )
    FollowFactory(user=follower, hearing=hearing, created_at=OPENS - dt.timedelta(days=3))
    run_beat_at(OPENS + dt.timedelta(minutes=5))
    assert subjects() == []


@pytest.mark.parametrize("as_written", [True, False])
def test_a_remark_to_their_response_as_it_is_written_if_the_hearing_shows_them_so(
    hearing, follower, as_written
):
    """Otherwise remarks are drafts, also after closing, until the release writes once to every author
    (tests/notifications/services/test_remarks_release.py)."""
    hearing.remarks_as_written = as_written
    hearing.save(update_fields=["remarks_as_written"])
    follow_before_opening(follower, hearing)
    response = ResponseFactory(hearing=hearing, author=follower, number=3)
    ResponseFactory(hearing=hearing, number=4)  # someone else's
    with time_machine.travel(OPENS + dt.timedelta(days=1), tick=False):
        RemarkFactory(response=response, text="Tak, vi retter planen.", recommendation="change")
    run_beat_at(OPENS + dt.timedelta(days=2))
    run_beat_at(CLOSES + dt.timedelta(minutes=5))
    run_beat_at(CLOSES + dt.timedelta(minutes=15))
    if not as_written:
        assert [s for s in subjects() if "Bemærkning" in s] == []
        return
    remark_mails = [m for m in mail.outbox if "Bemærkning" in m.subject]
    assert [m.subject for m in remark_mails] == ["Bemærkning til dit høringssvar nr. 3 – Høring om havnen"]
    assert "Tak, vi retter planen." in remark_mails[0].body
    assert f"/hoeringer/{hearing.pk}/svar/3/" in remark_mails[0].body


def test_every_mail_has_a_working_unsubscribe_link(client, hearing, follower):
    follow_before_opening(follower, hearing)
    run_beat_at(OPENS + dt.timedelta(minutes=5))
    message = mail.outbox[0]
    url = re.search(r"http://testserver(/foelg/afmeld/[^\s]+/)", message.body).group(1)
    assert message.extra_headers["List-Unsubscribe"] == f"<http://testserver{url}>"

    page = client.get(url)  # not signed in; a GET changes nothing (mail scanners open links)
    assert page.status_code == 200
    assert "Vil du stoppe med at følge høringen" in page.content.decode()
    assert Follow.objects.filter(user=follower).exists()

    done = client.post(url)
    assert done.status_code == 200
    assert "Du følger ikke længere høringen" in done.content.decode()
    assert not Follow.objects.filter(user=follower).exists()
    run_beat_at(CLOSES + dt.timedelta(minutes=5))
    assert len(mail.outbox) == 1

    again = client.post(url)
    assert again.status_code == 404
    assert "Linket er ikke gyldigt længere" in again.content.decode()


def test_a_forged_or_altered_unsubscribe_link_does_nothing(client, hearing, follower):
    follow = follow_before_opening(follower, hearing)
    token = follows.unsubscribe_token(follow)
    other_salt = signing.dumps({"follow": follow.pk, "user": follower.pk}, salt="something.else")
    other_user = signing.dumps({"follow": follow.pk, "user": follower.pk + 1}, salt=follows.UNSUBSCRIBE_SALT)
    for bad in ["x", token[:-2] + "xx", other_salt, other_user]:
        assert client.post(reverse("notifications:unsubscribe", args=[bad])).status_code == 404
    assert Follow.objects.filter(pk=follow.pk).exists()


def test_follow_button_on_the_hearing_page(client, follower):
    hearing = HearingFactory(title="Høring om skoven")
    html = client.get(hearing.get_absolute_url()).content.decode()
    assert "Log ind for at følge høringen" in html

    client.force_login(follower)
    html = client.get(hearing.get_absolute_url()).content.decode()
    assert f'action="/hoeringer/{hearing.pk}/foelg/"' in html
    assert 'id="follow-id_on_open"' in html or 'id="follow-on_open"' in html

    page = client.post(
        reverse("notifications:follow", args=[hearing.pk]),
        {"action": "follow", "on_open": "on", "on_close": "on"},
        follow=True,
    )
    assert "Du følger høringen." in page.content.decode()
    follow = Follow.objects.get(user=follower, hearing=hearing)
    assert (follow.on_open, follow.before_close, follow.on_close, follow.on_summary, follow.on_own_response) == (
        True, False, True, False, False,
    )  # fmt: skip
    assert "Gem mine valg" in page.content.decode()

    client.post(reverse("notifications:follow", args=[hearing.pk]), {"action": "unfollow"})
    assert not Follow.objects.filter(user=follower).exists()


def test_only_signed_in_verified_users_may_follow(client, hearing):
    anonymous = client.post(reverse("notifications:follow", args=[hearing.pk]), {"action": "follow"})
    assert anonymous.status_code == 302 and "/konto/login/" in anonymous["Location"]
    unverified = UserFactory()
    client.force_login(unverified)
    client.post(reverse("notifications:follow", args=[hearing.pk]), {"action": "follow", "on_open": "on"})
    assert not Follow.objects.exists()
    html = client.get(hearing.get_absolute_url()).content.decode()
    assert "Bekræft din e-mailadresse, før du følger en høring." in html


def test_a_follower_may_turn_off_the_publication_notice_but_not_a_rejection(hearing, follower):
    response = ResponseFactory(hearing=hearing, author=follower, status="pending")
    FollowFactory(user=follower, hearing=hearing, on_own_response=False)

    def event(action):
        return ModerationEvent.objects.create(
            action=action, municipality=hearing.strategy.municipality, hearing=hearing, response=response
        )

    assert tasks.send_moderation_notice(event(ModerationEvent.Action.PUBLISHED).pk) is False
    assert tasks.send_moderation_notice(event(ModerationEvent.Action.HIDDEN).pk) is True
    Follow.objects.update(on_own_response=True)
    assert tasks.send_moderation_notice(event(ModerationEvent.Action.PUBLISHED).pk) is True
    Follow.objects.all().delete()
    assert tasks.send_moderation_notice(event(ModerationEvent.Action.PUBLISHED).pk) is True


def test_the_beat_schedule_runs_the_notifications(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["send-follow-notifications"]
    assert entry["task"] == "notifications.tasks.send_due_notifications"
