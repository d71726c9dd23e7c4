"""guard.tasks.extract_attachment_text: an attachment's text stored for staff, and its publication set from
what the finders find, after the submission's commit."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from guard import reading
from guard.extraction import Extracted
from guard.signals import attachment_text_read
from guard.tasks import extract_attachment_text
from hearings import response_cache, services
from hearings.models import Hearing, ResponseAttachment
from moderation.models import ModerationEvent
from tests.guard import attachment_files as files

Publication = ResponseAttachment.Publication
CLEAN = ["Høringssvar om Kommuneplanstrategi 2018.", "Vi ønsker flere cykelstier langs åen."]
WITH_CPR = [*CLEAN, "Mit CPR-nummer er 120580-1234, hvis I vil ringe."]


@pytest.fixture(autouse=True)
def _own_media_root(media_root):
    """Uploads go to a folder of the test's own."""


def submit(hearing, citizen, *paths, text="Se mit bilag."):
    uploads = [SimpleUploadedFile(path.name, path.read_bytes()) for path in paths]
    return services.submit_response(
        hearing=hearing, author=citizen, target_key="strategy", respondent_type="private",
        display_name="Karen Borger", text=text, consent=True, attachments=uploads,
    )  # fmt: skip


def submitted(hearing, citizen, capture, *paths):
    """The response submitted with ``paths`` attached, its commit done (so its attachments were read)."""
    with capture(execute=True):
        response = submit(hearing, citizen, *paths)
    return response, list(response.attachments.order_by("pk"))


def held_events(response):
    return list(
        ModerationEvent.objects.filter(
            response=response, action=ModerationEvent.Action.ATTACHMENT_HELD
        ).values("actor", "actor_label", "note", "details")
    )


def test_a_clean_pdf_is_read_and_made_public(
    open_hearing, citizen, tmp_path, django_capture_on_commit_callbacks
):
    response, [attachment] = submitted(
        open_hearing,
        citizen,
        django_capture_on_commit_callbacks,
        files.text_pdf(tmp_path / "svar.pdf", CLEAN),
    )
    attachment.refresh_from_db()
    assert (attachment.text_status, attachment.text_problem) == ("extracted", "")
    assert attachment.text == "\n".join(CLEAN)
    assert attachment.text_extracted_at is not None
    assert (attachment.publication, attachment.publication_note) == (Publication.PUBLIC, "")
    assert list(ResponseAttachment.objects.public()) == [attachment]
    assert held_events(response) == []


def test_a_pdf_with_a_cpr_number_is_held_with_an_event_in_the_log(
    open_hearing, citizen, tmp_path, django_capture_on_commit_callbacks
):
    response, [attachment] = submitted(
        open_hearing,
        citizen,
        django_capture_on_commit_callbacks,
        files.text_pdf(tmp_path / "svar.pdf", WITH_CPR),
    )
    attachment.refresh_from_db()
    # Staff see the whole text, the number included.
    assert "Mit CPR-nummer er 120580-1234" in attachment.text
    assert attachment.text_status == "extracted"
    assert attachment.publication == Publication.HELD
    assert attachment.publication_note == "Mulige personoplysninger i bilaget: CPR-nummer."
    assert list(ResponseAttachment.objects.public()) == []
    assert held_events(response) == [
        {"actor": None, "actor_label": "systemet", "note": "Mulige personoplysninger i bilaget: CPR-nummer.",
         "details": {"attachment": "svar.pdf", "kinds": ["cpr"]}},
    ]  # fmt: skip


def test_a_docx_and_a_scanned_png_of_one_response_are_each_read(
    open_hearing, citizen, tmp_path, django_capture_on_commit_callbacks
):
    docx = files.docx_file(tmp_path / "brev.docx", CLEAN, header="Karen Borger, tlf. 22 33 44 55")
    png = files.scan_png(tmp_path / "scan.png", ["Vi ønsker flere cykelstier"], size=(1800, 300))
    response, [first, second] = submitted(
        open_hearing, citizen, django_capture_on_commit_callbacks, docx, png
    )
    first.refresh_from_db()
    second.refresh_from_db()
    # The phone number is in the letterhead.
    assert (first.publication, first.publication_note) == (
        Publication.HELD, "Mulige personoplysninger i bilaget: telefonnummer."
    )  # fmt: skip
    assert "cykelstier" in second.text and second.publication == Publication.PUBLIC
    assert [e["details"] for e in held_events(response)] == [{"attachment": "brev.docx", "kinds": ["phone"]}]


def test_a_name_with_personal_data_holds_a_clean_file(
    open_hearing, citizen, tmp_path, django_capture_on_commit_callbacks
):
    path = files.odt_file(tmp_path / "svar fra karen@example.dk.odt", CLEAN)
    response, [attachment] = submitted(open_hearing, citizen, django_capture_on_commit_callbacks, path)
    attachment.refresh_from_db()
    assert attachment.publication == Publication.HELD
    assert attachment.publication_note == "Mulige personoplysninger i bilaget: e-mailadresse."


def test_a_file_that_cannot_be_read_is_held_and_staff_see_why(
    open_hearing, citizen, tmp_path, django_capture_on_commit_callbacks
):
    source = files.text_pdf(tmp_path / "svar.pdf", CLEAN)
    locked = files.encrypted_pdf(tmp_path / "låst.pdf", source, user_password="hemmelig")
    response, [attachment] = submitted(open_hearing, citizen, django_capture_on_commit_callbacks, locked)
    attachment.refresh_from_db()
    problem = "Filen er krypteret med en adgangskode og kan ikke læses."
    assert (attachment.text_status, attachment.text_problem, attachment.text) == ("failed", problem, "")
    assert attachment.publication == Publication.HELD
    assert attachment.publication_note == f"Bilaget kunne ikke læses: {problem}"
    assert [e["details"] for e in held_events(response)] == [{"attachment": "låst.pdf", "kinds": []}]


def test_a_file_read_only_in_part_is_held(
    open_hearing, citizen, tmp_path, django_capture_on_commit_callbacks
):
    path = files.text_pdf(tmp_path / "lang.pdf", CLEAN, pages=201)
    _response, [attachment] = submitted(open_hearing, citizen, django_capture_on_commit_callbacks, path)
    attachment.refresh_from_db()
    assert attachment.text_status == "extracted"
    assert attachment.text_problem == "Kun de første 200 af 201 sider blev læst."
    assert attachment.publication == Publication.HELD
    assert (
        attachment.publication_note
        == "Bilaget er kun læst delvist: Kun de første 200 af 201 sider blev læst."
    )


def test_a_moderators_decision_is_never_overwritten(
    open_hearing, citizen, tmp_path, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        response = submit(open_hearing, citizen, files.text_pdf(tmp_path / "svar.pdf", WITH_CPR))
    attachment = response.attachments.get()
    # A moderator withheld it before it was read (another helper's service; here by hand).
    ResponseAttachment.objects.filter(pk=attachment.pk).update(
        publication=Publication.WITHHELD, publication_note="Ikke relevant for høringen."
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert extract_attachment_text(attachment.pk) == "read"
    attachment.refresh_from_db()
    assert "120580-1234" in attachment.text and attachment.text_status == "extracted"
    assert (attachment.publication, attachment.publication_note) == (
        Publication.WITHHELD, "Ikke relevant for høringen."
    )  # fmt: skip
    assert held_events(response) == []


def test_the_task_is_idempotent(open_hearing, citizen, tmp_path, django_capture_on_commit_callbacks):
    response, [attachment] = submitted(
        open_hearing,
        citizen,
        django_capture_on_commit_callbacks,
        files.text_pdf(tmp_path / "svar.pdf", WITH_CPR),
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert extract_attachment_text(attachment.pk) == "done"
    assert len(held_events(response)) == 1
    # A file replaced by a moderator is set to checking again, and read anew.
    ResponseAttachment.objects.filter(pk=attachment.pk).update(publication=Publication.CHECKING)
    with django_capture_on_commit_callbacks(execute=True):
        assert extract_attachment_text(attachment.pk) == "held"
    assert len(held_events(response)) == 2
    assert extract_attachment_text(attachment.pk + 1000) == "missing"


def test_a_file_replaced_while_it_was_read_is_left_to_the_replacements_run(
    open_hearing, citizen, tmp_path, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        response = submit(open_hearing, citizen, files.text_pdf(tmp_path / "svar.pdf", CLEAN))
    attachment = response.attachments.get()
    result = Extracted("gammel tekst", "extracted", "", 1, 0, complete=True)
    assert (
        reading.store(attachment_id=attachment.pk, file_name="attachments/other.pdf", result=result)
        == "replaced"
    )
    attachment.refresh_from_db()
    assert (attachment.text, attachment.text_status, attachment.publication) == (
        "",
        "pending",
        Publication.CHECKING,
    )


def test_a_run_stopped_by_the_time_limit_holds_the_file(
    open_hearing, citizen, tmp_path, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        response = submit(open_hearing, citizen, files.text_pdf(tmp_path / "svar.pdf", CLEAN))
    attachment = response.attachments.get()
    problem = "Læsningen af filen tog for lang tid og blev stoppet."
    assert reading.give_up(attachment_id=attachment.pk, problem=problem) == "held"
    attachment.refresh_from_db()
    assert (attachment.text_status, attachment.text_problem) == ("failed", problem)
    assert attachment.publication_note == f"Bilaget kunne ikke læses: {problem}"


def test_the_public_pages_and_documents_see_the_decision_and_the_analysis_hears_of_it(
    open_hearing, citizen, tmp_path, django_capture_on_commit_callbacks
):
    heard = []

    def listener(sender, attachment, **kwargs):
        heard.append((sender, attachment.pk, attachment.publication))

    attachment_text_read.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=False):
            response = submit(open_hearing, citizen, files.text_pdf(tmp_path / "svar.pdf", CLEAN))
        attachment = response.attachments.get()
        version = response_cache.current_version(open_hearing.pk)
        content_version = Hearing.objects.get(pk=open_hearing.pk).content_version
        with django_capture_on_commit_callbacks(execute=True):
            assert extract_attachment_text(attachment.pk) == "public"
    finally:
        attachment_text_read.disconnect(listener)
    # The cached response lists and hearing page are replaced, and the documents' fingerprint changes.
    assert response_cache.current_version(open_hearing.pk) != version
    assert Hearing.objects.get(pk=open_hearing.pk).content_version > content_version
    assert heard == [(ResponseAttachment, attachment.pk, Publication.PUBLIC)]


def test_nothing_is_read_before_the_submission_commits(
    open_hearing, citizen, tmp_path, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = submit(open_hearing, citizen, files.text_pdf(tmp_path / "svar.pdf", CLEAN))
    attachment = response.attachments.get()
    assert (attachment.text_status, attachment.publication) == ("pending", Publication.CHECKING)
    assert len(callbacks) >= 1
