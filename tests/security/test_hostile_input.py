"""Hostile input: what an attacker (or an unlucky citizen) types, uploads or links to never runs, never
crashes a page and is never lost.

Every case checks three things where they apply: no markup from the input reaches a page as a live tag or
attribute (``conftest.live_markup``) and the input is shown escaped as text; nothing answers 500; and on a
refused form every value the user typed is in the form shown again.
"""

import functools
import io
import subprocess
import zipfile
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.html import escape
from django.utils.http import url_has_allowed_host_and_scheme

from documents import content as doc_content
from documents import layout as doc_layout
from documents import parts as summary_pdf
from documents import pdf as doc_pdf
from hearings.models import Response, ResponseAttachment
from moderation.models import Flag, ModerationEvent, Remark
from portal.markdown import render_markdown
from portal.text import normalise_line, normalise_text
from strategies.models import Section, Strategy
from tests.hearings.conftest import docx_bytes, pdf_bytes, png_bytes

from .conftest import assert_inert, live_markup

# --- The corpus ---------------------------------------------------------------------------------------

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

MARKDOWN = {
    **{key: value for key, value in XSS.items() if key not in {"attr-injection", "entity-encoded"}},
    "md-js-link": "[klik her](javascript:alert(1))",
    "md-js-link-obfuscated": "[klik](jav&#x09;ascript:alert(1)) [b](JaVaScRiPt:alert(1))",
    "md-data-link": "[klik](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "md-image-file": "![passwd](file:///etc/passwd)",
    "md-image-remote": "![spor](https://evil.example/pixel.png)",
    "md-reference-link": "[klik][x]\n\n[x]: javascript:alert(1)",
    "md-html-block": '<div onclick="alert(1)">\n\n**fed**\n\n</div>',
    "md-autolink": "<javascript:alert(1)>",
    "md-link-title": '[a](https://example.org "x\\" onmouseover=\\"alert(1)")',
    "md-object": '<object data="https://evil.example/x.swf"></object><embed src=x>',
    "md-form": '<form action="https://evil.example"><button formaction="javascript:alert(1)">x</button></form>',
    "md-meta-refresh": '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    "md-base": '<base href="https://evil.example/">',
    "md-attr-list": 'Afsnit\n{: onclick="alert(1)" }',
}


def text_of(payload: str) -> str:
    """How a value is expected on a page: escaped, as Django's autoescape does."""
    return escape(payload)


# --- Helpers --------------------------------------------------------------------------------------


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


# Where each field of a response is shown.
SHOWN_ON = {
    "display_name": {"hearing", "section", "response", "receipt", "staff"},
    "organisation_name": {"hearing", "section", "response", "receipt", "staff"},
    "town": {"hearing", "section", "response", "staff"},
    "text": {"hearing", "section", "response", "receipt", "my_responses", "staff"},
}


# --- XSS in the response form --------------------------------------------------------------------------


@pytest.mark.parametrize("payload", list(XSS.values()), ids=list(XSS))
def test_markup_in_every_response_field_is_shown_as_text_everywhere(client, w, payload):
    client.force_login(w.citizen)
    fields = ["display_name", "organisation_name", "town", "text"]
    data = response_data(w, **dict.fromkeys(fields, payload))
    answer = client.post(reverse("hearings:respond", args=[w.v_hearing.pk]), data)
    assert answer.status_code == 302, answer.content.decode()[:2000]
    saved = Response.objects.get(hearing=w.v_hearing, number=2)
    assert [getattr(saved, field) for field in fields] == [payload.strip()] * 4
    for name, html in pages_of(client, w, saved).items():
        assert_inert(html, name)
        for field in fields:
            if name in SHOWN_ON[field]:
                assert html.count(text_of(payload.strip())) >= (
                    2 if field == "town" and name != "receipt" else 1
                )
        assert text_of(payload.strip()) in html, f"not shown as text on {name}"


@pytest.mark.parametrize("payload", list(XSS.values()), ids=list(XSS))
def test_markup_in_the_postcode_is_refused_and_everything_typed_is_kept(client, w, payload):
    client.force_login(w.citizen)
    data = response_data(w, postcode=payload, text=f"Mit svar {payload}")
    answer = client.post(reverse("hearings:respond", args=[w.v_hearing.pk]), data)
    html = answer.content.decode()
    assert answer.status_code == 400
    assert 'id="id_postcode_error"' in html
    assert_inert(html, "the refused form")
    assert_form_keeps(html, data)
    assert not Response.objects.filter(hearing=w.v_hearing, number=2).exists()


@pytest.mark.parametrize("payload", list(XSS.values()), ids=list(XSS))
def test_markup_in_every_field_of_a_refused_form_is_kept_as_text(client, w, payload):
    client.force_login(w.citizen)
    data = response_data(w, organisation_name=payload, display_name=payload, town=payload, text=payload,
                         consent="")  # fmt: skip
    answer = client.post(reverse("hearings:respond", args=[w.v_hearing.pk]), data)
    html = answer.content.decode()
    assert answer.status_code == 400
    assert "Du skal give samtykke" in html
    assert_inert(html, "the refused form")
    assert_form_keeps(html, data)


@pytest.mark.parametrize("payload", list(XSS.values()), ids=list(XSS))
def test_markup_in_the_edit_form_is_shown_as_text(client, w, payload):
    response = w.v_response
    client.force_login(w.citizen)
    url = reverse("hearings:edit", args=[response.public_id])
    data = {"respondent_type": "business", "organisation_name": payload, "display_name": payload,
            "postcode": "2665", "town": payload, "text": payload}  # fmt: skip
    answer = client.post(url, data)
    assert answer.status_code == 302
    response.refresh_from_db()
    assert (response.display_name, response.text) == (payload.strip(), payload.strip())
    for name, html in pages_of(client, w, response).items():
        assert_inert(html, name)
        if name != "section":  # the response is about the whole strategy
            assert text_of(payload.strip()) in html, name
    # Refused (a bad postcode): the edit form keeps every value.
    client.force_login(w.citizen)
    refused = client.post(url, {**data, "postcode": payload})
    html = refused.content.decode()
    assert refused.status_code == 400
    assert_inert(html, "the refused edit form")
    assert_form_keeps(html, {**data, "postcode": payload})


@pytest.mark.parametrize("payload", list(XSS.values()), ids=list(XSS))
def test_markup_in_a_flag_note_is_shown_as_text_to_the_moderator(client, w, payload):
    client.force_login(w.other_citizen)
    url = reverse("moderation:flag", args=[w.v_hearing.pk, w.v_response.number])
    assert client.post(url, {"reason": "offensive", "note": payload}).status_code == 302
    assert Flag.objects.get(response=w.v_response).note == payload.strip()
    client.force_login(w.v_moderator)
    for page in (
        reverse("moderation:response", args=[w.v_response.pk]),
        reverse("moderation:queue") + "?tab=flagged",
    ):
        html = client.get(page).content.decode()
        assert_inert(html, page)
    assert (
        text_of(payload.strip())
        in client.get(reverse("moderation:response", args=[w.v_response.pk])).content.decode()
    )


@pytest.mark.parametrize(
    "reason", ["<script>alert(1)</script>", '" onclick="alert(1)', "offensive\x00", "", "x" * 10_000]
)
def test_a_hostile_flag_reason_is_refused_and_the_note_kept(client, w, reason):
    client.force_login(w.other_citizen)
    note = "Nævner <b>naboens</b> navn"
    answer = client.post(reverse("moderation:flag", args=[w.v_hearing.pk, w.v_response.number]),
                         {"reason": reason, "note": note})  # fmt: skip
    html = answer.content.decode()
    assert answer.status_code == 400
    assert 'id="id_reason_error"' in html
    assert_inert(html, "the refused flag form")
    assert escape(note) in html
    assert not Flag.objects.exists()


@pytest.mark.parametrize("payload", list(XSS.values()), ids=list(XSS))
def test_markup_in_a_moderation_note_is_shown_as_text(client, w, payload):
    client.force_login(w.v_moderator)
    answer = client.post(reverse("moderation:moderate", args=[w.v_response.pk]),
                         {"action": "hidden", "reason": "offensive", "note": payload})  # fmt: skip
    assert answer.status_code == 302
    assert (
        ModerationEvent.objects.filter(response=w.v_response, action="hidden").get().note == payload.strip()
    )
    html = client.get(reverse("moderation:response", args=[w.v_response.pk])).content.decode()
    assert_inert(html, "the staff page")
    assert text_of(payload.strip()) in html
    public = client.get(w.v_hearing.get_absolute_url()).content.decode()
    assert_inert(public, "the hearing page")
    # Refused (a reason is required to hide): the note typed is kept.
    refused = client.post(reverse("moderation:moderate", args=[w.v_response.pk]),
                          {"action": "restored", "reason": "<x>", "note": payload})  # fmt: skip
    assert refused.status_code == 400
    assert_inert(refused.content.decode(), "the refused moderation form")
    assert f">\n{escape(payload)}</textarea>" in refused.content.decode()


@pytest.mark.parametrize("payload", list(XSS.values()), ids=list(XSS))
def test_markup_in_a_remark_is_shown_as_text_on_staff_and_public_pages(client, w, payload):
    client.force_login(w.v_editor)
    answer = client.post(reverse("moderation:remark", args=[w.v_response.pk]),
                         {"recommendation": "noted", "text": payload})  # fmt: skip
    assert answer.status_code == 302
    assert Remark.objects.get(response=w.v_response).text == payload.strip()
    for page in (reverse("moderation:response", args=[w.v_response.pk]), w.v_response.get_absolute_url(),
                 w.v_hearing.get_absolute_url()):  # fmt: skip
        html = client.get(page).content.decode()
        assert_inert(html, page)
        assert text_of(payload.strip()) in html, page
    refused = client.post(reverse("moderation:remark", args=[w.v_response.pk]),
                          {"recommendation": "<script>", "text": payload})  # fmt: skip
    html = refused.content.decode()
    assert refused.status_code == 400
    assert_inert(html, "the refused remark form")
    assert f">\n{escape(payload)}</textarea>" in html


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


# --- Markdown -------------------------------------------------------------------------------------------


def admin_post_data(page) -> dict:
    """The data the admin's change form would post as it stands (fields, inlines, management forms)."""
    data = {}
    form = page.context["adminform"].form
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None:
            continue
        if isinstance(value, list | tuple):
            data[name] = [str(v) for v in value]
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = field.widget.format_value(value) if hasattr(field.widget, "format_value") else value
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        for key, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{key}"] = value
        for sub in formset.forms:
            for name in sub.fields:
                value = sub[name].value()
                if value not in (None, False):
                    data[sub.add_prefix(name)] = "on" if value is True else value
    return {k: v for k, v in data.items() if v is not None}


@pytest.mark.parametrize("payload", list(MARKDOWN.values()), ids=list(MARKDOWN))
@pytest.mark.parametrize("actor", ["superuser", "editor"])
def test_hostile_markdown_saved_through_the_admin_never_reaches_a_page_as_markup(client, w, actor, payload):
    client.force_login(w.superuser if actor == "superuser" else w.v_editor)
    if actor == "superuser":
        obj, field, admin_url, page_url = (w.v_strategy, "intro", "admin:strategies_strategy_change",
                                           w.v_strategy.get_absolute_url())  # fmt: skip
    else:
        obj, field, admin_url, page_url = (w.v_section, "body", "admin:strategies_section_change",
                                           w.v_section.get_absolute_url())  # fmt: skip
    url = reverse(admin_url, args=[obj.pk])
    form = client.get(url)
    assert form.status_code == 200
    data = {**admin_post_data(form), field: payload}
    saved = client.post(url, data)
    assert saved.status_code == 302, saved.context["adminform"].form.errors if saved.context else saved
    assert getattr(type(obj).objects.get(pk=obj.pk), field) == payload
    # The admin's own change form shows the source as text in its textarea.
    if actor == "superuser":
        assert f">\n{escape(payload)}</textarea>" in client.get(url).content.decode()
    html = client.get(page_url).content.decode()
    assert_inert(html, page_url)


@pytest.mark.parametrize("payload", list(MARKDOWN.values()), ids=list(MARKDOWN))
def test_the_markdownx_preview_sanitises_hostile_markdown(client, w, payload):
    client.force_login(w.v_editor)
    answer = client.post(reverse("markdownx_markdownify"), {"content": payload})
    assert answer.status_code == 200
    assert live_markup(answer.content.decode()) == []
    assert str(render_markdown(payload)) == answer.content.decode()


@pytest.mark.parametrize("payload", list(MARKDOWN.values()), ids=list(MARKDOWN))
def test_hostile_markdown_in_every_markdown_field_is_inert_on_its_pages(client, w, payload):
    Strategy.objects.filter(pk=w.v_strategy.pk).update(intro=payload, body=payload, closing=payload,
                                                       subtitle=payload)  # fmt: skip
    Section.objects.filter(pk=w.v_section.pk).update(intro=payload, hearing_intro=payload, body=payload,
                                                     goals_intro=payload, themes_intro=payload,
                                                     tagline=payload)  # fmt: skip
    type(w.v_hearing).objects.filter(pk=w.v_hearing.pk).update(intro=payload)
    client.force_login(w.citizen)
    for url in (w.v_strategy.get_absolute_url(), w.v_section.get_absolute_url(), w.v_hearing.get_absolute_url(),
                w.v_municipality.get_absolute_url()):  # fmt: skip
        answer = client.get(url)
        assert answer.status_code == 200, url
        assert_inert(answer.content.decode(), url)


# --- Overlong text, NUL and odd Unicode ------------------------------------------------------------------

ODD_TEXT = {
    "nul": "før\x00efter",
    "only-nul": "\x00",
    "c0-controls": "a\x01\x02\x03\x07\x08\x0b\x0c\x1b[31mb",
    "c1-controls": "a\x85\x9b\x9fb",
    "rtl-override": "Vallensbæk \u202etxet dnøvtegnabh\u202c slut",
    "bidi-isolates": "\u2066\u2067\u2068x\u2069\u202a\u202b\u202d",
    "zero-width": "z\u200bw\u200cj\u200dn\ufeffx\u2060",
    "zwj-emoji": "👩‍👩‍👧‍👦 🏳️‍🌈 👍🏽",
    "combining": "Z̴̡̧̛̖̜͔̈́̀ä̷̳͎̅̽l̶̠̇g̴̗̈́o̴̟͝" * 20,
    "emoji-astral": "😀🦄𝕳𝖊𝖏 𐍈 \U0001f9ec",
    "crlf-mix": "linje 1\r\nlinje 2\rlinje 3\nlinje 4\r\n\r\n\n\rslut",
    "unicode-newlines": "a\u2028b\u2029c\x85d\x0be",
    "noncharacters": "\ufffe\uffff\ufdd0",
    "replacement": "\ufffd\ufffd",
    "whitespace-only": " \t\u00a0\u3000 ",
    "long-word": "ø" * 5_000,
    "20k": "Et meget langt svar. " * 1_000,
    "1m": "x" * 1_000_000,
    "sql-ish": "'; DROP TABLE hearings_response; --",
    "percent-format": "%(name)s %s %d {0} {name}",
}


@pytest.mark.parametrize("value", list(ODD_TEXT.values()), ids=list(ODD_TEXT))
@pytest.mark.parametrize(
    "fields", [("text",), ("display_name", "organisation_name", "town")], ids=["text", "names"]
)
def test_odd_text_in_the_response_form_is_saved_or_refused_never_a_500(client, w, fields, value):
    client.raise_request_exception = False
    client.force_login(w.citizen)
    data = response_data(w, **dict.fromkeys(fields, value))
    answer = client.post(reverse("hearings:respond", args=[w.v_hearing.pk]), data)
    assert answer.status_code in (302, 400), answer.status_code
    if len(value) * len(fields) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
        # Past Django's limit on a request's size the request is refused before any view sees it.
        assert answer.status_code == 400
        html = answer.content.decode()
        assert "Forespørgslen kunne ikke behandles" in html and "længere end 2,5 MB" in html
        assert "The request could not be processed" in html
        assert not Response.objects.filter(hearing=w.v_hearing, number=2).exists()
        return
    if answer.status_code == 400:
        html = answer.content.decode()
        assert_inert(html, "the refused form")
        # Every value is kept as the text policy (portal/text.py) keeps it.
        kept = {k: normalise_text(v) if k == "text" else normalise_line(v) for k, v in data.items()}
        assert_form_keeps(html, kept)
        assert not Response.objects.filter(hearing=w.v_hearing, number=2).exists()
        return
    saved = Response.objects.get(hearing=w.v_hearing, number=2)
    assert all(getattr(saved, field) == normalise_text(getattr(saved, field)) for field in fields)
    for name, html in pages_of(client, w, saved).items():
        assert_inert(html, name)


@pytest.mark.parametrize(
    "raw",
    [b"\xed\xa0\x80", b"\xff\xfe", b"\xc0\xaf", b"\xf4\x90\x80\x80", b"%00"],
    ids=["lone-surrogate", "bom-bytes", "overlong-utf8", "above-unicode", "pct-nul"],
)
def test_invalid_utf8_in_a_raw_post_is_never_a_500(client, w, raw):
    """A browser never sends these, an attacker can: the body is posted as raw bytes."""
    client.raise_request_exception = False
    client.force_login(w.citizen)
    body = (
        b"target=section-" + str(w.v_section.pk).encode() + b"&respondent_type=private&display_name=Karen"
        + raw + b"&postcode=2665&town=" + raw + b"&consent=on&text=Svar+med+" + raw
    )  # fmt: skip
    answer = client.post(reverse("hearings:respond", args=[w.v_hearing.pk]), body,
                         content_type="application/x-www-form-urlencoded")  # fmt: skip
    assert answer.status_code in (302, 400)
    if answer.status_code == 302:
        saved = Response.objects.get(hearing=w.v_hearing, number=2)
        assert "\x00" not in saved.text
        for name, html in pages_of(client, w, saved).items():
            assert_inert(html, name)
    assert client.get(w.v_hearing.get_absolute_url()).status_code == 200


# --- Attachments -----------------------------------------------------------------------------------------


@functools.cache
def zip_bomb_docx() -> bytes:
    """A DOCX whose document part inflates to 50 MB (from about 50 KB)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr(
            "[Content_Types].xml", zipfile.ZipFile(io.BytesIO(docx_bytes())).read("[Content_Types].xml")
        )
        z.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships/>')
        z.writestr("word/document.xml", b"<w:document>" + b"A" * (50 * 1024 * 1024) + b"</w:document>")
    return buffer.getvalue()


SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(1)</script></svg>'
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 48 + b"PE\x00\x00" + b"\x00" * 400

# (name, content, accepted as kind, or None when refused)
ATTACHMENTS = {
    "exe-as-pdf": ("svar.pdf", EXE, None),
    "html-as-png": ("billede.png", HTML, None),
    "html-as-pdf": ("svar.pdf", b"<html><script>alert(1)</script></html>", None),
    "svg-with-script": ("tegning.svg", SVG, None),
    "svg-as-png": ("tegning.png", SVG, None),
    "shell-script-as-docx": ("brev.docx", b"#!/bin/sh\nrm -rf /\n", None),
    "plain-zip-as-docx": ("brev.docx", b"PK\x05\x06" + b"\x00" * 18, None),
    "gif-as-jpg": ("foto.jpg", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", None),
    "truncated-png": ("billede.png", png_bytes()[:8], None),
    "pdf-named-docx": ("brev.docx", pdf_bytes(), "pdf"),
    "png-named-pdf": ("svar.pdf", png_bytes(), "png"),
    "pdf-html-polyglot": ("svar.pdf", pdf_bytes() + b"<html><script>alert(1)</script></html>", "pdf"),
    "png-script-polyglot": ("billede.png", png_bytes() + b"<script>alert(1)</script>", "png"),
    "pdf-with-javascript": (
        "svar.pdf",
        pdf_bytes().replace(b"/Type/Catalog", b"/Type/Catalog/OpenAction<</S/JavaScript/JS(app.alert(1))>>"),
        "pdf",
    ),  # fmt: skip
    "zip-bomb-docx": ("bombe.docx", None, "docx"),
    "docx-named-png": ("billede.png", docx_bytes(), "docx"),
}


@pytest.mark.parametrize(("name", "content", "kind"), list(ATTACHMENTS.values()), ids=list(ATTACHMENTS))
def test_wrong_disguised_and_polyglot_attachments(client, w, name, content, kind):
    if content is None:
        content = zip_bomb_docx()
    client.force_login(w.citizen)
    data = response_data(w, text="Svar med bilag <b>fed</b>")
    from django.core.files.uploadedfile import SimpleUploadedFile

    answer = client.post(reverse("hearings:respond", args=[w.v_hearing.pk]),
                         {**data, "attachments": [SimpleUploadedFile(name, content)]})  # fmt: skip
    html = answer.content.decode()
    if kind is None:
        assert answer.status_code == 400
        assert "Vi ser på filens indhold, ikke på dens navn." in html
        assert_inert(html, "the refused form")
        assert_form_keeps(html, data)
        assert not ResponseAttachment.objects.exists()
        return
    assert answer.status_code == 302
    attachment = ResponseAttachment.objects.get()
    assert attachment.kind == kind
    assert attachment.file.name.endswith(ResponseAttachment.EXTENSIONS[kind])  # never the citizen's extension
    download = client.get(attachment.get_absolute_url())
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in download["Content-Security-Policy"]
    assert not download["Content-Type"].startswith(("text/html", "image/svg"))


FILE_NAMES = {
    "unix-traversal": ("../../etc/passwd.pdf", "passwd.pdf"),
    "windows-traversal": ("..\\..\\windows\\x.pdf", "x.pdf"),
    "absolute": ("/etc/cron.d/x.pdf", "x.pdf"),
    "windows-absolute": ("C:\\Windows\\System32\\x.pdf", "x.pdf"),
    "unc": ("\\\\evil.example\\share\\x.pdf", "x.pdf"),
    "encoded-traversal": ("..%2F..%2Fx.pdf", "%2F..%2Fx.pdf"),
    "dots-only": ("....", "bilag"),
    "nul-in-name": ("svar.pdf\x00.exe", None),
    "newline-in-name": ("svar\r\nContent-Type: text/html.pdf", None),
    "html-in-name": ('"><img src=x onerror=alert(1)>.pdf', None),
    "rtl-in-name": ("svar\u202efdp.exe", None),
    "300-chars": ("a" * 296 + ".pdf", None),
    "300-emoji": ("😀" * 296 + ".pdf", None),
    "empty-name": ("", None),
    "quote-in-name": ('a"; name="text"; x=".pdf', None),
}


def multipart(fields: dict, file_name: str, content: bytes) -> tuple[bytes, str]:
    """A multipart body as any client may send it: the file name goes into the header as it is."""
    boundary = "hostile-boundary-7MA4YWxkTrZu0gW"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="attachments"; filename="{file_name}"\r\n'
        "Content-Type: application/pdf\r\n\r\n".encode()
        + content
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


@pytest.mark.parametrize(("name", "expected"), list(FILE_NAMES.values()), ids=list(FILE_NAMES))
def test_file_names_never_leave_the_attachment_folder_nor_reach_a_page_as_markup(client, w, name, expected):
    client.raise_request_exception = False
    client.force_login(w.citizen)
    body, content_type = multipart(response_data(w), name, pdf_bytes())
    answer = client.post(reverse("hearings:respond", args=[w.v_hearing.pk]), body, content_type=content_type)
    assert answer.status_code in (302, 400), answer.status_code
    if answer.status_code == 400:
        assert_inert(answer.content.decode(), "the refused form")
        return
    if not ResponseAttachment.objects.exists():  # the parser read no file from a part without a usable name
        for page_name, html in pages_of(
            client, w, Response.objects.get(hearing=w.v_hearing, number=2)
        ).items():
            assert_inert(html, page_name)
        return
    attachment = ResponseAttachment.objects.get()
    assert attachment.file.name.startswith(f"attachments/{w.v_hearing.pk}/")
    assert ".." not in attachment.file.name and "\\" not in attachment.file.name
    original = attachment.original_name
    assert "/" not in original and "\\" not in original and "\x00" not in original and "\n" not in original
    assert len(original) <= 120 and original.strip()
    if expected:
        assert original == expected
    download = client.get(attachment.get_absolute_url())
    assert download.status_code == 200
    assert "\n" not in download["Content-Disposition"] and "\r" not in download["Content-Disposition"]
    for page_name, html in pages_of(client, w, attachment.response).items():
        assert_inert(html, page_name)


# --- The other municipality's ids in every staff URL -----------------------------------------------------


def staff_patterns() -> list[tuple[str, str, URLPattern]]:
    """Every staff URL with an id, in whichever app it lives: (namespace:name, route, pattern)."""

    def walk(patterns, prefix="", namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(
                    pattern.url_patterns, prefix + str(pattern.pattern), pattern.namespace or namespace
                )
            else:
                yield f"{namespace}:{pattern.name}", prefix + str(pattern.pattern), pattern

    return [found for found in walk(get_resolver().url_patterns)
            if found[1].startswith("personale/") and "<int:pk>" in found[1]]  # fmt: skip


def staff_url_cases():
    for name, _route, pattern in staff_patterns():
        view = pattern.callback.view_class
        for method in ("get", "post"):
            if hasattr(view, method):
                for actor in ("v_moderator", "v_editor", "v_council"):
                    yield pytest.param(name, method, actor, id=f"{name}-{method}-{actor}")


def test_the_staff_url_cases_cover_every_staff_url_with_an_id():
    names = {name for name, _route, _pattern in staff_patterns()}
    assert names == {case.values[0] for case in staff_url_cases()}
    assert {"moderation:response", "moderation:moderate", "moderation:remark", "moderation:overview",
            "documents:export_xlsx", "documents:export_csv", "documents:publish_summary"} <= names  # fmt: skip


@pytest.mark.parametrize(("name", "method", "actor"), list(staff_url_cases()))
def test_the_other_municipalitys_ids_are_not_found_on_every_staff_url(client, w, name, method, actor):
    route = next(route for found, route, _pattern in staff_patterns() if found == name)
    other = w.b_pending if route.startswith("personale/svar/") else w.b_hearing
    before = (
        sorted(Response.objects.values_list("pk", "status")),
        Remark.objects.count(), ModerationEvent.objects.count(),
        type(w.b_hearing).objects.get(pk=w.b_hearing.pk).summary_published_at,
    )  # fmt: skip
    client.force_login(getattr(w, actor))
    data = {"action": "published", "reason": "offensive", "recommendation": "noted", "text": "x", "note": "x"}
    answer = (
        client.get(reverse(name, args=[other.pk]))
        if method == "get"
        else client.post(reverse(name, args=[other.pk]), data)
    )
    assert answer.status_code == 404
    after = (
        sorted(Response.objects.values_list("pk", "status")),
        Remark.objects.count(), ModerationEvent.objects.count(),
        type(w.b_hearing).objects.get(pk=w.b_hearing.pk).summary_published_at,
    )  # fmt: skip
    assert after == before


def test_bulk_publish_skips_the_other_municipalitys_ids(client, w):
    client.force_login(w.v_moderator)
    answer = client.post(
        reverse("moderation:bulk_publish"), {"response": [str(w.b_pending.pk), "-1", "x", "9" * 30]}
    )
    assert answer.status_code == 302
    assert Response.objects.get(pk=w.b_pending.pk).status == "pending"


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


# --- PDFs --------------------------------------------------------------------------------------------------

PDF_PAYLOADS = [
    '<img src="file:///etc/passwd">',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    "<style>@import url(https://evil.example/a.css); body{background:url(file:///etc/passwd)}</style>",
    "<script>alert(1)</script>",
    "<iframe src=file:///etc/shadow></iframe>",
    '<object data="http://127.0.0.1:6379/"></object>',
]


@pytest.mark.parametrize("kind", ["summary", "proposal"])
def test_hostile_text_in_the_pdfs_is_text_and_nothing_is_fetched(w, monkeypatch, kind):
    fetched = []
    real = doc_pdf._fetch_static

    def recording(url, response_class):
        fetched.append(url)
        return real(url, response_class)

    monkeypatch.setattr(doc_pdf, "_fetch_static", recording)
    joined = " ".join(PDF_PAYLOADS)
    markdown = "\n\n".join([*PDF_PAYLOADS, "![x](file:///etc/passwd)", "![y](https://evil.example/p.png)"])
    Strategy.objects.filter(pk=w.v_strategy.pk).update(
        intro=markdown, body=markdown, subtitle=PDF_PAYLOADS[0]
    )
    Section.objects.filter(pk=w.v_section.pk).update(body=markdown, tagline=PDF_PAYLOADS[0])
    Response.objects.filter(pk=w.v_response.pk).update(text=joined, display_name=PDF_PAYLOADS[0],
                                                       organisation_name=PDF_PAYLOADS[1],
                                                       target_section=w.v_section)  # fmt: skip
    Remark.objects.create(response=w.v_response, text=joined, recommendation="noted")
    hearing = type(w.v_hearing).objects.get(pk=w.v_hearing.pk)
    content = doc_content.content_for(hearing, kind)
    from django.utils import timezone

    html = doc_layout.render_html(content, made_at=timezone.now())
    # Only our own static files and the summary's charts (SVG made by bar_chart_svg, its text escaped).
    found = live_markup(html.replace('href="static:', 'href="/static/'))
    assert [f for f in found if not f.startswith("<svg [('xmlns', 'http://www.w3.org/2000/svg')")] == []
    if kind == "summary":  # as the portal makes it: in parts, here in this process so the fetcher records
        monkeypatch.setattr(settings, "DOCUMENT_RENDER_PROCESSES", 1)
        context = doc_layout.summary_context(content, made_at=timezone.now())
        pdf, _pages, _work = summary_pdf.render(context, hearing_id=hearing.pk, title="t", author="a")
    else:
        pdf, _pages = doc_pdf.render_pdf(html, title="t", author="a")
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    flat = " ".join(text.split())
    assert all(url.startswith("static:") for url in fetched), fetched
    assert "root:x:0:0" not in text
    if kind == "summary":
        for payload in PDF_PAYLOADS:
            assert " ".join(payload.split()) in flat, payload
    else:
        assert PDF_PAYLOADS[0] in flat  # the subtitle, a plain field, is text


# --- Odd values in the query string --------------------------------------------------------------------

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
