"""The audit log's listeners: the changes other apps make, recorded in the same transaction as the change
(a Django signal's receivers run synchronously, inside the sender's transaction)."""

from typing import Any

from django.db.models.signals import post_delete, post_save

from accounts.signals import role_changed
from hearings import response_cache
from hearings.signals import remarks_released, response_changed, summary_published

from . import services
from .models import ModerationEvent, Remark

Action = ModerationEvent.Action


def record_response_change(
    sender: Any, *, response, action: str, actor, status_before: str, now, **kwargs: Any
) -> None:
    services.record_event(
        action=action, response=response, actor=actor, status_before=status_before,
        status_after=response.status, now=now,
    )  # fmt: skip


def record_summary_published(sender: Any, *, hearing, actor, now, **kwargs: Any) -> None:
    services.record_event(action=Action.SUMMARY_PUBLISHED, hearing=hearing, actor=actor, now=now)


def record_remarks_released(sender: Any, *, hearing, actor, now, **kwargs: Any) -> None:
    services.record_event(action=Action.REMARKS_RELEASED, hearing=hearing, actor=actor, now=now)


def record_role_change(sender: Any, *, staff_role, actor, action: str, **kwargs: Any) -> None:
    services.record_event(
        action=Action.ROLE_GRANTED if action == "granted" else Action.ROLE_REVOKED,
        actor=actor,
        municipality_id=staff_role.municipality_id,
        details={"user": staff_role.user.email, "role": staff_role.role},
    )


def connect() -> None:
    """Called once from ``ModerationConfig.ready()``."""
    response_changed.connect(record_response_change, weak=False, dispatch_uid="moderation-log-response")
    summary_published.connect(record_summary_published, weak=False, dispatch_uid="moderation-log-summary")
    remarks_released.connect(record_remarks_released, weak=False, dispatch_uid="moderation-log-release")
    role_changed.connect(record_role_change, weak=False, dispatch_uid="moderation-log-role")
    # A remark is shown with its response in the public list: the list's cache is made anew.
    uid = "hearings.response_cache:moderation.Remark"
    post_save.connect(response_cache.part_of_response_changed, sender=Remark, dispatch_uid=uid)
    post_delete.connect(response_cache.part_of_response_changed, sender=Remark, dispatch_uid=uid)
