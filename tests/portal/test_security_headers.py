"""What a production response carries: HTTPS only, HSTS, nosniff, a referrer policy, secure cookies and a
Content Security Policy without inline scripts; and no page of ours needs an inline script."""

import importlib
import re
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from tests.accounts.factories import UserFactory, VerifiedUserFactory
from tests.hearings.factories import HearingFactory
from tests.portal.test_settings import PRODUCTION, manage

HOST = "hoering.example.dk"
SECURITY_SETTINGS = re.compile(
    r"^(SECURE_|SESSION_COOKIE_|CSRF_COOKIE_|X_FRAME_OPTIONS$|CONTENT_SECURITY_POLICY|DEBUG$)"
)


@pytest.fixture
def production(settings, monkeypatch):
    """The security settings of portal.settings.production, read from a production-like environment and
    laid over the test settings (the database and the rest stay the suite's)."""
    for name, value in PRODUCTION.items():
        monkeypatch.setenv(name, value)
    module = importlib.reload(importlib.import_module("portal.settings.production"))
    for name in dir(module):
        if SECURITY_SETTINGS.match(name):
            setattr(settings, name, getattr(module, name))
    settings.ALLOWED_HOSTS = [HOST]
    return settings


def https_client(**kwargs) -> Client:
    return Client(HTTP_HOST=HOST, HTTP_X_FORWARDED_PROTO="https", **kwargs)


def directives(header: str) -> dict[str, list[str]]:
    parts = (part.strip().split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in parts}


def test_plain_http_is_sent_to_https(production, db):
    response = Client(HTTP_HOST=HOST).get("/tilgaengelighed/")
    assert response.status_code == 301
    assert response["Location"] == f"https://{HOST}/tilgaengelighed/"


def test_healthz_answers_over_plain_http_for_the_containers_own_check(production, db):
    assert Client(HTTP_HOST=HOST).get(reverse("healthz")).status_code == 200


def test_a_production_page_carries_the_security_headers(production, seed):
    response = https_client().get(reverse("home"))
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    policy = directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]


def test_production_cookies_are_secure_and_the_session_cookie_is_http_only(production, db):
    client = https_client(enforce_csrf_checks=True)
    login_page = client.get(reverse("account_login"))
    csrf = login_page.cookies["csrftoken"]
    assert csrf["secure"] is True
    assert csrf["samesite"] == "Lax"

    user = VerifiedUserFactory()
    response = client.post(
        reverse("account_login"),
        {"login": user.email, "password": "hoering-test-2026", "csrfmiddlewaretoken": csrf.value},
        HTTP_REFERER=f"https://{HOST}/konto/login/",
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    session = response.cookies["sessionid"]
    assert session["secure"] is True
    assert session["httponly"] is True
    assert session["samesite"] == "Lax"


def test_the_admin_allows_inline_styles_but_never_inline_scripts(production, db):
    client = https_client()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.get(reverse("admin:index"))
    policy = directives(response["Content-Security-Policy"])
    assert policy["style-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["script-src"] == ["'self'"]


def test_the_oidc_broker_may_receive_the_sign_in_form():
    """allauth's OIDC sign-in posts a form that redirects to the broker; form-action must allow it."""
    code = (
        "from django.conf import settings as s; "
        "print(*s.CONTENT_SECURITY_POLICY['DIRECTIVES']['form-action'])"
    )
    off = manage("shell", "--no-imports", "-c", code, DJANGO_SETTINGS_MODULE="portal.settings.base")
    assert off.stdout.split() == ["'self'"], off.stderr
    on = manage(
        "shell", "--no-imports", "-c", code, DJANGO_SETTINGS_MODULE="portal.settings.base",
        OIDC_SERVER_URL="https://broker.example.dk/realms/borger", OIDC_CLIENT_ID="portal",
    )  # fmt: skip
    assert on.stdout.split() == ["'self'", "https://broker.example.dk"], on.stderr


class InlineCode(HTMLParser):
    """Collects every inline script, on*= handler and javascript: URL of a page."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name, value in attrs.items():
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=…>")
            if value and value.strip().lower().startswith("javascript:"):
                self.found.append(f"<{tag} {name}={value}>")
        executable = attrs.get("type") in (None, "", "text/javascript", "module", "application/javascript")
        self._in_script = tag == "script" and not attrs.get("src") and executable

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.found.append(f"<script>{data.strip()[:60]}…</script>")


def inline_code(html: str) -> list[str]:
    parser = InlineCode()
    parser.feed(html)
    return parser.found


def test_the_parser_finds_inline_code():
    html = (
        '<script>alert(1)</script><a href="javascript:x()">x</a><button onclick="y()">y</button>'
        '<script src="/static/js/a.js"></script><script type="application/json">{"a": 1}</script>'
    )
    assert len(inline_code(html)) == 3


def test_no_page_of_the_portal_has_inline_script(client, vallensbaek):
    hearing = HearingFactory(strategy=vallensbaek)
    citizen = VerifiedUserFactory()
    public = [
        reverse("home"),
        reverse("search") + "?q=skole",
        reverse("accessibility"),
        vallensbaek.municipality.get_absolute_url(),
        vallensbaek.get_absolute_url(),
        vallensbaek.sections.get(number=5).get_absolute_url(),
        reverse("hearings:list"),
        hearing.get_absolute_url(),
        reverse("hearings:respond", args=[hearing.pk]),
        reverse("account_login"),
        reverse("account_signup"),
        reverse("account_reset_password"),
        "/side-der-ikke-findes/",
    ]
    signed_in = [reverse("hearings:my_responses"), reverse("account_email"), reverse("accounts:data")]
    admin = [
        reverse("admin:index"),
        reverse("admin:hearings_hearing_change", args=[hearing.pk]),
        reverse("admin:strategies_strategy_change", args=[vallensbaek.pk]),
        reverse("admin:hearings_hearing_changelist"),
    ]
    found = {}
    for url in public:
        found[url] = inline_code(client.get(url).content.decode())
    client.force_login(citizen)
    for url in signed_in:
        found[url] = inline_code(client.get(url).content.decode())
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    for url in admin:
        response = client.get(url)
        assert response.status_code == 200, url
        found[url] = inline_code(response.content.decode())
    assert {url: code for url, code in found.items() if code} == {}
