"""Attachments made for the extraction's tests and benchmark: real files of each kind, and hostile ones.

Each function writes one file and returns its path. Text PDFs are rendered by WeasyPrint (the portal's
own dependency), scans are pictures of text drawn by Pillow in IBM Plex Sans (static/fonts/), DOCX and ODT
are written by python-docx and odfpy. No file is committed: they are made in a few tenths of a second.
"""

import io
import zipfile
from pathlib import Path

import docx
import pypdf
from odf.opendocument import OpenDocumentText
from odf.text import H, P
from PIL import Image, ImageDraw, ImageFont

# The checkout's root; not tests.helpers.REPO_ROOT: this module is also the benchmark's, without Django.
REPO_ROOT = Path(__file__).resolve().parents[2]
FONT = REPO_ROOT / "static" / "fonts" / "ibm-plex-sans" / "IBMPlexSans-Regular.ttf"
# An A4 page at 300 dpi, the resolution a scanner uses for text.
A4_PIXELS = (2480, 3508)


def text_pdf(path: Path, paragraphs: list[str], *, pages: int = 1) -> Path:
    """A PDF with a text layer: ``paragraphs`` on each of ``pages`` pages (rendered once, then copied)."""
    import weasyprint  # slow to import: only the tests that make a PDF of text pay for it

    html = "".join(f"<p>{p}</p>" for p in paragraphs)
    one = io.BytesIO()
    weasyprint.HTML(string=f"<html lang='da'><body style='font-size:11pt'>{html}</body></html>").write_pdf(
        one
    )
    if pages == 1:
        path.write_bytes(one.getvalue())
        return path
    page = pypdf.PdfReader(one).pages[0]
    writer = pypdf.PdfWriter()
    for _ in range(pages):
        writer.add_page(page)
    writer.write(path)
    return path


def raw_pdf(path: Path, text_bytes: bytes) -> Path:
    """A one-page PDF written by hand whose text object shows ``text_bytes`` as they are (in Helvetica,
    WinAnsiEncoding): for characters no word processor would write, such as NUL and control characters."""
    content = b"BT /F1 14 Tf 72 720 Td (" + text_bytes + b") Tj ET"
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Resources<</Font<</F1 4 0 R>>>>/Contents 5 0 R>>",
        b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica/Encoding/WinAnsiEncoding>>",
        b"<</Length " + str(len(content)).encode() + b">>stream\n" + content + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer<</Size {len(objects) + 1}/Root 1 0 R>>\nstartxref\n{xref}\n%%EOF\n".encode()
    path.write_bytes(bytes(out))
    return path


def encrypted_pdf(path: Path, source: Path, *, user_password: str, owner_password: str = "ejer") -> Path:
    """``source`` encrypted (AES-256) with ``user_password`` ("" for a PDF anyone may open)."""
    writer = pypdf.PdfWriter(clone_from=source)
    writer.encrypt(user_password, owner_password, algorithm="AES-256")
    writer.write(path)
    return path


def scan_image(lines: list[str], *, size: tuple[int, int] = A4_PIXELS, font_size: int = 50) -> Image.Image:
    """A grey picture of ``lines`` of text, as a scanner at 300 dpi would see 12-point type."""
    image = Image.new("L", size, 255)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(FONT), font_size)
    y = 200
    for line in lines:
        draw.text((200, y), line, font=font, fill=0)
        y += int(font_size * 1.6)
    return image


def scan_png(path: Path, lines: list[str], **kwargs) -> Path:
    scan_image(lines, **kwargs).save(path, "PNG")
    return path


def scan_jpeg(path: Path, lines: list[str], **kwargs) -> Path:
    scan_image(lines, **kwargs).save(path, "JPEG", quality=90)
    return path


def scan_pdf(path: Path, lines: list[str], **kwargs) -> Path:
    """A PDF without a text layer: one page that is a picture (what a scanner makes)."""
    scan_image(lines, **kwargs).save(path, "PDF", resolution=300)
    return path


def docx_file(path: Path, paragraphs: list[str], *, header: str = "", table: list[list[str]] = ()) -> Path:
    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    if table:
        cells = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                cells.cell(r, c).text = value
    if header:
        document.sections[0].header.paragraphs[0].text = header
    document.save(path)
    return path


def odt_file(path: Path, paragraphs: list[str], *, heading: str = "") -> Path:
    document = OpenDocumentText()
    if heading:
        document.text.addElement(H(outlinelevel=1, text=heading))
    for paragraph in paragraphs:
        document.text.addElement(P(text=paragraph))
    document.save(str(path))
    return path


def zip_bomb_docx(path: Path, *, unpacked_bytes: int) -> Path:
    """A DOCX whose document.xml unpacks to ``unpacked_bytes`` (spaces: some 1,000 times smaller packed)."""
    base = io.BytesIO()
    docx.Document().save(base)
    chunk = b" " * (1024 * 1024)
    with zipfile.ZipFile(base) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as bomb:
        for item in source.infolist():
            if item.filename != "word/document.xml":
                bomb.writestr(item, source.read(item))
                continue
            with bomb.open("word/document.xml", "w", force_zip64=True) as member:
                member.write(source.read(item)[: -len(b"</w:document>")])
                for _ in range(unpacked_bytes // len(chunk)):
                    member.write(chunk)
                member.write(b"</w:document>")
    return path


def bomb_png(path: Path, *, size: tuple[int, int]) -> Path:
    """A PNG of ``size`` pixels that packs to a few kilobytes (one colour, 1 bit a pixel)."""
    Image.new("1", size, 1).save(path, "PNG", optimize=True)
    return path
