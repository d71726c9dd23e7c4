"""Hostile attachments: wrong, disguised and polyglot files, and file names that try to leave the
attachment folder or reach a page as markup."""

import functools
import io
import zipfile

import pytest
from django.urls import reverse

from hearings.models import Response, ResponseAttachment
from tests.helpers import docx_bytes, pdf_bytes, png_bytes

from .conftest import assert_form_keeps, assert_inert, pages_of, response_data


@functools.cache
def zip_bomb_docx() -> bytes:
    """A DOCX whose document part inflates to 50 MB (from about 50 KB)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr(
            "[Content_Types].xml", zipfile.ZipFile(io.BytesIO(docx_bytes())).read("[Content_Types].xml")
        )
        z.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships/>')
        z.writestr("word/document.xml", b"<w:document>" + b"A" * (50 * 1024 * 1024) + b"</w:document>")
    return buffer.getvalue()


SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(1)</script></svg>'
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 48 + b"PE\x00\x00" + b"\x00" * 400

# (name, content, accepted as kind, or None when refused)
ATTACHMENTS = {
    "exe-as-pdf": ("svar.pdf", EXE, None),
    "html-as-png": ("billede.png", HTML, None),
    "html-as-pdf": ("svar.pdf", b"<html><script>alert(1)</script></html>", None),
    "svg-with-script": ("tegning.svg", SVG, None),
    "svg-as-png": ("tegning.png", SVG, None),
    "shell-script-as-docx": ("brev.docx", b"#!/bin/sh\nrm -rf /\n", None),
    "plain-zip-as-docx": ("brev.docx", b"PK\x05\x06" + b"\x00" * 18, None),
    "gif-as-jpg": ("foto.jpg", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", None),
    "truncated-png": ("billede.png", png_bytes()[:8], None),
    "pdf-named-docx": ("brev.docx", pdf_bytes(), "pdf"),
    "png-named-pdf": ("svar.pdf", png_bytes(), "png"),
    "pdf-html-polyglot": ("svar.pdf", pdf_bytes() + b"<html><script>alert(1)</script></html>", "pdf"),
    "png-script-polyglot": ("billede.png", png_bytes() + b"<script>alert(1)</script>", "png"),
    "pdf-with-javascript": (
        "svar.pdf",
        pdf_bytes().replace(b"/Type/Catalog", b"/Type/Catalog/OpenAction<</S/JavaScript/JS(app.alert(1))>>"),
        "pdf",
    ),  # fmt: skip
    "zip-bomb-docx": ("bombe.docx", None, "docx"),
    "docx-named-png": ("billede.png", docx_bytes(), "docx"),
}


@pytest.mark.parametrize(("name", "content", "kind"), list(ATTACHMENTS.values()), ids=list(ATTACHMENTS))
def test_wrong_disguised_and_polyglot_attachments(client, w, name, content, kind):
    if content is None:
        content = zip_bomb_docx()
    client.force_login(w.citizen)
    data = response_data(w, text="Svar med bilag <b>fed</b>")
    from django.core.files.uploadedfile import SimpleUploadedFile

    answer = client.post(reverse("hearings:respond", args=[w.v_hearing.pk]),
                         {**data, "attachments": [SimpleUploadedFile(name, content)]})  # fmt: skip
    html = answer.content.decode()
    if kind is None:
        assert answer.status_code == 400
        assert "Vi ser på filens indhold, ikke på dens navn." in html
        assert_inert(html, "the refused form")
        assert_form_keeps(html, data)
        assert not ResponseAttachment.objects.exists()
        return
    assert answer.status_code == 302
    attachment = ResponseAttachment.objects.get()
    assert attachment.kind == kind
    assert attachment.file.name.endswith(ResponseAttachment.EXTENSIONS[kind])  # never the citizen's extension
    download = client.get(attachment.get_absolute_url())
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in download["Content-Security-Policy"]
    assert not download["Content-Type"].startswith(("text/html", "image/svg"))


FILE_NAMES = {
    "unix-traversal": ("../../etc/passwd.pdf", "passwd.pdf"),
    "windows-traversal": ("..\\..\\windows\\x.pdf", "x.pdf"),
    "absolute": ("/etc/cron.d/x.pdf", "x.pdf"),
    "windows-absolute": ("C:\\Windows\\System32\\x.pdf", "x.pdf"),
    "unc": ("\\\\evil.example\\share\\x.pdf", "x.pdf"),
    "encoded-traversal": ("..%2F..%2Fx.pdf", "%2F..%2Fx.pdf"),
    "dots-only": ("....", "bilag"),
    "nul-in-name": ("svar.pdf\x00.exe", None),
    "newline-in-name": ("svar\r\nContent-Type: text/html.pdf", None),
    "html-in-name": ('"><img src=x onerror=alert(1)>.pdf', None),
    "rtl-in-name": ("svar\u202efdp.exe", None),
    "300-chars": ("a" * 296 + ".pdf", None),
    "300-emoji": ("😀" * 296 + ".pdf", None),
    "empty-name": ("", None),
    "quote-in-name": ('a"; name="text"; x=".pdf', None),
}


def multipart(fields: dict, file_name: str, content: bytes) -> tuple[bytes, str]:
    """A multipart body as any client may send it: the file name goes into the header as it is."""
    boundary = "hostile-boundary-7MA4YWxkTrZu0gW"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="attachments"; filename="{file_name}"\r\n'
        "Content-Type: application/pdf\r\n\r\n".encode()
        + content
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


@pytest.mark.parametrize(("name", "expected"), list(FILE_NAMES.values()), ids=list(FILE_NAMES))
def test_file_names_never_leave_the_attachment_folder_nor_reach_a_page_as_markup(client, w, name, expected):
    client.raise_request_exception = False
    client.force_login(w.citizen)
    body, content_type = multipart(response_data(w), name, pdf_bytes())
    answer = client.post(reverse("hearings:respond", args=[w.v_hearing.pk]), body, content_type=content_type)
    assert answer.status_code in (302, 400), answer.status_code
    if answer.status_code == 400:
        assert_inert(answer.content.decode(), "the refused form")
        return
    if not ResponseAttachment.objects.exists():  # the parser read no file from a part without a usable name
        for page_name, html in pages_of(
            client, w, Response.objects.get(hearing=w.v_hearing, number=2)
        ).items():
            assert_inert(html, page_name)
        return
    attachment = ResponseAttachment.objects.get()
    assert attachment.file.name.startswith(f"attachments/{w.v_hearing.pk}/")
    assert ".." not in attachment.file.name and "\\" not in attachment.file.name
    original = attachment.original_name
    assert "/" not in original and "\\" not in original and "\x00" not in original and "\n" not in original
    assert len(original) <= 120 and original.strip()
    if expected:
        assert original == expected
    download = client.get(attachment.get_absolute_url())
    assert download.status_code == 200
    assert "\n" not in download["Content-Disposition"] and "\r" not in download["Content-Disposition"]
    for page_name, html in pages_of(client, w, attachment.response).items():
        assert_inert(html, page_name)
