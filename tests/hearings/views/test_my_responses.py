"""'Mine høringssvar': see, edit (recorded) and withdraw one's own responses while the hearing is open."""

import datetime as dt

import time_machine
from django.urls import reverse

from hearings.models import Hearing, Response
from tests.accounts.factories import VerifiedUserFactory
from tests.hearings.factories import ResponseFactory


def details(**overrides):
    return {"respondent_type": "private", "display_name": "Karen Borger", "postcode": "", "town": "",
            "organisation_name": "", "text": "Rettet tekst", **overrides}  # fmt: skip


def test_the_list_shows_every_own_response_with_its_status(client, citizen, open_hearing):
    ResponseFactory(hearing=open_hearing, author=citizen, number=1, text="Mit første svar")
    ResponseFactory(hearing=open_hearing, author=citizen, number=2, status="pending", text="Venter")
    ResponseFactory(hearing=open_hearing, number=3, text="En andens svar")
    client.force_login(citizen)
    html = client.get(reverse("hearings:my_responses")).content.decode()
    assert "Mit første svar" in html and "Venter" in html
    assert "Offentliggjort" in html and "Afventer moderation" in html
    assert "En andens svar" not in html


def test_editing_keeps_the_old_text_and_shows_the_new(client, citizen, open_hearing):
    response = ResponseFactory(hearing=open_hearing, author=citizen, number=1, text="Oprindelig tekst")
    client.force_login(citizen)
    result = client.post(reverse("hearings:edit", args=[response.public_id]), details())
    assert result.status_code == 302
    response.refresh_from_db()
    assert response.text == "Rettet tekst" and response.edited_at is not None
    assert response.status == "published"  # post-moderation: stays public
    assert list(response.revisions.values_list("text", flat=True)) == ["Oprindelig tekst"]
    assert "Rettet tekst" in client.get(open_hearing.get_absolute_url()).content.decode()


def test_editing_in_pre_moderation_goes_back_to_pending(client, citizen, open_hearing):
    Hearing.objects.filter(pk=open_hearing.pk).update(moderation="pre")
    response = ResponseFactory(hearing=open_hearing, author=citizen, number=1, text="Godkendt tekst")
    client.force_login(citizen)
    client.post(reverse("hearings:edit", args=[response.public_id]), details(text="Ny, ikke godkendt tekst"))
    response.refresh_from_db()
    assert response.status == "pending"
    assert "Ny, ikke godkendt tekst" not in client.get(open_hearing.get_absolute_url()).content.decode()


def test_an_invalid_edit_keeps_what_was_typed(client, citizen, open_hearing):
    response = ResponseFactory(hearing=open_hearing, author=citizen, number=1)
    client.force_login(citizen)
    result = client.post(
        reverse("hearings:edit", args=[response.public_id]), details(display_name="", text="Behold mig")
    )
    html = result.content.decode()
    assert result.status_code == 400
    assert "Behold mig" in html and "Skriv det navn" in html


def test_withdrawing_removes_it_from_public_lists_and_the_number_is_not_reused(client, citizen, open_hearing):
    response = ResponseFactory(hearing=open_hearing, author=citizen, number=1, text="Trækkes tilbage")
    open_hearing.last_response_number = 1
    open_hearing.save()
    client.force_login(citizen)
    assert client.post(reverse("hearings:withdraw", args=[response.public_id])).status_code == 302
    response.refresh_from_db()
    assert response.status == "withdrawn"
    html = client.get(open_hearing.get_absolute_url()).content.decode()
    assert "Trækkes tilbage" not in html
    assert client.get(response.get_absolute_url()).status_code == 404
    client.post(
        reverse("hearings:respond", args=[open_hearing.pk]),
        {
            "target": "strategy",
            "respondent_type": "private",
            "display_name": "K",
            "text": "Nyt svar",
            "consent": "on",
        },
    )
    assert Response.objects.get(text="Nyt svar").number == 2


def test_another_users_response_is_not_found(client, open_hearing):
    response = ResponseFactory(hearing=open_hearing, number=1)
    client.force_login(VerifiedUserFactory())
    for name in ("hearings:edit", "hearings:withdraw", "hearings:receipt"):
        assert client.get(reverse(name, args=[response.public_id])).status_code == 404
        assert client.post(reverse(name, args=[response.public_id]), details()).status_code in (404, 405)
    response.refresh_from_db()
    assert response.status == "published" and response.text != "Rettet tekst"


def test_after_closing_nothing_can_be_changed(client, citizen, open_hearing):
    response = ResponseFactory(hearing=open_hearing, author=citizen, number=1, text="Låst")
    client.force_login(citizen)
    with time_machine.travel(open_hearing.closes_at + dt.timedelta(seconds=1), tick=False):
        html = client.get(reverse("hearings:my_responses")).content.decode()
        assert "Ret svaret" not in html and "Høringen lukkede" in html
        edit = client.post(reverse("hearings:edit", args=[response.public_id]), details())
        withdraw = client.post(reverse("hearings:withdraw", args=[response.public_id]))
    assert edit.status_code == 403 and withdraw.status_code == 403
    assert "Rettet tekst" in edit.content.decode()  # what they typed is still there
    response.refresh_from_db()
    assert (response.text, response.status) == ("Låst", "published")


def test_anonymous_users_are_sent_to_login(client, open_hearing):
    response = ResponseFactory(hearing=open_hearing, number=1)
    for url in (reverse("hearings:my_responses"), reverse("hearings:edit", args=[response.public_id])):
        result = client.get(url)
        assert result.status_code == 302 and result["Location"].startswith("/konto/login/")
