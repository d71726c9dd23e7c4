"""Small helpers the tests of several apps share: files to upload, and reading what the public sees."""

import io
import zipfile
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

from hearings import services
from hearings.models import Response

# The checkout's root (manage.py, pyproject.toml), however deep a test file lies.
REPO_ROOT = Path(__file__).resolve().parents[1]


def pdf_bytes(text: str = "Bilag") -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
        + f"% {text}\n".encode()
        + b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )


def png_bytes() -> bytes:
    from PIL import Image  # only the tests that upload an image need Pillow

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, "PNG")
    return buffer.getvalue()


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'wordprocessingml.document.main+xml"/></Types>',
        )
        z.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships/>')
        z.writestr("word/document.xml", '<?xml version="1.0"?><w:document/>')
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def status_of(response) -> str:
    return Response.objects.values_list("status", flat=True).get(pk=response.pk)


def public_html(client, url) -> str:
    result = client.get(url)
    assert result.status_code == 200, url
    return result.content.decode()


def submit(hearing, author, text):
    return services.submit_response(
        hearing=hearing, author=author, target_key="strategy", respondent_type="private",
        display_name="Karen Borger", text=text, consent=True,
    )  # fmt: skip
