"""Granting and revoking staff roles: only the platform operator, and each change is logged (the audit
log's receiver of ``accounts.signals.role_changed`` writes it in the same transaction)."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Model

from . import rules
from .models import StaffRole, User
from .signals import role_changed


@transaction.atomic
def grant_role(*, user: User, municipality: Model, role: str, actor: User) -> StaffRole:
    """The platform operator gives ``user`` a staff role in ``municipality`` (a strategies.Municipality).
    Granting a role held already changes and logs nothing. Raises PermissionDenied for anyone else.
    An editor also gets ``is_staff``: editors work in the admin, scoped to their municipality."""
    if not rules.is_operator(actor):
        raise PermissionDenied
    staff_role, created = StaffRole.objects.get_or_create(user=user, municipality=municipality, role=role)
    if created:
        if role == StaffRole.Role.EDITOR and not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
        role_changed.send(sender=StaffRole, staff_role=staff_role, actor=actor, action="granted")
    return staff_role


@transaction.atomic
def revoke_role(*, staff_role: StaffRole, actor: User) -> None:
    """The platform operator takes a role back (logged). Raises PermissionDenied for anyone else."""
    if not rules.is_operator(actor):
        raise PermissionDenied
    role_changed.send(sender=StaffRole, staff_role=staff_role, actor=actor, action="revoked")
    staff_role.delete()
