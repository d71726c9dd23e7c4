"""Moderation by staff: each transition of a response (status, log, the author's e-mail), the ones
refused and what the staff pages answer then, and bulk publishing."""

import datetime as dt
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from hearings.models import Response
from moderation import services as moderation
from moderation.models import ModerationEvent
from tests.accounts.factories import VerifiedUserFactory, staff
from tests.hearings.factories import add
from tests.helpers import status_of

Action = ModerationEvent.Action


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
    assert moderation.bulk_publish(response_ids=[mine.pk, theirs.pk], actor=moderator).published == 1
    assert moderation.bulk_publish(response_ids=[mine.pk, theirs.pk], actor=moderator).published == 0
    assert (status_of(mine), status_of(theirs)) == ("published", "pending")


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
