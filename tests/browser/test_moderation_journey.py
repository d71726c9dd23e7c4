"""A moderator of Vallensbæk publishes a citizen's waiting response with the administration's remark;
the citizen then sees it published, in their own list and on the hearing page. Then the moderator hides
it with a reason: the citizen is told why, the hearing page shows a short notice instead of the text, and
the response's log holds every step with who did it and why. The staff pages on the way pass axe-core."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from hearings import services
from hearings.models import Hearing, Response
from moderation.models import ModerationEvent, Remark
from strategies.models import Strategy
from strategies.services import load_seed_file
from tests.accounts.factories import StaffRoleFactory, VerifiedUserFactory
from tests.browser import keyboard
from tests.browser.conftest import sign_in
from tests.hearings.factories import HearingFactory

PASSWORD = "hoering-test-2026"  # every factory user's


@pytest.fixture
def moderation_server(live_server, transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    load_seed_file()
    strategy = Strategy.objects.get(municipality__slug="vallensbaek")
    now = timezone.now()
    hearing = HearingFactory(
        strategy=strategy, title="Høring om Kommuneplanstrategi 2018", moderation=Hearing.Moderation.PRE,
        opens_at=now - dt.timedelta(days=2), closes_at=now + dt.timedelta(days=20),
    )  # fmt: skip
    citizen = VerifiedUserFactory(email="borger@example.dk", name="Karen Borger")
    moderator = VerifiedUserFactory(email="moderator@vallensbaek.dk", name="Mads Moderator")
    StaffRoleFactory(user=moderator, municipality=strategy.municipality, role="moderator")
    response = services.submit_response(
        hearing=hearing, author=citizen, target_key="strategy", respondent_type="private",
        display_name="Karen Borger", postcode="2665", text="Flere cykelstier langs Vejlegårdsvej, tak.",
        consent=True,
    )  # fmt: skip
    assert response.status == Response.Status.PENDING
    return live_server, hearing, response


def test_a_moderator_publishes_a_waiting_response_with_a_remark_then_hides_it_with_a_reason(
    moderation_server, page, browser, axe_check
):
    server, hearing, response = moderation_server
    text = "Flere cykelstier langs Vejlegårdsvej, tak."
    # The moderators were told that a response waits.
    assert any(
        m.to == ["moderator@vallensbaek.dk"] and "venter på moderation" in m.subject for m in mail.outbox
    )

    # Before moderation the response is not public.
    page.goto(server.url + hearing.get_absolute_url())
    expect(page.get_by_text("Høringssvar vises her, når en moderator har set dem igennem.")).to_be_visible()
    expect(page.get_by_text("Der er ingen offentliggjorte høringssvar her endnu.")).to_be_visible()
    expect(page.get_by_text(text)).to_have_count(0)

    # The moderator signs in, goes to the staff pages and the queue.
    sign_in(page, server, "moderator@vallensbaek.dk", password=PASSWORD)
    page.get_by_role("navigation", name="Din konto").get_by_role("link", name="Personale").click()
    expect(page.locator("h1")).to_have_text("Personale")
    page.get_by_role("link", name="Moderationskø").click()
    expect(page.locator("h1")).to_have_text("Moderationskø")
    expect(page.get_by_text("1 høringssvar", exact=True)).to_be_visible()
    axe_check(page)

    # The response's staff page: write the remark, then publish.
    page.get_by_role("link", name="Nr. 1", exact=True).click()
    expect(page.locator("h1")).to_have_text("Høringssvar nr. 1")
    expect(page.locator(".badge").first).to_have_text("Afventer moderation")
    expect(page.get_by_text(text)).to_be_visible()
    axe_check(page)
    page.get_by_label("Giver anledning til ændringer").check()
    page.get_by_role("textbox", name="Administrationens bemærkning").fill(
        "Forvaltningen foreslår en ny sti i planen."
    )
    page.get_by_role("button", name="Gem bemærkning").click()
    expect(page.get_by_text("Bemærkningen er gemt.")).to_be_visible()
    expect(page.get_by_role("button", name="Gem ændret bemærkning")).to_be_visible()
    page.get_by_role("button", name="Offentliggør").click()
    expect(page.get_by_text("Høringssvar nr. 1 er offentliggjort.")).to_be_visible()
    expect(page.locator(".badge").first).to_have_text("Offentliggjort")
    log = page.locator(".event-log")
    expect(log).to_contain_text("Modtaget")
    expect(log).to_contain_text("Bemærkning skrevet")
    expect(log).to_contain_text("Offentliggjort (pending → published)")
    axe_check(page)

    # The hearing overview.
    page.locator(".strategy-owner").get_by_role("link", name=hearing.title).click()
    expect(page.locator("h1")).to_have_text(hearing.title)
    expect(page.get_by_text("Ingen svar venter på moderation.")).to_be_visible()
    axe_check(page)

    response.refresh_from_db()
    assert response.status == Response.Status.PUBLISHED
    remark = Remark.objects.get(response=response)
    assert (remark.recommendation, remark.text) == ("change", "Forvaltningen foreslår en ny sti i planen.")
    assert list(
        ModerationEvent.objects.filter(response=response)
        .order_by("created_at", "pk")
        .values_list("action", flat=True)
    ) == ["submitted", "remark_created", "published"]
    assert any(m.to == ["borger@example.dk"] and m.subject == "Dit høringssvar nr. 1 er offentliggjort"
               for m in mail.outbox)  # fmt: skip

    # The citizen, in a browser of their own, sees it published.
    context = browser.new_context(locale="da-DK")
    try:
        citizen_page = context.new_page()
        sign_in(citizen_page, server, "borger@example.dk", password=PASSWORD)
        citizen_page.get_by_role("link", name="Mine høringssvar").click()
        expect(citizen_page.locator("h1")).to_have_text("Mine høringssvar")
        card = citizen_page.locator(".my-responses .card").filter(has_text="Høringssvar nr. 1")
        expect(card.locator(".badge")).to_have_text("Offentliggjort")
        axe_check(citizen_page)

        citizen_page.goto(server.url + hearing.get_absolute_url())
        expect(citizen_page.get_by_text("Viser 1–1 af 1 høringssvar")).to_be_visible()
        item = citizen_page.locator("#svar-1")
        expect(item).to_contain_text(text)
        expect(item).to_contain_text("Karen Borger")
        # The hearing is open and does not show remarks while open.
        expect(item).not_to_contain_text("Forvaltningen foreslår en ny sti i planen.")
        axe_check(citizen_page)

        # The moderator hides it again: a reason must be chosen first.
        page.get_by_role("link", name="Svarene i moderationskøen").click()
        page.get_by_role("link", name="Nr. 1", exact=True).click()
        mail.outbox = []
        page.get_by_role("button", name="Skjul").click()
        expect(page.get_by_text("Vælg en begrundelse; afsenderen får den at vide.")).to_be_visible()
        expect(page.get_by_label("Begrundelse")).to_have_attribute("aria-invalid", "true")
        expect(page.locator(".badge").first).to_have_text("Offentliggjort")
        page.get_by_label("Begrundelse").select_option(label="personoplysninger om andre")
        page.get_by_label("Uddybning til afsenderen (valgfri)").fill("Svaret nævner en nabo ved navn.")
        page.get_by_role("button", name="Skjul").click()
        expect(page.get_by_text("Høringssvar nr. 1 er skjult.")).to_be_visible()
        expect(page.locator(".badge").first).to_have_text("Skjult")
        expect(page.get_by_text("Skjult · personoplysninger om andre")).to_be_visible()
        # The log: every step, newest last, with who and why.
        entries = page.locator(".event-log li")
        expect(entries).to_have_count(4)
        expect(entries.nth(0)).to_contain_text("Modtaget")
        expect(entries.nth(1)).to_contain_text("Bemærkning skrevet")
        expect(entries.nth(2)).to_contain_text("Offentliggjort (pending → published)")
        expect(entries.nth(3)).to_contain_text("Skjult (published → hidden)")
        expect(entries.nth(3)).to_contain_text("personoplysninger om andre")
        expect(entries.nth(3)).to_contain_text("“Svaret nævner en nabo ved navn.”")
        expect(entries.nth(3)).to_contain_text("moderator@vallensbaek.dk")
        axe_check(page)
        [notice] = [m for m in mail.outbox if m.to == ["borger@example.dk"]]
        assert notice.subject == "Dit høringssvar nr. 1 er skjult"
        assert "Begrundelse: personoplysninger om andre" in notice.body
        assert "Svaret nævner en nabo ved navn." in notice.body

        # The citizen's list says hidden; the hearing page no longer shows the text.
        citizen_page.get_by_role("link", name="Mine høringssvar").click()
        expect(card.locator(".badge")).to_have_text("Skjult")
        citizen_page.goto(server.url + hearing.get_absolute_url())
        expect(citizen_page.get_by_text(text)).to_have_count(0)
        axe_check(citizen_page)
    finally:
        context.close()
    response.refresh_from_db()
    assert (response.status, response.moderation_reason) == (Response.Status.HIDDEN, "personal_data")


def test_the_moderator_journey_by_keyboard_alone(moderation_server, page):
    """Queue, remark, publish, hide with a reason and the log: Tab, arrow keys, Enter, Space and typing
    only, with a visible focus at every stop."""
    server, hearing, response = moderation_server
    page.goto(server.url + "/konto/login/")
    keyboard.sign_in(page, "moderator@vallensbaek.dk", PASSWORD)
    account = page.get_by_role("navigation", name="Din konto")
    keyboard.follow(page, account.get_by_role("link", name="Personale"))
    keyboard.follow(page, page.locator("main").get_by_role("link", name="Moderationskø"))
    expect(page.get_by_text("1 høringssvar", exact=True)).to_be_visible()
    keyboard.follow(page, page.get_by_role("link", name="Nr. 1", exact=True))
    expect(page.locator("h1")).to_have_text("Høringssvar nr. 1")

    # The recommendation is a radio group: Tab reaches its first radio, the arrow key picks the second.
    keyboard.tab_to(page, page.get_by_label("Giver ikke anledning til ændringer"))
    page.keyboard.press("ArrowDown")
    change = page.get_by_label("Giver anledning til ændringer", exact=True)
    keyboard.assert_focused(page, change)
    expect(change).to_be_checked()
    keyboard.fill(page, page.get_by_role("textbox", name="Administrationens bemærkning"), "Stien kommer med.")
    keyboard.follow(page, page.get_by_role("button", name="Gem bemærkning"), key="Space")
    expect(page.get_by_text("Bemærkningen er gemt.")).to_be_visible()
    keyboard.follow(page, page.get_by_role("button", name="Offentliggør"))
    expect(page.get_by_text("Høringssvar nr. 1 er offentliggjort.")).to_be_visible()

    # Hide: the reason is chosen in the select by typing its first letters.
    reason = page.get_by_label("Begrundelse")
    keyboard.tab_to(page, reason)
    page.keyboard.type("kræn")
    expect(reason).to_have_value("offensive")
    keyboard.fill(page, page.get_by_label("Uddybning til afsenderen (valgfri)"), "Skældsord om naboen.")
    keyboard.follow(page, page.get_by_role("button", name="Skjul"))
    expect(page.get_by_text("Høringssvar nr. 1 er skjult.")).to_be_visible()
    expect(page.locator(".badge").first).to_have_text("Skjult")
    log = page.locator(".event-log li")
    expect(log).to_have_count(4)
    expect(log.nth(3)).to_contain_text("Skjult (published → hidden)")
    expect(log.nth(3)).to_contain_text("krænkende sprog")
    expect(log.nth(3)).to_contain_text("“Skældsord om naboen.”")
    response.refresh_from_db()
    assert (response.status, response.moderation_reason) == (Response.Status.HIDDEN, "offensive")
    assert Remark.objects.get(response=response).recommendation == "change"
