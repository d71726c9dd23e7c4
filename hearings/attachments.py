"""Attachments are checked by what they contain, never by their name."""

import magic
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from .models import ResponseAttachment

MAX_ATTACHMENTS = 5
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
# libmagic needs more than the first bytes to tell a DOCX from any ZIP file.
SNIFF_BYTES = 256 * 1024

KIND_BY_MIME = {
    "application/pdf": ResponseAttachment.Kind.PDF,
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ResponseAttachment.Kind.DOCX,
    "application/vnd.oasis.opendocument.text": ResponseAttachment.Kind.ODT,
    "image/jpeg": ResponseAttachment.Kind.JPEG,
    "image/png": ResponseAttachment.Kind.PNG,
}


def attachment_kind(upload: UploadedFile) -> str:
    """The checked kind of ``upload`` (a ``ResponseAttachment.Kind``), or a ValidationError in Danish."""
    name = safe_file_name(upload.name)
    size = upload.size or 0  # Django's upload handlers always set it; the stubs allow None
    if size > MAX_ATTACHMENT_BYTES:
        raise ValidationError(
            _("Filen %(name)s er for stor (%(size)s MB). Et bilag må højst fylde 10 MB.")
            % {"name": name, "size": f"{size / 1024 / 1024:.1f}".replace(".", ",")},
            code="too_large",
        )
    if size == 0:
        raise ValidationError(_("Filen %(name)s er tom.") % {"name": name}, code="empty")
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    mime = magic.from_buffer(head, mime=True)
    kind = KIND_BY_MIME.get(mime)
    if kind is None:
        raise ValidationError(
            _(
                "Filen %(name)s er ikke en PDF-, Word- (DOCX), ODT-, JPEG- eller PNG-fil. Vi ser på filens indhold, ikke på dens navn."
            )
            % {"name": name},
            code="wrong_type",
        )
    return kind


def safe_file_name(name: str | None, limit: int = 120) -> str:
    """The last part of a file name, without folders, control characters or odd quotes."""
    name = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    cleaned = "".join(ch for ch in name if ch.isprintable() and ch not in '<>:"|?*\x00').strip(" .")
    return (cleaned or "bilag")[:limit]


CONTENT_TYPES: dict[str, str] = {kind: mime for mime, kind in KIND_BY_MIME.items()}


def download_name(attachment: ResponseAttachment) -> str:
    """The name a download is saved under: the citizen's name made safe again (rows may predate the
    rule), and always ending in the extension of the type we checked, so a PDF never lands on a
    computer as ``.html``."""
    name = safe_file_name(attachment.original_name)
    extension = attachment.extension
    if attachment.kind == ResponseAttachment.Kind.JPEG and name.lower().endswith(".jpeg"):
        return name
    return name if name.lower().endswith(extension) else f"{name}{extension}"
