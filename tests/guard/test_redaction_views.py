"""The guard's panel on a response's staff page (issue 15, items 3 and 4): the findings highlighted, the
redaction form (findings ticked, a passage typed, a reason, a note), what was redacted and the text before
it for staff only; refusals in Danish with what was typed kept; nobody but the hearing's moderators
redacts."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from guard import services
from guard.models import REDACTION_MARKER, Redaction
from hearings import personal_data
from hearings.models import Hearing, Response
from tests.accounts.factories import staff
from tests.security.conftest import assert_inert

from .test_redaction import ADDRESS, CPR, TEXT, held_response, spans_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def held(open_hearing, citizen):
    return held_response(open_hearing, citizen, text=TEXT + " Jeg er sygemeldt.")


def page(client, response) -> str:
    answer = client.get(reverse("moderation:response", args=[response.pk]))
    assert answer.status_code == 200
    return answer.content.decode()


def panel(html: str) -> str:
    start = html.index('<section class="guard-panel"')
    return html[start : html.index("</section>", start)]


def form_data(html: str) -> dict:
    """What the panel's form sends as shown: the ticked findings, the digest, the empty fields."""
    part = panel(html)
    return {
        "findings": re.findall(
            r'<input type="checkbox" name="guard-findings" value="([^"]+)"[^>]*checked', part
        ),
        "seen": re.search(r'name="guard-seen" value="([0-9a-f]+)"', part).group(1),
        "passage": "",
        "reason": "",
        "note": "",
    }


def redact(client, response, data):
    """Post the panel's form (its fields are named with the prefix "guard-")."""
    return client.post(
        reverse("guard:redact", args=[response.pk]), {f"guard-{k}": v for k, v in data.items()}
    )


def test_the_moderator_sees_the_findings_highlighted_right_after_the_text_high_ones_ticked(
    client, held, moderator
):
    client.force_login(moderator)
    html = page(client, held)
    assert (
        html.index(">Tekst</h2>")
        < html.index('id="guard-heading"')
        < html.index("Administrationens bemærkning")
    )
    part = panel(html)
    assert "2 sikre fund · 1 muligt fund" in part
    # High and low, told apart by class and in words.
    assert f'<mark class="guard-mark guard-high">{CPR}</mark>' in part
    assert f'<mark class="guard-mark guard-high">{ADDRESS}</mark>' in part
    assert '<mark class="guard-mark guard-low">sygemeldt</mark>' in part
    assert "(CPR-nummer, sikkert fund)" in part and "(følsomt ord, muligt fund)" in part
    # Each finding a checkbox; the sure ones ticked, the hints not.
    boxes = dict(re.findall(r'<input type="checkbox" name="guard-findings" value="([^"]+)"([^>]*)>', part))
    assert len(boxes) == 3
    ticked = {value for value, attrs in boxes.items() if "checked" in attrs}
    assert ticked == {"text:{}:{}".format(*s) for s in spans_of(held.text, "cpr", "address", "phone")}
    assert f"«{CPR}»: CPR-nummer, sikkert fund (tekst)" in part
    assert "Anden tekst, der skal udelades" in part and 'name="guard-passage"' in part
    assert '<option value="" selected>Efter fundets art</option>' in part
    assert "Udelad markerede</button>" in part
    assert "js/guard-redact.js" in part


def test_redacting_the_ticked_findings_changes_the_text_and_shows_the_original_to_staff_only(
    client, held, moderator
):
    client.force_login(moderator)
    data = {**form_data(page(client, held)), "note": "CPR-numre offentliggøres ikke."}
    answer = redact(client, held, data)
    assert answer.status_code == 302
    assert answer["Location"] == reverse("moderation:response", args=[held.pk]) + "#guard-heading"
    held.refresh_from_db()
    assert CPR not in held.text and ADDRESS not in held.text and held.text.count(REDACTION_MARKER) == 2
    assert held.status == "pending"
    assert sorted(Redaction.objects.filter(response=held).values_list("reason", flat=True)) == [
        "address",
        "cpr",
    ]
    html = client.get(answer["Location"]).content.decode()
    assert "Personoplysninger er udeladt 2 steder i høringssvar nr. 1." in html
    assert "Svaret afventer stadig, at en moderator offentliggør det." in html
    part = panel(html)
    assert "<strong>Tekst</strong>: 2 steder (CPR-nummer, adresse)" in part
    assert moderator.email in part and "“CPR-numre offentliggøres ikke.”" in part
    assert "Oprindelig tekst (kun for personale)" in part
    assert (
        f'<mark class="guard-mark guard-redacted">{CPR}</mark><span class="guard-kind"> (udeladt: CPR-nummer)'
        in part
    )
    # The staff text above shows the redacted text; the log names the action.
    assert f'<div class="response-text staff-text"><p>Jeg bor på {REDACTION_MARKER}' in html
    assert "Personoplysninger udeladt" in html
    # Only the hint is left among the findings, not ticked.
    assert "0 sikre fund · 1 muligt fund" in part


def test_a_passage_typed_is_redacted_everywhere_it_stands_with_the_reason_chosen(client, open_hearing, citizen,
                                                                                  moderator):  # fmt: skip
    response = held_response(
        open_hearing, citizen, text="Jens Hansen fra nr. 4 siger ja. Spørg  Jens\nHansen."
    )
    client.force_login(moderator)
    data = {**form_data(page(client, response)), "passage": "Jens Hansen", "reason": "person"}
    assert redact(client, response, data).status_code == 302
    response.refresh_from_db()
    assert response.text == f"{REDACTION_MARKER} fra nr. 4 siger ja. Spørg  {REDACTION_MARKER}."
    [redaction] = Redaction.objects.filter(response=response)
    assert (redaction.reason, len(redaction.spans)) == ("person", 2)


def test_without_a_reason_each_finding_gets_its_kind_and_a_passage_other_personal_data(
    client, held, moderator
):
    client.force_login(moderator)
    data = {**form_data(page(client, held)), "passage": "Vallensbæk Mose"}
    assert redact(client, held, data).status_code == 302
    reasons = sorted(Redaction.objects.filter(response=held).values_list("reason", flat=True))
    assert reasons == ["address", "cpr", "other"]


def test_a_finding_also_pasted_as_a_passage_is_redacted_once(client, held, moderator):
    client.force_login(moderator)
    data = {**form_data(page(client, held)), "passage": f"er {CPR}"}
    assert redact(client, held, data).status_code == 302
    assert Response.objects.get(pk=held.pk).text.count(REDACTION_MARKER) == 2
    assert sorted(Redaction.objects.filter(response=held).values_list("reason", flat=True)) == [
        "address",
        "cpr",
    ]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"passage": "Skolevejen 99"},
            "«Skolevejen 99» står ikke i høringssvaret. Kopiér teksten præcist, som den står.",
        ),
        ({"passage": " a "}, "Skriv mindst 3 tegn af den tekst, der skal udelades."),
        ({"findings": []}, "Vælg mindst ét fund, eller skriv den tekst, der skal udelades."),
        (
            {"seen": "0" * 16},
            "Høringssvaret er ændret, siden siden blev vist. Se fundene igen, og vælg på ny.",
        ),
        ({"seen": ""}, "Høringssvaret er ændret, siden siden blev vist. Se fundene igen, og vælg på ny."),
        (
            {"findings": ["text:0:3"]},
            "Høringssvaret er ændret, siden siden blev vist. Se fundene igen, og vælg på ny.",
        ),
        ({"reason": "<script>"}, "Vælg en begrundelse fra listen."),
    ],
)
def test_a_refused_redaction_says_why_in_danish_keeps_what_was_typed_and_changes_nothing(
    client, held, moderator, change, message
):
    client.force_login(moderator)
    data = {**form_data(page(client, held)), "note": "Min <b>bemærkning</b>", **change}
    answer = redact(client, held, data)
    html = answer.content.decode()
    assert answer.status_code == 400
    assert escape(message) in html
    assert ">\nMin &lt;b&gt;bemærkning&lt;/b&gt;</textarea>" in html
    if change.get("passage"):
        assert f'value="{escape(change["passage"])}"' in html
    assert_inert(html, "the refused redaction")
    assert Response.objects.get(pk=held.pk).text == held.text
    assert not Redaction.objects.exists()


def test_the_text_changed_by_its_author_since_the_page_was_shown_is_not_cut_blindly(client, held, moderator,
                                                                                     citizen):  # fmt: skip
    client.force_login(moderator)
    data = form_data(page(client, held))
    from hearings import services as hearing_services

    hearing_services.edit_response(response=held, user=citizen, respondent_type="private",
                                   display_name="Karen Borger", text="Indledning. " + held.text)  # fmt: skip
    answer = redact(client, held, data)
    assert answer.status_code == 400
    assert "Høringssvaret er ændret, siden siden blev vist." in answer.content.decode()
    assert not Redaction.objects.exists()


def test_editors_see_the_findings_but_no_form_and_may_not_redact(client, held, editor, moderator):
    client.force_login(moderator)
    data = form_data(page(client, held))
    client.force_login(editor)
    part = panel(page(client, held))
    assert f'<mark class="guard-mark guard-high">{CPR}</mark>' in part
    assert "<form" not in part
    assert redact(client, held, data).status_code == 404
    assert not Redaction.objects.exists()


def test_another_municipalitys_moderator_and_the_anonymous_cannot_redact(client, held, billund, moderator):
    client.force_login(moderator)
    data = form_data(page(client, held))
    client.force_login(staff(billund.municipality, "moderator", "moderator@billund.dk"))
    assert client.get(reverse("moderation:response", args=[held.pk])).status_code == 404
    assert redact(client, held, data).status_code == 404
    client.logout()
    answer = redact(client, held, data)
    assert answer.status_code == 302 and answer["Location"].startswith(reverse("account_login"))
    assert not Redaction.objects.exists()


def test_a_response_without_findings_shows_the_moderator_the_passage_form_only(
    client, open_hearing, moderator
):
    from tests.hearings.factories import add

    response = add(open_hearing, text="Stien skal have lys.", display_name="Åse Ørsted")
    client.force_login(moderator)
    part = panel(page(client, response))
    assert "Søgningen efter personoplysninger fandt intet i svarets tekst, navn og organisation." in part
    assert 'name="guard-findings"' not in part and 'name="guard-passage"' in part


def test_after_the_removal_date_the_original_is_gone_and_the_page_says_so(
    client, held, moderator, open_hearing
):
    services.redact(response=held, actor=moderator, field="text", spans=spans_of(TEXT, "cpr"), reason="cpr")
    Hearing.objects.filter(pk=open_hearing.pk).update(personal_data_removal_on=timezone.localdate())
    personal_data.remove_expired_personal_data()
    client.force_login(moderator)
    part = panel(page(client, held))
    assert "<strong>Tekst</strong>: 1 sted (CPR-nummer)" in part
    assert "Oprindelig tekst (kun for personale)" not in part and CPR not in part
    assert "Den oprindelige tekst er slettet sammen med høringens personoplysninger" in part


def test_markup_in_a_response_is_shown_as_text_in_the_panel(client, open_hearing, citizen, moderator):
    payload = '<script>alert(1)</script><img src=x onerror=alert(2)> Ring på 22 33 44 55 "<b>'
    response = held_response(open_hearing, citizen, text=payload, display_name='<i onclick="x()">Karen</i>')
    client.force_login(moderator)
    html = page(client, response)
    assert_inert(html, "the staff page with the guard's panel")
    assert escape("<script>alert(1)</script>") in panel(html)
    data = {**form_data(html), "passage": "<script>alert(1)</script>"}
    assert redact(client, response, data).status_code == 302
    response.refresh_from_db()
    assert response.text.startswith(REDACTION_MARKER) and "22 33 44 55" not in response.text
    html = page(client, response)
    assert_inert(html, "the staff page with the original")
