"""The guard's listeners: a response submitted or edited is scanned in the same transaction (its Review),
and each attachment of a submitted response is read and checked after the commit (guard.tasks)."""

from typing import Any

from hearings.models import Response
from hearings.signals import response_changed
from portal.queue import enqueue_on_commit

from . import scanning, tasks


def review_after_change(sender: Any, *, response: Response, action: str, **kwargs: Any) -> None:
    if action in ("submitted", "edited"):
        scanning.review_response(response, now=kwargs.get("now"))


def read_attachments_after_submission(sender: Any, *, response: Response, action: str, **kwargs: Any) -> None:
    # Attachments come only with a submission (an edit changes the text and the names, not the files).
    if action == "submitted":
        for attachment_id in response.attachments.values_list("pk", flat=True):
            enqueue_on_commit(tasks.extract_attachment_text, attachment_id)


def connect() -> None:
    """Called once from ``GuardConfig.ready()``."""
    response_changed.connect(review_after_change, weak=False, dispatch_uid="guard-review")
    response_changed.connect(
        read_attachments_after_submission, weak=False, dispatch_uid="guard-read-attachments"
    )
