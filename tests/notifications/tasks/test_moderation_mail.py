"""The moderators' e-mail that pre-moderated responses wait: to whom, at most once an hour per
hearing, and sent after all when the mail server fails once."""

import datetime as dt

import time_machine
from django.utils import timezone

from hearings.models import Hearing
from notifications.tasks import notify_moderators
from tests.accounts.factories import VerifiedUserFactory, staff
from tests.hearings.factories import HearingFactory, add
from tests.helpers import submit


def moderator_mails(mailoutbox):
    return [m for m in mailoutbox if "venter på moderation" in m.subject]


def test_moderators_of_the_municipality_are_emailed_at_most_once_an_hour_per_hearing(
    pre_hearing, vallensbaek, billund, citizen, mailoutbox, django_capture_on_commit_callbacks
):
    municipality = vallensbaek.municipality
    staff(municipality, "moderator", "moderator1@vallensbaek.dk")
    staff(municipality, "moderator", "moderator2@vallensbaek.dk")
    staff(municipality, "moderator", "tidligere@vallensbaek.dk", is_active=False)
    staff(municipality, "editor", "redaktoer@vallensbaek.dk")
    staff(municipality, "council", "raad@vallensbaek.dk")
    staff(billund.municipality, "moderator", "moderator@billund.dk")
    VerifiedUserFactory(email="drift@example.dk", is_staff=True, is_superuser=True)
    start = timezone.now()

    with time_machine.travel(start, tick=False), django_capture_on_commit_callbacks(execute=True):
        submit(pre_hearing, citizen, "Første svar")
    [mail] = moderator_mails(mailoutbox)
    assert mail.to == ["moderator1@vallensbaek.dk", "moderator2@vallensbaek.dk"]
    assert mail.subject == f"Høringssvar venter på moderation – {pre_hearing.title}"
    assert f'1 høringssvar i høringen "{pre_hearing.title}" venter på moderation.' in mail.body
    assert f"http://testserver/personale/moderation/?hearing={pre_hearing.pk}&status=pending" in mail.body

    later = start + dt.timedelta(minutes=59)
    with time_machine.travel(later, tick=False), django_capture_on_commit_callbacks(execute=True):
        submit(pre_hearing, citizen, "Andet svar")
    assert len(moderator_mails(mailoutbox)) == 1

    later = start + dt.timedelta(minutes=61)
    with time_machine.travel(later, tick=False), django_capture_on_commit_callbacks(execute=True):
        submit(pre_hearing, citizen, "Tredje svar")
    mails = moderator_mails(mailoutbox)
    assert len(mails) == 2
    assert f'3 høringssvar i høringen "{pre_hearing.title}" venter på moderation.' in mails[1].body
    assert mails[1].to == ["moderator1@vallensbaek.dk", "moderator2@vallensbaek.dk"]


def test_each_hearing_has_its_own_hour_and_post_moderation_emails_no_one(
    pre_hearing, vallensbaek, citizen, mailoutbox, django_capture_on_commit_callbacks
):
    staff(vallensbaek.municipality, "moderator", "moderator@vallensbaek.dk")
    other = HearingFactory(strategy=vallensbaek, title="Anden høring", moderation=Hearing.Moderation.PRE)
    post = HearingFactory(strategy=vallensbaek, title="Efterfølgende", moderation=Hearing.Moderation.POST)
    with django_capture_on_commit_callbacks(execute=True):
        submit(pre_hearing, citizen, "Et")
        submit(other, citizen, "To")
        submit(post, citizen, "Tre")
    assert sorted(m.subject for m in moderator_mails(mailoutbox)) == sorted(
        f"Høringssvar venter på moderation – {h.title}" for h in (pre_hearing, other)
    )
    assert notify_moderators(pre_hearing.pk) == 0  # within the hour


def test_a_failed_moderator_email_is_retried_and_sent(pre_hearing, vallensbaek, monkeypatch, mailoutbox):
    """The SMTP server fails once: the retry still sends the e-mail (the hour's claim is given back)."""
    from notifications import mail

    staff(vallensbaek.municipality, "moderator", "moderator@vallensbaek.dk")
    add(pre_hearing, "pending")
    real = mail.send
    calls = []

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise OSError("SMTP nede")
        return real(*args, **kwargs)

    monkeypatch.setattr(mail, "send", flaky)
    result = notify_moderators.apply(args=[pre_hearing.pk])
    assert (result.state, result.result, len(calls)) == ("SUCCESS", 1, 2)
    assert [m.to for m in mailoutbox] == [["moderator@vallensbaek.dk"]]
    # ... and the claim holds again: a second call within the hour sends nothing.
    assert notify_moderators.apply(args=[pre_hearing.pk]).result == 0
