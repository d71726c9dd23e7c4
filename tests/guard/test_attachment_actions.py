"""What moderators do with an attachment (issue 15, item 4): withhold it with a reason, release it, replace
it with a version with redactions; each an audit event, withholding and replacing an e-mail to the author;
the staff page's attachments panel; and the originals removed with the hearing's personal data."""

import datetime as dt
import json
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from guard import attachment_services
from guard.models import AttachmentOriginal
from hearings.models import ResponseAttachment
from hearings.personal_data import remove_expired_personal_data
from moderation.models import ModerationEvent
from moderation.services import AlreadyDone
from tests.accounts.factories import staff
from tests.hearings.factories import add
from tests.helpers import pdf_bytes, upload

from .attachment_factories import attach
from .attachment_files import text_pdf

pytestmark = pytest.mark.django_db

Action = ModerationEvent.Action


@pytest.fixture(autouse=True)
def _own_media_root(media_root):
    """Uploads in a folder of the test's own."""


@pytest.fixture
def response(open_hearing, citizen):
    return add(open_hearing, author=citizen, text="Se bilaget.")


@pytest.fixture
def held(response):
    return attach(response, "plan.pdf", publication="held", note="Mulige personoplysninger i bilaget: CPR-nummer.",
                  text="Min nabo har CPR-nummer 070761-4285.", content=pdf_bytes("original"))  # fmt: skip


@pytest.fixture
def billund_moderator(billund):
    return staff(billund.municipality, "moderator", "moderator@billund.dk")


def events(action):
    return list(ModerationEvent.objects.filter(action=action))


def files_in(root: Path) -> list[Path]:
    return [path for path in Path(root).rglob("*") if path.is_file()]


# --- The services --------------------------------------------------------------------------------------


def test_withholding_records_the_reason_and_tells_the_author(
    held, moderator, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        attachment_services.withhold_attachment(
            attachment=held, actor=moderator, reason="Bilaget indeholder naboens CPR-nummer."
        )
    held.refresh_from_db()
    assert (held.publication, held.publication_note) == ("withheld", "Bilaget indeholder naboens CPR-nummer.")
    (event,) = events(Action.ATTACHMENT_WITHHELD)
    assert event.actor == moderator and event.response_id == held.response_id
    assert event.note == "Bilaget indeholder naboens CPR-nummer."
    assert event.details == {
        "attachment": "plan.pdf",
        "kind": "pdf",
        "attachment_id": held.pk,
        "before": "held",
    }
    (mail,) = mailoutbox
    assert mail.to == [held.response.author.email]
    assert mail.subject == f"Et bilag til dit høringssvar nr. {held.response.number} offentliggøres ikke"
    assert (
        'bilaget "plan.pdf"' in mail.body
        and "ikke offentliggøres, fordi det indeholder personoplysninger" in mail.body
    )
    assert "Begrundelse: Bilaget indeholder naboens CPR-nummer." in mail.body
    assert "det er bilag" not in mail.body  # not the generic "det er <action>" sentence


def test_withholding_needs_a_reason(held, moderator, mailoutbox):
    with pytest.raises(ValidationError) as refused:
        attachment_services.withhold_attachment(attachment=held, actor=moderator, reason=" \n ")
    assert refused.value.message_dict == {
        "reason": ["Skriv hvorfor bilaget ikke offentliggøres; afsenderen får det at vide."]
    }
    held.refresh_from_db()
    assert held.publication == "held" and not events(Action.ATTACHMENT_WITHHELD) and not mailoutbox


def test_withholding_again_with_the_same_reason_does_nothing(
    held, moderator, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        attachment_services.withhold_attachment(attachment=held, actor=moderator, reason="CPR-nummer")
        with pytest.raises(AlreadyDone):
            attachment_services.withhold_attachment(attachment=held, actor=moderator, reason="CPR-nummer")
    assert len(events(Action.ATTACHMENT_WITHHELD)) == 1 and len(mailoutbox) == 1


@pytest.mark.parametrize("who", ["editor", "billund_moderator", "citizen"])
def test_only_a_moderator_of_the_municipality_may_decide(request, held, who):
    actor = request.getfixturevalue(who)
    for action in (
        lambda: attachment_services.withhold_attachment(attachment=held, actor=actor, reason="x"),
        lambda: attachment_services.release_attachment(attachment=held, actor=actor),
        lambda: attachment_services.replace_attachment(
            attachment=held, actor=actor, upload=upload("ny.pdf", pdf_bytes()), reason="x"
        ),
    ):
        with pytest.raises(PermissionDenied):
            action()
    held.refresh_from_db()
    assert held.publication == "held" and not ModerationEvent.objects.exists()


@pytest.mark.parametrize("publication", ["checking", "held", "withheld"])
def test_releasing_publishes_the_file_without_an_email(
    client, held, moderator, mailoutbox, django_capture_on_commit_callbacks, publication
):
    ResponseAttachment.objects.filter(pk=held.pk).update(publication=publication)
    with django_capture_on_commit_callbacks(execute=True):
        attachment_services.release_attachment(attachment=held, actor=moderator)
    held.refresh_from_db()
    assert (held.publication, held.publication_note) == ("public", "")
    (event,) = events(Action.ATTACHMENT_RELEASED)
    assert event.details["attachment"] == "plan.pdf" and event.details["before"] == publication
    assert not mailoutbox
    assert client.get(held.get_absolute_url()).status_code == 200
    with pytest.raises(AlreadyDone):
        attachment_services.release_attachment(attachment=held, actor=moderator)


def test_replacing_keeps_the_original_for_staff_and_publishes_the_new_version(
    held, moderator, mailoutbox, media_root, django_capture_on_commit_callbacks, tmp_path
):
    old_path = Path(held.file.path)
    redacted = text_pdf(
        tmp_path / "ny.pdf", ["Min nabo har CPR-nummer [udeladt: personoplysninger]."]
    ).read_bytes()
    with django_capture_on_commit_callbacks(execute=True):
        attachment_services.replace_attachment(
            attachment=held, actor=moderator, upload=upload("plan med udeladelser.pdf", redacted),
            reason="CPR-nummeret på side 2 er udeladt.",
        )  # fmt: skip
    held.refresh_from_db()
    assert held.original_name == "plan med udeladelser.pdf"
    assert (held.publication, held.publication_note) == ("public", "CPR-nummeret på side 2 er udeladt.")
    # The new version's text is read after the commit, for staff; the moderator's decision stays.
    assert (held.text_status, held.text_problem) == ("extracted", "")
    assert "Min nabo har CPR-nummer [udeladt: personoplysninger]." in held.text
    assert Path(held.file.path).read_bytes() == redacted and Path(held.file.path) != old_path
    original = AttachmentOriginal.objects.get(attachment=held)
    assert (original.original_name, original.kind, original.actor) == ("plan.pdf", "pdf", moderator)
    assert original.text == "Min nabo har CPR-nummer 070761-4285."
    assert Path(original.file.path) == old_path and old_path.read_bytes() == pdf_bytes("original")
    (event,) = events(Action.ATTACHMENT_REPLACED)
    assert event.details == {"attachment": "plan.pdf", "kind": "pdf", "attachment_id": held.pk,
                             "new_name": "plan med udeladelser.pdf", "new_kind": "pdf"}  # fmt: skip
    assert "070761-4285" not in json.dumps(event.details)  # names and kinds, never the content
    (mail,) = mailoutbox
    assert (
        mail.subject
        == f"Et bilag til dit høringssvar nr. {held.response.number} offentliggøres med udeladelser"
    )
    assert "Hvad er udeladt og hvorfor: CPR-nummeret på side 2 er udeladt." in mail.body


def test_a_second_replacement_keeps_the_first_original_and_deletes_the_version_between(
    held, moderator, media_root, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        attachment_services.replace_attachment(
            attachment=held, actor=moderator, upload=upload("v1.pdf", pdf_bytes("v1")), reason="Udeladt."
        )
    first = Path(ResponseAttachment.objects.get(pk=held.pk).file.path)
    with django_capture_on_commit_callbacks(execute=True):
        attachment_services.replace_attachment(
            attachment=held, actor=moderator, upload=upload("v2.pdf", pdf_bytes("v2")), reason="Mere udeladt."
        )
    assert not first.exists()
    assert Path(AttachmentOriginal.objects.get(attachment=held).file.path).read_bytes() == pdf_bytes(
        "original"
    )
    assert sorted(p.read_bytes() for p in files_in(media_root)) == sorted(
        [pdf_bytes("original"), pdf_bytes("v2")]
    )


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("udeladt.pdf", b"MZ\x90\x00 not a pdf", "er ikke en PDF-, Word- (DOCX), ODT-, JPEG- eller PNG-fil"),
        ("tom.pdf", b"", "er tom"),
    ],
)
def test_replacing_with_a_bad_file_is_refused_and_changes_nothing(
    held, moderator, media_root, name, content, message
):
    before = sorted(files_in(media_root))
    with pytest.raises(ValidationError) as refused:
        attachment_services.replace_attachment(
            attachment=held, actor=moderator, upload=upload(name, content), reason="Udeladt."
        )
    assert message in refused.value.message_dict["file"][0]
    held.refresh_from_db()
    assert held.publication == "held" and held.original_name == "plan.pdf"
    assert not AttachmentOriginal.objects.exists() and not ModerationEvent.objects.exists()
    assert sorted(files_in(media_root)) == before


# --- The staff page and its forms ----------------------------------------------------------------------


def page_url(response) -> str:
    return reverse("moderation:response", args=[response.pk])


def action_url(name, attachment) -> str:
    return reverse(
        f"guard_attachments:{name}", kwargs={"pk": attachment.response_id, "attachment": attachment.pk}
    )


def test_the_panel_shows_the_text_with_its_findings_marked_and_the_forms(client, held, moderator):
    ResponseAttachment.objects.filter(pk=held.pk).update(text="<script>alert(1)</script> CPR 070761-4285")
    client.force_login(moderator)
    html = client.get(page_url(held.response)).content.decode()
    assert f'id="bilag-{held.pk}"' in html
    assert "Tilbageholdt til kontrol" in html and "Mulige personoplysninger i bilaget: CPR-nummer." in html
    assert '<mark class="finding finding-cpr" title="CPR-nummer (sikkert fund)">070761-4285</mark>' in html
    assert escape("<script>alert(1)</script>") in html and "<script>alert(1)</script>" not in html
    assert f'href="{action_url("download", held)}"' in html
    for name in ("release", "withhold", "replace"):
        assert f'action="{action_url(name, held)}"' in html
    assert "Offentliggør bilaget" in html and "Erstat med en udgave med udeladelser" in html


def test_the_panel_says_why_a_file_could_not_be_read(client, held, editor):
    ResponseAttachment.objects.filter(pk=held.pk).update(
        text="", text_status="failed", text_problem="Filen er krypteret."
    )
    client.force_login(editor)
    html = client.get(page_url(held.response)).content.decode()
    assert "Kunne ikke læses: Filen er krypteret." in html
    assert f'href="{action_url("download", held)}"' in html
    assert f'action="{action_url("withhold", held)}"' not in html  # editors download, moderators decide


def test_the_panel_marks_a_name_with_personal_data(client, response, moderator):
    attachment = attach(response, "Klage fra Jens Hansen 070761-4285.pdf", publication="held")
    client.force_login(moderator)
    html = client.get(page_url(response)).content.decode()
    assert '<mark class="finding finding-cpr" title="CPR-nummer (sikkert fund)">070761-4285</mark>' in html
    assert f'href="{action_url("download", attachment)}"' in html


def test_withholding_from_the_staff_page(
    client, held, moderator, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(moderator)
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(action_url("withhold", held), {"reason": "Naboens CPR-nummer står på side 2."})
    assert answer.status_code == 302 and answer["Location"] == page_url(held.response) + f"#bilag-{held.pk}"
    held.refresh_from_db()
    assert held.publication == "withheld" and len(mailoutbox) == 1
    html = client.get(answer["Location"]).content.decode()
    assert "Bilaget plan.pdf offentliggøres ikke. Afsenderen får begrundelsen at vide." in html
    assert "Naboens CPR-nummer står på side 2." in html
    again = client.post(action_url("withhold", held), {"reason": "Naboens CPR-nummer står på side 2."})
    assert again.status_code == 302 and len(mailoutbox) == 1
    assert "allerede markeret som ikke offentliggjort" in client.get(again["Location"]).content.decode()


def test_withholding_without_a_reason_shows_the_page_again_in_danish(client, held, moderator):
    client.force_login(moderator)
    answer = client.post(action_url("withhold", held), {"reason": "   "})
    html = answer.content.decode()
    assert answer.status_code == 400
    assert "Skriv hvorfor bilaget ikke offentliggøres; afsenderen får det at vide." in html
    assert f'id="id_attachment_{held.pk}_withhold_reason_error"' in html
    held.refresh_from_db()
    assert held.publication == "held"


def test_releasing_from_the_staff_page(client, held, moderator):
    client.force_login(moderator)
    answer = client.post(action_url("release", held))
    assert answer.status_code == 302
    held.refresh_from_db()
    assert held.publication == "public"
    assert "Bilaget plan.pdf er offentliggjort." in client.get(answer["Location"]).content.decode()


def test_replacing_from_the_staff_page(
    client, held, moderator, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(moderator)
    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(action_url("replace", held), {
            "file": upload("plan-udeladt.pdf", pdf_bytes("ny")), "reason": "CPR-nummeret er udeladt."})  # fmt: skip
    assert answer.status_code == 302
    held.refresh_from_db()
    assert held.original_name == "plan-udeladt.pdf" and held.publication == "public" and len(mailoutbox) == 1
    html = client.get(answer["Location"]).content.decode()
    assert f'href="{action_url("original", held)}"' in html
    assert "Det oprindelige bilag (plan.pdf) ses kun af personalet" in html


@pytest.mark.parametrize(
    ("files", "message"),
    [
        (
            {"file": upload("virus.pdf", b"MZ\x90\x00 an exe")},
            "Filen virus.pdf er ikke en PDF-, Word- (DOCX), ODT-, JPEG- eller PNG-fil.",
        ),
        ({}, "Vælg filen med udeladelserne."),
    ],
    ids=["wrong type", "no file"],
)
def test_replacing_with_a_bad_file_from_the_staff_page_keeps_what_was_typed(
    client, held, moderator, files, message
):
    client.force_login(moderator)
    answer = client.post(action_url("replace", held), {"reason": "Side <2> er udeladt.", **files})
    html = answer.content.decode()
    assert answer.status_code == 400
    assert message in html
    assert f">\n{escape('Side <2> er udeladt.')}</textarea>" in html
    assert " open>" in html  # the replace form is shown unfolded with its error
    held.refresh_from_db()
    assert held.publication == "held" and not AttachmentOriginal.objects.exists()


@pytest.mark.parametrize("who", ["editor", "billund_moderator"])
def test_a_change_by_anyone_but_a_moderator_of_the_municipality_is_not_found(request, client, held, who):
    client.force_login(request.getfixturevalue(who))
    for name, data in (("release", {}), ("withhold", {"reason": "x"}),
                       ("replace", {"reason": "x", "file": upload("x.pdf", pdf_bytes())})):  # fmt: skip
        assert client.post(action_url(name, held), data).status_code == 404
    held.refresh_from_db()
    assert held.publication == "held" and not ModerationEvent.objects.exists()


def test_the_changes_are_posts_only(client, held, moderator):
    client.force_login(moderator)
    for name in ("release", "withhold", "replace"):
        assert client.get(action_url(name, held)).status_code == 405


# --- The hearing's removal date ------------------------------------------------------------------------


def test_no_file_of_an_attachment_or_its_original_remains_after_the_removal_date(
    open_hearing, held, moderator, media_root, django_capture_on_commit_callbacks
):
    other = attach(add(open_hearing), "andet.pdf", publication="public")
    with django_capture_on_commit_callbacks(execute=True):
        attachment_services.replace_attachment(
            attachment=held, actor=moderator, upload=upload("v1.pdf", pdf_bytes("v1")), reason="Udeladt."
        )
    assert len(files_in(media_root)) == 3  # the original, the version with redactions, the other attachment
    open_hearing.personal_data_removal_on = timezone.localdate() - dt.timedelta(days=1)
    open_hearing.save(update_fields=["personal_data_removal_on"])
    with django_capture_on_commit_callbacks(execute=True):
        assert remove_expired_personal_data() == 1
    assert files_in(media_root) == []
    assert not AttachmentOriginal.objects.exists()
    assert not ResponseAttachment.objects.filter(pk__in=[held.pk, other.pk]).exists()


def test_an_original_deleted_by_a_rolled_back_change_keeps_its_file(
    held, moderator, django_capture_on_commit_callbacks
):
    attachment_services.replace_attachment(
        attachment=held, actor=moderator, upload=upload("v1.pdf", pdf_bytes("v1")), reason="Udeladt."
    )
    original = AttachmentOriginal.objects.get(attachment=held)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:  # never committed
        original.delete()
    assert callbacks and Path(original.file.path).exists()
