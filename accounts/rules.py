"""Who holds which staff role where, as django-rules predicates, and the ``Decision`` that carries a
Danish reason for a citizen's "no".

Every staff page, action and download asks one of these; each is scoped to the municipality of the object
asked about (a moderator of Billund can do nothing to Vallensbæk's). The platform operator (an active
superuser) may do all. A scoped object is anything with a ``municipality_id``
(``hearings.Hearing`` has it as a property).
"""

from dataclasses import dataclass
from typing import Any, Protocol

import rules
from allauth.account.models import EmailAddress

from .models import StaffRole

EDITOR, MODERATOR, COUNCIL = StaffRole.Role.EDITOR, StaffRole.Role.MODERATOR, StaffRole.Role.COUNCIL


@dataclass(frozen=True)
class Decision:
    """A yes or a no with a reason in Danish (``reason``, shown to the citizen) and a stable ``code``."""

    allowed: bool
    reason: str = ""
    code: str = ""

    def __bool__(self) -> bool:
        return self.allowed


ALLOWED = Decision(True)


class Scoped(Protocol):
    @property
    def municipality_id(self) -> int: ...


def has_verified_email(user: Any) -> bool:
    """Whether ``user`` signed in with an address they confirmed (allauth's EmailAddress.verified)."""
    return bool(
        user.is_authenticated
        and EmailAddress.objects.filter(user=user, email__iexact=user.email, verified=True).exists()
    )


def staff_roles(user: Any) -> dict[int, frozenset[str]]:
    """{municipality id: roles} of ``user``, read once per request and kept on the user object."""
    if not user.is_authenticated or not user.is_active:
        return {}
    cached = getattr(user, "_staff_roles_cache", None)
    if cached is None:
        found: dict[int, set[str]] = {}
        for municipality_id, role in StaffRole.objects.filter(user=user).values_list(
            "municipality_id", "role"
        ):
            found.setdefault(municipality_id, set()).add(role)
        cached = {municipality_id: frozenset(roles) for municipality_id, roles in found.items()}
        user._staff_roles_cache = cached
    return cached


@rules.predicate
def is_operator(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_superuser)


def has_role(user: Any, municipality_id: int, *roles: str) -> bool:
    return is_operator(user) or bool(staff_roles(user).get(municipality_id, frozenset()) & set(roles))


def municipality_ids_with(user: Any, *roles: str) -> set[int] | None:
    """The municipalities where ``user`` holds one of ``roles``; None means all (the operator)."""
    if is_operator(user):
        return None
    return {m for m, held in staff_roles(user).items() if held & set(roles)}


@rules.predicate
def is_staff_member(user: Any) -> bool:
    return is_operator(user) or bool(staff_roles(user))


@rules.predicate
def may_moderate(user: Any, scoped: Scoped) -> bool:
    return has_role(user, scoped.municipality_id, MODERATOR)


@rules.predicate
def may_remark(user: Any, scoped: Scoped) -> bool:
    return has_role(user, scoped.municipality_id, MODERATOR, EDITOR)


@rules.predicate
def may_see_hearing_staff_pages(user: Any, scoped: Scoped) -> bool:
    """The staff pages of a hearing, its exports (every response, all statuses, with names, as XLSX or CSV)
    and its hearing summary at any time: the municipality's moderators, editors and council members."""
    return has_role(user, scoped.municipality_id, MODERATOR, EDITOR, COUNCIL)


may_export_responses = may_see_hearing_staff_pages
