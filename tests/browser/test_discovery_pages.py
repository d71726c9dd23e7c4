"""axe-core (WCAG 2.1 A and AA) on the discovery pages: search (with its header field and "Vis flere
resultater" appending in place), the front page's hearings, following a hearing and unsubscribing."""

import pytest
from playwright.sync_api import expect

from hearings.models import Hearing
from notifications import follows
from notifications.models import Follow
from tests.browser.conftest import sign_in
from tests.hearings.factories import ResponseFactory

pytestmark = pytest.mark.browser


def test_search_from_the_header_and_show_more_in_place(demo_server, page, axe_check):
    hearing = Hearing.objects.get(strategy__municipality__slug="vallensbaek")
    last = hearing.responses.order_by("-number").values_list("number", flat=True).first() or 0
    for n in range(1, 16):
        ResponseFactory(
            hearing=hearing, number=last + n, text=f"Hundeskoven ved skolen skal være større ({n})."
        )

    page.goto(demo_server.url + "/")
    axe_check(page)  # the front page with its hearings
    page.get_by_label("Søg på portalen").fill("hundeskov")
    page.get_by_label("Søg på portalen").press("Enter")
    page.wait_for_load_state()
    count = page.locator("#result-count")
    expect(count).to_contain_text("Viser resultat 1–10 af")
    assert page.locator("#result-list > li").count() == 10
    assert page.locator("#result-list mark").count() >= 10
    axe_check(page)

    page.get_by_role("link", name="Vis flere resultater").click()
    expect(page.locator("#result-list > li")).to_have_count(15)
    expect(count).to_contain_text("Viser resultat 1–15 af 15")
    assert "side=" not in page.url  # appended in place
    axe_check(page)

    page.goto(demo_server.url + "/soeg/?q=skolerne&type=section&status=open")
    axe_check(page)
    page.goto(demo_server.url + "/soeg/?q=xylofonorkester")
    axe_check(page)


def test_search_works_without_javascript(demo_server, browser, axe_check):
    hearing = Hearing.objects.get(strategy__municipality__slug="vallensbaek")
    last = hearing.responses.order_by("-number").values_list("number", flat=True).first() or 0
    for n in range(1, 13):
        ResponseFactory(hearing=hearing, number=last + n, text=f"Parkeringen ved hallen ({n}).")
    context = browser.new_context(java_script_enabled=False, locale="da-DK")
    page = context.new_page()
    try:
        page.goto(demo_server.url + "/soeg/?q=parkering&type=response")
        page.get_by_role("link", name="Vis flere resultater").click()
        page.wait_for_load_state()
        assert "side=2" in page.url
        expect(page.locator("#result-count")).to_contain_text("Viser resultat 11–12 af 12")
    finally:
        context.close()


def test_follow_a_hearing_and_unsubscribe(demo_server, page, axe_check):
    hearing = Hearing.objects.get(strategy__municipality__slug="vallensbaek")
    page.goto(demo_server.url + hearing.get_absolute_url())
    expect(page.get_by_role("link", name="Log ind for at følge høringen")).to_be_visible()
    sign_in(page, demo_server)
    page.goto(demo_server.url + hearing.get_absolute_url())
    axe_check(page)
    page.get_by_label("3 dage før høringen lukker").uncheck()
    page.get_by_role("button", name="Følg høringen").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Du følger høringen. Vi sender dig de e-mails, du har valgt.")).to_be_visible()
    follow = Follow.objects.get(user__email="borger@example.dk", hearing=hearing)
    assert follow.before_close is False and follow.on_open is True
    axe_check(page)
    page.goto(demo_server.url + f"/hoeringer/{hearing.pk}/foelg/")
    axe_check(page)

    # The e-mail's link, opened in a browser that is not signed in.
    url = demo_server.url + f"/foelg/afmeld/{follows.unsubscribe_token(follow)}/"
    page.context.clear_cookies()
    page.goto(url)
    axe_check(page)
    page.get_by_role("button", name="Ja, stop med at følge høringen").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Du følger ikke længere høringen")).to_be_visible()
    axe_check(page)
    assert not Follow.objects.filter(pk=follow.pk).exists()
    page.goto(url)
    axe_check(page)  # the link used already


def test_municipality_page_with_calendar_and_feed_links_passes_axe(demo_server, page, axe_check):
    page.goto(demo_server.url + "/kommuner/vallensbaek/")
    expect(page.get_by_role("link", name="Sæt høringsfristerne i din kalender (iCal)")).to_be_visible()
    axe_check(page)
