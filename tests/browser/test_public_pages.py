import pytest

from strategies.services import load_seed_file


@pytest.fixture
def seeded_server(live_server, transactional_db):
    load_seed_file()
    return live_server


def test_citizen_reads_both_strategies_and_every_page_passes_axe(seeded_server, page, axe_check):
    page.goto(seeded_server.url + "/")
    assert page.locator("h1").inner_text() == "Kommunernes strategier i høring"
    assert page.locator("html").get_attribute("lang") == "da"
    axe_check(page)

    # Billund: front page -> strategy -> a theme
    page.get_by_role("link", name="Fremtidens Legeplads").click()
    assert page.locator("h1").inner_text() == "Fremtidens Legeplads"
    axe_check(page)
    page.get_by_role("link", name="Tema 2: Rettidig velfærd – mulighed for et godt liv hele livet").click()
    assert page.locator("h1").inner_text() == "Tema 2: Rettidig velfærd"
    assert page.get_by_text("Teksten til tema 2 følger.").is_visible()
    axe_check(page)

    # Vallensbæk: breadcrumbs home -> municipality -> strategy -> sub-vision 5
    page.locator(".breadcrumbs").get_by_role("link", name="Forside").click()
    page.get_by_role("link", name="Vallensbæk Kommune").click()
    assert page.get_by_text("Vallensbæk Stationstorv 100").is_visible()
    axe_check(page)
    page.get_by_role("link", name="Kommuneplanstrategi 2018").click()
    axe_check(page)
    page.get_by_role("link", name="Delvision 5: Et godt og udviklende børne- og ungeliv").click()
    assert page.locator("h1").inner_text() == "Delvision 5: Et godt og udviklende børne- og ungeliv"
    assert page.locator(".goal").count() == 3
    assert page.locator(".themes-box .theme").count() == 3
    axe_check(page)


def test_english_pages_and_the_404_pass_axe(seeded_server, page, axe_check):
    page.goto(seeded_server.url + "/kommuner/vallensbaek/kommuneplanstrategi-2018/")
    page.get_by_role("button", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("link", name="Skip to content").count() == 1
    axe_check(page)
    page.goto(seeded_server.url + "/kommuner/findes-ikke/")
    assert page.locator("h1").inner_text() in {"Siden findes ikke", "Page not found"}
    axe_check(page)
    page.goto(seeded_server.url + "/tilgaengelighed/")
    axe_check(page)


def test_pages_work_at_320_px(seeded_server, browser, axe_check):
    context = browser.new_context(viewport={"width": 320, "height": 720})
    page = context.new_page()
    try:
        page.goto(
            seeded_server.url
            + "/kommuner/vallensbaek/kommuneplanstrategi-2018/et-godt-og-udviklende-boerne-og-ungeliv/"
        )
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 320
        axe_check(page)
    finally:
        context.close()
