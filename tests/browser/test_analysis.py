"""A moderator of Vallensbæk sorts a hearing's responses into topics, by keyboard alone: on the Analyse
page they Tab to the form for a new topic and create one, write its summary and recommendation on the
topic's page, and link a response to it from the response's staff page. Every page passes axe-core."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from analysis.models import Topic, TopicResponse
from hearings.models import Hearing
from strategies.models import Strategy
from strategies.services import load_seed_file
from tests.accounts.factories import StaffRoleFactory, VerifiedUserFactory
from tests.analysis.factories import TopicFactory
from tests.browser import keyboard
from tests.browser.conftest import sign_in
from tests.hearings.factories import HearingFactory, add

PASSWORD = "hoering-test-2026"  # every factory user's


@pytest.fixture
def analysis_server(live_server, transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    load_seed_file()
    strategy = Strategy.objects.get(municipality__slug="vallensbaek")
    now = timezone.now()
    hearing = HearingFactory(
        strategy=strategy, title="Høring om Kommuneplanstrategi 2018", moderation=Hearing.Moderation.POST,
        opens_at=now - dt.timedelta(days=2), closes_at=now + dt.timedelta(days=20),
    )  # fmt: skip
    moderator = VerifiedUserFactory(email="moderator@vallensbaek.dk", name="Mads Moderator")
    StaffRoleFactory(user=moderator, municipality=strategy.municipality, role="moderator")
    for text in ("Flere cykelstier langs Vejlegårdsvej.", "Bevar skoven ved Tranegilde.", "Sikre skoleveje."):
        add(hearing, text=text, display_name="Karen Borger")
    TopicFactory(hearing=hearing, title="Natur", target_section=strategy.sections.get(number=5))
    return live_server, hearing


def test_a_moderator_creates_and_writes_a_topic_by_keyboard(analysis_server, page, axe_check):
    server, hearing = analysis_server
    sign_in(page, server, "moderator@vallensbaek.dk", password=PASSWORD)
    page.goto(f"{server.url}/personale/hoeringer/{hearing.pk}/analyse/")
    expect(page.locator("h1")).to_have_text("Analyse")
    expect(page.locator("#analysis-progress")).to_contain_text("0 af 3 høringssvar er behandlet")
    expect(page.get_by_role("link", name="Natur")).to_be_visible()
    axe_check(page)

    # Tab from the top of the content to the new topic's title, type it, and press Enter on "Opret emne".
    keyboard.skip_to_content(page)
    keyboard.fill(page, page.get_by_label("Titel"), "Trafik og skoleveje")
    keyboard.follow(page, page.get_by_role("button", name="Opret emne"))
    expect(page.locator("h1")).to_have_text("Trafik og skoleveje")
    expect(page.get_by_text("Emnet «Trafik og skoleveje» er oprettet.")).to_be_visible()
    axe_check(page)

    # On the topic's page: the summary in Markdown, the recommendation (arrow keys move between radios),
    # the change written, and Enter on "Gem emnet".
    keyboard.skip_to_content(page)
    keyboard.fill(page, page.get_by_label("Resumé af bemærkningerne"), "Mange ønsker **sikre** skoleveje.")
    keyboard.activate(page, page.get_by_label("Ikke afgjort endnu"), "Space")
    for _ in range(2):
        page.keyboard.press("ArrowDown")
    keyboard.assert_focused(page, page.get_by_label("Forslaget ændres"))
    keyboard.fill(page, page.get_by_label("Ændring af forslaget"), "En målsætning om skoleveje tilføjes.")
    keyboard.follow(page, page.get_by_role("button", name="Gem emnet"))
    expect(page.get_by_text("Emnet er gemt.")).to_be_visible()
    expect(page.locator(".topic-summary strong")).to_have_text("sikre")
    axe_check(page)
    topic = Topic.objects.get(title="Trafik og skoleveje")
    assert (topic.recommendation, topic.change, topic.version) == (
        "change",
        "En målsætning om skoleveje tilføjes.",
        2,
    )

    # A refused save keeps what was typed and says why, and passes axe too.
    page.get_by_label("Titel").fill("natur")
    page.get_by_role("button", name="Gem emnet").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Høringen har allerede et emne med titlen «natur».")).to_be_visible()
    axe_check(page)

    # From a response's staff page: link it to the topic with a quote, by keyboard.
    response = hearing.responses.get(number=3)
    page.goto(f"{server.url}/personale/svar/{response.pk}/")
    axe_check(page)
    keyboard.skip_to_content(page)
    keyboard.tab_to(page, page.get_by_label("Emne", exact=True), max_tabs=120)
    page.keyboard.type("Trafik")
    keyboard.fill(page, page.get_by_label("Citat (valgfrit)"), "Sikre skoleveje.")
    keyboard.follow(page, page.get_by_role("button", name="Knyt til emne"))
    expect(page.get_by_text("Høringssvar nr. 3 er knyttet til emnet «Trafik og skoleveje».")).to_be_visible()
    assert TopicResponse.objects.get(topic=topic).quote == "Sikre skoleveje."
    axe_check(page)

    page.goto(f"{server.url}/personale/hoeringer/{hearing.pk}/analyse/")
    expect(page.locator("#analysis-progress")).to_contain_text("1 af 3 høringssvar er behandlet")


def test_the_analyse_pages_fit_320_px_in_english_too(analysis_server, browser, axe_check):
    server, hearing = analysis_server
    topic = Topic.objects.get(title="Natur")
    context = browser.new_context(locale="da-DK", viewport={"width": 320, "height": 900})
    page = context.new_page()
    try:
        sign_in(page, server, "moderator@vallensbaek.dk", password=PASSWORD)
        page.get_by_role("button", name="English").click()
        page.wait_for_load_state()
        for url in (
            f"/personale/hoeringer/{hearing.pk}/analyse/",
            f"/personale/hoeringer/{hearing.pk}/analyse/emner/{topic.pk}/",
        ):
            assert page.goto(server.url + url).status == 200
            assert page.locator("html").get_attribute("lang") == "en"
            assert page.evaluate("document.documentElement.scrollWidth") <= 320, url
            axe_check(page)
    finally:
        context.close()
