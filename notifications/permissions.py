"""Who may follow a hearing by e-mail."""

from django.utils.translation import gettext as _

from accounts.rules import ALLOWED, Decision, has_verified_email
from hearings.models import Hearing


def can_follow(user, hearing: Hearing) -> Decision:
    """Follow a hearing by e-mail: a signed-in user with a verified address (the e-mails go there)."""
    if not user.is_authenticated:
        return Decision(False, _("Log ind for at følge høringen."), "anonymous")
    if not user.is_active:
        return Decision(False, _("Din konto er spærret."), "inactive")
    if not has_verified_email(user):
        return Decision(False, _("Bekræft din e-mailadresse, før du følger en høring."), "unverified")
    return ALLOWED
