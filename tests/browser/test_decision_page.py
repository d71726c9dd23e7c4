"""The public page "Det sagde I – det gjorde vi" of the demo's closed Billund hearing: reached from the
hearing page, axe-core (WCAG 2.1 A and AA) at a desktop width and at 320 px, with no sideways scrolling;
the hearing and strategy pages with their links to it, and the editor's form of the decision, the same
way."""

import os

from hearings.models import Hearing
from tests.browser.conftest import sign_in


def test_the_decision_page_is_reached_from_the_hearing_and_passes_axe(demo_server, browser, axe_check):
    hearing = Hearing.objects.get(strategy__municipality__slug="billund")
    # A folder to keep screenshots in, for a look at the layout (none by default).
    shots = os.environ.get("DECISION_SCREENSHOTS")
    for width in (1280, 320):
        context = browser.new_context(locale="da-DK", viewport={"width": width, "height": 900})
        page = context.new_page()
        try:
            page.goto(demo_server.url + hearing.get_absolute_url())
            axe_check(page)  # with its link to the decision
            page.get_by_role("link", name="Det sagde I – det gjorde vi").first.click()
            page.wait_for_load_state()
            assert page.locator("h1").inner_text() == "Det sagde I – det gjorde vi"
            assert page.locator("article.decision-topic").count() == 2
            assert page.locator("article.decision-topic h3").all_inner_texts() == [
                "Busforbindelser mellem byerne (demo)",
                "Børnene som medskabere (demo)",
            ]
            assert page.get_by_text("Demo-bemærkning: Administrationen er enig.", exact=False).is_visible()
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            axe_check(page)
            if shots:
                page.screenshot(path=os.path.join(shots, f"decision-page-{width}.png"), full_page=True)
            page.get_by_role("link", name="Fremtidens Legeplads").first.click()
            assert page.get_by_text("Vedtaget efter høring").is_visible()
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            axe_check(page)
            sign_in(page, demo_server, "redaktoer@billund.example.dk")
            page.goto(demo_server.url + f"/personale/hoeringer/{hearing.pk}/")
            page.get_by_role("link", name="Beslutningen og «Det sagde I – det gjorde vi»").click()
            assert page.locator("h1").inner_text() == "Beslutningen om høringen"
            assert page.locator("textarea[name=change_whole]").is_visible()
            assert page.evaluate("document.documentElement.scrollWidth") <= width
            axe_check(page)
            if shots:
                page.screenshot(path=os.path.join(shots, f"decision-form-{width}.png"), full_page=True)
        finally:
            context.close()
