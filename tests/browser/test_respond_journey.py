"""A new citizen signs up, verifies the e-mail from the link, responds to a goal of Vallensbæk's
sub-vision 5 with an attachment and sees the receipt, then edits the response, withdraws it and downloads
their data; every page on the way passes axe-core."""

import datetime as dt
import json
import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from hearings.models import Response
from strategies.models import Strategy
from strategies.services import load_seed_file
from tests.browser import keyboard
from tests.hearings.factories import HearingFactory
from tests.helpers import pdf_bytes


@pytest.fixture
def hearing_server(live_server, transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    load_seed_file()
    strategy = Strategy.objects.get(municipality__slug="vallensbaek")
    now = timezone.now()
    hearing = HearingFactory(
        strategy=strategy, title="Høring om Kommuneplanstrategi 2018",
        opens_at=now - dt.timedelta(days=2), closes_at=now + dt.timedelta(days=20),
    )  # fmt: skip
    mail.outbox = []
    return live_server, hearing


def test_sign_up_verify_respond_to_a_goal_with_an_attachment_edit_withdraw_and_download_data(
    hearing_server, page, axe_check, tmp_path
):
    server, hearing = hearing_server
    section_url = (
        server.url + "/kommuner/vallensbaek/kommuneplanstrategi-2018/et-godt-og-udviklende-boerne-og-ungeliv/"
    )
    page.goto(section_url)
    assert page.get_by_text("Åben for høringssvar").first.is_visible()
    axe_check(page)

    # Not signed in: the form asks to sign in or create an account.
    page.get_by_role("link", name="opret en konto").click()
    axe_check(page)
    page.locator("input[name=email]").fill("ny.borger@example.dk")
    page.locator("input[name=password1]").fill("Lange-Ord-I-Vallensbaek-2026")
    page.locator("input[name=password2]").fill("Lange-Ord-I-Vallensbaek-2026")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()
    axe_check(page)

    # The verification e-mail holds a link; following it and confirming signs the citizen in.
    [message] = [m for m in mail.outbox if "ny.borger@example.dk" in m.to]
    link = re.search(r"https?://\S+/konto/confirm-email/\S+/", message.body).group(0)
    page.goto(server.url + link[link.index("/konto/") :])
    axe_check(page)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()

    # Respond to the first bullet goal, reached from its link on the section page.
    page.goto(section_url)
    axe_check(page)
    page.locator(".goal-children .respond-link").first.click()
    assert page.locator("h1").inner_text() == "Skriv et høringssvar"
    selected = page.locator("#id_target").input_value()
    assert selected.startswith("goal-")
    axe_check(page)
    page.get_by_label("Dit navn, som det skal stå ved svaret").fill("Ny Borger")
    page.get_by_label("Postnummer (valgfrit)").fill("2665")
    page.get_by_label("Dit høringssvar").fill("Kodning fra 1. klasse, tak.\nOg flere robotter.")
    attachment = tmp_path / "mit-bilag.pdf"
    attachment.write_bytes(pdf_bytes())
    page.get_by_label("Bilag (valgfrit)").set_input_files(str(attachment))
    page.locator("#id_consent").check()
    page.get_by_role("button", name="Send høringssvar").dblclick()  # a double click sends it once

    expect(page.locator("h1")).to_have_text("Tak for dit høringssvar nr. 1")  # waits for the receipt
    assert page.get_by_text("Kodning fra 1. klasse, tak.").is_visible()
    assert page.get_by_role("link", name="mit-bilag.pdf").is_visible()
    axe_check(page)
    saved = Response.objects.get()
    assert saved.target_goal_id == int(selected.split("-")[1])
    assert saved.attachments.get().original_name == "mit-bilag.pdf"
    assert any("Kvittering for dit høringssvar nr. 1" in m.subject for m in mail.outbox)

    # The response is public on the hearing page, and the citizen's own list shows it.
    page.goto(server.url + hearing.get_absolute_url())
    assert page.get_by_text("Viser 1–1 af 1 høringssvar").is_visible()
    axe_check(page)
    page.get_by_role("link", name="Mine høringssvar").click()
    card = page.locator(".my-responses .card").filter(has_text="Høringssvar nr. 1")
    expect(card.locator(".badge")).to_have_text("Offentliggjort")
    axe_check(page)

    # The citizen edits the response while the hearing is open; the page says so, and the public page
    # shows the new text.
    card.get_by_role("link", name="Ret svaret").click()
    expect(page.locator("h1")).to_have_text("Ret høringssvar nr. 1")
    axe_check(page)
    expect(page.get_by_label("Dit høringssvar")).to_have_value(
        "Kodning fra 1. klasse, tak.\nOg flere robotter."
    )
    page.get_by_label("Dit høringssvar").fill("Kodning fra 1. klasse, tak.\nOg en robotklub på biblioteket.")
    page.get_by_role("button", name="Gem rettelsen").click()
    expect(page.locator("h1")).to_have_text("Mine høringssvar")
    expect(page.get_by_role("status")).to_have_text("Dit høringssvar nr. 1 er rettet.")
    expect(card).to_contain_text("Rettet")
    expect(card).to_contain_text("Og en robotklub på biblioteket.")
    page.goto(server.url + hearing.get_absolute_url())
    expect(page.locator("#svar-1")).to_contain_text("Og en robotklub på biblioteket.")
    expect(page.locator("#svar-1")).not_to_contain_text("Og flere robotter.")

    # ... then withdraws it, after a confirmation page that can be left without withdrawing.
    page.get_by_role("link", name="Mine høringssvar").click()
    card.get_by_role("link", name="Træk svaret tilbage").click()
    expect(page.locator("h1")).to_have_text("Træk høringssvar nr. 1 tilbage")
    axe_check(page)
    page.get_by_role("link", name="Nej, behold det").click()
    expect(card.locator(".badge")).to_have_text("Offentliggjort")
    card.get_by_role("link", name="Træk svaret tilbage").click()
    page.get_by_role("button", name="Ja, træk mit svar tilbage").click()
    expect(page.get_by_role("status")).to_have_text("Dit høringssvar nr. 1 er trukket tilbage.")
    expect(card.locator(".badge")).to_have_text("Trukket tilbage")
    expect(card.get_by_role("link", name="Ret svaret")).to_have_count(0)
    axe_check(page)
    page.goto(server.url + hearing.get_absolute_url())
    expect(page.get_by_text("Kodning fra 1. klasse, tak.")).to_have_count(0)
    assert Response.objects.get().status == Response.Status.WITHDRAWN

    # Their data, as a file: the account and the response with its earlier text.
    page.get_by_role("link", name="Mine data").click()
    expect(page.locator("h1")).to_have_text("Mine data")
    axe_check(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Hent mine data (JSON)").click()
    download = download_info.value
    assert re.fullmatch(r"hoeringsportalen-mine-data-\d{4}-\d\d-\d\d\.json", download.suggested_filename)
    download.save_as(tmp_path / "data.json")
    data = json.loads((tmp_path / "data.json").read_text(encoding="utf-8"))
    assert data["bruger"]["e-mail"] == "ny.borger@example.dk"
    [response] = data["høringssvar"]
    assert response["status"] == "Trukket tilbage"
    assert "\r" not in response["tekst"]  # a browser's CRLF line breaks are stored as LF
    assert response["tekst"].splitlines() == [
        "Kodning fra 1. klasse, tak.",
        "Og en robotklub på biblioteket.",
    ]
    assert response["bilag"] == ["mit-bilag.pdf"]
    assert [v["tekst"].splitlines() for v in response["tidligere_udgaver"]] == [
        ["Kodning fra 1. klasse, tak.", "Og flere robotter."]
    ]


def test_form_errors_are_announced_and_tied_to_fields(hearing_server, page, axe_check):
    from tests.accounts.factories import VerifiedUserFactory

    server, hearing = hearing_server
    VerifiedUserFactory(email="fejl@example.dk")  # password: hoering-test-2026
    page.goto(server.url + "/konto/login/")
    page.locator("input[name=login]").fill("fejl@example.dk")
    page.locator("input[name=password]").fill("hoering-test-2026")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()
    page.goto(server.url + f"/hoeringer/{hearing.pk}/svar/")
    page.get_by_label("Dit navn, som det skal stå ved svaret").fill("")  # prefilled from the account
    page.get_by_label("Dit høringssvar").fill("Tekst uden navn")
    page.get_by_role("button", name="Send høringssvar").click()
    name = page.get_by_label("Dit navn, som det skal stå ved svaret")
    expect(name).to_have_attribute("aria-invalid", "true")
    assert "id_display_name_error" in name.get_attribute("aria-describedby")
    assert page.get_by_label("Dit høringssvar").input_value() == "Tekst uden navn"
    axe_check(page)


def test_the_whole_citizen_journey_by_keyboard_alone(hearing_server, page, tmp_path):
    """Sign up, verify, respond to a goal with an attachment, edit, withdraw, download the data: Tab,
    Shift+Tab, Enter, Space and typing only, with a visible focus at every stop."""
    server, hearing = hearing_server
    section_url = (
        server.url + "/kommuner/vallensbaek/kommuneplanstrategi-2018/et-godt-og-udviklende-boerne-og-ungeliv/"
    )
    page.goto(section_url)
    keyboard.skip_to_content(page)
    keyboard.follow(page, page.get_by_role("link", name="opret en konto"), max_tabs=150)

    expect(page.locator("h1")).to_have_text("Opret konto")
    keyboard.fill(page, page.get_by_label("E-mail"), "tastatur@example.dk")
    keyboard.fill(page, page.get_by_label("Adgangskode", exact=True), "Lange-Ord-I-Vallensbaek-2026")
    keyboard.fill(page, page.get_by_label("Adgangskode (igen)"), "Lange-Ord-I-Vallensbaek-2026")
    keyboard.follow(page, page.locator("main").get_by_role("button", name="Opret konto"))

    # The link in the e-mail (followed from the mail program), then the confirm button.
    [message] = [m for m in mail.outbox if "tastatur@example.dk" in m.to]
    link = re.search(r"https?://\S+/konto/confirm-email/\S+/", message.body).group(0)
    page.goto(server.url + link[link.index("/konto/") :])
    keyboard.follow(page, page.locator("main form").get_by_role("button"), key="Space")

    # Back on the section page: the first bullet goal's respond link.
    page.goto(section_url)
    keyboard.skip_to_content(page)
    keyboard.follow(page, page.locator(".goal-children .respond-link").first, max_tabs=150)
    expect(page.locator("h1")).to_have_text("Skriv et høringssvar")
    assert page.locator("#id_target").input_value().startswith("goal-")
    keyboard.fill(page, page.get_by_label("Dit navn, som det skal stå ved svaret"), "Tove Tastatur")
    keyboard.fill(page, page.get_by_label("Postnummer (valgfrit)"), "2625")
    keyboard.fill(page, page.get_by_label("Dit høringssvar"), "Flere bænke ved skolen.\nOg læ for vinden.")
    attachment = tmp_path / "tegning.pdf"
    attachment.write_bytes(pdf_bytes())
    keyboard.tab_to(page, page.get_by_label("Bilag (valgfrit)"))
    with page.expect_file_chooser() as chooser:
        page.keyboard.press("Space")
    chooser.value.set_files(str(attachment))
    consent = page.locator("#id_consent")
    keyboard.activate(page, consent, key="Space")
    expect(consent).to_be_checked()
    # Back up to check the name once more, then on to the button.
    keyboard.tab_to(page, page.get_by_label("Dit navn, som det skal stå ved svaret"), backwards=True)
    expect(page.get_by_label("Dit navn, som det skal stå ved svaret")).to_have_value("Tove Tastatur")
    keyboard.follow(page, page.get_by_role("button", name="Send høringssvar"))
    expect(page.locator("h1")).to_have_text("Tak for dit høringssvar nr. 1")
    expect(page.get_by_role("link", name="tegning.pdf")).to_be_visible()

    # Edit from the own list.
    keyboard.follow(
        page, page.get_by_role("navigation", name="Din konto").get_by_role("link", name="Mine høringssvar")
    )
    keyboard.follow(page, page.get_by_role("link", name="Ret svaret 1"))
    expect(page.locator("h1")).to_have_text("Ret høringssvar nr. 1")
    keyboard.tab_to(page, page.get_by_label("Dit høringssvar"))
    page.keyboard.press("ControlOrMeta+End")
    page.keyboard.type("\nOg en drikkefontæne.")
    keyboard.follow(page, page.get_by_role("button", name="Gem rettelsen"))
    expect(page.get_by_role("status")).to_have_text("Dit høringssvar nr. 1 er rettet.")
    card = page.locator(".my-responses .card").filter(has_text="Høringssvar nr. 1")
    expect(card).to_contain_text("Og en drikkefontæne.")

    # Withdraw, confirming with Space on the button.
    keyboard.follow(page, page.get_by_role("link", name="Træk svaret tilbage 1"))
    expect(page.locator("h1")).to_have_text("Træk høringssvar nr. 1 tilbage")
    keyboard.follow(page, page.get_by_role("button", name="Ja, træk mit svar tilbage"), key="Space")
    expect(page.get_by_role("status")).to_have_text("Dit høringssvar nr. 1 er trukket tilbage.")
    expect(card.locator(".badge")).to_have_text("Trukket tilbage")
    assert Response.objects.get().status == Response.Status.WITHDRAWN

    # Download the data.
    keyboard.follow(
        page, page.get_by_role("navigation", name="Din konto").get_by_role("link", name="Mine data")
    )
    keyboard.tab_to(page, page.get_by_role("link", name="Hent mine data (JSON)"))
    with page.expect_download() as download_info:
        page.keyboard.press("Enter")
    download_info.value.save_as(tmp_path / "data.json")
    data = json.loads((tmp_path / "data.json").read_text(encoding="utf-8"))
    assert data["bruger"]["e-mail"] == "tastatur@example.dk"
    [response] = data["høringssvar"]
    assert response["status"] == "Trukket tilbage"
    assert response["tekst"].splitlines() == [
        "Flere bænke ved skolen.",
        "Og læ for vinden.",
        "Og en drikkefontæne.",
    ]
    assert response["bilag"] == ["tegning.pdf"]
