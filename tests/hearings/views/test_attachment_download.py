"""Attachments are served as downloads under a safe name, never rendered by the browser."""

import pytest
from django.core.files.base import ContentFile

from hearings.models import ResponseAttachment
from tests.hearings.factories import ResponseFactory
from tests.helpers import pdf_bytes, png_bytes

pytestmark = pytest.mark.django_db


def attachment(original_name: str, kind: str = "pdf", content: bytes | None = None) -> ResponseAttachment:
    """Written straight to the database, as an older row or an admin's edit might be: the name unchecked.
    Public, as the guard leaves a file it found nothing in (tests/guard/ for the other states)."""
    content = content if content is not None else pdf_bytes()
    response = ResponseFactory(status="published")
    item = ResponseAttachment(
        response=response, original_name=original_name, kind=kind, size=len(content), publication="public"
    )
    item.file.save("ignored", ContentFile(content), save=False)
    item.save()
    return item


@pytest.mark.parametrize(
    ("original_name", "disposition"),
    [
        ("../../etc/passwd", 'attachment; filename="passwd.pdf"'),
        ("<script>.pdf", 'attachment; filename="script.pdf"'),
        ("<img src=x onerror=alert(1)>.html", 'attachment; filename="img src=x onerror=alert(1).html.pdf"'),
        ('svar"; filename="evil.html', 'attachment; filename="svar; filename=evil.html.pdf"'),
        ("..\\..\\windows\\system32\\svar.pdf", 'attachment; filename="svar.pdf"'),
        (
            "Høringssvar æøå.pdf",
            "attachment; filename*=utf-8''H%C3%B8ringssvar%20%C3%A6%C3%B8%C3%A5.pdf",
        ),
        ("..", 'attachment; filename="bilag.pdf"'),
    ],
)
def test_a_download_has_a_safe_name_and_is_never_sniffed(client, original_name, disposition):
    item = attachment(original_name)
    response = client.get(item.get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Disposition"] == disposition
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert b"".join(response.streaming_content) == pdf_bytes()


def test_the_content_type_follows_the_checked_kind_not_the_name(client):
    item = attachment("billede.html", kind="png", content=png_bytes())
    response = client.get(item.get_absolute_url())
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == 'attachment; filename="billede.html.png"'


def test_a_jpeg_keeps_its_jpeg_extension(client):
    item = attachment("foto.JPEG", kind="jpeg", content=b"\xff\xd8\xff\xe0jpeg")
    response = client.get(item.get_absolute_url())
    assert response["Content-Disposition"] == 'attachment; filename="foto.JPEG"'
