"""Readers who are not signed in get the hearing page whole from the cache (hearings.page_cache): no
query, yet their own CSRF token and the time left now, every change that shows at once, and nothing of
a signed-in visitor's or of another language."""

import datetime as dt
import re

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hearings import services
from hearings.models import Hearing, HearingEvent
from moderation import services as moderation
from tests.accounts.factories import VerifiedUserFactory, staff
from tests.hearings.factories import add
from tests.hearings.views.test_lists import fill


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()


@pytest.fixture
def moderator(vallensbaek):
    return staff(vallensbaek.municipality, "moderator", "moderator@vallensbaek.dk")


@pytest.fixture
def url(open_hearing) -> str:
    fill(open_hearing, 50)
    return open_hearing.get_absolute_url()


def page(client, url) -> str:
    result = client.get(url)
    assert result.status_code == 200, url
    return result.content.decode()


def tokens(html: str) -> set[str]:
    return set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html))


def without_tokens(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_the_next_reader_gets_the_same_page_with_no_query(client, url, django_assert_num_queries):
    first = page(client, url)
    for address in (url, url + "?side=2"):
        page(Client(), address)
        with django_assert_num_queries(0):
            again = page(Client(), address)
        assert "Vis flere" in again and "Log ind" in again
    with django_assert_num_queries(0):
        cached = Client().get(url)
    assert cached.status_code == 200
    assert without_tokens(cached.content.decode()) == without_tokens(first)
    # The middleware runs as for every page: the policy, the language, the visitor's CSRF cookie.
    assert "script-src 'self'" in cached["Content-Security-Policy"]
    assert cached["Content-Language"] == "da" and "csrftoken" in cached.cookies


def test_every_reader_gets_a_csrf_token_of_their_own_that_works(url):
    page(Client(), url)  # kept
    seen = set()
    for _ in range(2):
        reader = Client(enforce_csrf_checks=True)
        (token,) = tokens(page(reader, url))
        assert _unmask_cipher_token(token) == reader.cookies["csrftoken"].value
        seen.add(token)
        switched = reader.post(
            reverse("set_language"), {"language": "en", "next": url, "csrfmiddlewaretoken": token}
        )
        assert switched.status_code == 302 and reader.cookies["django_language"].value == "en"
        assert "Showing 1–20 of 50 responses" in page(reader, url)
    assert len(seen) == 2


def test_the_time_left_is_that_of_each_request(url, open_hearing, django_assert_num_queries):
    closes_at = timezone.now().replace(microsecond=0) + dt.timedelta(hours=1, minutes=2)
    Hearing.objects.filter(pk=open_hearing.pk).update(closes_at=closes_at)
    with time_machine.travel(closes_at - dt.timedelta(hours=1, minutes=2), tick=False):
        assert "1 time og 2 minutter tilbage" in page(Client(), url)
    with (
        time_machine.travel(closes_at - dt.timedelta(minutes=59, seconds=30), tick=False),
        django_assert_num_queries(0),
    ):
        html = page(Client(), url)
    assert "59 minutter tilbage" in html and "1 time" not in html and "<!--" not in html


def test_a_hearing_that_opens_by_the_clock_is_shown_open(client, open_hearing):
    """Nothing is saved when a hearing opens: the entry ends when the state changes."""
    opens_at = timezone.now() + dt.timedelta(minutes=1)
    Hearing.objects.filter(pk=open_hearing.pk).update(opens_at=opens_at)
    url = open_hearing.get_absolute_url()
    assert "Høringen åbner snart" in page(client, url)
    assert "Høringen åbner snart" in page(Client(), url)
    with time_machine.travel(opens_at + dt.timedelta(seconds=1), tick=False):
        html = page(Client(), url)
    assert "Åben for høringssvar" in html and "Skriv et høringssvar" in html


def _add_event(hearing):
    HearingEvent.objects.create(
        hearing=hearing, title="Borgermøde på rådhuset", starts_at=timezone.now() + dt.timedelta(days=3)
    )


def _change_phone(hearing):
    municipality = hearing.strategy.municipality
    municipality.phone = "43 97 99 99"
    municipality.save()


def _publish_response(hearing):
    add(hearing, text="Et svar, der kom i sidste øjeblik.")


@pytest.mark.parametrize(
    ("change", "shown"),
    [
        (_add_event, "Borgermøde på rådhuset"),
        (_change_phone, "43 97 99 99"),
        (_publish_response, "Viser 1–20 af 51 høringssvar"),
    ],
)
def test_a_change_on_the_page_shows_on_the_next_request(url, open_hearing, change, shown):
    assert shown not in page(Client(), url)
    assert shown not in page(Client(), url)  # served from the cache
    change(open_hearing)
    assert shown in page(Client(), url)


def test_a_signed_in_visitor_gets_their_own_page_and_leaves_nothing_behind(client, url, open_hearing):
    karen = VerifiedUserFactory(name="Karen Borger", email="karen@example.dk")
    page(Client(), url)  # kept for readers who are not signed in
    client.force_login(karen)
    html = page(client, url)
    assert "Log ud" in html and "Mine høringssvar" in html and "Log ind" not in html
    client.post(reverse("notifications:follow", args=[open_hearing.pk]))
    assert "Du følger høringen." in page(client, url)
    html = page(Client(), url)
    assert "Log ind" in html and "Log ud" not in html and "karen@example.dk" not in html


def test_a_waiting_message_is_shown_to_its_reader_alone(client, url):
    """A page with a message is never served from nor kept in the cache."""
    page(Client(), url)
    client.force_login(VerifiedUserFactory())
    logged_out = client.post(reverse("account_logout"), {"next": url}, follow=True)
    assert logged_out.redirect_chain[-1][0] == url
    assert "Du har logget ud." in logged_out.content.decode()
    assert "Du har logget ud." not in page(client, url)
    assert "Du har logget ud." not in page(Client(), url)


def test_the_languages_are_kept_apart(url):
    assert "Viser 1–20 af 50 høringssvar" in page(Client(), url)
    english = Client()
    english.cookies["django_language"] = "en"
    html = page(english, url)
    assert "Showing 1–20 of 50 responses" in html and "Viser" not in html
    assert "Viser 1–20 af 50 høringssvar" in page(Client(), url)


@pytest.mark.parametrize(
    "query", ["?side=02", "?side=2&side=2", "?side=99", "?utm_source=x", "?type=nobody", "?side=%32"]
)
def test_addresses_of_no_page_of_ours_are_rendered_but_not_kept(url, query):
    """Otherwise anyone could fill the cache with pages under addresses of their own making."""
    page(Client(), url + query)
    assert [key for key in cache._cache if ":hearings:page:" in key] == []
    with CaptureQueriesContext(connection) as queries:
        html = page(Client(), url + query)
    assert len(queries) > 0
    assert "<h1>Høring om Kommuneplanstrategi 2018</h1>" in html and "af 50 høringssvar" in html


# --- At the deadline rush: a new response renders the last page again, and no other ---------------


def submit(hearing, text: str):
    return services.submit_response(
        hearing=hearing, author=VerifiedUserFactory(), target_key="strategy",
        respondent_type="private", display_name="Sidste Øjeblik", text=text, consent=True,
    )  # fmt: skip


def test_a_new_response_renders_only_the_last_page_again_and_every_page_counts_it(
    url, open_hearing, django_assert_num_queries
):
    for address in (url, url + "?side=2", url + "?side=3", url + "?type=private"):
        page(Client(), address)  # kept: 50 responses, pages 1 and 2 full, page 3 the last
    submit(open_hearing, "Et svar, der kom i sidste øjeblik.")
    with django_assert_num_queries(1):  # the new count, then kept beside the page
        first = page(Client(), url)
    with django_assert_num_queries(0):
        second = page(Client(), url + "?side=2")
    assert "Viser 1–20 af 51 høringssvar" in first and "Viser 21–40 af 51 høringssvar" in second
    assert "Et svar, der kom i sidste øjeblik." not in first + second
    last = page(Client(), url + "?side=3")
    assert "Viser 41–51 af 51 høringssvar" in last and "Et svar, der kom i sidste øjeblik." in last
    submit(open_hearing, "Endnu et.")
    assert "Viser 21–40 af 52 høringssvar" in page(Client(), url + "?side=2")
    private = open_hearing.responses.filter(status="published", respondent_type="private").count()
    assert f"af {private} høringssvar" in page(Client(), url + "?type=private")  # the filter's own count


def test_a_response_waiting_for_moderation_changes_no_page(url, open_hearing, django_assert_num_queries):
    open_hearing.moderation = Hearing.Moderation.PRE
    open_hearing.save(update_fields=["moderation"])
    before = page(Client(), url)
    submit(open_hearing, "Venter på moderator.")
    with django_assert_num_queries(0):
        after = page(Client(), url)
    assert without_tokens(after) == without_tokens(before) and "Venter på moderator." not in after


def test_an_earlier_response_published_late_renders_every_page_again(url, open_hearing, moderator):
    """Published out of order (pre-moderation), it moves every later response one place."""
    open_hearing.moderation = Hearing.Moderation.PRE
    open_hearing.save(update_fields=["moderation"])
    early = add(open_hearing, "pending", text="Først indsendt, sidst godkendt.")
    add(open_hearing, text="Sidst indsendt, først godkendt.")
    assert "Viser 21–40 af 51 høringssvar" in page(Client(), url + "?side=2")
    moderation.moderate(response=early, actor=moderator, action="published")
    html = page(Client(), url + "?side=2")
    assert "Viser 21–40 af 52 høringssvar" in html
