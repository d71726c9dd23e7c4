"""What the moderation app tells the apps above it, which it does not import (notifications listens)."""

from django.dispatch import Signal

# A moderator published, rejected, hid or restored a response that has an author who should be told
# (sender=ModerationEvent), with event: the recorded ModerationEvent. Sent inside the transaction.
response_moderated = Signal()

# A moderator published, rejected, hid or restored a response, whether or not it has an author
# (sender=ModerationEvent), with event: the recorded ModerationEvent (its status_after says where the
# response went). Sent inside the transaction, after response_moderated. The guard listens: a response a
# moderator published has had its findings of personal data looked at.
response_decided = Signal()
