"""Download or delete one's data; personal data leaves the site after each hearing's removal date."""

import datetime as dt
import json
import os

from allauth.account.models import EmailAddress
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from hearings import services
from hearings import tasks as hearing_tasks
from hearings.models import Response, ResponseAttachment
from moderation import services as moderation
from notifications import follows
from tests.hearings.factories import HearingFactory, ResponseFactory
from tests.helpers import pdf_bytes, upload


def test_download_holds_everything_about_the_user(client, citizen, open_hearing):
    response = services.submit_response(
        hearing=open_hearing, author=citizen, target_key="strategy", respondent_type="private",
        display_name="Karen Borger", postcode="2665", town="Vallensbæk", text="Mit svar", consent=True,
        attachments=[upload("bilag.pdf", pdf_bytes())],
    )  # fmt: skip
    services.edit_response(response=response, user=citizen, respondent_type="private", display_name="Karen B.",
                           postcode="2665", text="Mit rettede svar")  # fmt: skip
    client.force_login(citizen)
    download = client.get(reverse("accounts:data_download"))
    assert download["Content-Disposition"].startswith('attachment; filename="hoeringsportalen-mine-data-')
    data = json.loads(download.content)
    assert data["bruger"]["e-mail"] == citizen.email
    assert data["e-mailadresser"] == [{"e-mail": citizen.email, "bekræftet": True, "primær": True}]
    [answer] = data["høringssvar"]
    assert answer["tekst"] == "Mit rettede svar" and answer["postnummer"] == "2665"
    assert answer["bilag"] == ["bilag.pdf"]
    assert answer["tidligere_udgaver"][0]["tekst"] == "Mit svar"
    assert data["anmeldelser"] == [] and data["følger"] == []


def test_download_holds_the_users_flags_and_follows(client, citizen, open_hearing):
    """What other apps hold about the user is in it too: each app registers its part."""
    other = ResponseFactory(
        hearing=open_hearing, number=1, text="Et andet svar", status=Response.Status.PUBLISHED
    )
    moderation.flag_response(response=other, user=citizen, reason="offensive", note="Grimt sprog")
    follows.follow_hearing(
        user=citizen, hearing=open_hearing, preferences={"on_open": False, "before_close": False}
    )
    client.force_login(citizen)
    data = json.loads(client.get(reverse("accounts:data_download")).content)
    [flag] = data["anmeldelser"]
    assert (flag["høringssvar_nummer"], flag["uddybning"]) == (1, "Grimt sprog")
    [follow] = data["følger"]
    assert follow["høring"] == open_hearing.title
    assert "når høringen åbner" not in follow["besked_om"] and "når høringen lukker" in follow["besked_om"]


def test_deleting_the_account_keeps_published_responses_as_anonymous(client, citizen, open_hearing):
    published = ResponseFactory(hearing=open_hearing, author=citizen, number=1, text="Offentligt svar",
                                display_name="Karen Borger", postcode="2665", town="Vallensbæk")  # fmt: skip
    pending = ResponseFactory(
        hearing=open_hearing, author=citizen, number=2, status="pending", text="Privat udkast"
    )
    client.force_login(citizen)
    assert client.post(reverse("accounts:delete"), {}).status_code == 400  # not confirmed
    assert client.post(reverse("accounts:delete"), {"confirm": "yes"}).status_code == 302
    assert not User.objects.filter(pk=citizen.pk).exists()
    assert not EmailAddress.objects.filter(email=citizen.email).exists()
    published.refresh_from_db()
    pending.refresh_from_db()
    assert (published.author, published.display_name, published.postcode, published.text) == (
        None, "", "", "Offentligt svar",
    )  # fmt: skip
    assert (pending.status, pending.text) == ("withdrawn", "")
    html = client.get(open_hearing.get_absolute_url()).content.decode()
    assert "Anonym" in html and "Karen Borger" not in html and "Privat udkast" not in html


def test_the_daily_task_removes_names_postcodes_and_attachments_after_the_date(db, tmp_path):
    today = timezone.localdate()
    due = HearingFactory(
        opens_at=timezone.now() - dt.timedelta(days=400), closes_at=timezone.now() - dt.timedelta(days=380),
        personal_data_removal_on=today,
    )  # fmt: skip
    later = HearingFactory(personal_data_removal_on=today + dt.timedelta(days=400))
    private = ResponseFactory(
        hearing=due, number=1, display_name="Per Privat", postcode="7190", town="Billund"
    )
    association = ResponseFactory(hearing=due, number=2, respondent_type="association",
                                  organisation_name="Billund Idrætsforening", display_name="Formanden")  # fmt: skip
    attachment = ResponseAttachment(response=private, original_name="bilag.pdf", kind="pdf", size=10)
    attachment.file.save("bilag.pdf", upload("bilag.pdf", pdf_bytes()), save=True)
    path = attachment.file.path
    untouched = ResponseFactory(hearing=later, number=1, display_name="Endnu Synlig")

    assert hearing_tasks.remove_expired_personal_data() == 1
    assert hearing_tasks.remove_expired_personal_data() == 0  # once

    private.refresh_from_db()
    association.refresh_from_db()
    untouched.refresh_from_db()
    assert (private.display_name, private.postcode, private.town, private.public_name) == (
        "",
        "",
        "",
        "Anonym",
    )
    assert (association.organisation_name, association.display_name) == ("Billund Idrætsforening", "")
    assert not ResponseAttachment.objects.filter(response=private).exists()
    assert not os.path.exists(path)
    assert untouched.display_name == "Endnu Synlig"
    assert Response.objects.filter(hearing=due).count() == 2  # the responses themselves stay


def test_the_download_is_valid_json_without_characters_the_policy_removes(client, citizen, open_hearing):
    """Rows written past the text policy on input (issue 12, item 1): the file says what they meant."""
    from tests.textutil import write_raw

    response = ResponseFactory(hearing=open_hearing, author=citizen, number=1)
    write_raw(
        response, display_name="Karen\x0bBorger\ufffe", town="Vallensbæk\x01", text="Før\x0bEfter\uffff 😀"
    )
    write_raw(citizen, name="Karen\x0bBorger\x7f")
    client.force_login(citizen)
    download = client.get(reverse("accounts:data_download"))
    assert download.status_code == 200
    data = json.loads(download.content.decode("utf-8"))
    [answer] = data["høringssvar"]
    assert answer["tekst"] == "Før\nEfter 😀"
    assert (answer["navn"], answer["by"], data["bruger"]["navn"]) == (
        "Karen\nBorger",
        "Vallensbæk",
        "Karen\nBorger",
    )
