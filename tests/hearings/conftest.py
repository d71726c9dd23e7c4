import datetime as dt
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import StaffRole
from hearings import services
from hearings.models import Hearing, Response
from tests.factories import HearingFactory, ResponseFactory, VerifiedUserFactory


def pdf_bytes(text: str = "Bilag") -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
        + f"% {text}\n".encode()
        + b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )


def png_bytes() -> bytes:
    from PIL import Image

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


@pytest.fixture
def citizen(db):
    return VerifiedUserFactory(name="Karen Borger")


@pytest.fixture
def open_hearing(vallensbaek) -> Hearing:
    now = timezone.now()
    return HearingFactory(
        strategy=vallensbaek, title="Høring om Kommuneplanstrategi 2018",
        opens_at=now - dt.timedelta(days=3), closes_at=now + dt.timedelta(days=10),
    )  # fmt: skip


@pytest.fixture
def section5(vallensbaek):
    return vallensbaek.sections.get(number=5)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


# --- Moderation: staff and responses in a given status (test_moderation_*.py) --------------------------


def staff(municipality, role, email, **kwargs):
    user = VerifiedUserFactory(email=email, **kwargs)
    StaffRole.objects.create(user=user, municipality=municipality, role=role)
    return user


@pytest.fixture
def moderator(vallensbaek):
    return staff(vallensbaek.municipality, "moderator", "moderator@vallensbaek.dk", name="Mads Moderator")


@pytest.fixture
def editor(vallensbaek):
    return staff(vallensbaek.municipality, "editor", "redaktoer@vallensbaek.dk", name="Rikke Redaktør")


@pytest.fixture
def billund_hearing(billund):
    return HearingFactory(strategy=billund, title="Billunds høring", moderation=Hearing.Moderation.PRE)


@pytest.fixture
def pre_hearing(open_hearing):
    open_hearing.moderation = Hearing.Moderation.PRE
    open_hearing.save(update_fields=["moderation"])
    return open_hearing


def add(hearing, status="published", **kwargs):
    """A response numbered after the hearing's last one (as submit_response would number it)."""
    hearing.refresh_from_db(fields=["last_response_number"])
    hearing.last_response_number += 1
    hearing.save(update_fields=["last_response_number"])
    if status not in ("published", "hidden"):
        kwargs.setdefault("published_at", None)
    return ResponseFactory(hearing=hearing, number=hearing.last_response_number, status=status, **kwargs)


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
