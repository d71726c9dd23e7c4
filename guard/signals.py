"""What the guard tells the apps above it (analysis), which it does not import."""

from django.dispatch import Signal

# The text of an attachment was read (or could not be), sender=ResponseAttachment, with attachment. Sent
# after the attachment's row was saved, outside any request; campaign detection reads the text anew.
attachment_text_read = Signal()

# A moderator redacted a response's published fields (sender=Response), with response and passages: the
# texts that the marker replaced, in memory only (never stored or logged by a receiver). Sent inside the
# redaction's transaction; the analysis redacts the same passages in its topics' quotes of the response.
response_redacted = Signal()
