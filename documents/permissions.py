"""Who may download which document of a hearing."""

import datetime as dt

from accounts import rules
from hearings.models import Hearing


def may_download_document(user, hearing: Hearing, kind: str, now: dt.datetime | None = None) -> bool:
    """The hearing proposal is public. The hearing summary: the municipality's council members and staff
    at any time (a draft while the hearing is open); everyone once staff published it after closing."""
    if kind == "proposal":
        return True
    if rules.has_role(user, hearing.strategy.municipality_id, rules.COUNCIL, rules.MODERATOR, rules.EDITOR):
        return True
    return hearing.summary_published_at is not None and hearing.state(now) == Hearing.State.CLOSED


def may_download_archive(user, hearing: Hearing) -> bool:
    """The archive for the journal system (every published response as received, with names and the
    attachments withheld from the public): the municipality's moderators, editors and council members
    and the operator, the people who see the hearing's staff pages."""
    return bool(rules.may_see_hearing_staff_pages(user, hearing))
