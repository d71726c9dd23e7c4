"""Who may do what with hearings and responses: one predicate per question, used by views,
templates and tests alike. Each returns a ``Decision``: allowed or not, and why not in Danish."""

import datetime as dt
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from .models import Hearing, Response


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str = ""
    code: str = ""

    def __bool__(self) -> bool:
        return self.allowed


ALLOWED = Decision(True)


def has_verified_email(user) -> bool:
    return bool(
        user.is_authenticated
        and EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True).exists()
    )


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


def can_download_attachment(user, response: Response) -> bool:
    if response.personal_data_removed_at:
        return False
    if response.status == Response.Status.PUBLISHED:
        return True
    return user.is_authenticated and response.author_id == user.pk


# --- Staff --------------------------------------------------------------------------------------
# Every staff page, action and download asks one of these; each is scoped to the municipality of the
# hearing (a moderator of Billund can do nothing to Vallensbæk's). The platform operator may do all.

EDITOR, MODERATOR, COUNCIL = "editor", "moderator", "council"


def staff_roles(user) -> dict[int, frozenset[str]]:
    """{municipality id: roles} of ``user``, read once per request and kept on the user object."""
    if not user.is_authenticated or not user.is_active:
        return {}
    cached = getattr(user, "_staff_roles_cache", None)
    if cached is None:
        from accounts.models import StaffRole

        found: dict[int, set[str]] = {}
        for municipality_id, role in StaffRole.objects.filter(user=user).values_list(
            "municipality_id", "role"
        ):
            found.setdefault(municipality_id, set()).add(role)
        cached = {municipality_id: frozenset(roles) for municipality_id, roles in found.items()}
        user._staff_roles_cache = cached
    return cached


def is_operator(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_superuser)


def has_role(user, municipality_id: int, *roles: str) -> bool:
    return is_operator(user) or bool(staff_roles(user).get(municipality_id, frozenset()) & set(roles))


def municipality_ids_with(user, *roles: str) -> set[int] | None:
    """The municipalities where ``user`` holds one of ``roles``; None means all (the operator)."""
    if is_operator(user):
        return None
    return {m for m, held in staff_roles(user).items() if held & set(roles)}


def is_staff_member(user) -> bool:
    return is_operator(user) or bool(staff_roles(user))


def may_moderate(user, hearing: Hearing) -> bool:
    return has_role(user, hearing.strategy.municipality_id, MODERATOR)


def may_remark(user, hearing: Hearing) -> bool:
    return has_role(user, hearing.strategy.municipality_id, MODERATOR, EDITOR)


def may_see_hearing_staff_pages(user, hearing: Hearing) -> bool:
    return has_role(user, hearing.strategy.municipality_id, MODERATOR, EDITOR, COUNCIL)


def may_export_responses(user, hearing: Hearing) -> bool:
    """Download every response of the hearing (all statuses, with names) as XLSX or CSV: the
    municipality's moderators, editors and council members, who see the same on the staff pages."""
    return has_role(user, hearing.strategy.municipality_id, MODERATOR, EDITOR, COUNCIL)


def can_flag(user, response: Response) -> Decision:
    if not user.is_authenticated:
        return Decision(False, _("Log ind for at anmelde et høringssvar."), "anonymous")
    if not has_verified_email(user):
        return Decision(False, _("Bekræft din e-mailadresse, før du anmelder et høringssvar."), "unverified")
    if response.status != Response.Status.PUBLISHED:
        return Decision(False, _("Kun offentliggjorte høringssvar kan anmeldes."), "not_published")
    if response.author_id == user.pk:
        return Decision(False, _("Du kan ikke anmelde dit eget høringssvar."), "own")
    if response.flags.filter(user=user).exists():
        return Decision(False, _("Du har allerede anmeldt dette høringssvar."), "already")
    return ALLOWED


def may_download_document(user, hearing: Hearing, kind: str, now: dt.datetime | None = None) -> bool:
    """The hearing proposal is public. The hearing summary: the municipality's council members and staff
    at any time (a draft while the hearing is open); everyone once staff published it after closing."""
    if kind == "proposal":
        return True
    if has_role(user, hearing.strategy.municipality_id, COUNCIL, MODERATOR, EDITOR):
        return True
    return hearing.summary_published_at is not None and hearing.state(now) == Hearing.State.CLOSED


def can_follow(user, hearing: Hearing) -> Decision:
    """Follow a hearing by e-mail: a signed-in user with a verified address (the e-mails go there)."""
    if not user.is_authenticated:
        return Decision(False, _("Log ind for at følge høringen."), "anonymous")
    if not user.is_active:
        return Decision(False, _("Din konto er spærret."), "inactive")
    if not has_verified_email(user):
        return Decision(False, _("Bekræft din e-mailadresse, før du følger en høring."), "unverified")
    return ALLOWED
