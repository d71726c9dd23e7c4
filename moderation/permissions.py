"""Who may flag a published response (the staff's predicates are in accounts.rules)."""

from django.utils.translation import gettext as _

from accounts.rules import ALLOWED, Decision, has_verified_email
from hearings.models import Response


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
