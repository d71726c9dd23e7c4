"""RSS/Atom feeds and iCalendar files: valid (parsed with feedparser and icalendar), and never anything
unpublished."""

import datetime as dt
import re
import xml.etree.ElementTree as ET

import feedparser
import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from hearings.models import HearingEvent
from strategies.models import Strategy
from tests.accounts.factories import VerifiedUserFactory
from tests.hearings.factories import HearingFactory, ResponseFactory
from tests.strategies.factories import MunicipalityFactory, SectionFactory, StrategyFactory
from tests.textutil import MARKDOWN_MARKS, MARKDOWN_SOURCE, write_raw

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    north = MunicipalityFactory(name="Nordby Kommune", slug="nordby")
    south = MunicipalityFactory(name="Sydby Kommune", slug="sydby")
    north_hearing = HearingFactory(
        strategy=StrategyFactory(municipality=north), title="Høring om havnen", intro="Om <b>havnen</b>."
    )
    south_hearing = HearingFactory(strategy=StrategyFactory(municipality=south), title="Høring om skoven")
    draft = StrategyFactory(municipality=north, status=Strategy.Status.DRAFT)
    draft_hearing = HearingFactory(strategy=draft, title="Hemmelig høring")
    return {
        "north": north,
        "north_hearing": north_hearing,
        "south_hearing": south_hearing,
        "draft": draft_hearing,
    }


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    return response, feed


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_the_hearing_feed_lists_public_hearings_only(client, world, kind):
    response, feed = parse(client, reverse(f"notifications:feed_{kind}"))
    assert feed.version == ("rss20" if kind == "rss" else "atom10")
    assert response["Content-Type"].startswith(
        "application/rss+xml" if kind == "rss" else "application/atom+xml"
    )
    titles = {entry.title for entry in feed.entries}
    assert titles == {"Høring om havnen", "Høring om skoven"}
    entry = next(e for e in feed.entries if e.title == "Høring om havnen")
    assert entry.link == "http://testserver" + world["north_hearing"].get_absolute_url()
    assert "Høringsperiode" in entry.summary
    assert "<p>Om havnen.</p>" in entry.summary  # the intro's text, as its page shows it


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_a_hearing_intro_in_a_feed_is_its_text_not_its_markdown(client, kind):
    HearingFactory(title="Høring om skolerne", intro=MARKDOWN_SOURCE + "\n\n" + "Flere ord. " * 40)
    _response, feed = parse(client, reverse(f"notifications:feed_{kind}"))
    [entry] = feed.entries
    assert (
        "<p>Hvad er en kommuneplanstrategi egentlig? Dette er en vigtig plan (&lt;script&gt; A &amp; B) om "
        "fremtiden for skolerne. Flere ord."
    ) in entry.summary  # the code span's text escaped once; then cut at 60 words with an ellipsis
    assert entry.summary.endswith(" Flere ord.…</p>") and entry.summary.count("Flere") == 21  # 18 + 42 words
    text = entry.summary.replace("<p>", "").replace("</p>", "")
    assert "<" not in text
    for mark in MARKDOWN_MARKS:
        assert mark not in text, mark


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_the_municipality_feed_has_its_own_hearings(client, world, kind):
    _response, feed = parse(client, reverse(f"notifications:municipality_feed_{kind}", args=["nordby"]))
    assert [entry.title for entry in feed.entries] == ["Høring om havnen"]
    assert "Nordby Kommune" in feed.feed.title
    assert (
        client.get(reverse(f"notifications:municipality_feed_{kind}", args=["findes-ikke"])).status_code
        == 404
    )


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_the_response_feed_has_published_responses_only(client, world, kind):
    hearing = world["north_hearing"]
    for number, status in enumerate(["published", "pending", "rejected", "hidden", "withdrawn"], start=1):
        ResponseFactory(hearing=hearing, number=number, status=status, display_name=f"Person {number}",
                        text=f"Svar {number} <script>alert(1)</script>")  # fmt: skip
    _response, feed = parse(client, reverse(f"notifications:response_feed_{kind}", args=[hearing.pk]))
    assert [entry.title for entry in feed.entries] == ["Høringssvar nr. 1 fra Person 1"]
    entry = feed.entries[0]
    assert entry.link == f"http://testserver/hoeringer/{hearing.pk}/svar/1/"
    assert "&lt;script&gt;" in entry.summary
    assert entry.author == "Person 1"


def test_no_feed_or_calendar_of_a_draft_strategys_hearing(client, world):
    pk = world["draft"].pk
    for name in ("response_feed_rss", "response_feed_atom", "calendar"):
        assert client.get(reverse(f"notifications:{name}", args=[pk])).status_code == 404


def test_the_feed_query_count_does_not_grow_with_its_items(client, world, django_assert_max_num_queries):
    for n in range(1, 15):
        ResponseFactory(hearing=world["north_hearing"], number=n)
    with django_assert_max_num_queries(3):
        _response, feed = parse(
            client, reverse("notifications:response_feed_rss", args=[world["north_hearing"].pk])
        )
    titles = {entry.title.split(" fra ")[0] for entry in feed.entries}
    assert titles == {f"Høringssvar nr. {n}" for n in range(1, 15)}
    with django_assert_max_num_queries(3):
        _response, feed = parse(client, reverse("notifications:feed_rss"))
    assert {entry.title for entry in feed.entries} == {"Høring om havnen", "Høring om skoven"}


def read_calendar(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    return icalendar.Calendar.from_ical(response.content)


def test_a_hearing_calendar_has_opening_deadline_and_events(client, world):
    hearing = world["north_hearing"]
    starts = timezone.now().replace(microsecond=0) + dt.timedelta(days=2)
    HearingEvent.objects.create(
        hearing=hearing, title="Borgermøde om havnen", starts_at=starts, ends_at=starts + dt.timedelta(hours=2),
        place="Rådhuset, Torvet 1",
    )  # fmt: skip
    cal = read_calendar(client, reverse("notifications:calendar", args=[hearing.pk]))
    assert str(cal["version"]) == "2.0"
    events = {str(e["summary"]): e for e in cal.walk("VEVENT")}
    assert set(events) == {
        "Høringen åbner: Høring om havnen",
        "Høringsfrist: Høring om havnen",
        "Borgermøde om havnen (borgermøde)",
    }
    deadline = events["Høringsfrist: Høring om havnen"]
    assert deadline.decoded("dtstart") == hearing.closes_at.replace(microsecond=0)
    assert str(deadline["url"]) == "http://testserver" + hearing.get_absolute_url()
    [alarm] = deadline.walk("VALARM")
    assert alarm.decoded("trigger") == -dt.timedelta(days=1)
    meeting = events["Borgermøde om havnen (borgermøde)"]
    assert meeting.decoded("dtstart") == starts
    assert meeting.decoded("dtend") == starts + dt.timedelta(hours=2)
    assert str(meeting["location"]) == "Rådhuset, Torvet 1"
    assert len({str(e["uid"]) for e in events.values()}) == 3


def test_a_municipality_calendar_has_its_public_hearings(client, world):
    cal = read_calendar(client, reverse("notifications:municipality_calendar", args=["nordby"]))
    summaries = sorted(str(e["summary"]) for e in cal.walk("VEVENT"))
    assert summaries == ["Høringen åbner: Høring om havnen", "Høringsfrist: Høring om havnen"]
    assert client.get(reverse("notifications:municipality_calendar", args=["findes-ikke"])).status_code == 404


def test_the_hearing_and_municipality_pages_link_calendar_and_feeds(client, world):
    hearing = world["north_hearing"]
    html = client.get(hearing.get_absolute_url()).content.decode()
    assert f'href="/hoeringer/{hearing.pk}/kalender.ics"' in html
    assert f'href="/hoeringer/{hearing.pk}/svar/rss/"' in html
    html = client.get(world["north"].get_absolute_url()).content.decode()
    assert 'href="/hoeringer/kommune/nordby/kalender.ics"' in html
    assert 'href="/hoeringer/kommune/nordby/rss/"' in html


def test_the_hearing_list_links_its_feeds(client, world):
    html = client.get(reverse("hearings:list")).content.decode()
    assert '<link rel="alternate" type="application/rss+xml" title="Høringer" href="/hoeringer/rss/">' in html
    assert 'href="/hoeringer/atom/"' in html


def calendar_links(html: str) -> list[str]:
    return re.findall(
        r'<a class="function-link calendar-link" href="([^"]+)">Sæt høringsfristen i din kalender', html
    )


def test_every_page_that_shows_a_deadline_links_its_calendar(client):
    now = timezone.now().replace(microsecond=0)
    strategy = StrategyFactory()
    section = SectionFactory(strategy=strategy)
    hearing = HearingFactory(
        strategy=strategy, title="Høring om havnen", closes_at=now + dt.timedelta(days=9)
    )
    upcoming = HearingFactory(
        title="Høring om skoven", opens_at=now + dt.timedelta(days=3), closes_at=now + dt.timedelta(days=30)
    )
    url = reverse("notifications:calendar", args=[hearing.pk])
    client.force_login(VerifiedUserFactory())
    for page in ("/", reverse("hearings:list"), strategy.get_absolute_url(), section.get_absolute_url(),
                 hearing.get_absolute_url(), reverse("hearings:respond", args=[hearing.pk])):  # fmt: skip
        response = client.get(page)
        assert response.status_code == 200, page
        html = response.content.decode()
        assert calendar_links(html).count(url) == 1, page
        assert 'kalender (iCal)<span class="sr-only">: Høring om havnen</span></a>' in html, page
    for page in ("/", reverse("hearings:list"), upcoming.get_absolute_url()):
        assert reverse("notifications:calendar", args=[upcoming.pk]) in calendar_links(
            client.get(page).content.decode()
        )

    cal = read_calendar(client, url)
    [deadline] = [e for e in cal.walk("VEVENT") if str(e["summary"]) == "Høringsfrist: Høring om havnen"]
    assert deadline.decoded("dtstart") == hearing.closes_at


def test_a_closed_hearing_offers_no_calendar_for_its_deadline(client):
    now = timezone.now()
    hearing = HearingFactory(opens_at=now - dt.timedelta(days=30), closes_at=now - dt.timedelta(days=1))
    for page in (hearing.strategy.get_absolute_url(), hearing.get_absolute_url(), reverse("hearings:list")):
        assert calendar_links(client.get(page).content.decode()) == [], page


# --- Characters XML cannot carry (issue 12, item 1) -------------------------------------------------------

# U+000B (a word processor's manual line break), C0 and C1 controls, noncharacters, a line separator.
BAD = "Før\x0bEfter\x01\ufffe\uffff\x7f\u2028slut æøå 😀"
BAD_LINE, BAD_LINES = "Før Efter slut æøå 😀", "Før\nEfter\nslut æøå 😀"


@pytest.fixture
def bad_rows(world):
    """A public response, its hearing, strategy, municipality and an event whose texts hold characters XML
    cannot carry: written past the text policy on input, as an old row or a direct edit could be."""
    hearing = world["north_hearing"]
    response = ResponseFactory(hearing=hearing, number=1, respondent_type="association")
    write_raw(response, display_name=BAD, organisation_name=BAD, text=BAD)
    write_raw(hearing, title=BAD, intro=BAD)
    write_raw(hearing.strategy, title=BAD)
    write_raw(world["north"], name=BAD)
    event = HearingEvent.objects.create(hearing=hearing, title="Møde", starts_at=hearing.opens_at)
    write_raw(event, title=BAD, place=BAD, description=BAD)
    return hearing


FEEDS = [
    ("feed_rss", []),
    ("feed_atom", []),
    ("municipality_feed_rss", ["nordby"]),
    ("municipality_feed_atom", ["nordby"]),
    ("response_feed_rss", None),
    ("response_feed_atom", None),
]


@pytest.mark.parametrize(("name", "args"), FEEDS)
def test_every_feed_is_well_formed_xml_whatever_a_row_holds(client, bad_rows, name, args):
    response = client.get(reverse(f"notifications:{name}", args=[bad_rows.pk] if args is None else args))
    assert response.status_code == 200
    root = ET.fromstring(response.content)  # a strict parser (expat), not feedparser's lenient one
    text = "".join(root.itertext())
    assert BAD_LINE in text or BAD_LINES in text
    assert all(ch in "\t\n" or ch >= " " for ch in text) and "\ufffe" not in text and "\x7f" not in text


@pytest.mark.parametrize("name", ["calendar", "municipality_calendar"])
def test_every_calendar_parses_whatever_a_row_holds(client, bad_rows, name):
    cal = read_calendar(
        client, reverse(f"notifications:{name}", args=[bad_rows.pk if name == "calendar" else "nordby"])
    )
    summaries = {str(e["summary"]) for e in cal.walk("VEVENT")}
    assert f"Høringsfrist: {BAD_LINE}" in summaries
    if name == "calendar":
        meeting = next(e for e in cal.walk("VEVENT") if str(e["summary"]).startswith(BAD_LINE))
        assert str(meeting["location"]) == BAD_LINE
        assert str(meeting["description"]).startswith(BAD_LINES)
