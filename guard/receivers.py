"""The guard's listeners: a response submitted or edited is scanned in the same transaction (its Review);
a hearing's personal data removed on its removal date takes the unredacted originals with it."""

import datetime as dt
from typing import Any

from hearings.models import Hearing, Response
from hearings.signals import personal_data_removed, response_changed

from . import scanning
from .models import Redaction


def review_after_change(sender: Any, *, response: Response, action: str, **kwargs: Any) -> None:
    if action in ("submitted", "edited"):
        scanning.review_response(response, now=kwargs.get("now"))


def remove_redaction_originals(sender: Any, *, hearing: Hearing, now: dt.datetime, **kwargs: Any) -> int:
    """The values before redaction of ``hearing``'s responses (``Redaction.original``): emptied, with the
    time (``original_removed_at``); what was redacted, why, by whom and when stays. Returns how many."""
    return Redaction.objects.filter(response__hearing=hearing, original_removed_at__isnull=True).update(
        original="", original_removed_at=now
    )


def connect() -> None:
    """Called once from ``GuardConfig.ready()``."""
    response_changed.connect(review_after_change, weak=False, dispatch_uid="guard-review")
    personal_data_removed.connect(
        remove_redaction_originals, weak=False, dispatch_uid="guard-remove-redaction-originals"
    )
