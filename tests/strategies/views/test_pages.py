import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from strategies.models import Strategy
from tests.strategies.factories import GoalFactory, SectionFactory, StrategyFactory, ThemeFactory
from tests.textutil import page_words, words


def text_of(response) -> str:
    return " ".join(page_words(response.content))


def test_front_page_lists_municipalities_and_their_strategies(seed, client):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    text = text_of(response)
    assert "Billund Kommune" in text and "Vallensbæk Kommune" in text
    assert " ".join(words("Fremtidens Legeplads")) in text
    assert " ".join(words("Kommuneplanstrategi 2018 – Det hele menneske i fremtidens boligby")) in text
    assert 'lang="da"' in response.content.decode()


def test_municipality_page_shows_the_contact_block(vallensbaek_municipality, client):
    response = client.get(vallensbaek_municipality.get_absolute_url())
    html = response.content.decode()
    assert "Vallensbæk Stationstorv 100" in html
    assert "2665 Vallensbæk" in html
    assert 'href="tel:47974000"' in html
    assert "Kommuneplanstrategi 2018" in html


def test_municipality_without_contact_says_so(seed, client):
    response = client.get(reverse("strategies:municipality", kwargs={"municipality": "billund"}))
    assert "Kommunens kontaktoplysninger er ikke lagt ind i portalen endnu." in response.content.decode()


def test_strategy_page_shows_vision_intro_and_sections_with_taglines(billund, client):
    response = client.get(billund.get_absolute_url())
    text = text_of(response)
    assert "Billund Kommune er Fremtidens Legeplads fordi" in text
    assert "Temaer" in text
    for line in (
        "Tema 1: Stærke byer – her er godt at leve",
        "Tema 2: Rettidig velfærd – mulighed for et godt liv hele livet",
        "Tema 3: Vokseværk i erhvervslivet – sammen bygger vi fremtiden",
    ):
        assert " ".join(words(line)) in text
    assert "Kommunens rolle er at inddrage lokalsamfundet" in text
    # The closing text comes after the list of themes, as in the source.
    assert text.index("Vokseværk") < text.index("Kommunens rolle")


def test_vallensbaek_strategy_page(vallensbaek, client):
    response = client.get(vallensbaek.get_absolute_url())
    text = text_of(response)
    assert "Det hele menneske i fremtidens boligby" in text
    assert "Delvisioner" in text
    for number in range(1, 6):
        assert f"Delvision {number}" in text
    assert "Sidst opdateret 31 07 2018" in text
    assert "Hvad er en kommuneplanstrategi egentlig" in text
    assert "Vedtaget 12 september 2018" in text
    assert "Periode 2018 2022" in text
    # Sub-visions 1-4 have no text yet, and the page says so.
    assert text.count("Teksten følger") == 4


def test_section_page_nests_goals_and_boxes_themes(vallensbaek, client):
    section = vallensbaek.sections.get(number=5)
    response = client.get(section.get_absolute_url())
    html = response.content.decode()
    assert "<h1>Delvision 5: Et godt og udviklende børne- og ungeliv</h1>" in html
    goals = re.search(r'<section class="goals".*?</section>', html, re.S).group(0)
    assert goals.count('<li class="goal">') == 3
    assert [len(re.findall("<li>", part)) for part in goals.split('<li class="goal">')[1:]] == [6, 7, 2]
    themes = re.search(r'<section class="themes-box".*?</section>', html, re.S).group(0)
    assert themes.count('<li class="theme">') == 3
    assert "Hvordan åbner vi dørene til skolerne?" in themes
    assert "Har du nogle kommentarer?" in html
    assert 'aria-current="page"' in html
    assert "Du er her" in html


def test_section_without_text_says_the_text_follows(vallensbaek, client):
    section = vallensbaek.sections.get(number=2)
    response = client.get(section.get_absolute_url())
    assert response.status_code == 200
    assert "Teksten til delvision 2 følger." in response.content.decode()


@pytest.mark.parametrize(
    "kwargs",
    [
        {"municipality": "ukendt"},
        {"municipality": "billund", "strategy": "ukendt"},
        {"municipality": "vallensbaek", "strategy": "fremtidens-legeplads"},
        {"municipality": "billund", "strategy": "fremtidens-legeplads", "section": "ukendt"},
        {"municipality": "billund", "strategy": "kommuneplanstrategi-2018", "section": "vilje-til-ildsjaele"},
    ],
)
def test_unknown_slugs_give_the_danish_404(seed, client, kwargs):
    name = {1: "municipality", 2: "strategy", 3: "section"}[len(kwargs)]
    response = client.get(reverse(f"strategies:{name}", kwargs=kwargs))
    assert response.status_code == 404
    assert "Siden findes ikke" in response.content.decode()


def test_a_section_of_another_strategy_is_not_found(billund, vallensbaek, client):
    other = vallensbaek.sections.get(number=5)
    url = reverse(
        "strategies:section",
        kwargs={"municipality": "billund", "strategy": billund.slug, "section": other.slug},
    )
    assert client.get(url).status_code == 404


def test_a_draft_strategy_is_not_public(db, client):
    draft = StrategyFactory(status=Strategy.Status.DRAFT, title="Hemmelig kladde")
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert "Hemmelig kladde" not in client.get(reverse("home")).content.decode()


def test_english_switch_translates_the_frame_and_keeps_the_content_danish(billund, client):
    response = client.post(reverse("set_language"), {"language": "en", "next": billund.get_absolute_url()})
    assert response.status_code == 302
    response = client.get(billund.get_absolute_url())
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Skip to content" in html
    assert "Accessibility statement" in html
    assert "Billund Kommune er Fremtidens Legeplads fordi" in html
    assert '<article class="col-12 col-lg-8" lang="da">' in html


def test_footer_links_the_accessibility_statement(seed, client, settings):
    html = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("accessibility")}"' in html and "Tilgængelighedserklæring" in html
    settings.ACCESSIBILITY_STATEMENT_URL = "https://was.digst.dk/hoeringsportal-example-dk"
    html = client.get(reverse("home")).content.decode()
    assert 'href="https://was.digst.dk/hoeringsportal-example-dk"' in html
    assert client.get(reverse("accessibility")).status_code == 200


def test_query_counts_do_not_grow_with_content(db, client):
    strategy = StrategyFactory()
    section = SectionFactory(strategy=strategy)
    GoalFactory(section=section, parent=GoalFactory(section=section))
    ThemeFactory(section=section)

    def count(url, seen):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert [text for text in seen if text not in html] == [], url
        return len(ctx.captured_queries)

    def counts():
        sections = [s.title for s in strategy.sections.all()]
        goals = [g.text for g in section.goals.all()] + [t.question for t in section.themes.all()]
        return (
            count(strategy.get_absolute_url(), [strategy.title, *sections]),
            count(section.get_absolute_url(), [section.title, *goals]),
            count(reverse("home"), [strategy.municipality.name, strategy.title]),
        )

    small = counts()
    for _ in range(10):
        SectionFactory(strategy=strategy)
        headline = GoalFactory(section=section)
        GoalFactory.create_batch(3, section=section, parent=headline)
        ThemeFactory(section=section)
        StrategyFactory(municipality=strategy.municipality)
    large = counts()
    assert small == large
    assert max(large) <= 7


def test_danish_is_the_default_whatever_the_browser_asks_for(seed, client):
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="da">' in response.content.decode()
    assert response["Content-Language"] == "da"
