"""Shared data and checks of the hostile-input suite (test_hostile_*.py).

Hostile input: what an attacker (or an unlucky citizen) types, uploads or links to never runs, never
crashes a page and is never lost. Every case checks three things where they apply: no markup from the
input reaches a page as a live tag or attribute (``live_markup``) and the input is shown escaped as text;
nothing answers 500; and on a refused form every value the user typed is in the form shown again.

The world (two municipalities, each with a strategy, a section, an open hearing and responses, and the
users that act on them) is made once per module inside a transaction that is rolled back at the end of
the module; each test runs in a savepoint inside it (pytest-django's ``db``), so a test's changes are
undone before the next one and the world is never rebuilt.
"""

import datetime as dt
import re
from dataclasses import dataclass
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import Permission
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from accounts.models import User
from hearings.models import Hearing, Response
from strategies.models import Municipality, Section, Strategy
from tests.accounts.factories import StaffRoleFactory, VerifiedUserFactory
from tests.hearings.factories import HearingFactory, ResponseFactory
from tests.strategies.factories import MunicipalityFactory, SectionFactory, StrategyFactory


@dataclass
class World:
    v_municipality: Municipality
    v_strategy: Strategy
    v_section: Section
    v_hearing: Hearing
    v_response: Response  # a citizen's published response in Vallensbæk's hearing
    b_municipality: Municipality
    b_strategy: Strategy
    b_section: Section
    b_hearing: Hearing
    b_response: Response  # published, in the other municipality
    b_pending: Response
    citizen: User
    other_citizen: User
    v_moderator: User
    v_editor: User
    v_council: User
    superuser: User


def build_world() -> World:
    now = timezone.now()
    v_municipality = MunicipalityFactory(name="Vallensbæk Kommune", slug="vallensbaek")
    b_municipality = MunicipalityFactory(name="Billund Kommune", slug="billund")
    worlds = {}
    for key, municipality in (("v", v_municipality), ("b", b_municipality)):
        strategy = StrategyFactory(municipality=municipality, status=Strategy.Status.IN_HEARING)
        section = SectionFactory(strategy=strategy, number=1)
        hearing = HearingFactory(
            strategy=strategy, opens_at=now - dt.timedelta(days=3), closes_at=now + dt.timedelta(days=10),
            remarks_as_written=True,
        )  # fmt: skip
        worlds[key] = (strategy, section, hearing)
    citizen = VerifiedUserFactory(email="borger@example.dk", name="Karen Borger")
    other_citizen = VerifiedUserFactory(email="nabo@example.dk", name="Niels Nabo")
    v_strategy, v_section, v_hearing = worlds["v"]
    b_strategy, b_section, b_hearing = worlds["b"]
    v_response = ResponseFactory(hearing=v_hearing, number=1, author=citizen, text="Et stille svar")
    b_response = ResponseFactory(hearing=b_hearing, number=1, author=other_citizen)
    b_pending = ResponseFactory(hearing=b_hearing, number=2, status="pending", published_at=None)
    Hearing.objects.filter(pk=v_hearing.pk).update(last_response_number=1)
    Hearing.objects.filter(pk=b_hearing.pk).update(last_response_number=2)

    staff = {}
    for role in ("moderator", "editor", "council"):
        user = VerifiedUserFactory(email=f"v-{role}@example.dk", is_staff=role == "editor")
        StaffRoleFactory(user=user, municipality=v_municipality, role=role)
        staff[role] = user
    # An editor works in the admin with the model permissions an operator gives the editors' group.
    staff["editor"].user_permissions.add(
        *Permission.objects.filter(
            codename__in=["view_strategy", "change_strategy", "view_section", "change_section"]
        )
    )
    superuser = VerifiedUserFactory(email="drift@example.dk", is_staff=True, is_superuser=True)
    return World(
        v_municipality=v_municipality, v_strategy=v_strategy, v_section=v_section, v_hearing=v_hearing,
        v_response=v_response, b_municipality=b_municipality, b_strategy=b_strategy, b_section=b_section,
        b_hearing=b_hearing, b_response=b_response, b_pending=b_pending, citizen=citizen,
        other_citizen=other_citizen, v_moderator=staff["moderator"], v_editor=staff["editor"],
        v_council=staff["council"], superuser=superuser,
    )  # fmt: skip


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        built = build_world()
        yield built
        transaction.set_rollback(True)


@pytest.fixture
def w(world, db) -> World:
    """The module's world, inside this test's savepoint."""
    return world


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


# --- What counts as markup that would run ------------------------------------------------------------

DANGEROUS_TAGS = {
    "script", "iframe", "frame", "frameset", "object", "embed", "applet", "svg", "math", "style", "base",
    "img", "image", "video", "audio", "source", "marquee", "xss", "template", "portal", "isindex", "noscript",
}  # fmt: skip
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "background", "ping"}
BAD_SCHEME = re.compile(r"^(javascript|vbscript|data|file):", re.IGNORECASE)


class _LiveMarkupFinder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script":
            if not (attributes.get("src") or "").startswith("/static/"):
                self.found.append(f"<script {attrs}>")
        elif tag == "link":
            if not (attributes.get("href") or "").startswith(
                ("/static/", "/hoeringer/", "http://testserver/")
            ):
                self.found.append(f"<link {attrs}>")
        elif tag == "meta" and (attributes.get("http-equiv") or "").lower() == "refresh":
            if "url" in (attributes.get("content") or "").lower():
                self.found.append(f"<meta refresh {attrs}>")
        elif tag in DANGEROUS_TAGS:
            self.found.append(f"<{tag} {attrs}>")
        for name, value in attrs:
            value = re.sub(r"[\x00-\x20]", "", value or "")
            runs = name.startswith("on") or name in {"srcdoc", "formaction"}
            if runs or (name in URL_ATTRIBUTES and BAD_SCHEME.match(value)):
                self.found.append(f"{tag}[{name}={value!r}]")
            elif name == "style" and re.search(r"expression\(|url\(|javascript:", value, re.IGNORECASE):
                self.found.append(f"{tag}[style={value!r}]")

    handle_startendtag = handle_starttag


def live_markup(html: str) -> list[str]:
    """Tags and attributes in ``html`` that would run or load something: what no page may ever have."""
    finder = _LiveMarkupFinder()
    finder.feed(html)
    finder.close()
    return finder.found


def assert_inert(html: str, where: str = "") -> None:
    found = live_markup(html)
    assert not found, f"live markup on {where}: {found[:5]}"


# --- The corpus ----------------------------------------------------------------------------------------

XSS = {
    "script": "<script>alert(1)</script>",
    "img-onerror": "<img src=x onerror=alert(1)>",
    "svg-onload": "<svg/onload=alert(1)>",
    "attr-breakout-dq": '"><script>alert(1)</script>',
    "attr-breakout-sq": "'><img src=x onerror=alert(1)>",
    "attr-injection": '" autofocus onfocus="alert(1)',
    "textarea-breakout": "</textarea><script>alert(1)</script>",
    "title-breakout": "</title><script>alert(1)</script>",
    "js-link": '<a href="javascript:alert(1)">klik</a>',
    "iframe": "<iframe src=//evil.example></iframe>",
    "style": "<style>*{display:none}</style>",
    "entity-encoded": "&lt;script&gt;alert(1)&lt;/script&gt;",
    "template-tags": "{{ 7*7 }} {% debug %} {# x #}",
    "mxss": "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "comment": "<!--<img src=x onerror=alert(1)>-->",
    "markdown-link": "[klik](javascript:alert(1)) ![x](file:///etc/passwd)",
}


def text_of(payload: str) -> str:
    """How a value is expected on a page: escaped, as Django's autoescape does."""
    return escape(payload)


# --- Helpers -------------------------------------------------------------------------------------------


def response_data(w, **overrides) -> dict:
    data = {
        "target": f"section-{w.v_section.pk}",
        "respondent_type": "association",
        "organisation_name": "Vallensbæk Idrætsforening",
        "display_name": "Karen Borger",
        "postcode": "2665",
        "town": "Vallensbæk",
        "text": "Jeg er glad for strategien.",
        "consent": "on",
    }
    data.update(overrides)
    return data


def assert_form_keeps(
    html: str, data: dict, fields=("organisation_name", "display_name", "postcode", "town")
):
    """Every value typed is in the form shown again (escaped, as Django renders a field's value)."""
    for name in fields:
        value = data.get(name, "")
        if value:
            assert f'value="{escape(value)}"' in html, f"{name} was lost"
    if data.get("text"):
        assert (
            f">\n{escape(data['text'])}</textarea>" in html or f">{escape(data['text'])}</textarea>" in html
        )


def pages_of(client, w, response: Response) -> dict[str, str]:
    """Every page where a response's values appear, as the citizen (theirs) and a moderator sees them."""
    pages = {}
    client.force_login(response.author)
    for name, url in {
        "hearing": w.v_hearing.get_absolute_url(),
        "section": w.v_section.get_absolute_url(),
        "response": response.get_absolute_url(),
        "receipt": reverse("hearings:receipt", args=[response.public_id]),
        "my_responses": reverse("hearings:my_responses"),
    }.items():
        page = client.get(url)
        assert page.status_code == 200, (name, page.status_code)
        pages[name] = page.content.decode()
    client.force_login(w.v_moderator)
    page = client.get(reverse("moderation:response", args=[response.pk]))
    assert page.status_code == 200
    pages["staff"] = page.content.decode()
    return pages
