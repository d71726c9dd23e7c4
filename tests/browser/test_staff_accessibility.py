"""axe-core (WCAG 2.1 A and AA) on every page each staff role reaches, for both municipalities, in Danish
and in English, at a desktop width and at 320 px (no sideways scrolling there)."""

import pytest

from analysis.models import Campaign
from hearings.models import Hearing, Response
from tests.browser.conftest import sign_in


def staff_urls(email: str) -> list[str]:
    """The staff pages this demo account reaches: its own municipality's hearing, queue and responses."""
    slug = "billund" if "billund" in email else "vallensbaek"
    hearing = Hearing.objects.get(strategy__municipality__slug=slug)
    response = Response.objects.filter(hearing=hearing).order_by("number").first()
    urls = ["/personale/", f"/personale/hoeringer/{hearing.pk}/"]
    # The personal-data guard's pages: the municipality's word list (council members read it), the
    # queue's tab and the response it holds, with its findings and redaction form (Vallensbæk's demo).
    urls.append(f"/personale/kommuner/{hearing.strategy.municipality_id}/ordliste/")
    if email.startswith("moderator"):
        urls += [
            "/personale/moderation/",
            "/personale/moderation/?status=flagged",
            "/personale/moderation/?tab=personal",
            f"/personale/moderation/?hearing={hearing.pk}&q=demo",
            f"/personale/svar/{response.pk}/",
        ]
        urls += [f"/personale/svar/{pk}/" for pk in hearing.responses.filter(moderation_reason="possible_personal")
                 .values_list("pk", flat=True)]  # fmt: skip
    if email.startswith("redaktoer"):
        urls += [f"/personale/svar/{response.pk}/", "/admin/", "/admin/hearings/hearing/add/"]
    # The analysis pages: the council member sees Vallensbæk's (its campaign included) without the forms
    # to change them; Billund's moderator sees them empty (no campaign, no suggestions computed). The
    # moderator's forms are checked by test_analysis.py.
    if email.startswith("raad") or email == "moderator@billund.example.dk":
        analyse = f"/personale/hoeringer/{hearing.pk}/analyse/"
        urls += [analyse, analyse + "kampagner/", analyse + "forslag/"]
        urls += [analyse + f"kampagner/{c.pk}/" for c in Campaign.objects.filter(hearing=hearing)[:1]]
    return urls


@pytest.mark.parametrize(
    "email",
    [
        "moderator@vallensbaek.example.dk",
        "moderator@billund.example.dk",
        "redaktoer@vallensbaek.example.dk",
        "raad@vallensbaek.example.dk",
    ],
)
@pytest.mark.parametrize("language", ["da", "en"])
def test_every_staff_page_passes_axe_and_fits_320_px(demo_server, browser, axe_check, email, language):
    urls = staff_urls(email)
    for width in (1280, 320):
        context = browser.new_context(locale="da-DK", viewport={"width": width, "height": 900})
        page = context.new_page()
        try:
            sign_in(page, demo_server, email)
            if language == "en":
                page.get_by_role("button", name="English").click()
                page.wait_for_load_state()
            for url in urls:
                response = page.goto(demo_server.url + url)
                assert response.status == 200, (url, response.status)
                if url.startswith("/admin/"):
                    # Django's own admin: its language follows ours, its layout is Django's.
                    assert page.locator("html").get_attribute("lang") == language, url
                else:
                    assert page.locator("html").get_attribute("lang") == language, url
                    assert page.locator("h1").count() == 1, url
                    if width == 320:
                        assert page.evaluate("document.documentElement.scrollWidth") <= 320, url
                axe_check(page)
        finally:
            context.close()
