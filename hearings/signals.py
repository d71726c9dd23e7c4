"""What the hearings app tells the apps above it (moderation, documents, notifications), which it does not
import. Each is sent inside the transaction of the change; a receiver that starts work elsewhere does so
``on_commit``."""

from django.dispatch import Signal

# A citizen submitted, edited or withdrew a response (sender=Response), with response, action
# ("submitted", "edited" or "withdrawn"), actor, status_before ("" on submit) and now. The audit log records
# it; a response that waits for moderation wakes the moderators' e-mail; a submission gets its receipt.
response_changed = Signal()

# Staff published a hearing's summary (sender=Hearing), with hearing, actor and now. The audit log records it.
summary_published = Signal()

# Staff released a hearing's remarks (sender=Hearing), with hearing, actor and now: they show on the public
# pages from now on. The audit log records it; notifications writes once to each author of a published
# response, after the commit.
remarks_released = Signal()

# The published text of these hearings changed in a way that names or unnames a person (an account was
# deleted), with hearing_ids (a set): the summaries made so far are discarded and made anew.
published_text_changed = Signal()

# A hearing's personal data was removed on its removal date (sender=Hearing), with hearing and now, inside
# the removal's transaction: apps above remove what they keep of it (the guard, its unredacted originals).
personal_data_removed = Signal()
