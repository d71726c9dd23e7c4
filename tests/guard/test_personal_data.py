"""The guard's part of a citizen's rights over their data (accounts.personal_data): the text a moderator
redacted from their response is theirs, so 'download my data' holds it; deleting the account takes it, and
the files a moderator replaced, with it, while the published response keeps its redacted text."""

import json
import os

import pytest
from django.urls import reverse

from accounts.personal_data import delete_account
from guard import services
from guard.models import REDACTION_MARKER, AttachmentOriginal, Redaction
from moderation import services as moderation
from tests.helpers import pdf_bytes

from .attachment_factories import attach
from .test_redaction import CPR, TEXT, held_response, spans_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _own_media_root(media_root):
    """Files in a folder of the test's own."""


@pytest.fixture
def redacted(open_hearing, citizen, moderator):
    response = held_response(open_hearing, citizen)
    services.redact_response(
        response=response,
        actor=moderator,
        parts=[services.RedactionPart("text", spans_of(TEXT, "cpr"), "cpr")],
    )
    moderation.moderate(response=response, actor=moderator, action="published")
    response.refresh_from_db()
    return response


def test_the_download_holds_the_text_before_redaction(client, citizen, redacted):
    client.force_login(citizen)
    data = json.loads(client.get(reverse("accounts:data_download")).content)
    [row] = data["udeladelser"]
    assert (row["høringssvar_nummer"], row["felt"], row["begrundelse"]) == (
        redacted.number,
        "tekst",
        "CPR-nummer",
    )
    assert row["oprindelig_tekst"] == TEXT and CPR in row["oprindelig_tekst"]


def test_deleting_the_account_takes_the_originals_and_replaced_files_and_keeps_the_redacted_record(
    citizen, redacted, moderator, django_capture_on_commit_callbacks, media_root
):
    attachment = attach(redacted, "brev.pdf", content=pdf_bytes("original"))
    original = AttachmentOriginal.objects.create(
        attachment=attachment, file=attachment.file.name, original_name="brev.pdf", kind="pdf", size=10,
        actor=moderator, replaced_at=redacted.published_at,
    )  # fmt: skip
    original_path = original.file.path
    with django_capture_on_commit_callbacks(execute=True):
        delete_account(user=citizen)
    [redaction] = Redaction.objects.all()
    assert (redaction.original, redaction.original_removed_at is not None) == ("", True)
    assert not AttachmentOriginal.objects.exists()
    assert not os.path.exists(original_path)
    redacted.refresh_from_db()
    assert redacted.status == "published" and REDACTION_MARKER in redacted.text and CPR not in redacted.text
