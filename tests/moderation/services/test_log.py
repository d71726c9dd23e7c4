"""The moderation log: what the staff page lists, that an event can never be changed or deleted, and
that notes, flags and remarks are kept under the text policy."""

import datetime as dt
import re

import pytest
import time_machine
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from moderation import services as moderation
from moderation.models import ImmutableEvent, ModerationEvent
from tests.accounts.factories import VerifiedUserFactory
from tests.hearings.factories import add
from tests.helpers import public_html, submit

Action = ModerationEvent.Action


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


# --- Pasted text in notes, flags and remarks -----------------------------------------------------------


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
