"""Moderation, flags and remarks: the services in moderation/services.py, what the author and the
moderators are e-mailed, what the public pages show afterwards, and the append-only log."""

import datetime as dt
import re

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import StaffRole
from hearings import services
from hearings.models import Hearing, Response, ResponseAttachment
from moderation import services as moderation
from moderation.models import Flag, ImmutableEvent, ModerationEvent, Remark
from notifications.tasks import notify_moderators
from tests.factories import HearingFactory, ResponseFactory, UserFactory, VerifiedUserFactory
from tests.hearings.conftest import pdf_bytes

Action = ModerationEvent.Action


# --- Fixtures and helpers -----------------------------------------------------------------------------


def staff(municipality, role, email, **kwargs):
    user = VerifiedUserFactory(email=email, **kwargs)
    StaffRole.objects.create(user=user, municipality=municipality, role=role)
    return user


@pytest.fixture
def moderator(vallensbaek):
    return staff(vallensbaek.municipality, "moderator", "moderator@vallensbaek.dk", name="Mads Moderator")


@pytest.fixture
def editor(vallensbaek):
    return staff(vallensbaek.municipality, "editor", "redaktoer@vallensbaek.dk", name="Rikke Redaktør")


@pytest.fixture
def billund_hearing(billund):
    return HearingFactory(strategy=billund, title="Billunds høring", moderation=Hearing.Moderation.PRE)


@pytest.fixture
def pre_hearing(open_hearing):
    open_hearing.moderation = Hearing.Moderation.PRE
    open_hearing.save(update_fields=["moderation"])
    return open_hearing


def add(hearing, status="published", **kwargs):
    """A response numbered after the hearing's last one (as submit_response would number it)."""
    hearing.refresh_from_db(fields=["last_response_number"])
    hearing.last_response_number += 1
    hearing.save(update_fields=["last_response_number"])
    if status not in ("published", "hidden"):
        kwargs.setdefault("published_at", None)
    return ResponseFactory(hearing=hearing, number=hearing.last_response_number, status=status, **kwargs)


def status_of(response) -> str:
    return Response.objects.values_list("status", flat=True).get(pk=response.pk)


def public_html(client, url) -> str:
    result = client.get(url)
    assert result.status_code == 200, url
    return result.content.decode()


# --- Transitions ---------------------------------------------------------------------------------------

# (moderation of the hearing, status before, action, reason, status after, the word in the e-mail,
#  what else the e-mail says)
TRANSITIONS = [
    pytest.param("pre", "pending", "published", "", "published", "offentliggjort", [], id="publish-pending"),
    pytest.param("pre", "pending", "rejected", "spam", "rejected", "afvist",
                 ["Begrundelse: spam", "Svaret bliver ikke offentliggjort."], id="reject-pending"),
    pytest.param("post", "published", "hidden", "offensive", "hidden", "skjult",
                 ["Begrundelse: krænkende sprog", "Svaret er skjult på portalen"], id="hide-published"),
    pytest.param("post", "hidden", "restored", "", "published", "gendannet", [], id="restore-hidden"),
    pytest.param("pre", "hidden", "restored", "", "published", "gendannet", [], id="restore-hidden-pre"),
    pytest.param("pre", "rejected", "restored", "", "pending", "gendannet", [], id="restore-rejected-pre"),
    pytest.param("post", "rejected", "restored", "", "published", "gendannet", [], id="restore-rejected-post"),
]  # fmt: skip


@pytest.mark.parametrize(("mode", "before", "action", "reason", "after", "word", "says"), TRANSITIONS)
def test_each_transition_changes_the_status_logs_it_and_emails_the_author_what_and_why(
    open_hearing, moderator, citizen, mailoutbox, django_capture_on_commit_callbacks,
    mode, before, action, reason, after, word, says,
):  # fmt: skip
    open_hearing.moderation = mode
    open_hearing.save(update_fields=["moderation"])
    response = add(
        open_hearing, before, author=citizen, display_name="Karen Borger",
        moderation_reason="spam" if before in ("hidden", "rejected") else "",
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        moderation.moderate(response=response, actor=moderator, action=action, reason=reason,
                            note="  Se retningslinjerne for høringssvar.  ")  # fmt: skip

    response.refresh_from_db()
    assert response.status == after
    assert response.moderation_reason == (reason if after in ("hidden", "rejected") else "")
    if after == "published":
        assert response.published_at is not None
    event = ModerationEvent.objects.get(response=response)
    assert (event.action, event.status_before, event.status_after, event.reason, event.note) == (
        action, before, after, reason, "Se retningslinjerne for høringssvar."
    )  # fmt: skip
    assert (event.actor, event.actor_label) == (moderator, "moderator@vallensbaek.dk")
    assert (event.municipality_id, event.hearing_id) == (
        open_hearing.strategy.municipality_id,
        open_hearing.pk,
    )

    [mail] = mailoutbox
    assert mail.to == [citizen.email]
    assert mail.subject == f"Dit høringssvar nr. 1 er {word}"
    assert mail.body.startswith("Kære Karen Borger\n")
    assert (
        f'En moderator har behandlet dit høringssvar nr. 1 i høringen "{open_hearing.title}": det er {word}.'
        in mail.body
    )
    assert "Moderatorens bemærkning: Se retningslinjerne for høringssvar." in mail.body
    for text in says:
        assert text in mail.body
    if not reason:
        assert "Begrundelse" not in mail.body
    assert "http://testserver/mine-hoeringssvar/" in mail.body
    assert "Vallensbæk Kommune" in mail.body


def test_publishing_keeps_the_first_publication_time(open_hearing, moderator):
    first = timezone.now() - dt.timedelta(days=2)
    response = add(open_hearing, "published", published_at=first)
    moderation.moderate(response=response, actor=moderator, action="hidden", reason="spam", notify=False)
    moderation.moderate(response=response, actor=moderator, action="restored", notify=False)
    response.refresh_from_db()
    assert (response.status, response.published_at) == ("published", first)


# Every (status, action) pair that TRANSITIONS does not allow.
INVALID = [
    ("published", "published"), ("hidden", "published"), ("rejected", "published"), ("withdrawn", "published"),
    ("published", "rejected"), ("hidden", "rejected"), ("rejected", "rejected"), ("withdrawn", "rejected"),
    ("pending", "hidden"), ("hidden", "hidden"), ("rejected", "hidden"), ("withdrawn", "hidden"),
    ("pending", "restored"), ("published", "restored"), ("withdrawn", "restored"),
]  # fmt: skip
STATUS_WORDS = {
    "pending": "afventer moderation",
    "published": "offentliggjort",
    "rejected": "afvist",
    "hidden": "skjult",
    "withdrawn": "trukket tilbage",
}


@pytest.mark.parametrize(("status", "action"), INVALID, ids=[f"{a}-{s}" for s, a in INVALID])
def test_an_invalid_transition_is_refused_in_danish_and_changes_nothing(
    pre_hearing, moderator, citizen, mailoutbox, django_capture_on_commit_callbacks, status, action
):
    response = add(pre_hearing, status, author=citizen,
                   moderation_reason="spam" if status in ("hidden", "rejected") else "")  # fmt: skip
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(ValidationError) as refused,
    ):
        moderation.moderate(response=response, actor=moderator, action=action, reason="offensive")
    [message] = refused.value.messages
    assert message.startswith(f"Høringssvar nr. 1 er {STATUS_WORDS[status]}; det kan ikke ")
    assert status_of(response) == status
    assert not ModerationEvent.objects.exists()
    assert callbacks == [] and mailoutbox == []


@pytest.mark.parametrize("status", Response.Status.values)
def test_the_actions_a_response_is_offered_are_exactly_those_the_service_accepts(
    pre_hearing, moderator, status
):
    """The staff page offers what ``moderation.allowed_actions`` says; ``moderate()`` takes those and
    refuses every other."""
    offered = []
    for action in (Action.PUBLISHED, Action.REJECTED, Action.HIDDEN, Action.RESTORED):
        response = add(
            pre_hearing, status, moderation_reason="spam" if status in ("hidden", "rejected") else ""
        )
        try:
            with transaction.atomic():
                moderation.moderate(
                    response=response, actor=moderator, action=action, reason="spam", notify=False
                )
        except ValidationError:
            continue
        offered.append(action)
    response = add(pre_hearing, status)
    assert moderation.allowed_actions(response) == offered


def test_the_refusal_of_an_invalid_transition_is_grammatical_danish(pre_hearing, moderator):
    response = add(pre_hearing, "withdrawn")
    expected = {"published": "offentliggøres", "rejected": "afvises", "hidden": "skjules",
                "restored": "gendannes"}  # fmt: skip
    for action, verb in expected.items():
        with pytest.raises(ValidationError) as refused:
            moderation.moderate(response=response, actor=moderator, action=action, reason="spam")
        assert refused.value.messages == [f"Høringssvar nr. 1 er trukket tilbage; det kan ikke {verb}."]


@pytest.mark.parametrize(
    ("status", "action", "reason", "field", "message"),
    [
        ("pending", "rejected", "", "reason", "Vælg en begrundelse; afsenderen får den at vide."),
        ("published", "hidden", "", "reason", "Vælg en begrundelse; afsenderen får den at vide."),
        ("published", "hidden", "ukendt", "reason", "Vælg en begrundelse fra listen."),
        ("pending", "published", "ukendt", "reason", "Vælg en begrundelse fra listen."),
        ("pending", "flagged", "", None, "Ukendt handling."),
        ("pending", "slet", "", None, "Ukendt handling."),
    ],
)
def test_a_missing_or_unknown_reason_or_action_is_refused_in_danish_and_changes_nothing(
    pre_hearing, moderator, citizen, mailoutbox, django_capture_on_commit_callbacks,
    status, action, reason, field, message,
):  # fmt: skip
    response = add(pre_hearing, status, author=citizen)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError) as refused:
        moderation.moderate(response=response, actor=moderator, action=action, reason=reason)
    if field:
        assert refused.value.message_dict == {field: [message]}
    else:
        assert refused.value.messages == [message]
    assert status_of(response) == status
    assert not ModerationEvent.objects.exists()
    assert mailoutbox == []


def test_only_a_moderator_of_the_municipality_may_moderate(pre_hearing, editor, billund):
    response = add(pre_hearing, "pending")
    billund_moderator = staff(billund.municipality, "moderator", "moderator@billund.dk")
    for actor in (editor, billund_moderator, VerifiedUserFactory()):
        with pytest.raises(PermissionDenied):
            moderation.moderate(response=response, actor=actor, action="published")
    assert status_of(response) == "pending"
    assert not ModerationEvent.objects.exists()


def test_a_refused_moderation_through_the_page_is_a_400_and_changes_nothing(client, open_hearing, moderator):
    response = add(open_hearing, "published")
    client.force_login(moderator)
    url = reverse("moderation:moderate", args=[response.pk])
    assert client.post(url, {"action": "hidden", "reason": ""}).status_code == 400
    assert client.post(url, {"action": "published"}).status_code == 400
    assert client.post(url, {"action": "bogus"}).status_code == 400
    assert status_of(response) == "published"
    assert not ModerationEvent.objects.exists()


def test_a_refused_moderation_shows_the_response_page_with_the_danish_error(client, open_hearing, moderator):
    response = add(open_hearing, "published", text="Teksten i svaret")
    client.force_login(moderator)
    result = client.post(
        reverse("moderation:moderate", args=[response.pk]), {"action": "hidden", "reason": ""}
    )
    html = result.content.decode()
    assert result.status_code == 400
    assert "Vælg en begrundelse; afsenderen får den at vide." in html
    assert "Teksten i svaret" in html


def test_a_refusal_from_the_service_is_tied_to_its_field_like_the_forms_own_errors(
    client, open_hearing, moderator
):
    # The form lets an empty reason through; the service refuses it, after the form was cleaned.
    response = add(open_hearing, "published")
    client.force_login(moderator)
    result = client.post(
        reverse("moderation:moderate", args=[response.pk]), {"action": "hidden", "reason": ""}
    )
    select = re.search(r"<select[^>]*name=\"reason\"[^>]*>", result.content.decode()).group(0)
    assert 'aria-invalid="true"' in select
    described_by = re.search(r'aria-describedby="([^"]*)"', select).group(1).split()
    assert described_by == ["id_reason_helptext", "id_reason_error"]
    assert 'id="id_reason_error"' in result.content.decode()


def test_moderating_through_the_page_redirects_with_a_message_and_only_to_this_site(
    client, pre_hearing, moderator
):
    first, second = add(pre_hearing, "pending"), add(pre_hearing, "pending")
    client.force_login(moderator)
    result = client.post(
        reverse("moderation:moderate", args=[first.pk]), {"action": "published"}, follow=True
    )
    assert result.redirect_chain == [(reverse("moderation:response", args=[first.pk]), 302)]
    assert "Høringssvar nr. 1 er offentliggjort." in result.content.decode()
    result = client.post(
        reverse("moderation:moderate", args=[second.pk]),
        {"action": "rejected", "reason": "off_topic", "next": "https://evil.example/personale/"},
    )
    assert result["Location"] == reverse("moderation:response", args=[second.pk])
    assert status_of(second) == "rejected"


# --- Bulk publish --------------------------------------------------------------------------------------


def test_bulk_publish_publishes_only_pending_responses_of_the_moderators_municipality(
    client, pre_hearing, billund_hearing, moderator, mailoutbox, django_capture_on_commit_callbacks
):
    pending = [add(pre_hearing, "pending"), add(pre_hearing, "pending")]
    published = add(pre_hearing, "published")
    rejected = add(pre_hearing, "rejected", moderation_reason="spam")
    withdrawn = add(pre_hearing, "withdrawn")
    billunds = add(billund_hearing, "pending")
    ids = [r.pk for r in (*pending, published, rejected, withdrawn, billunds)]

    client.force_login(moderator)
    with django_capture_on_commit_callbacks(execute=True):
        result = client.post(
            reverse("moderation:bulk_publish"),
            {"response": [*map(str, ids), "x", "99999999"], "next": "/personale/moderation/?tab=pending"},
        )
    assert result.status_code == 302
    assert result["Location"] == "/personale/moderation/?tab=pending"
    assert [status_of(r) for r in pending] == ["published", "published"]
    assert (status_of(published), status_of(rejected), status_of(withdrawn)) == (
        "published", "rejected", "withdrawn"
    )  # fmt: skip
    assert status_of(billunds) == "pending"
    assert sorted(ModerationEvent.objects.values_list("action", "response_id", "actor_id")) == sorted(
        [("published", r.pk, moderator.pk) for r in pending]
    )
    assert sorted(m.to[0] for m in mailoutbox) == sorted(r.author.email for r in pending)
    assert all(m.subject.endswith("er offentliggjort") for m in mailoutbox)
    assert "2 høringssvar er offentliggjort." in client.get(result["Location"]).content.decode()


def test_bulk_publish_with_nothing_to_publish_warns_and_never_redirects_off_site(
    client, pre_hearing, billund_hearing, moderator
):
    billunds = add(billund_hearing, "pending")
    client.force_login(moderator)
    result = client.post(
        reverse("moderation:bulk_publish"), {"response": [str(billunds.pk)], "next": "https://evil.example/"}
    )
    assert result["Location"] == reverse("moderation:queue")
    assert status_of(billunds) == "pending"
    html = client.get(result["Location"]).content.decode()
    assert "Vælg de afventende høringssvar, der skal offentliggøres." in html


def test_the_bulk_publish_service_returns_how_many_it_published(pre_hearing, billund_hearing, moderator):
    mine = add(pre_hearing, "pending")
    theirs = add(billund_hearing, "pending")
    assert moderation.bulk_publish(response_ids=[mine.pk, theirs.pk], actor=moderator) == 1
    assert moderation.bulk_publish(response_ids=[mine.pk, theirs.pk], actor=moderator) == 0
    assert (status_of(mine), status_of(theirs)) == ("published", "pending")


# --- What the public sees ------------------------------------------------------------------------------


def test_a_hidden_response_shows_as_a_notice_with_its_reason_in_its_place_and_is_not_counted(
    client, open_hearing, moderator, section5
):
    add(open_hearing, text="Første svar")
    secret = add(open_hearing, text="Andet svar nævner naboen Jens Jensen", target_section=section5)
    add(open_hearing, text="Tredje svar", target_section=section5)
    add(open_hearing, text="Fjerde svar")
    moderation.moderate(
        response=secret, actor=moderator, action="hidden", reason="personal_data", notify=False
    )

    notice = "Høringssvar nr. 2 er skjult af moderator: personoplysninger om andre"
    html = public_html(client, open_hearing.get_absolute_url())
    assert "Viser 1–3 af 3 høringssvar" in html
    assert notice in html
    assert "Jens Jensen" not in html
    assert re.findall(r'<li class="response-item[^"]*" id="svar-(\d+)"', html) == ["1", "2", "3", "4"]
    assert html.count("response-hidden") == 1

    html = public_html(client, section5.get_absolute_url())
    assert "Viser 1–1 af 1 høringssvar" in html
    assert notice in html and "Jens Jensen" not in html
    assert client.get(secret.get_absolute_url()).status_code == 404
    assert client.get(reverse("moderation:flag", args=[open_hearing.pk, 2])).status_code == 404


def test_a_hidden_response_between_two_pages_keeps_its_notice(client, open_hearing, moderator):
    for _ in range(20):
        add(open_hearing)
    between = add(open_hearing, text="Skjules")
    for _ in range(20):
        add(open_hearing)
    moderation.moderate(response=between, actor=moderator, action="hidden", reason="spam", notify=False)
    first = public_html(client, open_hearing.get_absolute_url())
    second = public_html(client, open_hearing.get_absolute_url() + "?side=2")
    assert "Viser 1–20 af 40 høringssvar" in first and "Viser 21–40 af 40 høringssvar" in second
    notice = "Høringssvar nr. 21 er skjult af moderator: spam"
    assert (first + second).count(notice) == 1


@pytest.mark.parametrize("status", ["pending", "rejected", "withdrawn", "hidden"])
def test_a_response_that_is_not_published_is_in_no_public_list_page_or_count(
    client, pre_hearing, section5, vallensbaek, status
):
    shown = add(pre_hearing, text="Et offentliggjort svar", target_section=section5)
    ResponseAttachment.objects.create(response=shown, original_name="offentlig.pdf", kind="pdf", size=10,
                                      file=ContentFile(pdf_bytes(), name="offentlig.pdf"))  # fmt: skip
    secret = add(
        pre_hearing, status, text="Hemmelig tekst om Jens Jensen", display_name="Hemmelig Afsender",
        target_section=section5, moderation_reason="spam" if status in ("hidden", "rejected") else "",
    )  # fmt: skip
    attachment = ResponseAttachment.objects.create(
        response=secret, original_name="hemmeligt.pdf", kind="pdf", size=10,
        file=ContentFile(pdf_bytes(), name="hemmeligt.pdf"),
    )  # fmt: skip
    other = VerifiedUserFactory()

    pages = {
        "hearing": pre_hearing.get_absolute_url(),
        "section": section5.get_absolute_url(),
        "strategy": vallensbaek.get_absolute_url(),
        "hearing list": reverse("hearings:list"),
        "response": shown.get_absolute_url(),
    }
    for visitor in (None, other):
        if visitor:
            client.force_login(visitor)
        for name, url in pages.items():
            html = public_html(client, url)
            for secret_text in ("Hemmelig tekst", "Hemmelig Afsender", "hemmeligt.pdf"):
                assert secret_text not in html, (status, name)
            if name in ("hearing", "section"):
                assert "Viser 1–1 af 1 høringssvar" in html, (status, name)
                assert ('id="svar-2"' in html) == (status == "hidden"), (status, name)
                assert ("Høringssvar nr. 2 er skjult af moderator: spam" in html) == (status == "hidden")
        assert client.get(reverse("hearings:response", args=[pre_hearing.pk, 2])).status_code == 404
        assert client.get(reverse("moderation:flag", args=[pre_hearing.pk, 2])).status_code == 404
        assert client.get(attachment.get_absolute_url()).status_code == 404
        assert client.get(shown.attachments.get().get_absolute_url()).status_code == 200


def test_a_pending_response_becomes_public_when_published(client, pre_hearing, moderator):
    response = add(pre_hearing, "pending", text="Venter på en moderator")
    assert "Venter på en moderator" not in public_html(client, pre_hearing.get_absolute_url())
    moderation.moderate(response=response, actor=moderator, action="published", notify=False)
    html = public_html(client, pre_hearing.get_absolute_url())
    assert "Venter på en moderator" in html and "Viser 1–1 af 1 høringssvar" in html


# --- Flags ---------------------------------------------------------------------------------------------


def test_flag_threshold_is_three():
    assert moderation.FLAG_THRESHOLD == 3


def test_a_user_flags_a_response_once_through_the_page(client, open_hearing, citizen):
    response = add(open_hearing, text="Et svar med grimme ord")
    url = reverse("moderation:flag", args=[open_hearing.pk, response.number])
    client.force_login(citizen)
    page = public_html(client, url)
    assert "Anmeld høringssvar nr. 1" in page and "Send anmeldelse" in page

    result = client.post(url, {"reason": "offensive", "note": "Kalder naboen et skældsord"})
    assert result.status_code == 302 and result["Location"] == open_hearing.get_absolute_url()
    flag = Flag.objects.get()
    assert (flag.response, flag.user, flag.reason, flag.note) == (
        response, citizen, "offensive", "Kalder naboen et skældsord"
    )  # fmt: skip
    assert "Tak. En moderator ser på høringssvaret." in client.get(result["Location"]).content.decode()

    again = client.post(url, {"reason": "spam"})
    assert again.status_code == 400
    assert "Du har allerede anmeldt dette høringssvar." in again.content.decode()
    assert Flag.objects.count() == 1
    assert "Du har allerede anmeldt dette høringssvar." in public_html(client, url)
    assert status_of(response) == "published"


def test_a_flag_needs_a_reason(client, open_hearing, citizen):
    response = add(open_hearing)
    client.force_login(citizen)
    result = client.post(reverse("moderation:flag", args=[open_hearing.pk, response.number]), {"reason": ""})
    assert result.status_code == 400
    assert "Vælg hvorfor du anmelder svaret." in result.content.decode()
    assert not Flag.objects.exists()


def test_nobody_flags_their_own_response(client, open_hearing, citizen):
    response = add(open_hearing, author=citizen)
    client.force_login(citizen)
    result = client.post(reverse("moderation:flag", args=[open_hearing.pk, 1]), {"reason": "spam"})
    assert result.status_code == 400
    assert "Du kan ikke anmelde dit eget høringssvar." in result.content.decode()
    with pytest.raises(ValidationError) as refused:
        moderation.flag_response(response=response, user=citizen, reason="spam")
    assert refused.value.messages == ["Du kan ikke anmelde dit eget høringssvar."]
    assert not Flag.objects.exists() and not ModerationEvent.objects.exists()


@pytest.mark.parametrize(
    ("who", "status", "message"),
    [
        ("unverified", "published", "Bekræft din e-mailadresse, før du anmelder et høringssvar."),
        ("citizen", "pending", "Kun offentliggjorte høringssvar kan anmeldes."),
        ("citizen", "hidden", "Kun offentliggjorte høringssvar kan anmeldes."),
    ],
)
def test_the_flag_service_refuses_in_danish(open_hearing, citizen, who, status, message):
    response = add(open_hearing, status, moderation_reason="spam" if status == "hidden" else "")
    user = UserFactory() if who == "unverified" else citizen
    with pytest.raises(ValidationError) as refused:
        moderation.flag_response(response=response, user=user, reason="spam")
    assert refused.value.messages == [message]
    assert not Flag.objects.exists()


def test_three_flags_from_different_users_take_a_response_back_to_pending(client, open_hearing):
    response = add(open_hearing, text="Et svar, der bliver anmeldt")
    url = open_hearing.get_absolute_url()
    flaggers = VerifiedUserFactory.create_batch(3)
    for i, user in enumerate(flaggers[:2]):
        moderation.flag_response(response=response, user=user, reason="offensive", note=f"Anmeldelse {i}")
        assert status_of(response) == "published"
    assert "Et svar, der bliver anmeldt" in public_html(client, url)

    moderation.flag_response(response=response, user=flaggers[2], reason="spam")
    assert status_of(response) == "pending"
    html = public_html(client, url)
    assert "Et svar, der bliver anmeldt" not in html and "Viser" not in html
    assert client.get(response.get_absolute_url()).status_code == 404

    events = list(ModerationEvent.objects.filter(response=response).order_by("created_at", "pk"))
    assert [e.action for e in events] == ["flagged", "flagged", "flagged", "flag_threshold"]
    assert [e.actor for e in events[:3]] == flaggers
    threshold = events[3]
    assert (threshold.status_before, threshold.status_after, threshold.details) == (
        "published", "pending", {"flags": 3}
    )  # fmt: skip
    assert (threshold.actor, threshold.actor_label) == (None, "systemet")


def test_after_a_moderator_republishes_one_more_flag_is_not_enough(open_hearing, moderator):
    response = add(open_hearing)
    for user in VerifiedUserFactory.create_batch(3):
        moderation.flag_response(response=response, user=user, reason="spam")
    moderation.moderate(response=response, actor=moderator, action="published", notify=False)
    moderation.flag_response(response=response, user=VerifiedUserFactory(), reason="spam")
    assert status_of(response) == "published"


# --- Remarks -------------------------------------------------------------------------------------------


def test_a_remark_is_created_then_changed_and_both_are_logged_with_before_and_after(
    open_hearing, moderator, editor
):
    response = add(open_hearing)
    moderation.save_remark(
        response=response, actor=moderator, text=" Tak for svaret. ", recommendation="noted"
    )
    remark = Remark.objects.get()
    assert (remark.text, remark.recommendation, remark.author) == ("Tak for svaret.", "noted", moderator)

    moderation.save_remark(
        response=response, actor=editor, text="Målsætningen ændres.", recommendation="change"
    )
    moderation.save_remark(
        response=response, actor=editor, text="Målsætningen ændres.", recommendation="change"
    )
    remark.refresh_from_db()
    assert (remark.text, remark.recommendation, remark.author) == ("Målsætningen ændres.", "change", editor)
    assert Remark.objects.count() == 1

    events = list(ModerationEvent.objects.filter(response=response).order_by("created_at", "pk"))
    assert [(e.action, e.actor) for e in events] == [
        ("remark_created", moderator),
        ("remark_changed", editor),
    ]
    assert events[0].details == {"text": "Tak for svaret.", "recommendation": "noted"}
    assert events[1].details == {
        "before": {"text": "Tak for svaret.", "recommendation": "noted"},
        "text": "Målsætningen ændres.",
        "recommendation": "change",
    }


def test_a_remark_typed_up_to_its_limit_with_line_breaks_is_taken(client, open_hearing, moderator):
    """A browser sends line breaks as CRLF but counts them as one character, as the limit does."""
    response = add(open_hearing)
    client.force_login(moderator)
    text = "Indgår i planen.\r\n" * (10_000 // 17)  # 17 characters a line as typed, 18 as sent
    assert len(text.replace("\r\n", "\n")) <= 10_000 < len(text)
    client.post(reverse("moderation:remark", args=[response.pk]), {"text": text, "recommendation": "noted"})
    assert Remark.objects.get(response=response).text == text.replace("\r\n", "\n").strip()


@pytest.mark.parametrize(
    ("text", "recommendation", "field", "message"),
    [
        ("   ", "noted", "text", "Skriv bemærkningen."),
        ("x" * 10_001, "noted", "text", "Bemærkningen er for lang: højst 10.000 tegn."),
        ("Tekst", "maybe", "recommendation", "Vælg en indstilling."),
    ],
)
def test_an_invalid_remark_is_refused_in_danish(
    open_hearing, moderator, text, recommendation, field, message
):
    response = add(open_hearing)
    with pytest.raises(ValidationError) as refused:
        moderation.save_remark(response=response, actor=moderator, text=text, recommendation=recommendation)
    assert refused.value.message_dict == {field: [message]}
    assert not Remark.objects.exists() and not ModerationEvent.objects.exists()


def test_remarks_are_locked_once_the_summary_is_published(open_hearing, moderator):
    response = add(open_hearing)
    moderation.save_remark(response=response, actor=moderator, text="Før notatet", recommendation="noted")
    open_hearing.summary_published_at = timezone.now()
    open_hearing.save(update_fields=["summary_published_at"])
    with pytest.raises(ValidationError) as refused:
        moderation.save_remark(
            response=response, actor=moderator, text="Efter notatet", recommendation="change"
        )
    assert refused.value.messages == [
        "Høringsnotatet er offentliggjort; bemærkningerne kan ikke længere ændres."
    ]
    assert Remark.objects.get().text == "Før notatet"
    assert list(ModerationEvent.objects.values_list("action", flat=True)) == ["remark_created"]


def test_only_editors_and_moderators_of_the_municipality_remark(open_hearing, vallensbaek, billund):
    response = add(open_hearing)
    council = staff(vallensbaek.municipality, "council", "raad@vallensbaek.dk")
    billund_editor = staff(billund.municipality, "editor", "redaktoer@billund.dk")
    for actor in (council, billund_editor, VerifiedUserFactory()):
        with pytest.raises(PermissionDenied):
            moderation.save_remark(response=response, actor=actor, text="Nej", recommendation="noted")
    assert not Remark.objects.exists()


def test_a_refused_remark_shows_the_response_page_with_the_danish_error(client, open_hearing, moderator):
    response = add(open_hearing, text="Teksten i svaret")
    open_hearing.summary_published_at = timezone.now()
    open_hearing.save(update_fields=["summary_published_at"])
    client.force_login(moderator)
    result = client.post(reverse("moderation:remark", args=[response.pk]),
                         {"recommendation": "noted", "text": "For sent"})  # fmt: skip
    html = result.content.decode()
    assert result.status_code == 400
    assert "Høringsnotatet er offentliggjort; bemærkningerne kan ikke længere ændres." in html
    assert "Teksten i svaret" in html


@pytest.mark.parametrize(
    ("when", "show_while_open", "shown"),
    [("open", False, False), ("open", True, True), ("closed", False, True), ("closed", True, True)],
)
def test_a_remark_is_public_after_the_hearing_closes_or_while_open_if_chosen(
    client, open_hearing, section5, moderator, when, show_while_open, shown
):
    open_hearing.show_remarks_while_open = show_while_open
    open_hearing.save(update_fields=["show_remarks_while_open"])
    response = add(open_hearing, target_section=section5, text="Svaret")
    moderation.save_remark(response=response, actor=moderator, text="Kommunen er enig i forslaget.",
                           recommendation="change")  # fmt: skip
    moment = timezone.now() if when == "open" else open_hearing.closes_at + dt.timedelta(hours=1)
    with time_machine.travel(moment, tick=False):
        for url in (
            open_hearing.get_absolute_url(),
            section5.get_absolute_url(),
            response.get_absolute_url(),
        ):
            html = public_html(client, url)
            assert "Svaret" in html
            assert ("Kommunen er enig i forslaget." in html) == shown, url
            assert ("Giver anledning til ændringer" in html) == shown, url


def test_a_remark_on_a_response_that_is_not_published_is_never_public(client, pre_hearing, moderator):
    response = add(pre_hearing, "pending")
    moderation.save_remark(response=response, actor=moderator, text="Intern bemærkning",
                           recommendation="noted")  # fmt: skip
    with time_machine.travel(pre_hearing.closes_at + dt.timedelta(days=1), tick=False):
        assert "Intern bemærkning" not in public_html(client, pre_hearing.get_absolute_url())


# --- The moderators' e-mail ----------------------------------------------------------------------------


def submit(hearing, author, text):
    return services.submit_response(
        hearing=hearing, author=author, target_key="strategy", respondent_type="private",
        display_name="Karen Borger", text=text, consent=True,
    )  # fmt: skip


def moderator_mails(mailoutbox):
    return [m for m in mailoutbox if "venter på moderation" in m.subject]


def test_moderators_of_the_municipality_are_emailed_at_most_once_an_hour_per_hearing(
    pre_hearing, vallensbaek, billund, citizen, mailoutbox, django_capture_on_commit_callbacks
):
    municipality = vallensbaek.municipality
    staff(municipality, "moderator", "moderator1@vallensbaek.dk")
    staff(municipality, "moderator", "moderator2@vallensbaek.dk")
    staff(municipality, "moderator", "tidligere@vallensbaek.dk", is_active=False)
    staff(municipality, "editor", "redaktoer@vallensbaek.dk")
    staff(municipality, "council", "raad@vallensbaek.dk")
    staff(billund.municipality, "moderator", "moderator@billund.dk")
    VerifiedUserFactory(email="drift@example.dk", is_staff=True, is_superuser=True)
    start = timezone.now()

    with time_machine.travel(start, tick=False), django_capture_on_commit_callbacks(execute=True):
        submit(pre_hearing, citizen, "Første svar")
    [mail] = moderator_mails(mailoutbox)
    assert mail.to == ["moderator1@vallensbaek.dk", "moderator2@vallensbaek.dk"]
    assert mail.subject == f"Høringssvar venter på moderation – {pre_hearing.title}"
    assert f'1 høringssvar i høringen "{pre_hearing.title}" venter på moderation.' in mail.body
    assert f"http://testserver/personale/moderation/?hearing={pre_hearing.pk}&status=pending" in mail.body

    later = start + dt.timedelta(minutes=59)
    with time_machine.travel(later, tick=False), django_capture_on_commit_callbacks(execute=True):
        submit(pre_hearing, citizen, "Andet svar")
    assert len(moderator_mails(mailoutbox)) == 1

    later = start + dt.timedelta(minutes=61)
    with time_machine.travel(later, tick=False), django_capture_on_commit_callbacks(execute=True):
        submit(pre_hearing, citizen, "Tredje svar")
    mails = moderator_mails(mailoutbox)
    assert len(mails) == 2
    assert f'3 høringssvar i høringen "{pre_hearing.title}" venter på moderation.' in mails[1].body
    assert mails[1].to == ["moderator1@vallensbaek.dk", "moderator2@vallensbaek.dk"]


def test_each_hearing_has_its_own_hour_and_post_moderation_emails_no_one(
    pre_hearing, vallensbaek, citizen, mailoutbox, django_capture_on_commit_callbacks
):
    staff(vallensbaek.municipality, "moderator", "moderator@vallensbaek.dk")
    other = HearingFactory(strategy=vallensbaek, title="Anden høring", moderation=Hearing.Moderation.PRE)
    post = HearingFactory(strategy=vallensbaek, title="Efterfølgende", moderation=Hearing.Moderation.POST)
    with django_capture_on_commit_callbacks(execute=True):
        submit(pre_hearing, citizen, "Et")
        submit(other, citizen, "To")
        submit(post, citizen, "Tre")
    assert sorted(m.subject for m in moderator_mails(mailoutbox)) == sorted(
        f"Høringssvar venter på moderation – {h.title}" for h in (pre_hearing, other)
    )
    assert notify_moderators(pre_hearing.pk) == 0  # within the hour


# --- The log -------------------------------------------------------------------------------------------


def test_the_staff_page_lists_the_events_in_order_with_who_and_why(
    client, pre_hearing, moderator, editor, citizen, django_capture_on_commit_callbacks
):
    flagger = VerifiedUserFactory(email="anmelder@example.dk")
    start = timezone.now().replace(second=0, microsecond=0) - dt.timedelta(hours=6)
    steps = [
        lambda r: moderation.moderate(response=r, actor=moderator, action="published"),
        lambda r: moderation.flag_response(response=r, user=flagger, reason="offensive", note="Skældsord"),
        lambda r: moderation.moderate(response=r, actor=moderator, action="hidden", reason="offensive",
                                      note="Fjern skældsordet, så kan det vises"),
        lambda r: moderation.moderate(response=r, actor=moderator, action="restored"),
        lambda r: moderation.save_remark(response=r, actor=editor, text="Noteret", recommendation="noted"),
    ]  # fmt: skip
    with time_machine.travel(start, tick=False), django_capture_on_commit_callbacks(execute=True):
        response = submit(pre_hearing, citizen, "Mit svar")
    for hours, step in enumerate(steps, start=1):
        later = start + dt.timedelta(hours=hours)
        with time_machine.travel(later, tick=False), django_capture_on_commit_callbacks(execute=True):
            step(response)

    client.force_login(moderator)
    html = public_html(client, reverse("moderation:response", args=[response.pk]))
    log = html[html.index('id="log-heading"') : html.index("</section>", html.index('id="log-heading"'))]
    items = [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", item)).strip()
             for item in re.findall(r"<li>(.*?)</li>", log, re.S)]  # fmt: skip
    assert len(items) == 6
    expected = [
        ("Modtaget", citizen.email, ""),
        ("Offentliggjort (pending → published)", "moderator@vallensbaek.dk", ""),
        ("Anmeldt", "anmelder@example.dk", " · krænkende sprog “Skældsord”"),
        ("Skjult (published → hidden)", "moderator@vallensbaek.dk",
         " · krænkende sprog “Fjern skældsordet, så kan det vises”"),
        ("Gendannet (hidden → published)", "moderator@vallensbaek.dk", ""),
        ("Bemærkning skrevet", "redaktoer@vallensbaek.dk", ""),
    ]  # fmt: skip
    for hours, (item, (action, who, why)) in enumerate(zip(items, expected, strict=True)):
        when = timezone.localtime(start + dt.timedelta(hours=hours))
        assert item.startswith(f"{when.day}. "), item
        assert item.endswith(f"{when:%H}.{when:%M} · {action} {who}{why}"), item


# --- The log cannot be changed -------------------------------------------------------------------------


@pytest.fixture
def event(open_hearing, moderator):
    response = add(open_hearing)
    moderation.moderate(response=response, actor=moderator, action="hidden", reason="spam", note="Reklame",
                        notify=False)  # fmt: skip
    return ModerationEvent.objects.get()


def unchanged(event):
    row = ModerationEvent.objects.values_list("action", "note", "reason", "actor_label").get(pk=event.pk)
    return row == ("hidden", "Reklame", "spam", "moderator@vallensbaek.dk")


def test_an_event_cannot_be_changed_or_deleted_through_the_model(event):
    event.note = "Ændret bagefter"
    with pytest.raises(ImmutableEvent):
        event.save()
    with pytest.raises(ImmutableEvent):
        event.delete()
    assert unchanged(event)


def test_the_database_refuses_to_update_or_delete_an_event(event):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        ModerationEvent.objects.filter(pk=event.pk).update(note="Ændret bagefter")
    assert unchanged(event)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        ModerationEvent.objects.filter(pk=event.pk).delete()
    assert unchanged(event)
    for sql in ("UPDATE hearings_moderationevent SET note = 'x' WHERE id = %s",
                "DELETE FROM hearings_moderationevent WHERE id = %s"):  # fmt: skip
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [event.pk])
    assert unchanged(event)
    assert ModerationEvent.objects.count() == 1


def test_new_events_can_still_be_added(event, open_hearing, moderator):
    moderation.record_event(action=Action.RESTORED, response=event.response, actor=moderator)
    assert ModerationEvent.objects.count() == 2


def test_a_failed_moderator_email_is_retried_and_sent(pre_hearing, vallensbaek, monkeypatch, mailoutbox):
    """The SMTP server fails once: the retry still sends the e-mail (the hour's claim is given back)."""
    from notifications import mail

    staff(vallensbaek.municipality, "moderator", "moderator@vallensbaek.dk")
    add(pre_hearing, "pending")
    real = mail.send
    calls = []

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise OSError("SMTP nede")
        return real(*args, **kwargs)

    monkeypatch.setattr(mail, "send", flaky)
    result = notify_moderators.apply(args=[pre_hearing.pk])
    assert (result.state, result.result, len(calls)) == ("SUCCESS", 1, 2)
    assert [m.to for m in mailoutbox] == [["moderator@vallensbaek.dk"]]
    # ... and the claim holds again: a second call within the hour sends nothing.
    assert notify_moderators.apply(args=[pre_hearing.pk]).result == 0


def test_bulk_publish_skips_a_response_another_moderator_decided_meanwhile(
    client, pre_hearing, moderator, monkeypatch
):
    """Between reading the pending responses and locking each, another moderator publishes the first:
    it is skipped (not a 500) and the rest are still published."""
    from accounts import rules as permissions

    first, second = add(pre_hearing, "pending"), add(pre_hearing, "pending")
    real = permissions.may_moderate
    done = []

    def other_moderator_first(user, hearing):
        if not done:
            done.append(1)
            Response.objects.filter(pk=first.pk).update(status="published")
        return real(user, hearing)

    monkeypatch.setattr(permissions, "may_moderate", other_moderator_first)
    client.raise_request_exception = False
    client.force_login(moderator)
    result = client.post(reverse("moderation:bulk_publish"), {"response": [first.pk, second.pk]})
    assert result.status_code == 302
    assert (status_of(first), status_of(second)) == ("published", "published")
    assert list(ModerationEvent.objects.values_list("action", "response_id")) == [("published", second.pk)]
    assert "1 høringssvar er offentliggjort." in client.get(result["Location"]).content.decode()


def test_notes_flags_and_remarks_are_stored_under_the_text_policy(open_hearing, moderator, editor, citizen):
    """Issue 12, item 1: what staff and citizens paste into a note, a flag or a remark keeps its line
    breaks (U+000B, U+2028 as LF) and loses the characters XML cannot carry."""
    pasted, stored = "Linje 1\x0bLinje 2\u2028æøå 😀\x01\ufffe", "Linje 1\nLinje 2\næøå 😀"
    response = add(open_hearing)
    flag = moderation.flag_response(response=response, user=citizen, reason="other", note=pasted)
    moderation.moderate(response=response, actor=moderator, action="hidden", reason="other", note=pasted)
    remark = moderation.save_remark(response=response, actor=editor, text=pasted, recommendation="noted")
    flag.refresh_from_db()
    remark.refresh_from_db()
    notes = list(
        ModerationEvent.objects.filter(response=response).exclude(note="").values_list("note", flat=True)
    )
    assert (flag.note, remark.text) == (stored, stored)
    assert notes == [stored, stored]  # the flag's and the moderator's
