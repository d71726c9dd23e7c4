"""What the moderation app tells the apps above it, which it does not import (notifications listens)."""

from django.dispatch import Signal

# A moderator published, rejected, hid or restored a response that has an author who should be told
# (sender=ModerationEvent), with event: the recorded ModerationEvent. Sent inside the transaction.
response_moderated = Signal()
