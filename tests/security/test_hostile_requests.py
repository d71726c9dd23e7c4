"""Hostile requests outside the response form: e-mail addresses at sign-up and login, the query
string, posts without a CSRF token, a next that leads off the site, and odd values in every other
form."""

from urllib.parse import urlsplit

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from django.utils.http import url_has_allowed_host_and_scheme

from hearings.models import Response
from moderation.models import Flag, ModerationEvent, Remark
from strategies.models import Strategy

from .conftest import XSS, assert_inert, response_data

# --- Sign-up and login e-mails -------------------------------------------------------------------------


# An address allauth takes is fine (a quoted local part may hold markup); it must show as text.
SIGNUP_EMAILS = {
    "script": "<script>alert(1)</script>@example.dk",
    "attr-breakout": '"><img src=x onerror=alert(1)>@example.dk',
    "quoted-local": '"<svg/onload=alert(1)>"@example.dk',
    "header-injection": "borger@example.dk\r\nBcc: alle@example.dk",
    "nul": "borger\x00@example.dk",
    "rtl": "borger\u202egd.elpmaxe@example.dk",
}


@pytest.mark.parametrize("email", list(SIGNUP_EMAILS.values()), ids=list(SIGNUP_EMAILS))
def test_hostile_sign_up_and_login_e_mails_are_shown_as_text(client, w, email):
    for url, data in (
        (reverse("account_signup"), {"email": email, "password1": "hoering-test-2026",
                                     "password2": "hoering-test-2026"}),
        (reverse("account_login"), {"login": email, "password": "hoering-test-2026"}),
    ):  # fmt: skip
        answer = client.post(url, data, follow=True)
        html = answer.content.decode()
        assert answer.status_code == 200
        assert_inert(html, url)
        if "<" in email and answer.redirect_chain == []:
            assert f'value="{escape(email.strip())}"' in html  # refused: kept, as text


def test_an_overlong_e_mail_address_is_refused_at_sign_up(client, w):
    email = "a" * 300 + "@example.dk"
    answer = client.post(reverse("account_signup"), {"email": email, "password1": "hoering-test-2026",
                                                     "password2": "hoering-test-2026"})  # fmt: skip
    assert answer.status_code == 200
    assert not type(w.citizen).objects.filter(email__startswith="aaaa").exists()
    html = answer.content.decode()
    assert "Denne værdi må højst have 254 tegn (den har 311)." in html
    assert f'value="{email}"' in html  # what was typed is kept


# --- The query string ----------------------------------------------------------------------------------


@pytest.mark.parametrize("payload", list(XSS.values()), ids=list(XSS))
def test_markup_in_the_search_query_is_shown_as_text(client, w, payload):
    answer = client.get(
        reverse("search"), {"q": payload, "kommune": payload, "type": payload, "side": payload}
    )
    html = answer.content.decode()
    assert answer.status_code == 200
    assert_inert(html, "search")
    assert f'value="{escape(payload.strip())}"' in html
    client.force_login(w.v_moderator)
    queue = client.get(reverse("moderation:queue"), {"q": payload, "hearing": payload, "section": payload,
                                                "status": payload, "type": payload, "side": payload})  # fmt: skip
    assert queue.status_code == 200
    assert_inert(queue.content.decode(), "queue")


ODD_PARAMETERS = {
    "nul": "\x00",
    "nul-inside": "x\x00y",
    "negative": "-1",
    "zero": "0",
    "huge-number": "9" * 40,
    "float": "1e9",
    "latin1-mojibake-surrogate": "\xed\xa0\x80",
    "percent": "%",
    "quote": "'",
    "long": "a" * 5_000,
    "script": "<script>alert(1)</script>",
}
QUERY_PARAMETERS = ["q", "type", "target", "side", "status", "kommune", "hearing", "section", "tab", "format"]


@pytest.mark.parametrize("value", list(ODD_PARAMETERS.values()), ids=list(ODD_PARAMETERS))
def test_odd_query_parameters_never_answer_500(client, w, value):
    client.raise_request_exception = False
    public = [w.v_hearing.get_absolute_url(), reverse("search"), reverse("hearings:list"), reverse("home"),
              w.v_section.get_absolute_url(), reverse("hearings:respond", args=[w.v_hearing.pk])]  # fmt: skip
    staff = [
        reverse("moderation:queue"),
        reverse("moderation:overview", args=[w.v_hearing.pk]),
        reverse("moderation:home"),
    ]
    query = dict.fromkeys(QUERY_PARAMETERS, value)
    for user, urls in ((None, public), (w.v_moderator, staff)):
        if user:
            client.force_login(user)
        for url in urls:
            answer = client.get(url, query)
            assert answer.status_code in (200, 302, 400, 404), (url, answer.status_code)
            if answer.status_code == 200:
                assert_inert(answer.content.decode(), url)


def test_a_nul_in_the_queue_search_is_searched_without_it(client, w):
    """Regression: PostgreSQL text cannot hold NUL, and ``?q=%00`` on the moderation queue was a 500."""
    Response.objects.filter(pk=w.v_response.pk).update(status="pending", published_at=None)
    client.force_login(w.v_moderator)
    for q in ("\x00", "stille\x00"):
        answer = client.get(reverse("moderation:queue"), {"tab": "all", "q": q})
        assert answer.status_code == 200
        assert reverse("moderation:response", args=[w.v_response.pk]) in answer.content.decode()


# --- Posts without a CSRF token ---------------------------------------------------------------------------


def csrf_cases(w) -> dict:
    response = w.v_response
    return {
        "respond": (w.citizen, reverse("hearings:respond", args=[w.v_hearing.pk]), response_data(w)),
        "edit": (w.citizen, reverse("hearings:edit", args=[response.public_id]),
                 {"respondent_type": "private", "display_name": "Ændret", "text": "Ændret"}),
        "withdraw": (w.citizen, reverse("hearings:withdraw", args=[response.public_id]), {}),
        "flag": (w.other_citizen, reverse("moderation:flag", args=[w.v_hearing.pk, response.number]),
                 {"reason": "spam"}),
        "follow": (w.citizen, reverse("notifications:follow", args=[w.v_hearing.pk]), {"email": "x@example.dk"}),
        "moderate": (w.v_moderator, reverse("moderation:moderate", args=[response.pk]),
                     {"action": "hidden", "reason": "spam"}),
        "remark": (w.v_moderator, reverse("moderation:remark", args=[response.pk]),
                   {"recommendation": "noted", "text": "x"}),
        "bulk_publish": (w.v_moderator, reverse("moderation:bulk_publish"), {"response": [str(response.pk)]}),
        "publish_summary": (w.v_moderator, reverse("documents:publish_summary", args=[w.v_hearing.pk]), {}),
        "admin-strategy": (w.superuser, reverse("admin:strategies_strategy_change", args=[w.v_strategy.pk]),
                           {"title": "Ændret"}),
        "markdownx-preview": (w.superuser, reverse("markdownx_markdownify"), {"content": "x"}),
        "delete-account": (w.citizen, reverse("accounts:delete"), {"confirm": "on"}),
        "logout": (w.citizen, reverse("account_logout"), {}),
        "login": (None, reverse("account_login"), {"login": w.citizen.email, "password": "hoering-test-2026"}),
        "signup": (None, reverse("account_signup"), {"email": "ny@example.dk", "password1": "hoering-test-2026",
                                                     "password2": "hoering-test-2026"}),
        "set-language": (None, reverse("set_language"), {"language": "en", "next": "/"}),
    }  # fmt: skip


CSRF_CASES = ["respond", "edit", "withdraw", "flag", "follow", "moderate", "remark", "bulk_publish",
              "publish_summary", "admin-strategy", "markdownx-preview", "delete-account", "logout", "login",
              "signup", "set-language"]  # fmt: skip


def database_state():
    from accounts.models import User
    from hearings.models import Hearing

    return (
        sorted(Response.objects.values_list("pk", "status", "text", "display_name")),
        sorted(Flag.objects.values_list("pk", flat=True)), Remark.objects.count(),
        ModerationEvent.objects.count(), sorted(User.objects.values_list("pk", "is_active", "email")),
        sorted(Strategy.objects.values_list("pk", "title")),
        sorted(Hearing.objects.values_list("pk", "summary_published_at")),
    )  # fmt: skip


@pytest.mark.parametrize("case", CSRF_CASES)
def test_a_post_without_a_csrf_token_is_refused_with_the_danish_page_and_nothing_saved(w, case):
    user, url, data = csrf_cases(w)[case]
    client = Client(enforce_csrf_checks=True)
    if user is not None:
        client.force_login(user)
    before = database_state()
    answer = client.post(url, data)
    html = answer.content.decode()
    assert answer.status_code == 403
    assert '<html lang="da">' in html
    assert "<h1>Formularen kunne ikke sendes</h1>" in html and "CSRF-beskyttelse" in html
    assert database_state() == before
    assert "sessionid" not in answer.cookies or user is None
    if case == "set-language":
        assert "django_language" not in answer.cookies


# --- Open redirects ----------------------------------------------------------------------------------------

EVIL_NEXT = {
    "scheme-relative": "//evil.example",
    "absolute": "https://evil.example",
    "backslash": "/\\evil.example",
    "double-backslash": "\\\\evil.example",
    "javascript": "javascript:alert(1)",
    "data": "data:text/html,<script>alert(1)</script>",
    "triple-slash": "///evil.example",
    "userinfo": "//testserver@evil.example",
    "scheme-no-slashes": "https:evil.example",
    "tab": "/\t/evil.example",
    "leading-space": " //evil.example",
    "encoded": "/%2F%2Fevil.example",
}


def assert_stays_on_site(answer):
    location = answer.get("Location", "")
    assert url_has_allowed_host_and_scheme(location, allowed_hosts={"testserver"}), location
    assert not location.lower().lstrip().startswith(("javascript:", "data:"))
    assert urlsplit(location).netloc in ("", "testserver")


@pytest.mark.parametrize("target", list(EVIL_NEXT.values()), ids=list(EVIL_NEXT))
@pytest.mark.parametrize("where", ["login", "logout", "signup", "set-language", "moderate"])
def test_next_never_leads_off_the_site(client, w, where, target):
    if where == "login":
        page = client.get(reverse("account_login"), {"next": target})
        assert page.status_code == 200
        assert_inert(page.content.decode(), "the login page")
        answer = client.post(reverse("account_login"),
                             {"login": w.citizen.email, "password": "hoering-test-2026", "next": target})  # fmt: skip
    elif where == "logout":
        client.force_login(w.citizen)
        answer = client.post(reverse("account_logout"), {"next": target})
    elif where == "signup":
        answer = client.post(reverse("account_signup"), {"email": "ny@example.dk", "password1": "hoering-test-2026",
                                                         "password2": "hoering-test-2026", "next": target})  # fmt: skip
    elif where == "set-language":
        answer = client.post(reverse("set_language"), {"language": "en", "next": target})
    else:
        client.force_login(w.v_moderator)
        answer = client.post(reverse("moderation:moderate", args=[w.v_response.pk]),
                             {"action": "hidden", "reason": "spam", "next": target})  # fmt: skip
    assert answer.status_code in (302, 303), answer.status_code
    assert_stays_on_site(answer)


# --- Odd values in every other form ----------------------------------------------------------------------

ODD_FORM_VALUES = ["\x00", "x\x00y", "a" * 20_000, "x" * 1_000_000, "\u202e😀\u200d", "\r\n\r", "  "]


def other_forms(w) -> dict:
    """(who, url, the fields to fill with odd values, the other fields)"""
    response = w.v_response
    return {
        "flag": (w.other_citizen, reverse("moderation:flag", args=[w.v_hearing.pk, response.number]),
                 ["reason", "note"], {"reason": "spam"}),
        "moderate": (w.v_moderator, reverse("moderation:moderate", args=[response.pk]),
                     ["action", "reason", "note", "next"], {"action": "hidden", "reason": "spam"}),
        "remark": (w.v_moderator, reverse("moderation:remark", args=[response.pk]), ["recommendation", "text"],
                   {"recommendation": "noted", "text": "x"}),
        "bulk_publish": (w.v_moderator, reverse("moderation:bulk_publish"), ["response", "next"], {}),
        "follow": (w.citizen, reverse("notifications:follow", args=[w.v_hearing.pk]), ["email", "action", "next"], {}),
        "edit": (w.citizen, reverse("hearings:edit", args=[response.public_id]),
                 ["respondent_type", "organisation_name", "display_name", "postcode", "town", "text"],
                 {"respondent_type": "private", "display_name": "x", "text": "y"}),
        "delete-account": (w.citizen, reverse("accounts:delete"), ["confirm", "password", "email"], {}),
        "login": (None, reverse("account_login"), ["login", "password", "next"],
                  {"login": "a@example.dk", "password": "x"}),
        "signup": (None, reverse("account_signup"), ["email", "password1", "password2"],
                   {"email": "a@example.dk", "password1": "hoering-test-2026", "password2": "hoering-test-2026"}),
        "reset-password": (None, reverse("account_reset_password"), ["email"], {}),
        "markdownx-preview": (w.superuser, reverse("markdownx_markdownify"), ["content"], {}),
        "set-language": (None, reverse("set_language"), ["language", "next"], {"language": "en"}),
    }  # fmt: skip


OTHER_FORMS = ["flag", "moderate", "remark", "bulk_publish", "follow", "edit", "delete-account", "login", "signup",
               "reset-password", "markdownx-preview", "set-language"]  # fmt: skip


@pytest.mark.parametrize("form", OTHER_FORMS)
def test_nul_overlong_and_odd_unicode_in_every_other_form_never_answer_500(client, w, form):
    user, url, fields, base = other_forms(w)[form]
    client.raise_request_exception = False
    for field in fields:
        for value in ODD_FORM_VALUES:
            client.logout()
            if user is not None:
                client.force_login(user)
            with transaction.atomic():
                answer = client.post(url, {**base, field: value})
                assert answer.status_code < 500, (field, repr(value)[:20], answer.status_code)
                if answer.status_code == 200 and answer["Content-Type"].startswith("text/html"):
                    assert_inert(answer.content.decode(), url)
                transaction.set_rollback(True)
