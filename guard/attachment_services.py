"""What moderators do with an attachment that may hold personal data (issue 15, item 4): withhold it from
publication with a reason, release it, or replace it with a version with redactions that they upload.

Each function is keyword-only, checks that ``actor`` may moderate the attachment's hearing (else
``PermissionDenied``, which the views answer with a 404), validates before it saves (``ValidationError``
in Danish, by field: ``reason``, ``file``), runs in one transaction, and records an audit event
(``ModerationEvent``: ATTACHMENT_WITHHELD, ATTACHMENT_RELEASED, ATTACHMENT_REPLACED) whose details name
the attachment and its kind, never its content. The attachment is saved with ``save()``, so the public
response lists and hearing page (``hearings.response_cache``: a new version, and the hearing's
``content_version``, from which the documents' fingerprint is made) and the summary's parts
(``documents.receivers``) follow at once. Withholding and replacing tell the author by e-mail
(``moderation.signals.response_moderated``; ``templates/notifications/email/moderation_*``).

What the public sees of each ``publication``: ``hearings.selectors.check_attachment_names`` and
``templates/hearings/includes/response_item.html``. A public attachment with a ``publication_note`` is one
a moderator replaced: the note is the reason, shown to its author.
"""

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import rules
from hearings.attachments import attachment_kind, safe_file_name
from hearings.models import ResponseAttachment
from hearings.submission import discard_stored_files_on_failure, stored
from moderation.models import MODERATION_NOTE_MAX_LENGTH, ModerationEvent
from moderation.services import AlreadyDone, record_event
from moderation.signals import response_moderated
from portal.queue import enqueue_on_commit
from portal.text import normalise_text

from . import tasks
from .models import AttachmentOriginal

if TYPE_CHECKING:
    from accounts.models import User

Publication = ResponseAttachment.Publication
Action = ModerationEvent.Action


def _locked(attachment: ResponseAttachment, actor: "User") -> ResponseAttachment:
    """The attachment's row, locked for the transaction, with its response and hearing; PermissionDenied
    unless ``actor`` moderates the hearing's municipality."""
    locked = (
        ResponseAttachment.objects.select_for_update(of=("self",))
        .select_related("response__hearing__strategy")
        .get(pk=attachment.pk)
    )
    if not rules.may_moderate(actor, locked.response.hearing):
        raise PermissionDenied
    return locked


def _reason(reason: str, *, missing: str) -> str:
    reason = normalise_text(reason or "").strip()
    if not reason:
        raise ValidationError({"reason": missing})
    if len(reason) > MODERATION_NOTE_MAX_LENGTH:
        raise ValidationError(
            {
                "reason": _("Begrundelsen må højst være %(max)s tegn; den er %(length)s.")
                % {"max": MODERATION_NOTE_MAX_LENGTH, "length": len(reason)}
            }
        )
    return reason


def _record(
    action: str, attachment: ResponseAttachment, actor: "User", *, note: str = "", now: dt.datetime,
    **details: str | int,
) -> ModerationEvent:  # fmt: skip
    return record_event(
        action=action,
        response=attachment.response,
        actor=actor,
        note=note,
        details={"attachment": attachment.original_name, "kind": attachment.kind,
                 "attachment_id": attachment.pk, **details},
        now=now,
    )  # fmt: skip


def _tell_author(event: ModerationEvent, attachment: ResponseAttachment) -> None:
    if attachment.response.author_id:
        response_moderated.send(sender=ModerationEvent, event=event)


@transaction.atomic
def withhold_attachment(
    *, attachment: ResponseAttachment, actor: "User", reason: str, now: dt.datetime | None = None
) -> ResponseAttachment:
    """Withhold ``attachment`` from publication: its name (unless the name itself holds personal data) and
    the fact are shown with the response, the file never, to anyone but its author and staff. ``reason``
    (required, at most MODERATION_NOTE_MAX_LENGTH characters) is kept as ``publication_note``, written in
    the event's note and e-mailed to the author. Applies in every publication state; the same reason
    again for a withheld attachment raises ``AlreadyDone`` (a double click: nothing logged or sent).
    Returns the attachment as saved."""
    now = now or timezone.now()
    attachment = _locked(attachment, actor)
    reason = _reason(
        reason, missing=_("Skriv hvorfor bilaget ikke offentliggøres; afsenderen får det at vide.")
    )
    if attachment.publication == Publication.WITHHELD and attachment.publication_note == reason:
        raise AlreadyDone(
            _("Bilaget %(name)s er allerede markeret som ikke offentliggjort med den begrundelse.")
            % {"name": attachment.original_name}
        )
    before = attachment.publication
    attachment.publication = Publication.WITHHELD
    attachment.publication_note = reason
    attachment.save(update_fields=["publication", "publication_note"])
    event = _record(Action.ATTACHMENT_WITHHELD, attachment, actor, note=reason, now=now, before=before)
    _tell_author(event, attachment)
    return attachment


@transaction.atomic
def release_attachment(
    *, attachment: ResponseAttachment, actor: "User", now: dt.datetime | None = None
) -> ResponseAttachment:
    """Publish ``attachment`` (being checked, held or withheld): its file is shown with the response when
    the response is published. A release while the text is still being read stands: the reading task
    changes the publication only while it is ``checking``. ``publication_note`` is emptied. A public
    attachment raises ``AlreadyDone``. The author is not e-mailed (nothing was taken from them)."""
    now = now or timezone.now()
    attachment = _locked(attachment, actor)
    if attachment.publication == Publication.PUBLIC:
        raise AlreadyDone(
            _("Bilaget %(name)s er allerede offentliggjort.") % {"name": attachment.original_name}
        )
    before = attachment.publication
    attachment.publication = Publication.PUBLIC
    attachment.publication_note = ""
    attachment.save(update_fields=["publication", "publication_note"])
    _record(Action.ATTACHMENT_RELEASED, attachment, actor, now=now, before=before)
    return attachment


@discard_stored_files_on_failure
@transaction.atomic
def replace_attachment(
    *, attachment: ResponseAttachment, actor: "User", upload: UploadedFile, reason: str,
    now: dt.datetime | None = None,
) -> ResponseAttachment:  # fmt: skip
    """Replace ``attachment``'s file with ``upload``, a version with redactions the moderator made, and
    publish it. ``upload`` is checked as a citizen's file is (``hearings.attachments.attachment_kind``:
    type by content, at most 10 MB; errors under ``file``); ``reason`` as for ``withhold_attachment``.

    The file the citizen sent moves to ``guard.models.AttachmentOriginal`` for staff (kept there until the
    hearing's personal data is removed); a second replacement keeps that first original and deletes the
    earlier redacted version after the commit. The attachment takes the upload's name (made safe), kind
    and size, ``publication = public`` (a moderator made it) with the reason as ``publication_note``, and
    its text is read again after the commit (``guard.tasks.extract_attachment_text``). If the transaction fails, the new file is deleted."""
    now = now or timezone.now()
    attachment = _locked(attachment, actor)
    reason = _reason(reason, missing=_("Skriv hvad der er udeladt og hvorfor; afsenderen får det at vide."))
    try:
        kind = attachment_kind(upload)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error
    old = {"attachment": attachment.original_name, "kind": attachment.kind}
    superseded = ""
    if AttachmentOriginal.objects.filter(attachment=attachment).exists():
        superseded = attachment.file.name  # an earlier redacted version, nobody's original
    else:
        AttachmentOriginal.objects.create(
            attachment=attachment, file=attachment.file.name, original_name=attachment.original_name,
            kind=attachment.kind, size=attachment.size, text=attachment.text, actor=actor, replaced_at=now,
        )  # fmt: skip
    attachment.kind = kind  # before the file is saved: its stored name takes the checked type's extension
    attachment.original_name = safe_file_name(upload.name)
    attachment.file.save(attachment.original_name, upload, save=False)
    stored(attachment.file)
    attachment.size = upload.size or 0
    attachment.publication = Publication.PUBLIC
    attachment.publication_note = reason
    attachment.text = ""
    attachment.text_status = ResponseAttachment.TextStatus.PENDING
    attachment.text_problem = ""
    attachment.text_extracted_at = None
    attachment.save()
    # The redacted version's text is read as any attachment's is (for staff, search and campaigns); the
    # task leaves the moderator's publication as it is.
    enqueue_on_commit(tasks.extract_attachment_text, attachment.pk)
    if superseded:
        storage = attachment.file.storage
        transaction.on_commit(lambda: storage.delete(superseded))
    event = record_event(
        action=Action.ATTACHMENT_REPLACED, response=attachment.response, actor=actor, note=reason,
        details={**old, "attachment_id": attachment.pk, "new_name": attachment.original_name, "new_kind": kind},
        now=now,
    )  # fmt: skip
    _tell_author(event, attachment)
    return attachment
