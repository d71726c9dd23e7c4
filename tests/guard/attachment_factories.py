"""Attachments in each state of the guard, written straight to the database with a real file."""

from django.core.files.base import ContentFile

from hearings.models import ResponseAttachment
from tests.helpers import pdf_bytes


def attach(response, name="plan.pdf", publication="public", note="", content=None, text="", kind="pdf"):
    """An attachment of ``response`` with a stored file (``content``, a small PDF by default)."""
    content = content if content is not None else pdf_bytes(name)
    attachment = ResponseAttachment(
        response=response, original_name=name, kind=kind, size=len(content), publication=publication,
        publication_note=note, text=text, text_status="extracted" if text else "pending",
    )  # fmt: skip
    attachment.file.save("ignored", ContentFile(content), save=False)
    attachment.save()
    return attachment


def downloaded(answer) -> bytes:
    return b"".join(answer.streaming_content)
