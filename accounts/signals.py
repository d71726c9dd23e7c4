"""What the accounts app tells the apps above it, which it does not import (the audit log listens)."""

from django.dispatch import Signal

# sent inside the transaction that grants or revokes, with actor, staff_role (a StaffRole; on revoke,
# not yet deleted) and action ("granted" or "revoked")
role_changed = Signal()
