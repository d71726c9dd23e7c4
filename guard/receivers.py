"""The guard's listeners: a response submitted or edited is scanned in the same transaction (its Review)."""

from typing import Any

from hearings.models import Response
from hearings.signals import response_changed

from . import scanning


def review_after_change(sender: Any, *, response: Response, action: str, **kwargs: Any) -> None:
    if action in ("submitted", "edited"):
        scanning.review_response(response, now=kwargs.get("now"))


def connect() -> None:
    """Called once from ``GuardConfig.ready()``."""
    response_changed.connect(review_after_change, weak=False, dispatch_uid="guard-review")
