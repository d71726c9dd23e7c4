"""A moderator of Vallensbæk sorts a hearing's responses into topics, by keyboard alone: on the Analyse
page they Tab to the form for a new topic and create one, write its summary and recommendation on the
topic's page, and link a response to it from the response's staff page; on a campaign's page they take a
response out of the campaign; on "Forslag til emner" they accept one suggestion under a title of their own
and dismiss another. Every page passes axe-core, in Danish and English, at a desktop width and at 320 px."""

import pytest
from playwright.sync_api import expect

from analysis import campaigns
from analysis.models import Campaign, Suggestion, Topic, TopicResponse
from tests.analysis.factories import TopicFactory
from tests.browser import keyboard
from tests.browser.conftest import sign_in, vallensbaek_hearing
from tests.hearings.factories import add

PASSWORD = "hoering-test-2026"  # every factory user's

# Four citizens send the same letter, three of them with a word changed or a sentence of their own.
LETTER = (
    "Vi ønsker sikre cykelstier langs Vejlegårdsvej og Horsbred, så børn og unge kan cykle trygt til skole "
    "og fritid. Kommuneplanstrategien bør sætte et mål for, hvor mange ture der foregår på cykel i 2030, og "
    "cykeltrafikken bør prioriteres i den kommende trafikplan."
)
COPIES = [
    LETTER + " Jeg cykler selv hver dag med vores to børn.",
    LETTER.replace("sikre cykelstier", "trygge cykelstier") + " Krydset ved Horsbred er farligt om morgenen.",
    LETTER,
    LETTER.replace("skole og fritid", "skole, sport og fritid"),
]


@pytest.fixture
def analysis_server(live_server, transactional_db, settings, tmp_path):
    hearing = vallensbaek_hearing(settings, tmp_path)
    strategy = hearing.strategy
    for text in ("Flere cykelstier langs Vejlegårdsvej.", "Bevar skoven ved Tranegilde.", "Sikre skoleveje."):
        add(hearing, text=text, display_name="Karen Borger")
    TopicFactory(hearing=hearing, title="Natur", target_section=strategy.sections.get(number=5))
    letters = [add(hearing, text=text, display_name=f"Borger {i}") for i, text in enumerate(COPIES, 1)]
    campaigns.analyse_hearing(hearing_id=hearing.pk)
    # Two suggested topics, as analysis.suggestions.compute_suggestions would leave them.
    cycling = Suggestion.objects.create(
        hearing=hearing,
        label="cykelsti · vejlegårdsvej · horsbred",
        terms=["cykelsti", "vejlegårdsvej", "horsbred"],
    )
    cycling.responses.set([hearing.responses.get(number=1), *letters])
    forest = Suggestion.objects.create(
        hearing=hearing, label="skov · tranegilde", terms=["skov", "tranegilde"]
    )
    forest.responses.set([hearing.responses.get(number=2)])
    return live_server, hearing


def test_a_moderator_creates_and_writes_a_topic_by_keyboard(analysis_server, page, axe_check):
    server, hearing = analysis_server
    sign_in(page, server, "moderator@vallensbaek.dk", password=PASSWORD)
    page.goto(f"{server.url}/personale/hoeringer/{hearing.pk}/analyse/")
    expect(page.locator("h1")).to_have_text("Analyse")
    expect(page.locator("#analysis-progress")).to_contain_text("0 af 7 høringssvar er behandlet")
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
    expect(page.locator("#analysis-progress")).to_contain_text("1 af 7 høringssvar er behandlet")


def test_a_moderator_corrects_a_campaign_and_decides_on_suggestions_by_keyboard(
    analysis_server, page, axe_check
):
    server, hearing = analysis_server
    campaign = Campaign.objects.get(hearing=hearing)
    assert campaign.members.count() == 4  # the four letters, and none of the three other responses
    sign_in(page, server, "moderator@vallensbaek.dk", password=PASSWORD)

    # From the Analyse page to the campaigns and on to the campaign, by keyboard.
    page.goto(f"{server.url}/personale/hoeringer/{hearing.pk}/analyse/")
    keyboard.skip_to_content(page)
    keyboard.follow(
        page, page.get_by_role("link", name="Kampagner: 1 kampagne med (næsten) enslydende tekst")
    )
    expect(page.locator("h1")).to_have_text("Kampagner")
    axe_check(page)
    keyboard.skip_to_content(page)
    keyboard.follow(page, page.get_by_role("link", name="4 høringssvar med (næsten) enslydende tekst"))
    expect(page.locator("h1")).to_have_text("4 høringssvar med (næsten) enslydende tekst")
    # What a member added is marked, for the eye and for a screen reader.
    expect(page.locator("#svar-5 ins")).to_have_text(
        ["tilføjet: trygge", "tilføjet: Krydset ved Horsbred er farligt om morgenen."]
    )
    axe_check(page)

    # Nr. 5 is not the same letter after all: Tab to its "Tag ud af kampagnen" and press Enter.
    keyboard.skip_to_content(page)
    keyboard.follow(page, page.get_by_role("button", name="Tag ud af kampagnen (høringssvar nr. 5)"))
    expect(page.get_by_text("Høringssvar nr. 5 er taget ud af kampagnen.")).to_be_visible()
    expect(page.locator("h1")).to_have_text("3 høringssvar med (næsten) enslydende tekst")
    expect(page.locator("#svar-5")).to_have_count(0)
    assert campaign.members.count() == 3

    # "Forslag til emner": accept the first suggestion under a title of one's own, dismiss the second.
    page.goto(f"{server.url}/personale/hoeringer/{hearing.pk}/analyse/forslag/")
    expect(page.locator("h1")).to_have_text("Forslag til emner")
    axe_check(page)
    cycling = page.locator("section.suggestion").filter(has_text="cykelsti · vejlegårdsvej · horsbred")
    keyboard.skip_to_content(page)
    keyboard.fill(page, cycling.get_by_label("Titel på emnet"), "Cykelstier langs Vejlegårdsvej")
    keyboard.follow(page, cycling.get_by_role("button", name="Opret emne"))
    expect(
        page.get_by_text("Emnet »Cykelstier langs Vejlegårdsvej« er oprettet med 5 høringssvar.")
    ).to_be_visible()
    expect(page.locator("section.suggestion")).to_have_count(1)
    keyboard.skip_to_content(page)
    keyboard.follow(page, page.get_by_role("button", name="Afvis forslaget"))
    expect(page.get_by_text("Forslaget »skov · tranegilde« er afvist.")).to_be_visible()
    expect(page.locator("section.suggestion")).to_have_count(0)
    axe_check(page)
    assert sorted(Suggestion.objects.values_list("status", flat=True)) == ["accepted", "dismissed"]

    page.goto(f"{server.url}/personale/hoeringer/{hearing.pk}/analyse/")
    expect(page.get_by_role("link", name="Cykelstier langs Vejlegårdsvej")).to_be_visible()
    expect(page.locator("#analysis-progress")).to_contain_text("5 af 7 høringssvar er behandlet")
    expect(page.get_by_role("link", name="Forslag til emner: 0 forslag")).to_be_visible()


def test_the_analysis_pages_pass_axe_in_both_languages_and_fit_320_px(analysis_server, browser, axe_check):
    """Danish at the desktop width is checked on the way in the journeys above; here the rest."""
    server, hearing = analysis_server
    topic = Topic.objects.get(title="Natur")
    campaign = Campaign.objects.get(hearing=hearing)
    urls = [
        f"/personale/hoeringer/{hearing.pk}/analyse/",
        f"/personale/hoeringer/{hearing.pk}/analyse/emner/{topic.pk}/",
        f"/personale/hoeringer/{hearing.pk}/analyse/kampagner/",
        f"/personale/hoeringer/{hearing.pk}/analyse/kampagner/{campaign.pk}/",
        f"/personale/hoeringer/{hearing.pk}/analyse/forslag/",
    ]
    context = browser.new_context(locale="da-DK", viewport={"width": 320, "height": 900})
    page = context.new_page()
    try:
        sign_in(page, server, "moderator@vallensbaek.dk", password=PASSWORD)
        for language, width in (("da", 320), ("en", 320), ("en", 1280)):
            if language == "en" and page.locator("html").get_attribute("lang") == "da":
                page.get_by_role("button", name="English").click()
                page.wait_for_load_state()
            page.set_viewport_size({"width": width, "height": 900})
            for url in urls:
                assert page.goto(server.url + url).status == 200
                assert page.locator("html").get_attribute("lang") == language
                if width == 320:
                    assert page.evaluate("document.documentElement.scrollWidth") <= 320, url
                axe_check(page)
    finally:
        context.close()
