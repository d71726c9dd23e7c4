"""An attachment read and checked (issue 15, items 1 and 3): its text extracted by ``guard.extraction``,
stored with it for staff, and its publication set from what the finders find in the text and the name.

Run by the task ``guard.tasks.extract_attachment_text`` after the response's commit, never in a request of
a real deployment (in the demo, whose tasks run in-process, after the commit of the citizen's request).

- Read, nothing sure found, the whole file read: ``publication = public``.
- A finding of high confidence (in the text or the file's name), a file that could not be read, or one
  read only in part (past a limit): ``publication = held``, with a note in Danish that says why, and an
  audit event ``ATTACHMENT_HELD`` (actor: the system).
- Only while the attachment is still ``checking``: a moderator's decision (withheld, released) is never
  overwritten. A file replaced while it was read is left to the run the replacement asks for.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from hearings.models import ResponseAttachment
from moderation.models import ModerationEvent
from moderation.services import record_event

from . import extraction, finders
from .models import kind_label
from .scanning import terms_of
from .signals import attachment_text_read

Publication = ResponseAttachment.Publication
TextStatus = ResponseAttachment.TextStatus


def _copy(attachment: ResponseAttachment, path: str) -> None:
    """The attachment's file copied to ``path``, from whatever storage holds it (at most 10 MB)."""
    with attachment.file.open("rb") as source, open(path, "wb") as copy:
        for chunk in source.chunks():
            copy.write(chunk)


def _kind_names(kinds: Sequence[str]) -> str:
    return ", ".join(kind_label(kind) for kind in kinds)


def _read(attachment: ResponseAttachment) -> extraction.Extracted:
    with tempfile.TemporaryDirectory(prefix="guard-attachment-") as folder:
        path = os.path.join(folder, f"bilag{attachment.extension}")
        try:
            _copy(attachment, path)
        except FileNotFoundError:
            return extraction.Extracted(
                "", "failed", "Filen findes ikke længere i portalens lager.", 0, 0, complete=False
            )
        return extraction.extract(path, attachment.kind)


def read_attachment(*, attachment_id: int, now: dt.datetime | None = None) -> str:
    """Extract the text of attachment ``attachment_id``, store it (``text``, ``text_status``,
    ``text_problem``, ``text_extracted_at``) and, while it is ``checking``, set its publication (public or
    held, see the module's docstring). Idempotent: an attachment already read and decided is left alone.
    Sends ``guard.signals.attachment_text_read`` once the change is committed.

    Returns what happened: "public", "held", "read" (text stored, publication not ours to change),
    "done" (nothing to do), "replaced" (the file changed while it was read) or "missing" (no such row)."""
    attachment = (
        ResponseAttachment.objects.select_related("response__hearing__strategy")
        .filter(pk=attachment_id)
        .first()
    )
    if attachment is None:
        return "missing"
    if attachment.publication != Publication.CHECKING and attachment.text_status != TextStatus.PENDING:
        return "done"
    file_name = attachment.file.name
    result = _read(attachment)
    return store(attachment_id=attachment_id, file_name=file_name, result=result, now=now)


def give_up(*, attachment_id: int, problem: str, now: dt.datetime | None = None) -> str:
    """Store attachment ``attachment_id`` as not readable, with ``problem`` (Danish), and hold it while it is
    ``checking``: for a run stopped by the task's time limit. Returns as ``read_attachment``."""
    file_name = ResponseAttachment.objects.filter(pk=attachment_id).values_list("file", flat=True).first()
    if file_name is None:
        return "missing"
    failed = extraction.Extracted("", "failed", problem, 0, 0, complete=False)
    return store(attachment_id=attachment_id, file_name=file_name, result=failed, now=now)


def store(
    *, attachment_id: int, file_name: str, result: extraction.Extracted, now: dt.datetime | None = None
) -> str:
    """Store ``result`` as the text of attachment ``attachment_id`` (whose file was ``file_name`` when it
    was read) and decide its publication while it is ``checking``. See ``read_attachment``."""
    now = now or timezone.now()
    with transaction.atomic():
        attachment = (
            ResponseAttachment.objects.select_for_update()
            .select_related("response__hearing__strategy")
            .filter(pk=attachment_id)
            .first()
        )
        if attachment is None:
            return "missing"
        if attachment.file.name != file_name:
            return "replaced"
        attachment.text = result.text
        attachment.text_status = TextStatus.EXTRACTED if result.status == "extracted" else TextStatus.FAILED
        attachment.text_problem = result.problem
        attachment.text_extracted_at = now
        text_fields = ["text", "text_status", "text_problem", "text_extracted_at"]
        if attachment.publication != Publication.CHECKING:
            # Staff's text only: nothing a reader sees changes, so no signal (no cache or PDF is renewed).
            ResponseAttachment.objects.filter(pk=attachment.pk).update(
                **{field: getattr(attachment, field) for field in text_fields}
            )
            outcome = "read"
        else:
            terms = terms_of(attachment.response.hearing)
            found = finders.find(result.text, terms) + finders.find(attachment.original_name, terms)
            kinds = sorted({f.kind for f in found if f.confidence == "high"}, key=finders.KINDS.index)
            if kinds:
                note = f"Mulige personoplysninger i bilaget: {_kind_names(kinds)}."
            elif result.status == "failed":
                note = f"Bilaget kunne ikke læses: {result.problem}"
            elif not result.complete:
                note = f"Bilaget er kun læst delvist: {result.problem}"
            else:
                note = ""
            attachment.publication = Publication.HELD if note else Publication.PUBLIC
            attachment.publication_note = note
            # save(): the response lists, the hearing page and the PDFs follow an attachment's post_save
            # (hearings.response_cache, documents.receivers), so a file made public shows at once.
            attachment.save(update_fields=[*text_fields, "publication", "publication_note"])
            outcome = attachment.publication
            if note:
                record_event(
                    action=ModerationEvent.Action.ATTACHMENT_HELD,
                    response=attachment.response,
                    note=note,
                    details={"attachment": attachment.original_name, "kinds": kinds},
                    now=now,
                )
        transaction.on_commit(
            lambda: attachment_text_read.send(sender=ResponseAttachment, attachment=attachment)
        )
    return str(outcome)
