"""What the decisions app tells the apps above it (notifications), which it does not import. Sent inside
the transaction of the change; a receiver that starts work elsewhere does so ``on_commit``."""

from django.dispatch import Signal

# Staff published a hearing's decision (sender=Decision), with decision, actor and now, once per decision.
# The notifications app e-mails the hearing's followers and the authors of its published responses.
decision_published = Signal()
