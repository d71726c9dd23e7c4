"""The response list of the hearing and section pages is cached (hearings.response_cache): a reader
after the first pays fewer queries, every change that shows is seen on the next request, and nothing
of one visitor's (their language, CSRF token, messages, follow) reaches another through the cache."""

import datetime as dt
import re

import pytest
import time_machine
from django.core.cache import cache
from django.middleware.csrf import _unmask_cipher_token
from django.urls import reverse
from django.utils import timezone

from hearings import personal_data, response_cache, services
from hearings.models import Hearing, ResponseAttachment
from moderation import services as moderation
from tests.accounts.factories import VerifiedUserFactory, staff
from tests.hearings.factories import add
from tests.hearings.views.test_lists import fill
from tests.moderation.factories import RemarkFactory


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()


@pytest.fixture
def moderator(vallensbaek):
    return staff(vallensbaek.municipality, "moderator", "moderator@vallensbaek.dk", name="Mads Moderator")


@pytest.fixture
def five(open_hearing, section5):
    """Five published responses to sub-vision 5; the first, returned, by Karen Borger."""
    author = VerifiedUserFactory(name="Karen Borger")
    first = add(open_hearing, author=author, display_name="Karen Borger", text="Første svar om stierne.",
                target_section=section5)  # fmt: skip
    fill(open_hearing, 4, target_section=section5)
    return first


def html_of(client, url) -> str:
    result = client.get(url)
    assert result.status_code == 200, url
    return result.content.decode()


def response_list(html: str) -> str:
    """The list's own section of the page."""
    start = html.index('<section class="responses"')
    return html[start : html.index("</section>", start)]


# --- Fewer queries -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("page_name", "first", "then"),
    [
        # the hearing, its events, the page with its hidden notices and count, attachments, the
        # filter's sections, goals, themes; then only the hearing and its events
        ("hearing", 7, 2),
        # strategy, sections, goals, themes, the hearing, the page with its count, attachments; then
        # the page's own five
        ("section", 7, 5),
    ],
)
def test_the_next_reader_of_a_list_pays_fewer_queries_and_sees_the_same(
    client, open_hearing, section5, five, django_assert_num_queries, page_name, first, then
):
    url = open_hearing.get_absolute_url() if page_name == "hearing" else section5.get_absolute_url()
    with django_assert_num_queries(first):
        before = html_of(client, url)
    with django_assert_num_queries(then):
        after = html_of(client, url + "?side=1")
    assert "Viser 1–5 af 5 høringssvar" in response_list(after)
    assert response_list(after) == response_list(before)


def test_made_up_filters_and_pages_are_rendered_but_not_stored(client, open_hearing, five):
    """Otherwise anyone could fill the cache with lists under keys of their own making."""
    url = open_hearing.get_absolute_url()
    for query in ("?side=999", "?side=%C2%B3", "?type=nobody", "?target=goal-999999999", "?target=x-1"):
        html_of(client, url + query)
        html_of(client, url + query)
    assert [key for key in cache._cache if ":hearings:responses:" in key and ":version:" not in key] == []
    html_of(client, url + "?type=private")
    assert len([key for key in cache._cache if ":hearings:responses:" in key and ":version:" not in key]) == 1


# --- Every change that shows is seen at once -----------------------------------------------------


def submit(hearing, section):
    services.submit_response(
        hearing=hearing, author=VerifiedUserFactory(), target_key=f"section-{section.pk}",
        respondent_type="private", display_name="Nyt Navn", text="Et helt nyt svar.", consent=True,
    )  # fmt: skip


CHANGES = {
    # what happens: (the change, what the list shows after it, what it no longer shows)
    "submitted under post-moderation": (
        lambda f: submit(f["hearing"], f["section"]),
        "Et helt nyt svar.",
        "af 5 høringssvar",
    ),
    "hidden by a moderator": (
        lambda f: moderation.moderate(
            response=f["first"], actor=f["moderator"], action="hidden", reason="offensive"
        ),
        "Høringssvar nr. 1 er skjult af moderator",
        "Første svar om stierne.",
    ),
    "edited by its author": (
        lambda f: services.edit_response(
            response=f["first"],
            user=f["first"].author,
            respondent_type="private",
            display_name="Karen Borger",
            text="Rettet: om cykelstierne.",
        ),  # fmt: skip
        "Rettet: om cykelstierne.",
        "Første svar om stierne.",
    ),
    "withdrawn by its author": (
        lambda f: services.withdraw_response(response=f["first"], user=f["first"].author),
        "af 4 høringssvar",
        "Første svar om stierne.",
    ),
    "remarked on by the administration": (
        lambda f: moderation.save_remark(
            response=f["first"], actor=f["moderator"], text="Indgår i planen.", recommendation="change"
        ),
        "Indgår i planen.",
        None,
    ),
    "remark changed": (
        lambda f: moderation.save_remark(
            response=f["second"], actor=f["moderator"], text="Ændret bemærkning.", recommendation="noted"
        ),
        "Ændret bemærkning.",
        "Første bemærkning.",
    ),
    "flagged by three citizens": (
        lambda f: [
            moderation.flag_response(response=f["first"], user=VerifiedUserFactory(), reason="offensive")
            for _ in range(moderation.FLAG_THRESHOLD)
        ],
        "af 4 høringssvar",
        "Første svar om stierne.",
    ),
    "attachment removed in the admin": (
        lambda f: ResponseAttachment.objects.get(response=f["first"]).delete(),
        "Første svar om stierne.",
        "bilag.pdf",
    ),
    "personal data removed": (
        lambda f: personal_data.remove_expired_personal_data(
            now=timezone.now() + dt.timedelta(days=800)  # after the removal date
        ),
        "Anonym",
        "Karen Borger",
    ),
    "section renamed in the admin": (
        lambda f: _save_title(f["section"], "Det grønne Vallensbæk"),
        "Det grønne Vallensbæk",
        None,
    ),
    "response text changed in the admin": (
        lambda f: _save_text(f["first"], "Rettet af platformens operatør."),
        "Rettet af platformens operatør.",
        "Første svar om stierne.",
    ),
}


def _save_title(section, title):
    section.title = title
    section.save()


def _save_text(response, text):
    response.text = text
    response.save()


@pytest.mark.parametrize("change", CHANGES)
def test_a_change_shows_on_the_next_request_of_a_cached_list(
    client, open_hearing, section5, five, moderator, change
):
    open_hearing.remarks_as_written = True
    open_hearing.save(update_fields=["remarks_as_written"])
    second = open_hearing.responses.get(number=2)
    RemarkFactory(response=second, text="Første bemærkning.", recommendation="no_change")
    ResponseAttachment.objects.create(
        response=five, file="attachments/x.pdf", original_name="bilag.pdf", kind="pdf", size=9
    )
    act, shown, gone = CHANGES[change]
    five.refresh_from_db()
    urls = [open_hearing.get_absolute_url(), section5.get_absolute_url()]
    for url in urls:
        before = response_list(html_of(client, url))
        assert "Første svar om stierne." in before and "bilag.pdf" in before
        if gone:
            assert gone in before
    act(
        {
            "hearing": open_hearing,
            "section": section5,
            "first": five,
            "second": second,
            "moderator": moderator,
        }
    )
    for url in urls:
        after = response_list(html_of(client, url))
        assert shown in after, url
        if gone:
            assert gone not in after, url


def test_a_response_published_by_a_moderator_under_pre_moderation_shows(client, open_hearing, moderator):
    open_hearing.moderation = Hearing.Moderation.PRE
    open_hearing.save(update_fields=["moderation"])
    pending = add(open_hearing, "pending", text="Venter på moderator.")
    url = open_hearing.get_absolute_url()
    assert "Venter på moderator." not in html_of(client, url)
    moderation.moderate(response=pending, actor=moderator, action="published")
    assert "Venter på moderator." in response_list(html_of(client, url))


def test_showing_the_remarks_while_open_is_a_hearing_edit_that_shows(client, open_hearing, five):
    RemarkFactory(response=five, text="Indgår i planen.", recommendation="change")
    url = open_hearing.get_absolute_url()
    assert "Indgår i planen." not in html_of(client, url)
    open_hearing.remarks_as_written = True
    open_hearing.save()  # as the admin saves it
    assert "Indgår i planen." in response_list(html_of(client, url))


def test_a_hearing_that_closes_by_the_clock_drops_its_report_links_and_shows_its_remarks_once_released(
    client, open_hearing, five, moderator
):
    """Nothing is saved when a hearing closes: the state is part of the key. (The clock moves less
    than the entries' lifetime, so it is not their expiry that shows the change.) Closing does not show
    the remarks, which are drafts until released; the release does, on the next request."""
    RemarkFactory(response=five, text="Indgår i planen.", recommendation="change")
    closes_at = timezone.now() + dt.timedelta(minutes=1)
    Hearing.objects.filter(pk=open_hearing.pk).update(closes_at=closes_at)
    url = open_hearing.get_absolute_url()
    html = response_list(html_of(client, url))
    assert "Anmeld" in html and "Indgår i planen." not in html
    with time_machine.travel(closes_at + dt.timedelta(seconds=1), tick=False):
        html = response_list(html_of(client, url))
        assert "Anmeld" not in html and "Indgår i planen." not in html
        services.release_remarks(hearing=open_hearing, actor=moderator)
        html = response_list(html_of(client, url))
    assert "Anmeld" not in html and "Indgår i planen." in html


def test_the_bump_after_commit_replaces_a_version_read_before_it(
    open_hearing, django_capture_on_commit_callbacks
):
    """A reader who renders between the change and its commit stores the old list under the version
    of the first bump; the second, after the commit, makes it unread."""
    with django_capture_on_commit_callbacks() as callbacks:
        response_cache.bump([open_hearing.pk])
        during = response_cache.current_version(open_hearing.pk)
    for callback in callbacks:
        callback()
    assert response_cache.current_version(open_hearing.pk) != during


# --- Nothing of one visitor reaches another ------------------------------------------------------


def test_the_language_is_part_of_the_key(client, open_hearing, five):
    url = open_hearing.get_absolute_url()
    assert "Viser 1–5 af 5 høringssvar" in response_list(html_of(client, url))
    client.cookies["django_language"] = "en"
    english = response_list(html_of(client, url))
    assert "Showing 1–5 of 5 responses" in english and "Report" in english
    assert "Viser" not in english and "Anmeld" not in english
    del client.cookies["django_language"]
    danish = response_list(html_of(client, url))
    assert "Viser 1–5 af 5 høringssvar" in danish and "Showing" not in danish


def csrf_tokens(html: str) -> set[str]:
    return set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html))


def test_a_signed_in_citizen_sees_their_own_token_message_and_follow_and_the_next_visitor_none_of_them(
    client, open_hearing, five, django_assert_num_queries
):
    karen = VerifiedUserFactory(name="Karen Borger", email="karen@example.dk")
    client.force_login(karen)
    url = open_hearing.get_absolute_url()
    html_of(client, url)  # the list is cached now
    followed = client.post(reverse("notifications:follow", args=[open_hearing.pk]), follow=True)
    html = followed.content.decode()
    assert "Du følger høringen." in html and "karen@example.dk" in html
    tokens = csrf_tokens(html)
    assert tokens and {_unmask_cipher_token(t) for t in tokens} == {client.cookies["csrftoken"].value}

    other = client.__class__()
    with django_assert_num_queries(2):  # the list from the cache
        html = html_of(other, url)
    assert "Viser 1–5 af 5 høringssvar" in html
    assert "Du følger høringen." not in html and "karen@example.dk" not in html
    assert "csrftoken" not in other.cookies or {_unmask_cipher_token(t) for t in csrf_tokens(html)} == {
        other.cookies["csrftoken"].value
    }
    assert "csrfmiddlewaretoken" not in response_list(html)
