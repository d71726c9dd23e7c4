"""axe-core (WCAG 2.1 A and AA) on every page a citizen reaches, signed in, in Danish and in English."""

import pytest

from hearings.demo import DEMO_PASSWORD, load_demo
from hearings.models import Hearing, Response


@pytest.fixture
def demo_server(live_server, transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    load_demo()
    return live_server


def sign_in(page, server, email="borger@example.dk"):
    page.goto(server.url + "/konto/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()


@pytest.mark.parametrize("language", ["da", "en"])
def test_every_citizen_page_passes_axe(demo_server, page, axe_check, language):
    open_hearing = Hearing.objects.get(strategy__municipality__slug="vallensbaek")
    closed_hearing = Hearing.objects.get(strategy__municipality__slug="billund")
    mine = Response.objects.filter(author__email="borger@example.dk", hearing=open_hearing).first()
    sign_in(page, demo_server)
    if language == "en":
        page.get_by_role("button", name="English").click()
        page.wait_for_load_state()
    urls = [
        "/",
        "/hoeringer/",
        open_hearing.get_absolute_url(),
        open_hearing.get_absolute_url() + "?side=1&type=private",
        closed_hearing.get_absolute_url(),
        f"/hoeringer/{open_hearing.pk}/svar/",
        f"/hoeringer/{open_hearing.pk}/svar/{mine.number}/",
        f"/hoeringssvar/{mine.public_id}/kvittering/",
        "/mine-hoeringssvar/",
        f"/mine-hoeringssvar/{mine.public_id}/ret/",
        f"/mine-hoeringssvar/{mine.public_id}/traek-tilbage/",
        "/min-konto/data/",
        "/min-konto/slet/",
        "/kommuner/billund/fremtidens-legeplads/",
        "/kommuner/vallensbaek/kommuneplanstrategi-2018/",
        "/kommuner/vallensbaek/kommuneplanstrategi-2018/et-godt-og-udviklende-boerne-og-ungeliv/",
    ]
    for url in urls:
        page.goto(demo_server.url + url)
        assert page.locator("html").get_attribute("lang") == language, url
        assert page.locator("h1").count() == 1, url
        axe_check(page)


def test_vis_flere_appends_without_leaving_the_page(demo_server, page):
    from tests.factories import ResponseFactory

    hearing = Hearing.objects.get(strategy__municipality__slug="vallensbaek")
    start = hearing.last_response_number
    for number in range(start + 1, start + 31):
        ResponseFactory(hearing=hearing, number=number, text=f"Ekstra svar {number}")
    page.goto(demo_server.url + hearing.get_absolute_url())
    assert page.locator("#response-list > li").count() == 20
    url_before = page.url
    page.get_by_role("link", name="Vis flere").click()
    page.wait_for_function("document.querySelectorAll('#response-list > li').length === 34")
    assert page.url == url_before
    assert page.locator("#response-count").inner_text() == "Viser 1–34 af 34 høringssvar"
    assert page.get_by_role("link", name="Vis flere").count() == 0
