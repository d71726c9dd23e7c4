"""The guard's listeners: a response submitted or edited is scanned in the same transaction (its Review);
each attachment of a submitted response is read and checked after the commit (guard.tasks); a response a
moderator publishes is cleared (its findings were looked at); a hearing's personal data removed on its
removal date takes the unredacted originals with it."""

import datetime as dt
from typing import Any

from hearings.models import Hearing, Response
from hearings.signals import personal_data_removed, response_changed
from moderation.models import ModerationEvent
from moderation.signals import response_decided
from portal.queue import enqueue_on_commit

from . import scanning, tasks
from .models import Redaction, Review


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


def clear_after_publication(sender: Any, *, event: ModerationEvent, **kwargs: Any) -> None:
    """A moderator published a response (or restored it to published, from the queue or its page): its
    Review is cleared, by that moderator, then, so it leaves the queue's "Personoplysninger" until a new
    scan finds more. The audit log has the decision itself."""
    if event.status_after != Response.Status.PUBLISHED or event.actor_id is None or event.response_id is None:
        return
    Review.objects.filter(response_id=event.response_id, cleared_at__isnull=True).update(
        cleared_at=event.created_at, cleared_by_id=event.actor_id
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
    response_decided.connect(clear_after_publication, weak=False, dispatch_uid="guard-clear")
