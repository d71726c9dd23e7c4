"""The guard in the moderation queue (issue 15, item 3): the tab "Personoplysninger" lists what waits for
a check of personal data; each row shows its findings as badges and snippets with the found text marked
(escaped), hints as hints; the search looks in attachments' text; publishing clears a response's
findings; bulk publishing leaves held responses to be gone through one by one; the moderators' e-mail
says how many wait for the check."""

import re

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from guard import scanning
from guard.models import Review, TermList
from hearings import services as hearing_services
from hearings.models import ModerationReason, Response, ResponseAttachment
from moderation import services as moderation
from notifications.tasks import notify_moderators
from tests.accounts.factories import VerifiedUserFactory, staff
from tests.hearings.factories import add
from tests.helpers import status_of

ROW = re.compile(r'<td data-title="Svar"><a href="/personale/svar/(\d+)/">')
CPR_TEXT = "Mit CPR-nummer er 010190-1234, hvis I skal bruge det."
SKIPPED = "svar med mulige personoplysninger skal gennemses enkeltvis"


def listed(client, **params) -> list[int]:
    result = client.get(reverse("moderation:queue"), params)
    assert result.status_code == 200
    return [int(pk) for pk in ROW.findall(result.content.decode())]


def rows(html: str) -> dict[int, str]:
    """Each row's HTML by the response's pk."""
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return {int(ROW.search(row).group(1)): row for row in body.split("<tr>")[1:]}


def send(hearing, author, text, **fields):
    values = {"respondent_type": "private", "display_name": "Karen Borger", **fields}
    return hearing_services.submit_response(
        hearing=hearing, author=author, target_key="strategy", consent=True, text=text, **values
    )


def attach(response, name="bilag.pdf", text="", publication="public"):
    return ResponseAttachment.objects.create(
        response=response, original_name=name, kind="pdf", size=10, text=text, publication=publication,
        text_status="extracted" if text else "pending", file=ContentFile(b"%PDF-1.4", name=name),
    )  # fmt: skip


def scanned(response):
    """``response`` with a Review, as the guard's scan of existing responses leaves one."""
    scanning.review_response(response)
    return response


@pytest.fixture
def situations(open_hearing, billund_hearing, citizen):
    """A response in each situation the tab must tell apart."""
    made = {
        "held": send(open_hearing, citizen, CPR_TEXT),
        "held_name": send(open_hearing, citizen, "Mere skov.", display_name="karen.borger@example.dk"),
        # Published before the guard; a later scan found a phone number nobody has looked at.
        "published_found": scanned(add(open_hearing, text="Ring på 23 45 67 89, så fortæller jeg mere.")),
        "held_attachment": add(open_hearing, "pending", text="Se bilaget."),
        "hint_only": send(open_hearing, citizen, "Min søn har diabetes og går der hver dag."),
        "plain": send(open_hearing, citizen, "Flere træer ved stien."),
        "cleared": scanned(add(open_hearing, text="Skriv til karen.borger@example.dk.")),
        "rejected": scanned(add(open_hearing, "rejected", text=CPR_TEXT, moderation_reason="spam")),
        "withdrawn": scanned(add(open_hearing, "withdrawn", text=CPR_TEXT)),
    }
    attach(made["held_attachment"], text="Min nabo bor på Nørregade 12.", publication="held")
    Review.objects.filter(response=made["cleared"]).update(cleared_at=timezone.now())
    made["billund"] = send(billund_hearing, VerifiedUserFactory(), CPR_TEXT)
    return made


# --- The tab -------------------------------------------------------------------------------------------


def test_the_tab_lists_what_waits_for_a_check_of_personal_data(client, moderator, situations):
    client.force_login(moderator)
    s = situations
    assert sorted(listed(client, tab="personal")) == sorted(
        s[name].pk for name in ("held", "held_name", "published_found", "held_attachment")
    )
    html = client.get(reverse("moderation:queue"), {"tab": "personal"}).content.decode()
    assert '<a href="?tab=personal" aria-current="page" class="active">Personoplysninger</a>' in html


def test_the_tab_keeps_the_other_filters_and_the_search(client, moderator, situations, open_hearing):
    client.force_login(moderator)
    s = situations
    assert sorted(listed(client, tab="personal", status="pending")) == sorted(
        [s["held"].pk, s["held_name"].pk, s["held_attachment"].pk]
    )
    assert listed(client, tab="personal", q="nørregade") == [s["held_attachment"].pk]
    assert listed(client, tab="personal", hearing=open_hearing.pk, status="published") == [
        s["published_found"].pk
    ]


def test_another_municipalitys_moderator_sees_only_their_own(client, billund, situations):
    billund_moderator = staff(billund.municipality, "moderator", "moderator@billund.dk")
    client.force_login(billund_moderator)
    assert listed(client, tab="personal") == [situations["billund"].pk]


# --- The rows' findings --------------------------------------------------------------------------------


def test_each_row_shows_its_findings_as_badges_and_marked_snippets(client, moderator, situations):
    client.force_login(moderator)
    shown = rows(client.get(reverse("moderation:queue"), {"tab": "all"}).content.decode())
    s = situations
    held = shown[s["held"].pk]
    assert 'Afventer moderation<br><span class="meta">Mulige personoplysninger</span>' in held
    assert "Mulige personoplysninger" not in shown[s["published_found"].pk]
    assert '<span class="badge badge-error">CPR-nummer</span>' in held
    assert (
        "Tekst · CPR-nummer:</span> Mit CPR-nummer er <mark>010190-1234</mark>, hvis I skal bruge det."
        in held
    )
    assert '<span class="badge badge-error">E-mailadresse</span>' in shown[s["held_name"].pk]
    assert "Navn · E-mailadresse:</span> <mark>karen.borger@example.dk</mark>" in shown[s["held_name"].pk]
    # An attachment's text, named by its file.
    assert (
        "bilag.pdf · Adresse:</span> Min nabo bor på <mark>Nørregade 12</mark>."
        in shown[s["held_attachment"].pk]
    )
    # A hint is shown as a hint, not as a finding that holds the response back.
    hint = shown[s["hint_only"].pk]
    assert (
        '<span class="badge badge-info">Hint: Helbreds-, sociale eller strafferetlige forhold</span>' in hint
    )
    assert "badge-error" not in hint
    assert (
        "Hint: Helbreds-, sociale eller strafferetlige forhold:</span> Min søn har <mark>diabetes</mark>"
        in hint
    )
    # Cleared by a moderator: the findings are still shown, and that they were looked at.
    assert "Gennemset af en moderator" in shown[s["cleared"].pk]
    assert "Gennemset" not in shown[s["published_found"].pk]
    # Nothing found, nothing shown.
    assert "guard-findings" not in shown[s["plain"].pk]


def test_snippets_are_escaped_and_cut_to_the_text_around_the_finding(
    client, moderator, open_hearing, citizen
):
    text = (
        "Indledning om mange ting, der ikke hører med i uddraget, før det vigtige kommer. "
        "<script>alert(1)</script>\nRing <i>straks</i> til mig på 23 45 67 89 <b>hurtigt</b> og resten af en "
        "lang sætning, der heller ikke hører med."
    )
    response = send(open_hearing, citizen, text)
    client.force_login(moderator)
    row = rows(client.get(reverse("moderation:queue"), {"tab": "personal"}).content.decode())[response.pk]
    snippet = row.split("Tekst · Telefonnummer:</span> ", 1)[1].split("</li>", 1)[0]
    assert snippet == (
        "…Ring &lt;i&gt;straks&lt;/i&gt; til mig på <mark>23 45 67 89</mark> &lt;b&gt;hurtigt&lt;/b&gt; og "
        "resten af en lang…"
    )
    assert "<script>" not in row and "<i>" not in row and "<b>" not in row


def test_a_row_shows_five_snippets_the_sure_ones_first_and_counts_the_rest(
    client, moderator, open_hearing, citizen
):
    text = (
        "Min søn har diabetes. Min datter har astma og ADHD. Naboen Hansen er enig. Ring på 23 45 67 89 "
        "eller 31 22 33 44 eller skriv til a@example.dk og b@example.dk."
    )
    response = send(open_hearing, citizen, text)
    client.force_login(moderator)
    row = rows(client.get(reverse("moderation:queue"), {"tab": "personal"}).content.decode())[response.pk]
    snippets = re.findall(r'<li><span class="meta">Tekst · (.+?):</span>', row)
    assert snippets == ["Telefonnummer", "Telefonnummer", "E-mailadresse", "E-mailadresse",
                        "Hint: Helbreds-, sociale eller strafferetlige forhold"]  # fmt: skip
    assert "og 2 fund mere" in row


def test_the_municipalitys_own_words_are_shown_as_hints(
    client, moderator, open_hearing, citizen, vallensbaek
):
    TermList.objects.create(municipality=vallensbaek.municipality, enabled=True, terms="Skovbørnehaven")
    response = send(open_hearing, citizen, "Skovbørnehaven skal blive, hvor den er.")
    client.force_login(moderator)
    row = rows(client.get(reverse("moderation:queue"), {"tab": "all"}).content.decode())[response.pk]
    assert "<mark>Skovbørnehaven</mark> skal blive" in row and "badge-error" not in row


def test_a_long_attachment_is_scanned_in_part_here_and_the_row_says_so(
    client, moderator, open_hearing, citizen
):
    response = send(open_hearing, citizen, "Se bilaget.")
    # A phone number within the first 5,000 characters, and a CPR number after them; a longer number that
    # the boundary cuts after 10 digits is not found as a CPR number.
    text = "Ring på 23 45 67 89. " + "x" * 4968 + " 010190123456789 og 010190-1234."
    assert text[4990:5000] == "0101901234"
    attach(response, name="lang.pdf", text=text)
    client.force_login(moderator)
    row = rows(client.get(reverse("moderation:queue"), {"tab": "all"}).content.decode())[response.pk]
    assert "<mark>23 45 67 89</mark>" in row
    assert "010190-1234" not in row and "CPR-nummer" not in row
    assert "Bilaget «lang.pdf» er langt; kun de første 5.000 tegn er gennemsøgt her." in row


@pytest.mark.parametrize("tab", ["all", "personal"])
def test_the_findings_cost_a_fixed_number_of_queries_per_page(
    client, moderator, open_hearing, citizen, vallensbaek, django_assert_max_num_queries, tab
):
    TermList.objects.create(municipality=vallensbaek.municipality, enabled=True, terms="Skovbørnehaven")
    client.force_login(moderator)

    def grow(n):
        for i in range(n):
            response = send(open_hearing, citizen, f"Svar {i}: {CPR_TEXT} Skovbørnehaven.")
            attach(response, name=f"a{i}.pdf", text="Ring på 23 45 67 89.", publication="held")
            attach(response, name=f"b{i}.pdf", text="Min søn har diabetes.")

    grow(2)
    with django_assert_max_num_queries(12) as few:
        html = client.get(reverse("moderation:queue"), {"tab": tab}).content.decode()
    assert html.count("<mark>") == 2 * 4
    grow(28)
    with django_assert_max_num_queries(12) as many:
        html = client.get(reverse("moderation:queue"), {"tab": tab}).content.decode()
    assert html.count("<mark>") == 25 * 4  # a page of 25, each with its text's and attachments' findings
    assert len(few.captured_queries) == len(many.captured_queries)


# --- Search in attachments -----------------------------------------------------------------------------


def test_the_search_looks_in_the_attachments_text_once_per_response(client, moderator, open_hearing, citizen):
    both = send(open_hearing, citizen, "Se de to bilag.")
    attach(both, name="a.pdf", text="Om Vestskoven og stierne.")
    attach(both, name="b.pdf", text="Mere om vestskoven.")
    in_text = send(open_hearing, citizen, "Vestskoven skal vokse.")
    send(open_hearing, citizen, "Noget andet.")
    client.force_login(moderator)
    assert listed(client, tab="all", q="VESTSKOVEN") == [in_text.pk, both.pk]
    html = client.get(reverse("moderation:queue"), {"tab": "all", "q": "vestskoven"}).content.decode()
    assert "2 høringssvar" in html
    assert "Søg i tekst, navn og bilag" in html


# --- Clearing ------------------------------------------------------------------------------------------


def test_publishing_a_held_response_clears_it_and_it_leaves_the_tab(client, moderator, open_hearing, citizen):
    response = send(open_hearing, citizen, CPR_TEXT)
    client.force_login(moderator)
    assert listed(client, tab="personal") == [response.pk]
    result = client.post(reverse("moderation:moderate", args=[response.pk]), {"action": "published"})
    assert result.status_code == 302
    response.refresh_from_db()
    assert (response.status, response.moderation_reason) == ("published", "")
    review = Review.objects.get(response=response)
    assert review.cleared_by == moderator and review.cleared_at is not None
    assert listed(client, tab="personal") == []


def test_a_response_without_an_author_is_cleared_too(moderator, open_hearing, citizen):
    response = send(open_hearing, citizen, CPR_TEXT)
    Response.objects.filter(pk=response.pk).update(author=None)
    moderation.moderate(response=response, actor=moderator, action="published")
    assert Review.objects.get(response=response).cleared_by == moderator


def test_rejecting_does_not_clear_and_restoring_to_published_does(moderator, open_hearing, citizen):
    response = send(open_hearing, citizen, CPR_TEXT)
    moderation.moderate(response=response, actor=moderator, action="rejected", reason="personal_data")
    assert Review.objects.get(response=response).cleared_at is None
    moderation.moderate(response=response, actor=moderator, action="restored")
    assert status_of(response) == "published"
    assert Review.objects.get(response=response).cleared_by == moderator


def test_an_edit_that_holds_a_cleared_response_again_brings_it_back(client, moderator, open_hearing, citizen):
    response = send(open_hearing, citizen, CPR_TEXT)
    moderation.moderate(response=response, actor=moderator, action="published")
    # Another CPR number instead of the first: as many findings as were cleared, but held again.
    hearing_services.edit_response(response=response, user=citizen, respondent_type="private",
                                   display_name="Karen Borger", text="Mit CPR-nummer er 020290-4321.")  # fmt: skip
    response.refresh_from_db()
    assert (response.status, response.moderation_reason) == (
        "pending",
        ModerationReason.POSSIBLE_PERSONAL_DATA,
    )
    client.force_login(moderator)
    assert listed(client, tab="personal") == [response.pk]
    assert moderation.bulk_publish(response_ids=[response.pk], actor=moderator).published == 0
    assert status_of(response) == "pending"


# --- Bulk publishing -----------------------------------------------------------------------------------


def test_bulk_publishing_leaves_held_responses_and_says_how_many_and_why(
    client, moderator, pre_hearing, citizen, mailoutbox, django_capture_on_commit_callbacks
):
    plain = [send(pre_hearing, citizen, "Flere træer."), send(pre_hearing, citizen, "Min søn har diabetes.")]
    held = [send(pre_hearing, citizen, CPR_TEXT), send(pre_hearing, citizen, "Ring på 23 45 67 89.")]
    with_held_attachment = send(pre_hearing, citizen, "Se bilaget.")
    attach(with_held_attachment, text="Nørregade 12", publication="held")
    ids = [r.pk for r in (*plain, *held, with_held_attachment)]
    client.force_login(moderator)
    with django_capture_on_commit_callbacks(execute=True):
        result = client.post(
            reverse("moderation:bulk_publish"),
            {"response": ids, "next": "/personale/moderation/?tab=pending"},
        )
    assert result["Location"] == "/personale/moderation/?tab=pending"
    assert [status_of(r) for r in plain] == ["published", "published"]
    assert [status_of(r) for r in (*held, with_held_attachment)] == ["pending"] * 3
    html = client.get(result["Location"]).content.decode()
    assert "2 høringssvar er offentliggjort." in html
    assert f"3 {SKIPPED}; de er ikke offentliggjort." in html
    assert sorted(listed(client, tab="personal")) == sorted([*(r.pk for r in held), with_held_attachment.pk])


def test_bulk_publishing_only_held_responses_says_so_and_nothing_else(
    client, moderator, pre_hearing, citizen
):
    held = send(pre_hearing, citizen, CPR_TEXT)
    client.force_login(moderator)
    result = client.post(reverse("moderation:bulk_publish"), {"response": [held.pk]})
    html = client.get(result["Location"]).content.decode()
    assert f"1 {SKIPPED}; det er ikke offentliggjort." in html
    assert "Vælg de afventende" not in html and "allerede behandlet" not in html
    assert status_of(held) == "pending"


def test_the_bulk_publish_service_counts_only_the_moderators_own(
    moderator, pre_hearing, billund_hearing, citizen
):
    mine = send(pre_hearing, citizen, CPR_TEXT)
    theirs = send(billund_hearing, VerifiedUserFactory(), CPR_TEXT)
    result = moderation.bulk_publish(response_ids=[mine.pk, theirs.pk], actor=moderator)
    assert (result.published, result.skipped) == (0, [f"1 {SKIPPED}; det er ikke offentliggjort."])


# --- The moderators' e-mail ----------------------------------------------------------------------------


def test_the_moderators_email_says_how_many_wait_for_a_check(moderator, pre_hearing, citizen, mailoutbox):
    send(pre_hearing, citizen, "Flere træer.")
    send(pre_hearing, citizen, CPR_TEXT)
    send(pre_hearing, citizen, "Ring på 23 45 67 89.")
    mailoutbox.clear()
    pre_hearing.__class__.objects.filter(pk=pre_hearing.pk).update(moderators_notified_at=None)
    assert notify_moderators(pre_hearing.pk) == 1
    body = mailoutbox[0].body
    assert "3 høringssvar i høringen" in body
    assert "Heraf skal 2 kontrolleres for personoplysninger, før de offentliggøres:" in body
    assert f"/personale/moderation/?tab=personal&hearing={pre_hearing.pk}" in body


def test_the_moderators_email_says_nothing_of_a_check_when_none_waits(
    moderator, pre_hearing, citizen, mailoutbox
):
    send(pre_hearing, citizen, "Flere træer.")
    mailoutbox.clear()
    pre_hearing.__class__.objects.filter(pk=pre_hearing.pk).update(moderators_notified_at=None)
    assert notify_moderators(pre_hearing.pk) == 1
    assert "personoplysninger" not in mailoutbox[0].body
