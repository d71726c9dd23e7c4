"""What the guard tells the apps above it (analysis), which it does not import."""

from django.dispatch import Signal

# The text of an attachment was read (or could not be), sender=ResponseAttachment, with attachment. Sent
# after the attachment's row was saved, outside any request; campaign detection reads the text anew.
attachment_text_read = Signal()
