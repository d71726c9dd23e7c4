"""django-allauth's account pages in the portal's frame: Danish by default, English on request, axe-clean."""

import pytest

from tests.accounts.factories import VerifiedUserFactory

PASSWORD = "hoering-test-2026"  # tests.factories.UserFactory's password


@pytest.fixture
def server(live_server, transactional_db):
    return live_server


def test_login_signup_and_password_reset_pages_pass_axe_in_danish(server, page, axe_check):
    page.goto(server.url + "/konto/login/")
    assert page.locator("html").get_attribute("lang") == "da"
    assert page.get_by_role("link", name="Gå til sidens indhold").count() == 1
    assert page.locator("h1").inner_text() == "Log ind"
    assert page.locator(".breadcrumbs [aria-current=page]").inner_text() == "Log ind"
    assert page.get_by_label("Adgangskode").is_visible()
    assert page.get_by_label("Husk mig").is_visible()
    axe_check(page)

    page.get_by_role("link", name="opret dig").click()
    assert page.locator("h1").inner_text() == "Opret konto"
    assert page.get_by_label("Adgangskode (igen)").is_visible()
    axe_check(page)

    page.goto(server.url + "/konto/login/")
    page.get_by_role("link", name="Glemt din adgangskode?").click()
    assert page.locator("h1").inner_text() == "Nulstil password"
    axe_check(page)


def test_failed_login_shows_the_error_at_the_fields_and_passes_axe(server, page, axe_check):
    user = VerifiedUserFactory(email="borger@example.dk")
    page.goto(server.url + "/konto/login/")
    email = page.get_by_role("textbox", name="E-mail")
    email.fill(user.email)
    page.get_by_label("Adgangskode").fill("forkert-adgangskode")
    page.locator("main").get_by_role("button", name="Log ind").click()

    page.wait_for_selector("#form-errors")
    assert page.title().startswith("Fejl:")
    alert = page.get_by_role("alert")
    assert "Den angivne emailadresse og/eller adgangskode er ikke korrekt." in alert.inner_text()
    assert email.input_value() == user.email
    assert email.get_attribute("aria-invalid") == "true"
    assert "form-errors" in email.get_attribute("aria-describedby").split()
    assert page.get_by_label("Adgangskode").input_value() == ""
    axe_check(page)

    # A field error: the message sits at the field and is part of its accessible description.
    email.fill("ikke-en-adresse")
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Log ind").click()
    page.wait_for_selector("#id_login-error")
    assert email.input_value() == "ikke-en-adresse"
    assert "id_login-error" in email.get_attribute("aria-describedby").split()
    assert "Fejl:" in page.locator("#id_login-error").inner_text()
    axe_check(page)

    # And with the right password the citizen gets in.
    page.get_by_role("textbox", name="E-mail").fill(user.email)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Log ind").click()
    page.wait_for_url(server.url + "/")
    assert page.get_by_role("navigation", name="Din konto").get_by_text(user.email).is_visible()


def test_signup_page_in_english_passes_axe(server, page, axe_check):
    page.goto(server.url + "/konto/signup/")
    page.get_by_role("button", name="English").click()
    page.wait_for_selector("html[lang=en]")
    assert page.get_by_role("link", name="Skip to content").count() == 1
    assert page.locator("h1").inner_text() == "Sign Up"
    assert page.get_by_label("Password (again)").is_visible()
    axe_check(page)


def test_signed_in_account_pages_pass_axe(server, page, axe_check):
    user = VerifiedUserFactory()
    page.goto(server.url + "/konto/login/")
    page.get_by_role("textbox", name="E-mail").fill(user.email)
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Log ind").click()
    page.wait_for_url(server.url + "/")

    for path, heading in (
        ("/konto/password/change/", "Ændr password"),
        ("/konto/email/", "Emailadresser"),
        ("/konto/logout/", "Log ud"),
    ):
        page.goto(server.url + path)
        assert page.locator("h1").inner_text() == heading
        assert page.locator(".breadcrumbs").get_by_role("link", name="Mine data").count() == 1
        axe_check(page)
