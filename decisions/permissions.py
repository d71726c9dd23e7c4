"""Who may record and publish a hearing's decision: the editors of the hearing's municipality (and the
platform operator), once the hearing has closed. Anyone else of the municipality's staff is refused with a
reason; staff of another municipality never see the hearing (the views answer 404)."""

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _

from accounts import rules
from hearings.models import Hearing


def may_edit_decisions(user: Any, hearing: Hearing) -> bool:
    """Whether ``user`` is an editor of ``hearing``'s municipality (or the operator), whatever the date."""
    return rules.has_role(user, hearing.municipality_id, rules.EDITOR)


def can_record_decision(user: Any, hearing: Hearing, now: dt.datetime | None = None) -> rules.Decision:
    """May ``user`` record (and correct, and publish) the decision on ``hearing`` now? A yes, or a no with a
    Danish reason (``code``: "role" for someone who is not an editor there, "open" before the hearing
    closed)."""
    if not may_edit_decisions(user, hearing):
        return rules.Decision(
            False, _("Kun kommunens redaktører kan registrere beslutningen om høringen."), "role"
        )
    if hearing.state(now) != Hearing.State.CLOSED:
        return rules.Decision(
            False,
            _("Beslutningen kan først registreres, når høringen er lukket."),
            "open",
        )
    return rules.ALLOWED
