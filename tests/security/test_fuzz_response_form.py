"""Property-based fuzzing of the response form: whatever a signed-in, verified citizen posts to an open
hearing (any Unicode in every field, any value for every choice), the answer is a receipt (302) or the form
again with its errors (400), never a 500; a refused form keeps what was typed and nothing is saved.

Each example runs in its own savepoint inside the test's transaction and is rolled back, so examples never
see each other's responses and the hearing's numbering starts again for each.
"""

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils.html import escape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hearings.models import Response
from portal.text import normalise_line, normalise_text

from .conftest import XSS, assert_inert


class Rollback(Exception):
    """Raised at the end of each example to undo its savepoint."""


# Any character a browser can send (lone surrogates cannot be encoded as UTF-8 at all).
ANY_CHARACTER = st.characters(exclude_categories=["Cs"])
odd_text = st.one_of(
    st.text(ANY_CHARACTER, max_size=300),
    st.sampled_from(list(XSS.values())),
    st.sampled_from(["\x00", "\r\n", "\u202e", "\u200d", "\ufeff", " ", "0000", "2665", "٢٦٦٥", "２６６５"]),
    # Around the text's limit of 10,000 characters, in one or several bytes per character.
    st.builds(lambda ch, n: ch * n, st.sampled_from(["x", "æ", "😀", "\x00"]), st.integers(9_990, 10_010)),
)


def choice(valid: list[str]):
    return st.one_of(st.sampled_from(valid), st.text(ANY_CHARACTER, max_size=40))


# What a form a citizen fills in may hold: any text but NUL (which Django refuses), not blank.
TYPED = st.characters(exclude_categories=["Cs"], exclude_characters="\x00")


def typed(max_size: int):
    return st.one_of(
        st.text(TYPED, min_size=1, max_size=max_size).filter(str.strip),
        st.sampled_from([v for v in XSS.values() if len(v) <= max_size]),
    )


@st.composite
def form_data(draw, section_pk: int):
    """A response that would be taken, with up to three fields (or all) replaced by anything at all."""
    data = {
        "target": draw(st.sampled_from(["strategy", f"section-{section_pk}"])),
        "respondent_type": draw(st.sampled_from(["private", "association", "business", "council", "authority"])),
        "organisation_name": draw(typed(200)),
        "display_name": draw(typed(200)),
        "postcode": draw(st.one_of(st.just(""), st.from_regex(r"\A[0-9]{4}\Z"))),
        "town": draw(st.one_of(st.just(""), typed(100))),
        "text": draw(st.one_of(typed(2_000), st.builds(lambda ch, n: ch * n, st.sampled_from("xæ😀"),
                                                        st.integers(1, 10_000)))),
        "consent": "on",
    }  # fmt: skip
    hostile = {
        "target": choice(["section-", "goal-0", f"theme-{section_pk}", "section--1", "strategy-1",
                          f"section-{section_pk}0000000000000000000", "section-1e3"]),
        "respondent_type": choice(["king", "PRIVATE", ""]),
        "organisation_name": odd_text,
        "display_name": odd_text,
        "postcode": odd_text,
        "town": odd_text,
        "text": odd_text,
        "consent": choice(["", "off", "true", "false", "0", "1"]),
    }  # fmt: skip
    for name in draw(st.sets(st.sampled_from(sorted(data)), max_size=3)):
        data[name] = draw(hostile[name])
    # A field may be missing altogether, as a hand-made POST may leave it out.
    for name in draw(st.sets(st.sampled_from(sorted(data)), max_size=1)):
        del data[name]
    return data


@pytest.fixture
def signed_in(client, w):
    client.force_login(w.citizen)
    client.raise_request_exception = False
    return client


@pytest.mark.slow
def test_the_response_form_never_answers_500(signed_in, w):
    url = reverse("hearings:respond", args=[w.v_hearing.pk])

    @settings(
        max_examples=150,
        deadline=None,
        derandomize=True,  # the same examples on every run: a failure in CI is a failure on a laptop
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(data=form_data(w.v_section.pk))
    def post(data):
        try:
            with transaction.atomic():
                answer = signed_in.post(url, data)
                assert answer.status_code in (302, 400), answer.status_code
                saved = Response.objects.filter(hearing=w.v_hearing, number=2)
                if answer.status_code == 302:
                    # Saved as typed under the text policy (portal/text.py), less the surrounding white
                    # space that every field drops.
                    response = saved.get()
                    assert (response.display_name, response.text) == (
                        normalise_line(data["display_name"]).strip(),
                        normalise_text(data["text"]).strip(),
                    )
                else:
                    assert not saved.exists()
                    html = answer.content.decode()
                    assert_inert(html, "the refused form")
                    # Every value is shown again as the text policy keeps it.
                    for name in ("organisation_name", "display_name", "postcode", "town"):
                        if value := normalise_line(data.get(name, "")):
                            assert f'value="{escape(value)}"' in html, f"{name} was lost"
                    if value := normalise_text(data.get("text", "")):
                        assert escape(value) + "</textarea>" in html, "the text was lost"
                raise Rollback
        except Rollback:
            pass

    post()
