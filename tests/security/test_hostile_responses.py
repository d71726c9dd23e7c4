"""Hostile input in the response form and the edit form, and on every page that shows a response:
markup shown as text, odd text and invalid UTF-8 saved or refused (never a 500), nothing typed lost."""

import pytest
from django.conf import settings
from django.urls import reverse

from hearings.models import Response
from portal.text import normalise_line, normalise_text

from .conftest import XSS, assert_form_keeps, assert_inert, pages_of, response_data, text_of

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
