"""Redaction of a response's published fields (issue 15, item 4): the service (guard.services.redact and
redact_response), what it keeps for staff, what it logs and e-mails, who may, what it refuses, and the
originals removed with the hearing's personal data (item 3 of the removal)."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from guard import finders, services
from guard.models import REDACTION_MARKER, Redaction, Review
from hearings import personal_data
from hearings import services as hearing_services
from hearings.models import Hearing, ModerationReason, Response
from moderation import services as moderation
from moderation.models import ModerationEvent
from tests.accounts.factories import VerifiedUserFactory, staff
from tests.analysis.factories import TopicFactory, TopicResponseFactory
from tests.helpers import public_html

pytestmark = pytest.mark.django_db

CPR = "010190-1234"
ADDRESS = "Skolevej 12, 2. th., 2665 Vallensbæk Strand"
TEXT = (
    f"Jeg bor på {ADDRESS}, og mit CPR-nummer er {CPR}. "
    "Stien langs Vallensbæk Mose skal have lys, så børnene kan gå sikkert i skole."
)


def spans_of(text: str, *kinds: str) -> list[tuple[int, int]]:
    """The spans of the finders' findings of ``kinds`` in ``text``."""
    return [(f.start, f.end) for f in finders.find(text) if f.kind in kinds]


def held_response(hearing, author, text=TEXT, **fields) -> Response:
    """A response submitted through the service: the guard holds it (pending, "mulige personoplysninger")."""
    return hearing_services.submit_response(
        hearing=hearing, author=author, target_key="strategy", text=text, consent=True,
        **{"respondent_type": "private", "display_name": "Karen Borger", **fields},
    )  # fmt: skip


@pytest.fixture
def held(open_hearing, citizen):
    response = held_response(open_hearing, citizen)
    assert (response.status, response.moderation_reason) == (
        "pending",
        ModerationReason.POSSIBLE_PERSONAL_DATA,
    )
    return response


def test_a_redaction_replaces_the_spans_keeps_the_original_for_staff_and_logs_no_personal_data(
    held, moderator, mailoutbox, django_capture_on_commit_callbacks
):
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        made = services.redact_response(
            response=held, actor=moderator, note="Vi offentliggør ikke CPR-numre og adresser.", now=now,
            parts=[services.RedactionPart("text", spans_of(TEXT, "cpr"), "cpr"),
                   services.RedactionPart("text", spans_of(TEXT, "address"), "address")],
        )  # fmt: skip
    held.refresh_from_db()
    assert held.text == (
        f"Jeg bor på {REDACTION_MARKER}, og mit CPR-nummer er {REDACTION_MARKER}. "
        "Stien langs Vallensbæk Mose skal have lys, så børnene kan gå sikkert i skole."
    )
    # Still pending until a moderator publishes it.
    assert (held.status, held.published_at) == ("pending", None)
    # One row per field and reason, each with the value before and its spans in it.
    assert [(r.field, r.reason, r.original, r.spans, r.actor) for r in made] == [
        ("text", "cpr", TEXT, [list(spans_of(TEXT, "cpr")[0])], moderator),
        ("text", "address", TEXT, [list(spans_of(TEXT, "address")[0])], moderator),
    ]
    assert Redaction.objects.filter(response=held).count() == 2
    # The scan is run again: nothing sure is left; the moderator has seen it.
    review = Review.objects.get(response=held)
    assert (review.high, review.cleared_by, review.cleared_at) == (0, moderator, now)
    # The audit log: which fields, why, how many; never the removed text.
    event = ModerationEvent.objects.get(response=held, action=ModerationEvent.Action.REDACTED)
    assert event.actor == moderator and event.note == "Vi offentliggør ikke CPR-numre og adresser."
    assert (event.status_before, event.status_after) == ("pending", "pending")
    assert event.details == {
        "fields": ["text"], "reasons": ["cpr", "address"], "count": 2,
        "parts": [{"field": "text", "reason": "cpr", "count": 1},
                  {"field": "text", "reason": "address", "count": 1}],
    }  # fmt: skip
    assert CPR not in str(event.details) and "Skolevej" not in str(event.details)
    # The author is told what was left out and why, without the personal data.
    [mail] = [m for m in mailoutbox if "udeladt" in m.subject]
    assert mail.to == [held.author.email]
    assert mail.subject == f"Personoplysninger er udeladt af dit høringssvar nr. {held.number}"
    assert "En moderator har udeladt personoplysninger fra dit høringssvar" in mail.body
    assert f'står der nu "{REDACTION_MARKER}"' in mail.body
    assert "- Tekst: 2 steder (CPR-nummer, adresse)" in mail.body
    assert "Moderatorens bemærkning: Vi offentliggør ikke CPR-numre og adresser." in mail.body
    assert "Svaret bliver offentliggjort, når en moderator har godkendt det." in mail.body
    assert CPR not in mail.body and "Skolevej" not in mail.body and "1234" not in mail.body


def test_one_call_redacts_several_fields_and_the_mail_names_each(
    open_hearing, citizen, moderator, mailoutbox, django_capture_on_commit_callbacks
):
    response = held_response(open_hearing, citizen, display_name="Karen Borger, Skolevej 12",
                             respondent_type="association", organisation_name="Foreningen på Skolevej 12")  # fmt: skip
    name, organisation = response.display_name, response.organisation_name
    with django_capture_on_commit_callbacks(execute=True):
        services.redact_response(response=response, actor=moderator, parts=[
            services.RedactionPart("text", spans_of(TEXT, "cpr"), "cpr"),
            services.RedactionPart("display_name", [(name.index("Skolevej"), len(name))], "address"),
            services.RedactionPart("organisation_name", [(organisation.index("Skolevej"), len(organisation))],
                                   "address"),
        ])  # fmt: skip
    response.refresh_from_db()
    assert response.display_name == f"Karen Borger, {REDACTION_MARKER}"
    assert response.organisation_name == f"Foreningen på {REDACTION_MARKER}"
    [mail] = [m for m in mailoutbox if "udeladt" in m.subject]
    assert "- Tekst: 1 sted (CPR-nummer)" in mail.body
    assert "- Navn: 1 sted (adresse)" in mail.body
    assert "- Organisation: 1 sted (adresse)" in mail.body
    assert "Skolevej" not in mail.body


def test_redact_of_one_field_returns_its_redaction(held, moderator):
    redaction = services.redact(response=held, actor=moderator, field="text", spans=spans_of(TEXT, "cpr"),
                                reason="cpr")  # fmt: skip
    assert (redaction.field, redaction.reason, redaction.original) == ("text", "cpr", TEXT)
    assert CPR not in Response.objects.get(pk=held.pk).text


@pytest.mark.parametrize(
    ("field", "spans", "reason", "message"),
    [
        ("text", [(0, 10_000)], "cpr", "Et markeret sted ligger uden for teksten."),
        ("text", [(-1, 3)], "cpr", "Et markeret sted ligger uden for teksten."),
        ("text", [(5, 5)], "cpr", "Et markeret sted er tomt."),
        ("text", [(9, 4)], "cpr", "Et markeret sted er tomt."),
        ("text", [(0, 10), (5, 15)], "cpr", "To markerede steder overlapper hinanden."),
        ("text", [(0, 10), (0, 10)], "cpr", "To markerede steder overlapper hinanden."),
        ("text", [("0", "10")], "cpr", "Et markeret sted kunne ikke læses."),
        ("text", [(0, 10, 20)], "cpr", "Et markeret sted kunne ikke læses."),
        ("text", [], "cpr", "Vælg mindst ét sted, der skal udelades."),
        ("text", [(0, 10)], "", "Vælg en begrundelse fra listen."),
        ("text", [(0, 10)], "<script>", "Vælg en begrundelse fra listen."),
        ("postcode", [(0, 2)], "cpr", "Ukendt felt."),
        ("author", [(0, 2)], "cpr", "Ukendt felt."),
    ],
)
def test_a_bad_redaction_is_refused_in_danish_and_changes_nothing(
    held, moderator, field, spans, reason, message
):
    with pytest.raises(ValidationError) as refused:
        services.redact(response=held, actor=moderator, field=field, spans=spans, reason=reason)
    assert refused.value.messages == [message]
    assert Response.objects.get(pk=held.pk).text == TEXT
    assert not Redaction.objects.exists()
    assert not ModerationEvent.objects.filter(action=ModerationEvent.Action.REDACTED).exists()


def test_a_name_that_the_marker_would_make_too_long_is_refused(open_hearing, citizen, moderator):
    name = "Karen " + " ".join(["Skolevej 12"] * 16)  # 197 characters, under the limit of 200
    response = held_response(open_hearing, citizen, display_name=name)
    with pytest.raises(ValidationError) as refused:
        services.redact(response=response, actor=moderator, field="display_name", spans=[(6, 17)],
                        reason="address")  # fmt: skip
    assert refused.value.messages == ["Navn bliver for langt med markeringen; udelad det hele i stedet."]
    services.redact(response=response, actor=moderator, field="display_name", spans=[(0, len(name))],
                    reason="address")  # fmt: skip
    assert Response.objects.get(pk=response.pk).display_name == REDACTION_MARKER


def test_spans_chosen_on_a_text_that_changed_since_are_refused(held, citizen, moderator):
    digest = services.redaction_digest(held)
    hearing_services.edit_response(response=held, user=citizen, respondent_type="private",
                                   display_name="Karen Borger", text="Ny tekst. " + TEXT)  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        services.redact_response(response=held, actor=moderator, digest=digest,
                                 parts=[services.RedactionPart("text", spans_of(TEXT, "cpr"), "cpr")])  # fmt: skip
    assert refused.value.messages == [
        "Høringssvaret er ændret, siden siden blev vist. Se fundene igen, og vælg på ny."
    ]
    assert not Redaction.objects.exists()


def test_only_the_hearings_moderators_may_redact(held, vallensbaek, billund, editor):
    others = [
        editor,
        staff(vallensbaek.municipality, "council", "raad@vallensbaek.dk"),
        staff(billund.municipality, "moderator", "moderator@billund.dk"),
        VerifiedUserFactory(),
    ]
    for user in others:
        with pytest.raises(PermissionDenied):
            services.redact(
                response=held, actor=user, field="text", spans=spans_of(TEXT, "cpr"), reason="cpr"
            )
    assert Response.objects.get(pk=held.pk).text == TEXT
    operator = VerifiedUserFactory(is_superuser=True, is_staff=True)
    services.redact(response=held, actor=operator, field="text", spans=spans_of(TEXT, "cpr"), reason="cpr")
    assert CPR not in Response.objects.get(pk=held.pk).text


def test_a_later_redaction_keeps_its_own_original(held, moderator):
    services.redact(response=held, actor=moderator, field="text", spans=spans_of(TEXT, "cpr"), reason="cpr")
    between = Response.objects.get(pk=held.pk).text
    services.redact(response=held, actor=moderator, field="text", spans=spans_of(between, "address"),
                    reason="address")  # fmt: skip
    first, second = Redaction.objects.filter(response=held).order_by("pk")
    assert (first.original, second.original) == (TEXT, between)
    assert ModerationEvent.objects.filter(response=held, action="redacted").count() == 2


def test_passages_are_found_word_by_word_whatever_the_white_space():
    text = "Ring til\nJens  Hansen eller jens hansen, eller Jens Hansen igen."
    assert services.redaction_passage_spans(text, " Jens Hansen ") == [(9, 21), (47, 58)]
    assert services.redaction_passage_spans(text, "   ") == []
    assert services.redact_passages("Citat: «JENS hansen ringede»", ["Jens Hansen"]) == (
        f"Citat: «{REDACTION_MARKER} ringede»"
    )
    assert services.redact_passages("a.b a.b", ["a.b"]) == f"{REDACTION_MARKER} {REDACTION_MARKER}"
    assert services.redact_passages("axb", ["a.b"]) == "axb"  # the passage as text, not a pattern


def test_a_topics_quote_loses_the_redacted_passage(held, moderator):
    link = TopicResponseFactory(topic=TopicFactory(hearing=held.hearing), response=held,
                                quote=f"mit CPR-nummer er {CPR}")  # fmt: skip
    services.redact(response=held, actor=moderator, field="text", spans=spans_of(TEXT, "cpr"), reason="cpr")
    link.refresh_from_db()
    assert link.quote == f"mit CPR-nummer er {REDACTION_MARKER}"


# --- The whole path: held, redacted, published --------------------------------------------------------


def test_a_held_response_is_redacted_then_published_by_the_moderator_and_only_the_redacted_text_is_public(
    open_hearing, citizen, moderator, client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = held_response(open_hearing, citizen)
    assert client.get(response.get_absolute_url()).status_code == 404  # held: not public
    with django_capture_on_commit_callbacks(execute=True):
        services.redact_response(response=response, actor=moderator, parts=[
            services.RedactionPart("text", spans_of(TEXT, "cpr"), "cpr"),
            services.RedactionPart("text", spans_of(TEXT, "address"), "address"),
        ])  # fmt: skip
    assert Response.objects.get(pk=response.pk).status == "pending"
    assert client.get(response.get_absolute_url()).status_code == 404  # still waits for the moderator
    with django_capture_on_commit_callbacks(execute=True):
        moderation.moderate(response=response, actor=moderator, action="published")
    response.refresh_from_db()
    assert (response.status, response.moderation_reason) == ("published", "")
    html = public_html(client, response.get_absolute_url())
    assert REDACTION_MARKER in html and CPR not in html and "Skolevej" not in html
    actions = list(ModerationEvent.objects.filter(response=response).values_list("action", flat=True))
    assert actions == ["submitted", "redacted", "published"]
    subjects = [m.subject for m in mailoutbox if m.to == [citizen.email]]
    assert f"Personoplysninger er udeladt af dit høringssvar nr. {response.number}" in subjects
    assert f"Dit høringssvar nr. {response.number} er offentliggjort" in subjects


def test_a_published_response_redacted_later_stays_published_and_the_mail_says_so(
    open_hearing, citizen, moderator, mailoutbox, django_capture_on_commit_callbacks
):
    response = held_response(open_hearing, citizen, text="Stien skal have lys. Ring på 22 33 44 55.")
    Response.objects.filter(pk=response.pk).update(status="published", published_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        services.redact(response=response, actor=moderator, field="text",
                        spans=spans_of(response.text, "phone"), reason="phone")  # fmt: skip
    assert Response.objects.get(pk=response.pk).status == "published"
    [mail] = [m for m in mailoutbox if "udeladt" in m.subject]
    assert "Svaret er offentliggjort uden de udeladte oplysninger." in mail.body
    assert "- Tekst: 1 sted (telefonnummer)" in mail.body


# --- The originals go with the hearing's personal data -------------------------------------------------


def test_the_originals_are_removed_with_the_hearings_personal_data(held, moderator, open_hearing, citizen):
    other_hearing_response = held_response(
        type(open_hearing).objects.create(
            strategy=open_hearing.strategy,
            title="En anden høring",
            opens_at=open_hearing.opens_at,
            closes_at=open_hearing.closes_at,
            personal_data_removal_on=open_hearing.closes_at.date() + dt.timedelta(days=3650),
        ),  # fmt: skip
        citizen,
    )
    services.redact(response=held, actor=moderator, field="text", spans=spans_of(TEXT, "cpr"), reason="cpr")
    services.redact(response=other_hearing_response, actor=moderator, field="text",
                    spans=spans_of(TEXT, "cpr"), reason="cpr")  # fmt: skip
    Hearing.objects.filter(pk=open_hearing.pk).update(personal_data_removal_on=timezone.localdate())
    later = timezone.now() + dt.timedelta(minutes=5)
    with time_machine.travel(later, tick=False):
        assert personal_data.remove_expired_personal_data() == 1
    removed = Redaction.objects.get(response=held)
    assert (removed.original, removed.original_removed_at) == ("", later)
    # What was redacted, why and by whom stays; the public text keeps the marker.
    assert (removed.reason, removed.actor, removed.spans) == (
        "cpr",
        moderator,
        [list(spans_of(TEXT, "cpr")[0])],
    )
    assert REDACTION_MARKER in Response.objects.get(pk=held.pk).text
    # Another hearing's originals are not touched.
    assert Redaction.objects.get(response=other_hearing_response).original == TEXT


def test_a_redaction_after_the_removal_keeps_no_original(held, moderator, open_hearing):
    Hearing.objects.filter(pk=open_hearing.pk).update(personal_data_removal_on=timezone.localdate())
    personal_data.remove_expired_personal_data()
    redaction = services.redact(response=held, actor=moderator, field="text", spans=spans_of(TEXT, "cpr"),
                                reason="cpr")  # fmt: skip
    assert redaction.original == "" and redaction.original_removed_at is not None
