"""The guard's listeners: a response submitted or edited is scanned in the same transaction (its Review),
and a response a moderator publishes is cleared (its findings were looked at)."""

from typing import Any

from hearings.models import Response
from hearings.signals import response_changed
from moderation.models import ModerationEvent
from moderation.signals import response_decided

from . import scanning
from .models import Review


def review_after_change(sender: Any, *, response: Response, action: str, **kwargs: Any) -> None:
    if action in ("submitted", "edited"):
        scanning.review_response(response, now=kwargs.get("now"))


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
    response_decided.connect(clear_after_publication, weak=False, dispatch_uid="guard-clear")
