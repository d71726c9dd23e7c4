"""The guard's listeners: a response submitted or edited is scanned in the same transaction (its Review);
each attachment of a submitted response is read and checked after the commit (guard.tasks); a hearing's
personal data removed on its removal date takes the unredacted originals with it."""

import datetime as dt
from typing import Any

from hearings.models import Hearing, Response
from hearings.signals import personal_data_removed, response_changed
from portal.queue import enqueue_on_commit

from . import scanning, tasks
from .models import Redaction


def review_after_change(sender: Any, *, response: Response, action: str, **kwargs: Any) -> None:
    if action in ("submitted", "edited"):
        scanning.review_response(response, now=kwargs.get("now"))


def read_attachments_after_submission(sender: Any, *, response: Response, action: str, **kwargs: Any) -> None:
    # Attachments come only with a submission (an edit changes the text and the names, not the files).
    if action == "submitted":
        for attachment_id in response.attachments.values_list("pk", flat=True):
            enqueue_on_commit(tasks.extract_attachment_text, attachment_id)


def remove_redaction_originals(sender: Any, *, hearing: Hearing, now: dt.datetime, **kwargs: Any) -> int:
    """The values before redaction of ``hearing``'s responses (``Redaction.original``): emptied, with the
    time (``original_removed_at``); what was redacted, why, by whom and when stays. Returns how many."""
    return Redaction.objects.filter(response__hearing=hearing, original_removed_at__isnull=True).update(
        original="", original_removed_at=now
    )


def connect() -> None:
    """Called once from ``GuardConfig.ready()``."""
    response_changed.connect(review_after_change, weak=False, dispatch_uid="guard-review")
    response_changed.connect(
        read_attachments_after_submission, weak=False, dispatch_uid="guard-read-attachments"
    )
    personal_data_removed.connect(
        remove_redaction_originals, weak=False, dispatch_uid="guard-remove-redaction-originals"
    )
