"""The administration's remarks are drafts until staff release them for the whole hearing; the release
shows them on the public pages and writes once to each author, in the language they answered in."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from hearings import services as hearing_services
from moderation import services as moderation
from moderation.models import ModerationEvent
from notifications import follows, tasks
from notifications.models import NotificationSent
from tests.accounts.factories import VerifiedUserFactory, staff
from tests.analysis.factories import TopicFactory, TopicResponseFactory
from tests.hearings.factories import add
from tests.helpers import public_html

pytestmark = pytest.mark.django_db


@pytest.fixture
def hearing(open_hearing):
    """Closed an hour ago: the usual moment to answer the responses."""
    open_hearing.closes_at = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
    open_hearing.opens_at = open_hearing.closes_at - dt.timedelta(days=20)
    open_hearing.save()
    return open_hearing


@pytest.fixture
def answered(hearing, moderator, section5):
    """Mette (Danish) has two published responses, one with a remark, one in a topic with a remark; John
    (English) has one with no remark; Ole's only response waits for moderation, Sara's was hidden."""
    mette = VerifiedUserFactory(email="mette@example.dk", name="Mette Borger")
    john = VerifiedUserFactory(email="john@example.dk", name="John Smith")
    ole = VerifiedUserFactory(email="ole@example.dk", name="Ole Venter")
    sara = VerifiedUserFactory(email="sara@example.dk", name="Sara Skjult")
    first = add(hearing, author=mette, text="Flere cykelstier.", language="da")
    second = add(hearing, author=mette, text="Bevar skoven.", language="da", target_section=section5)
    english = add(hearing, author=john, text="More benches, please.", language="en")
    add(hearing, "pending", author=ole, text="Venter stadig.")
    hidden = add(hearing, "hidden", author=sara, text="Skjult svar.")
    moderation.save_remark(response=first, actor=moderator, recommendation="change",
                           text="Cykelstierne kommer med i trafikplanen.")  # fmt: skip
    moderation.save_remark(response=hidden, actor=moderator, recommendation="noted",
                           text="Bemærkning til et skjult svar.")  # fmt: skip
    forest = TopicFactory(hearing=hearing, title="Skoven", summary="Svarene vil bevare skoven.",
                          remark="Skoven bevares som rekreativt område.", recommendation="covered")  # fmt: skip
    TopicResponseFactory(topic=forest, response=second)
    return {
        "mette": mette,
        "john": john,
        "first": first,
        "second": second,
        "english": english,
        "topic": forest,
    }


def release_through_the_page(client, hearing, user, django_capture_on_commit_callbacks):
    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("moderation:release_remarks", args=[hearing.pk]), follow=True)


def test_nothing_shows_or_is_sent_before_the_release_then_each_author_gets_one_email(
    client, hearing, answered, moderator, django_capture_on_commit_callbacks
):
    url = hearing.get_absolute_url()
    # Before: the hearing has closed, and still no remark, topic or e-mail is out, whatever the beat does.
    tasks.send_due_notifications()
    for page in (url, answered["first"].get_absolute_url()):
        html = public_html(client, page)
        assert "Cykelstierne kommer med i trafikplanen." not in html
        assert "Skoven bevares" not in html and "Administrationens bemærkninger efter emne" not in html
    assert mail.outbox == []

    page = release_through_the_page(client, hearing, moderator, django_capture_on_commit_callbacks)
    assert "Bemærkningerne er frigivet." in page.content.decode()

    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert sorted(by_recipient) == ["john@example.dk", "mette@example.dk"]  # not Ole (pending), not Sara
    mette = by_recipient["mette@example.dk"]
    assert mette.subject == f"Administrationens bemærkninger til dit høringssvar – {hearing.title}"
    assert "Cykelstierne kommer med i trafikplanen." in mette.body
    assert (
        'Dit svar indgår i emnet "Skoven".' in mette.body
        and "Skoven bevares som rekreativt område." in mette.body
    )
    assert f"http://testserver{url}#emne-{answered['topic'].pk}" in mette.body
    assert f"http://testserver{answered['first'].get_absolute_url()}" in mette.body
    assert "Bemærkning til et skjult svar." not in mette.body
    john = by_recipient["john@example.dk"]
    assert john.subject == f"The administration's remarks on your consultation response – {hearing.title}"
    assert "The administration has not written a remark on this response in particular." in john.body

    # After: shown on the public pages, the topic with its published responses.
    client.logout()
    html = public_html(client, url)
    assert "Cykelstierne kommer med i trafikplanen." in html
    assert (
        "Administrationens bemærkninger efter emne" in html
        and "Skoven bevares som rekreativt område." in html
    )
    assert f'href="{answered["second"].get_absolute_url()}"' in html
    assert "Bemærkning til et skjult svar." not in html

    # Released again (a second click, a second worker, the summary published): nobody is written to twice.
    with django_capture_on_commit_callbacks(execute=True):
        assert hearing_services.release_remarks(hearing=hearing, actor=moderator) is False
        hearing_services.publish_summary(hearing=hearing, actor=moderator)
    assert tasks.send_remarks_released(hearing.pk) == 2
    tasks.send_due_notifications()
    assert len(mail.outbox) == 2
    assert NotificationSent.objects.filter(kind=NotificationSent.Kind.REMARKS_RELEASED).count() == 2
    assert ModerationEvent.objects.filter(action=ModerationEvent.Action.REMARKS_RELEASED).count() == 1


def test_a_remark_written_after_the_release_shows_at_once_and_its_author_hears_once(
    client, hearing, answered, moderator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        hearing_services.release_remarks(hearing=hearing, actor=moderator)
    follows.follow_hearing(user=answered["john"], hearing=hearing)
    mail.outbox.clear()
    with time_machine.travel(dt.datetime.now(dt.UTC) + dt.timedelta(minutes=5)):
        moderation.save_remark(response=answered["english"], actor=moderator, recommendation="no_change",
                               text="Bænke indgår allerede i planen.")  # fmt: skip
    assert "Bænke indgår allerede i planen." in public_html(client, hearing.get_absolute_url())
    tasks.send_due_notifications()
    tasks.send_due_notifications()
    assert [message.to for message in mail.outbox] == [["john@example.dk"]]
    assert "Bænke indgår allerede i planen." in mail.outbox[0].body


def test_publishing_the_summary_releases_the_remarks(
    hearing, answered, moderator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        hearing_services.publish_summary(hearing=hearing, actor=moderator)
    hearing.refresh_from_db()
    assert hearing.remarks_released_at == hearing.summary_published_at
    assert sorted(message.to[0] for message in mail.outbox) == ["john@example.dk", "mette@example.dk"]


def test_a_hearing_that_shows_remarks_as_written_is_not_released(client, hearing, answered, moderator):
    hearing.remarks_as_written = True
    hearing.save()
    assert "Cykelstierne kommer med i trafikplanen." in public_html(client, hearing.get_absolute_url())
    client.force_login(moderator)
    overview = client.get(reverse("moderation:overview", args=[hearing.pk])).content.decode()
    assert "efterhånden som de skrives" in overview and "Frigiv bemærkningerne" not in overview
    page = client.post(reverse("moderation:release_remarks", args=[hearing.pk]), follow=True)
    assert "de skal ikke frigives" in page.content.decode()
    hearing.refresh_from_db()
    assert hearing.remarks_released_at is None


@pytest.mark.parametrize("who", ["citizen", "council", "billund_moderator", "anonymous"])
def test_only_moderators_and_editors_of_the_municipality_release(
    client, hearing, answered, billund, who, django_capture_on_commit_callbacks
):
    users = {
        "citizen": lambda: VerifiedUserFactory(email="borger@example.dk"),
        "council": lambda: staff(hearing.strategy.municipality, "council", "raad@example.dk"),
        "billund_moderator": lambda: staff(billund.municipality, "moderator", "b-mod@example.dk"),
        "anonymous": lambda: None,
    }
    user = users[who]()
    if user:
        client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        result = client.post(reverse("moderation:release_remarks", args=[hearing.pk]))
    assert result.status_code in (302, 404)
    if result.status_code == 302:
        assert "/konto/" in result.url or "login" in result.url
    hearing.refresh_from_db()
    assert hearing.remarks_released_at is None
    assert mail.outbox == []


def test_the_overview_offers_the_release_with_the_number_of_authors(client, hearing, answered, editor):
    client.force_login(editor)
    html = client.get(reverse("moderation:overview", args=[hearing.pk])).content.decode()
    assert "Bemærkningerne er kladder" in html
    assert "hver af de 2 afsendere får én e-mail" in html
    assert "Frigiv bemærkningerne" in html


def test_the_letter_is_read_in_two_queries_whatever_the_number_of_responses(
    hearing, answered, django_assert_num_queries
):
    for _n in range(5):
        TopicResponseFactory(
            topic=TopicFactory(hearing=hearing), response=add(hearing, author=answered["mette"])
        )
    with django_assert_num_queries(2):
        context = tasks.remarks_letter_context(hearing=hearing, user=answered["mette"])
    assert [letter["response"].number for letter in context["letters"]] == [1, 2, 6, 7, 8, 9, 10]
    assert [len(letter["topics"]) for letter in context["letters"]] == [0, 1, 1, 1, 1, 1, 1]
