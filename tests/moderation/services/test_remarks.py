"""The administration's remarks on responses: who may write them, until when, what is refused, and
when the public sees them."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from hearings import services as hearing_services
from moderation import services as moderation
from moderation.models import ModerationEvent, Remark
from tests.accounts.factories import VerifiedUserFactory, staff
from tests.hearings.factories import add
from tests.helpers import public_html


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
    ("as_written", "released", "when", "shown"),
    [
        (False, False, "open", False),
        (False, False, "closed", False),  # drafts until released, also once the hearing has closed
        (False, True, "open", True),
        (False, True, "closed", True),
        (True, False, "open", True),  # the hearing shows its remarks as they are written
        (True, False, "closed", True),
    ],
)
def test_a_remark_is_public_once_released_or_as_written_if_the_hearing_says_so(
    client, open_hearing, section5, moderator, as_written, released, when, shown
):
    open_hearing.remarks_as_written = as_written
    open_hearing.save(update_fields=["remarks_as_written"])
    response = add(open_hearing, target_section=section5, text="Svaret")
    moderation.save_remark(response=response, actor=moderator, text="Kommunen er enig i forslaget.",
                           recommendation="change")  # fmt: skip
    if released:
        hearing_services.release_remarks(hearing=open_hearing, actor=moderator)
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
