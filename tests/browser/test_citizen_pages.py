"""axe-core (WCAG 2.1 A and AA) on every page a citizen reaches, signed in, in Danish and in English."""

import pytest
from playwright.sync_api import expect

from hearings.models import Hearing, Response
from tests.browser.conftest import sign_in


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


def response_numbers(page) -> list[int]:
    """The response numbers in the list, in the order the reader meets them (responses and notices)."""
    ids = page.locator("#response-list > li").evaluate_all("items => items.map(item => item.id)")
    return [int(item_id.removeprefix("svar-")) for item_id in ids]


def test_vis_flere_appends_without_leaving_the_page(demo_server, page):
    """20 responses a page. The demo's hidden response (nr. 6) is not one of them: it is a short notice in
    its place, so the first page lists 20 responses and 1 notice, and nothing counts the notice. The one the
    guard holds (nr. 11) is not on the page at all."""
    from tests.hearings.factories import ResponseFactory

    hearing = Hearing.objects.get(strategy__municipality__slug="vallensbaek")
    by_status = {}
    for number, status in hearing.responses.order_by("number").values_list("number", "status"):
        by_status.setdefault(status, []).append(number)
    # What the demo gives this test; if the demo changes, change the numbers below with it.
    assert by_status == {"published": [1, 2, 3, 4, 5, 7, 8, 9, 10], "hidden": [6], "pending": [11]}
    for number in range(12, 38):
        ResponseFactory(hearing=hearing, number=number, text=f"Ekstra svar {number}")
    responses = page.locator("#response-list > li:not(.response-hidden)")
    notices = page.locator("#response-list > li.response-hidden")

    page.goto(demo_server.url + hearing.get_absolute_url())
    expect(page.locator("#response-count")).to_have_text("Viser 1–20 af 35 høringssvar")
    expect(responses).to_have_count(20)
    expect(notices).to_have_count(1)
    expect(notices).to_have_text("Høringssvar nr. 6 er skjult af moderator: krænkende sprog")
    assert response_numbers(page) == [*range(1, 11), *range(12, 23)]  # nr. 6 as the notice
    expect(page.get_by_text("Ekstra svar 22", exact=True)).to_be_visible()
    expect(page.get_by_text("Ekstra svar 23", exact=True)).to_have_count(0)

    url_before = page.url
    page.get_by_role("link", name="Vis flere").click()
    expect(responses).to_have_count(35)
    assert page.url == url_before
    expect(page.locator("#response-count")).to_have_text("Viser 1–35 af 35 høringssvar")
    expect(notices).to_have_count(1)  # not repeated by the appended page
    assert response_numbers(page) == [*range(1, 11), *range(12, 38)]
    expect(page.get_by_text("Ekstra svar 37", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Vis flere")).to_have_count(0)
    # Focus moves to the first appended response, so a keyboard user reads on from there.
    expect(page.locator("#svar-23")).to_be_focused()


def test_vis_flere_shows_a_hidden_response_between_two_pages_once(demo_server, page):
    """Nr. 23 is hidden and falls between the first page's last response (22) and the second page's first
    (24): its notice must be shown once, in its place, whichever page carries it."""
    from tests.hearings.factories import ResponseFactory

    hearing = Hearing.objects.get(strategy__municipality__slug="vallensbaek")
    assert hearing.responses.filter(number__gte=12).count() == 0  # the demo has eleven responses
    for number in range(12, 38):
        hidden = number == 23
        ResponseFactory(hearing=hearing, number=number, text=f"Ekstra svar {number}",
                        status="hidden" if hidden else "published", moderation_reason="offensive" if hidden else "")  # fmt: skip
    notices = page.locator("#response-list > li.response-hidden")

    page.goto(demo_server.url + hearing.get_absolute_url())
    expect(page.locator("#response-count")).to_have_text("Viser 1–20 af 34 høringssvar")
    page.get_by_role("link", name="Vis flere").click()
    expect(page.locator("#response-count")).to_have_text("Viser 1–34 af 34 høringssvar")
    expect(page.get_by_role("link", name="Vis flere")).to_have_count(0)
    expect(notices).to_have_text(
        [
            "Høringssvar nr. 6 er skjult af moderator: krænkende sprog",
            "Høringssvar nr. 23 er skjult af moderator: krænkende sprog",
        ]
    )
    assert response_numbers(page) == [*range(1, 11), *range(12, 38)]  # nr. 11 waits for the moderator
    expect(page.get_by_text("Ekstra svar 23")).to_have_count(0)
