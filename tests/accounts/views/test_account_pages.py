"""django-allauth's account pages: in the portal's frame, Danish by default, DKFDS forms whose errors are
tied to their fields, and the e-mail verification and password reset flows working end to end."""

import re
from html.parser import HTMLParser

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from accounts.models import User
from tests.accounts.factories import VerifiedUserFactory
from tests.textutil import page_words, words

PASSWORD = "hoering-test-2026"  # tests.factories.UserFactory's password
NEW_PASSWORD = "Ny-sikker-adgangskode-2026"


class _Page(HTMLParser):
    """The attributes and the text of every element with an id."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}

    def __init__(self, html: str):
        super().__init__()
        self.attrs: dict[str, dict[str, str | None]] = {}
        self.texts: dict[str, list[str]] = {}
        self._open: list[str | None] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        element_id = attributes.get("id")
        if element_id:
            self.attrs[element_id] = {"tag": tag, **attributes}
            self.texts[element_id] = []
        if tag not in self.VOID:
            self._open.append(element_id)

    def handle_endtag(self, tag):
        if tag not in self.VOID and self._open:
            self._open.pop()

    def handle_data(self, data):
        for element_id in self._open:
            if element_id:
                self.texts[element_id].append(data)

    def text(self, element_id: str) -> str:
        return " ".join(" ".join(self.texts[element_id]).split())


def parse(response) -> _Page:
    return _Page(response.content.decode())


def says(response, phrase: str) -> bool:
    """Whether the page shows the phrase (markup, punctuation and line breaks aside)."""
    return " ".join(words(phrase)) in " ".join(page_words(response.content))


def assert_portal_page(response, *phrases: str, language: str = "da"):
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    skip_link = "Gå til sidens indhold" if language == "da" else "Skip to content"
    assert f'<a class="skipnav" href="#main-content">{skip_link}</a>' in html
    assert 'class="breadcrumbs"' in html
    for phrase in phrases:
        assert says(response, phrase), phrase


def assert_tied_error(page: _Page, input_id: str, error_id: str, message: str):
    """The input is marked invalid and described by the error, which says the message."""
    field = page.attrs[input_id]
    assert field.get("aria-invalid") == "true"
    assert error_id in (field.get("aria-describedby") or "").split()
    assert message in page.text(error_id)


def current_crumb(response) -> str:
    match = re.search(
        r'<li class="breadcrumbs__list-item" aria-current="page">([^<]+)</li>', response.content.decode()
    )
    return match.group(1) if match else ""


# --- Every page renders in Danish, in the frame ------------------------------------------------


@pytest.mark.parametrize(
    ("url_name", "phrases", "crumb"),
    [
        ("account_login", ["Log ind", "Husk mig", "Glemt din adgangskode?", "opret dig"], "Log ind"),
        ("account_signup", ["Opret konto", "Adgangskode (igen)", "Har du allerede en konto?"], "Opret konto"),
        ("account_reset_password", ["Nulstil password", "Nulstil mit password"], "Nulstil password"),
        (
            "account_reset_password_done",
            ["Nulstil password", "Vi har sendt en email til dig"],
            "Nulstil password",
        ),
        ("account_email_verification_sent", ["Bekræft din emailadresse"], "Bekræft din emailadresse"),
        ("account_reset_password_from_key_done", ["Dit password er nu ændret."], "Ændr password"),
    ],
)
def test_entrance_pages_are_danish_and_in_the_portal_frame(db, client, url_name, phrases, crumb):
    response = client.get(reverse(url_name))
    assert_portal_page(response, *phrases)
    assert current_crumb(response) == crumb


def test_login_form_has_visible_labels_and_the_reset_link_describes_the_password(db, client):
    response = client.get(reverse("account_login"))
    page = parse(response)
    html = response.content.decode()
    for input_id, label in (
        ("id_login", "E-mail"),
        ("id_password", "Adgangskode"),
        ("id_remember", "Husk mig"),
    ):
        assert page.attrs[input_id]["tag"] == "input"
        assert re.search(rf'<label class="form-label" for="{input_id}">\s*{label}\s*</label>', html), label
    assert page.attrs["id_login"]["type"] == "email"
    assert page.attrs["id_login"]["autocomplete"] == "email"
    assert page.attrs["id_remember"]["class"] == "form-checkbox"
    assert page.attrs["id_password"]["aria-describedby"].split() == ["id_password-hint"]
    assert page.text("id_password-hint") == "Glemt din adgangskode?"
    assert 'class="button button-primary" type="submit"' in html
    assert "aria-invalid" not in html
    assert re.search(r"<title>\s*Log ind\s*– Høringsportalen</title>", html)


def test_signup_password_rules_are_tied_to_the_password_input(db, client):
    page = parse(client.get(reverse("account_signup")))
    assert page.attrs["id_password1"]["aria-describedby"].split() == ["id_password1-hint"]
    assert "mindst 8 tegn" in page.text("id_password1-hint")
    assert page.attrs["id_password2"].get("aria-describedby") is None


@pytest.mark.parametrize(
    ("url_name", "phrases", "crumb"),
    [
        ("account_logout", ["Log ud", "Er du sikker på, at du vil logge af?"], "Log ud"),
        (
            "account_change_password",
            ["Ændr password", "Nuværende adgangskode", "Ny adgangskode (igen)"],
            "Ændr password",
        ),
        (
            "account_email",
            ["Emailadresser", "Tilføj emailadresse", "Gør primær", "Send bekræftelse igen"],
            "Emailadresser",
        ),
    ],
)
def test_account_management_pages_are_danish_and_under_my_data(db, client, url_name, phrases, crumb):
    user = VerifiedUserFactory()
    client.force_login(user)
    response = client.get(reverse(url_name))
    assert_portal_page(response, *phrases)
    assert current_crumb(response) == crumb
    assert (
        f'<a href="{reverse("accounts:data")}" class="breadcrumbs__link">Mine data</a>'
        in response.content.decode()
    )


def test_email_management_lists_the_address_as_a_labelled_radio_button(db, client):
    user = VerifiedUserFactory(email="borger@example.dk")
    client.force_login(user)
    response = client.get(reverse("account_email"))
    page = parse(response)
    radio = page.attrs["email_radio_0"]
    assert (radio["type"], radio["class"], radio["value"]) == ("radio", "form-radio", "borger@example.dk")
    assert "checked" in radio
    assert re.search(
        r'<label class="form-label" for="email_radio_0">\s*borger@example.dk', response.content.decode()
    )
    assert 'class="button button-warning" name="action_remove"' in response.content.decode()


def test_pages_are_english_after_switching_language(db, client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.get(reverse("account_signup"))
    assert_portal_page(response, "Sign Up", "Password (again)", "Already have an account?", language="en")
    assert current_crumb(response) == "Sign Up"


# --- Errors are tied to their fields, and what was typed is kept --------------------------------


def test_login_with_malformed_email_ties_the_error_to_the_field_and_keeps_it(db, client):
    response = client.post(reverse("account_login"), {"login": "ikke-en-adresse", "password": PASSWORD})
    assert_portal_page(response, "Log ind")
    page = parse(response)
    assert_tied_error(page, "id_login", "id_login-error", "Indtast en gyldig e-mail-adresse.")
    assert page.text("id_login-error").startswith("Fejl:")
    assert page.attrs["id_login"]["value"] == "ikke-en-adresse"
    assert "value" not in page.attrs["id_password"]
    assert "<title>Fejl: " in response.content.decode()


def test_login_with_wrong_password_shows_an_alert_tied_to_the_inputs(db, client):
    user = VerifiedUserFactory(email="borger@example.dk")
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": "forkert-adgangskode", "remember": "on"}
    )
    assert_portal_page(response)
    page = parse(response)
    message = "Den angivne emailadresse og/eller adgangskode er ikke korrekt."
    assert page.attrs["form-errors"]["role"] == "alert"
    assert "alert-error" in page.attrs["form-errors"]["class"]
    assert_tied_error(page, "id_login", "form-errors", message)
    assert_tied_error(page, "id_password", "form-errors", message)
    assert "id_password-hint" in page.attrs["id_password"]["aria-describedby"].split()
    assert page.attrs["id_login"]["value"] == user.email
    assert "value" not in page.attrs["id_password"]
    assert "forkert-adgangskode" not in response.content.decode()
    assert "checked" in page.attrs["id_remember"]  # "Husk mig" stays ticked
    assert "_auth_user_id" not in client.session


def test_signup_errors_are_tied_to_their_fields_and_keep_the_email(db, client):
    response = client.post(
        reverse("account_signup"),
        {"email": "ny.borger@example.dk", "password1": "kort", "password2": "anderledes"},
    )
    assert_portal_page(response, "Opret konto")
    page = parse(response)
    assert_tied_error(page, "id_password1", "id_password1-error", "for kort")
    assert page.attrs["id_password1"]["aria-describedby"].split() == [
        "id_password1-error",
        "id_password1-hint",
    ]
    assert page.attrs["id_email"]["value"] == "ny.borger@example.dk"
    assert page.attrs["id_email"].get("aria-invalid") is None
    assert "value" not in page.attrs["id_password1"] and "value" not in page.attrs["id_password2"]
    assert not User.objects.filter(email="ny.borger@example.dk").exists()

    response = client.post(
        reverse("account_signup"),
        {"email": "ikke-en-adresse", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    page = parse(response)
    assert_tied_error(page, "id_email", "id_email-error", "Indtast en gyldig e-mail-adresse.")
    assert page.attrs["id_email"]["value"] == "ikke-en-adresse"

    response = client.post(
        reverse("account_signup"),
        {"email": "ny.borger@example.dk", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD + "x"},
    )
    assert_tied_error(
        parse(response),
        "id_password2",
        "id_password2-error",
        "Du skal skrive den samme adgangskode hver gang.",
    )


# --- "Husk mig" -------------------------------------------------------------------------------


@pytest.mark.parametrize(("remember", "expires_at_browser_close"), [(True, False), (False, True)])
def test_remember_me_decides_whether_the_session_outlives_the_browser(
    db, client, remember, expires_at_browser_close
):
    user = VerifiedUserFactory()
    data = {"login": user.email, "password": PASSWORD}
    if remember:
        data["remember"] = "on"  # what the browser posts for the ticked checkbox (it has no value attribute)
    response = client.post(reverse("account_login"), data)
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk
    assert client.session.get_expire_at_browser_close() is expires_at_browser_close


# --- The flows behind the pages ---------------------------------------------------------------


def test_signup_sends_a_verification_email_whose_link_confirms_the_address(db, client):
    response = client.post(
        reverse("account_signup"),
        {"email": "ny.borger@example.dk", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert_portal_page(client.get(response["Location"]), "Bekræft din emailadresse")

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ny.borger@example.dk"]
    link = re.search(r"https?://testserver(/konto/confirm-email/[^/\s]+/)", message.body)
    assert link, message.body
    address = EmailAddress.objects.get(email="ny.borger@example.dk")
    assert not address.verified

    response = client.get(link.group(1))
    assert_portal_page(response, "Bekræft venligst din emailadresse", "ny.borger@example.dk")
    assert current_crumb(response) == "Bekræft venligst din emailadresse"
    assert re.search(
        r'<button class="button button-primary" type="submit">\s*Bekræft\s*</button>',
        response.content.decode(),
    )

    response = client.post(link.group(1))
    assert response.status_code == 302
    address.refresh_from_db()
    assert address.verified
    assert int(client.session["_auth_user_id"]) == address.user_id  # ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION


def test_invalid_confirmation_link_says_so_in_the_frame(db, client):
    response = client.get(reverse("account_confirm_email", kwargs={"key": "findes-ikke"}))
    assert_portal_page(
        response, "Bekræft venligst din emailadresse", "Dette link til bekræftelse af email er udløbet"
    )


def test_password_reset_email_link_leads_to_a_new_password(db, client):
    user = VerifiedUserFactory(email="borger@example.dk")
    response = client.post(reverse("account_reset_password"), {"email": user.email})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_done")

    assert len(mail.outbox) == 1
    link = re.search(r"https?://testserver(/konto/password/reset/key/\S+/)", mail.outbox[0].body)
    assert link, mail.outbox[0].body

    response = client.get(link.group(1), follow=True)
    assert_portal_page(response, "Ændr password", "Ny adgangskode", "Ny adgangskode (igen)")
    assert current_crumb(response) == "Ændr password"
    page = parse(response)
    assert page.attrs["id_password1"]["aria-describedby"].split() == ["id_password1-hint"]

    form_url = response.redirect_chain[-1][0]
    response = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}, follow=True)
    assert_portal_page(response, "Dit password er nu ændret.")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)

    # The link works once.
    response = client.get(link.group(1), follow=True)
    assert_portal_page(response, "Ugyldigt token", "Linket til nulstilling af password var ugyldigt")
    assert "id_password1" not in parse(response).attrs


def test_password_reset_with_malformed_email_ties_the_error(db, client):
    response = client.post(reverse("account_reset_password"), {"email": "ikke-en-adresse"})
    page = parse(response)
    assert_tied_error(page, "id_email", "id_email-error", "Indtast en gyldig e-mail-adresse.")
    assert page.attrs["id_email"]["value"] == "ikke-en-adresse"
    assert mail.outbox == []


def test_change_password_errors_are_tied_and_success_changes_it(db, client):
    user = VerifiedUserFactory()
    client.force_login(user)
    url = reverse("account_change_password")
    response = client.post(
        url, {"oldpassword": "forkert", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert_portal_page(response, "Ændr password")
    assert_tied_error(parse(response), "id_oldpassword", "id_oldpassword-error", "nuværende adgangskode")

    response = client.post(
        url, {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_adding_an_invalid_email_address_ties_the_error_once(db, client):
    user = VerifiedUserFactory()
    client.force_login(user)
    response = client.post(reverse("account_email"), {"action_add": "", "email": "ikke-en-adresse"})
    assert_portal_page(response, "Emailadresser")
    page = parse(response)
    assert_tied_error(page, "id_email", "id_email-error", "Indtast en gyldig e-mail-adresse.")
    assert response.content.decode().count('id="id_email-error"') == 1


def test_logout_form_signs_out(db, client):
    user = VerifiedUserFactory()
    client.force_login(user)
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


# --- MitID (OpenID Connect through a broker) --------------------------------------------------


def test_login_page_shows_the_oidc_provider_button_when_one_is_configured(db, client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {
        "openid_connect": {
            "OAUTH_PKCE_ENABLED": True,
            "APPS": [
                {
                    "provider_id": "mitid",
                    "name": "MitID",
                    "client_id": "portal",
                    "secret": "hemmelig",
                    "settings": {"server_url": "https://broker.example.dk"},
                }
            ],
        }
    }
    response = client.get(reverse("account_login"))
    assert_portal_page(response, "Log ind", "Eller brug en tredjepart")
    html = response.content.decode()
    href = reverse("openid_connect_login", kwargs={"provider_id": "mitid"})
    assert re.search(rf'<a class="button button-secondary" href="{re.escape(href)}[^"]*">MitID</a>', html)

    response = client.get(href)
    assert_portal_page(response, "Log ind via MitID", "Fortsæt")
    assert current_crumb(response) == "Log ind"


def test_login_page_has_no_provider_section_by_default(db, client):
    response = client.get(reverse("account_login"))
    assert not says(response, "Eller brug en tredjepart")
    assert "provider-list" not in response.content.decode()
