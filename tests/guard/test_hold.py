"""Held until cleared (issue 15, item 3): a response with a finding of high confidence in its text, name or
organisation waits as pending with the reason "mulige personoplysninger", in post- as in pre-moderation,
when it is sent and when its author edits it; it is on no public page, feed or search until a moderator
publishes it. Low-confidence hints (GDPR art. 9 words, a name after "naboen", the municipality's own
words) hold nothing back. The author's receipt, its e-mail and "Mine høringssvar" say why it waits."""

import pytest
from django.urls import reverse

from guard.models import Review, TermList
from hearings import services
from hearings.models import Hearing, ModerationReason, Response
from notifications import tasks
from search import selectors as search
from tests.hearings.factories import add

# A word that is in no other text, so that a page, feed or search that shows the response shows it.
MARK = "Solsikkemarken"

HIGH = {
    "cpr": {"text": f"{MARK} skal bevares. Mit CPR-nummer er 010190-1234, hvis I skal bruge det."},
    "phone": {"text": f"{MARK} skal bevares. Ring til mig på 23 45 67 89 efter kl. 16."},
    "address": {"text": f"{MARK} skal bevares. Naboen i Nørregade 12, 2. th. er enig."},
    "email": {"text": f"{MARK} skal bevares. Skriv til karen.borger@example.dk, hvis I vil vide mere."},
    "display_name": {"text": f"{MARK} skal bevares.", "display_name": "karen.borger@example.dk"},
    "organisation": {
        "text": f"{MARK} skal bevares.",
        "respondent_type": "association",
        "organisation_name": "Grundejerforeningen Nord, tlf. 23 45 67 89",
    },
}
KIND = {"cpr": "cpr", "phone": "phone", "address": "address", "email": "email", "display_name": "email",
        "organisation": "phone"}  # fmt: skip

LOW = {
    "health": f"{MARK} skal bevares. Min søn har diabetes og går der hver dag.",
    "neighbour": f"{MARK} skal bevares. Naboen Hansen går også tur der.",
}


def send(hearing, author, **fields):
    values = {"respondent_type": "private", "display_name": "Karen Borger", **fields}
    return services.submit_response(
        hearing=hearing, author=author, target_key="strategy", consent=True, **values
    )


@pytest.fixture(params=["post", "pre"])
def hearing(request, open_hearing):
    open_hearing.moderation = request.param
    open_hearing.save(update_fields=["moderation"])
    return open_hearing


def shown_in(client, hearing) -> list[str]:
    """Where the public sees a response of ``hearing`` with MARK: the hearing page, the response feed, the
    site's search."""
    page = client.get(hearing.get_absolute_url()).content.decode()
    feed = client.get(reverse("notifications:response_feed_rss", args=[hearing.pk])).content.decode()
    hits = search.search(search.SearchFilter(query=MARK), page=1).paginator.count
    return [where for where, shown in (("page", MARK in page), ("feed", MARK in feed), ("search", hits > 0))
            if shown]  # fmt: skip


# --- Held ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("case", HIGH)
def test_a_response_with_a_sure_finding_is_held_in_post_and_pre_moderation(client, hearing, citizen, case):
    response = send(hearing, citizen, **HIGH[case])
    response.refresh_from_db()
    assert response.status == Response.Status.PENDING
    assert response.moderation_reason == ModerationReason.POSSIBLE_PERSONAL_DATA
    assert response.published_at is None
    review = Review.objects.get(response=response)
    assert review.high >= 1 and KIND[case] in review.kinds and review.cleared_at is None
    # Nowhere public: not the hearing page's list, not its own page, not the feed, not the search.
    assert shown_in(client, hearing) == []
    assert client.get(reverse("hearings:response", args=[hearing.pk, response.number])).status_code == 404


def test_the_public_places_do_show_a_published_response(client, open_hearing, citizen):
    """The check above is worth something: the same places show a response without findings."""
    send(open_hearing, citizen, text=f"{MARK} skal bevares.")
    assert shown_in(client, open_hearing) == ["page", "feed", "search"]


# --- Hints only ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("case", LOW)
def test_a_hint_alone_is_published_at_once_in_post_moderation(client, open_hearing, citizen, case):
    response = send(open_hearing, citizen, text=LOW[case])
    response.refresh_from_db()
    assert (response.status, response.moderation_reason) == (Response.Status.PUBLISHED, "")
    review = Review.objects.get(response=response)
    assert (review.high, review.low) == (0, 1)
    assert review.kinds == (["sensitive"] if case == "health" else ["person"])
    assert shown_in(client, open_hearing) == ["page", "feed", "search"]


def test_a_hint_alone_waits_as_any_response_in_pre_moderation(pre_hearing, citizen):
    response = send(pre_hearing, citizen, text=LOW["health"])
    response.refresh_from_db()
    assert (response.status, response.moderation_reason) == (Response.Status.PENDING, "")


def test_the_municipalitys_own_words_are_hints_only(client, open_hearing, citizen, vallensbaek):
    TermList.objects.create(
        municipality=vallensbaek.municipality, enabled=True, terms="Skovbørnehaven\nRøde Hus"
    )
    response = send(open_hearing, citizen, text=f"{MARK} ligger ved Skovbørnehaven og Røde Hus.")
    response.refresh_from_db()
    assert (response.status, response.moderation_reason) == (Response.Status.PUBLISHED, "")
    review = Review.objects.get(response=response)
    assert (review.high, review.low, review.kinds) == (0, 2, ["sensitive"])
    assert "page" in shown_in(client, open_hearing)


def test_a_word_list_that_is_off_finds_nothing(open_hearing, citizen, vallensbaek):
    TermList.objects.create(municipality=vallensbaek.municipality, enabled=False, terms="Skovbørnehaven")
    response = send(open_hearing, citizen, text="Skovbørnehaven skal blive.")
    assert (Review.objects.get(response=response).low, response.status) == (0, Response.Status.PUBLISHED)


# --- The author's edit ---------------------------------------------------------------------------------


def test_an_edit_that_adds_a_cpr_number_takes_a_published_response_back(client, open_hearing, citizen):
    response = send(open_hearing, citizen, text=f"{MARK} skal bevares.")
    assert response.status == Response.Status.PUBLISHED
    client.force_login(citizen)
    result = client.post(
        reverse("hearings:edit", args=[response.public_id]),
        {"respondent_type": "private", "display_name": "Karen Borger", "postcode": "", "town": "",
         "organisation_name": "", "text": f"{MARK} skal bevares. Mit CPR-nummer er 010190-1234."},
    )  # fmt: skip
    assert result.status_code == 302
    # The author is told at once that it waits for a check.
    assert (
        f"Dit høringssvar nr. {response.number} er rettet. Det kan indeholde personoplysninger og "
        "offentliggøres først, når en medarbejder har kontrolleret det."
    ) in client.get(result.url).content.decode()
    response.refresh_from_db()
    assert response.status == Response.Status.PENDING
    assert response.moderation_reason == ModerationReason.POSSIBLE_PERSONAL_DATA
    assert response.published_at is None
    assert Review.objects.get(response=response).high == 1
    client.logout()
    assert shown_in(client, open_hearing) == []
    # The author sees why on "Mine høringssvar".
    client.force_login(citizen)
    html = client.get(reverse("hearings:my_responses")).content.decode()
    assert "Afventer moderation</span> · kontrolleres for personoplysninger, før det offentliggøres" in html


def test_an_edit_with_a_hint_only_keeps_a_published_response_public(open_hearing, citizen):
    response = send(open_hearing, citizen, text=f"{MARK} skal bevares.")
    services.edit_response(response=response, user=citizen, respondent_type="private",
                           display_name="Karen Borger", text=LOW["health"])  # fmt: skip
    response.refresh_from_db()
    assert (response.status, response.moderation_reason) == (Response.Status.PUBLISHED, "")


# --- What the author is told ---------------------------------------------------------------------------

CHECKED = "Det offentliggøres derfor først, når en medarbejder har kontrolleret det for personoplysninger."


def test_the_receipt_page_and_e_mail_say_a_held_response_is_published_after_a_check(
    client, open_hearing, citizen, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(citizen)
    with django_capture_on_commit_callbacks(execute=True):
        result = client.post(
            reverse("hearings:respond", args=[open_hearing.pk]),
            {"target": "strategy", "respondent_type": "private", "display_name": "Karen Borger",
             "text": HIGH["cpr"]["text"], "consent": "on"},
        )  # fmt: skip
    assert result.status_code == 302
    html = client.get(result["Location"]).content.decode()
    assert "Dit svar kontrolleres, før det offentliggøres" in html
    assert CHECKED in html
    assert "svaret vises, når en medarbejder har kontrolleret det for personoplysninger" in html
    assert "når en moderator har set det igennem" not in html
    receipts = [m for m in mailoutbox if m.subject.startswith("Kvittering")]
    assert len(receipts) == 1
    assert CHECKED in " ".join(receipts[0].body.split())
    assert "når en moderator har set det igennem" not in receipts[0].body


@pytest.mark.parametrize("moderation", ["post", "pre"])
def test_the_receipt_of_a_response_without_findings_says_nothing_of_a_check(
    client, open_hearing, citizen, mailoutbox, moderation
):
    Hearing.objects.filter(pk=open_hearing.pk).update(moderation=moderation)
    response = send(open_hearing, citizen, text=LOW["health"])
    client.force_login(citizen)
    html = client.get(reverse("hearings:receipt", args=[response.public_id])).content.decode()
    assert "personoplysninger" not in html
    tasks.send_response_receipt(response.pk)
    body = mailoutbox[-1].body
    assert "personoplysninger" not in body
    ordinary = "når en moderator har set det igennem" in body
    assert ordinary == (moderation == "pre")


def test_my_responses_tells_a_held_response_from_one_that_waits_for_moderation(client, pre_hearing, citizen):
    send(pre_hearing, citizen, text="Et helt almindeligt svar.")
    send(pre_hearing, citizen, **HIGH["phone"])
    client.force_login(citizen)
    html = client.get(reverse("hearings:my_responses")).content.decode()
    assert html.count("Afventer moderation</span>") == 2
    assert html.count("kontrolleres for personoplysninger") == 1


def test_a_published_response_with_a_stale_review_is_told_as_published(client, open_hearing, citizen):
    """The receipt's words follow the response's state, not the scan: a moderator published it."""
    response = add(open_hearing, author=citizen, text=HIGH["cpr"]["text"])
    client.force_login(citizen)
    html = client.get(reverse("hearings:receipt", args=[response.public_id])).content.decode()
    assert "kontrolleret det for personoplysninger" not in html
