"""What a citizen may do with hearings and responses: one predicate per question, used by views, templates
and tests alike. Each returns a ``Decision`` (accounts.rules): allowed or not, and why not in Danish.
The staff roles' predicates are in accounts.rules."""

import datetime as dt

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts.rules import ALLOWED, Decision, has_verified_email

from .models import Hearing, Response, ResponseAttachment


def hearing_accepts_responses(hearing: Hearing, now: dt.datetime | None = None) -> Decision:
    now = now or timezone.now()
    state = hearing.state(now)
    if state == Hearing.State.UPCOMING:
        when = formats.date_format(timezone.localtime(hearing.opens_at), "DATETIME_FORMAT")
        return Decision(
            False, _("Høringen er ikke åbnet endnu. Den åbner %(when)s.") % {"when": when}, "upcoming"
        )
    if state == Hearing.State.CLOSED:
        when = formats.date_format(timezone.localtime(hearing.closes_at), "DATETIME_FORMAT")
        return Decision(
            False,
            _("Høringen lukkede %(when)s. Der kan ikke længere sendes høringssvar.") % {"when": when},
            "closed",
        )
    return ALLOWED


def can_respond(user, hearing: Hearing, now: dt.datetime | None = None) -> Decision:
    open_ = hearing_accepts_responses(hearing, now)
    if not open_:
        return open_
    if not user.is_authenticated:
        return Decision(False, _("Log ind for at sende et høringssvar."), "anonymous")
    if not user.is_active:
        return Decision(False, _("Din konto er spærret."), "inactive")
    if not has_verified_email(user):
        return Decision(False, _("Bekræft din e-mailadresse, før du sender et høringssvar."), "unverified")
    return ALLOWED


def can_change_own_response(user, response: Response, now: dt.datetime | None = None) -> Decision:
    """Edit or withdraw: only the author, only while the hearing is open, only a live response."""
    if not user.is_authenticated or response.author_id != user.pk:
        return Decision(False, _("Du kan kun ændre dine egne høringssvar."), "not_author")
    if response.status in (Response.Status.WITHDRAWN, Response.Status.REJECTED, Response.Status.HIDDEN):
        return Decision(
            False,
            _("Høringssvaret er %(status)s og kan ikke ændres.")
            % {"status": response.get_status_display().lower()},
            "final",
        )
    return hearing_accepts_responses(response.hearing, now)


def can_download_attachment(user, attachment: ResponseAttachment) -> bool:
    """The public download of an attachment: its author's own file always (whatever the guard decided),
    anyone else's only when the response is published and the file is public (``publication``; a file
    being checked, held or withheld is never served here: staff download it from their own pages). None
    after the hearing's personal data was removed. ``attachment.response`` should be selected with it."""
    response = attachment.response
    if response.personal_data_removed_at:
        return False
    if user.is_authenticated and response.author_id == user.pk:
        return True
    return (
        response.status == Response.Status.PUBLISHED
        and attachment.publication == ResponseAttachment.Publication.PUBLIC
    )
