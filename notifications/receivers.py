"""The e-mails that follow other apps' changes, enqueued once the change is committed."""

from typing import Any

from hearings.models import Response
from hearings.signals import remarks_released, response_changed
from moderation.signals import response_moderated
from portal.queue import enqueue_on_commit

from . import tasks


def mail_after_response_change(sender: Any, *, response: Response, action: str, **kwargs: Any) -> None:
    """A submission gets its receipt; a response that now waits for moderation wakes the moderators
    (at most once an hour per hearing, tasks.notify_moderators)."""
    if action == "submitted":
        enqueue_on_commit(tasks.send_response_receipt, response.pk)
    if action in ("submitted", "edited") and response.status == Response.Status.PENDING:
        enqueue_on_commit(tasks.notify_moderators, response.hearing_id)


def mail_moderation_notice(sender: Any, *, event, **kwargs: Any) -> None:
    enqueue_on_commit(tasks.send_moderation_notice, event.pk)


def mail_remarks_released(sender: Any, *, hearing, **kwargs: Any) -> None:
    """Each author of a published response is written to once (tasks.send_remarks_released)."""
    enqueue_on_commit(tasks.send_remarks_released, hearing.pk)


def connect() -> None:
    """Called once from ``NotificationsConfig.ready()``."""
    response_changed.connect(mail_after_response_change, weak=False, dispatch_uid="notifications-response")
    response_moderated.connect(mail_moderation_notice, weak=False, dispatch_uid="notifications-moderated")
    remarks_released.connect(mail_remarks_released, weak=False, dispatch_uid="notifications-remarks-released")
