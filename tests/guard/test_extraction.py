"""guard.extraction: the text staff see from each kind of attachment, and a clear status for bad files."""

import subprocess
import tempfile

import pypdf
import pytest

from guard.extraction import Limits, extract
from tests.guard import attachment_files as files

LETTER = [
    "Høringssvar om Kommuneplanstrategi 2018.",
    "Vi ønsker flere cykelstier langs åen og en sikker skolevej.",
    "Med venlig hilsen Søren Ærø-Østergård",
]
# OCR is asserted on a few robust words, not on every character.
SCAN_LINES = ["Høringssvar om cykelstier", "Vi ønsker en sikker skolevej", "langs åen i Vallensbæk"]
SCAN_SIZE = (2480, 700)  # one A4 page's width at 300 dpi, three lines high: a quick OCR


def words(text: str) -> set[str]:
    return {w.strip(".,:;").lower() for w in text.split()}


def assert_read(result, *, pages=0, ocr_pages=0):
    assert (result.status, result.problem, result.complete) == ("extracted", "", True)
    assert (result.pages, result.ocr_pages) == (pages, ocr_pages)


# --- Each kind ------------------------------------------------------------------------------------------


def test_a_pdf_with_text_is_read_page_by_page(tmp_path):
    path = files.text_pdf(tmp_path / "svar.pdf", LETTER, pages=3)
    result = extract(str(path), "pdf")
    assert_read(result, pages=3)
    assert result.text.count("Vi ønsker flere cykelstier langs åen") == 3
    assert "Søren Ærø-Østergård" in result.text


def test_a_docx_is_read_with_its_tables_and_header(tmp_path):
    path = files.docx_file(
        tmp_path / "svar.docx", LETTER, header="Karen Hansen, tlf. 22 33 44 55",
        table=[["Naboen", "Skolevej 12"]],
    )  # fmt: skip
    result = extract(str(path), "docx")
    assert_read(result)
    lines = result.text.splitlines()
    for expected in [*LETTER, "Naboen", "Skolevej 12", "Karen Hansen, tlf. 22 33 44 55"]:
        assert expected in lines


def test_an_odt_is_read(tmp_path):
    path = files.odt_file(tmp_path / "svar.odt", LETTER, heading="Høringssvar")
    result = extract(str(path), "odt")
    assert_read(result)
    assert result.text.splitlines() == ["Høringssvar", *LETTER]


def test_a_png_is_read_by_danish_ocr(tmp_path):
    path = files.scan_png(tmp_path / "scan.png", SCAN_LINES, size=SCAN_SIZE)
    result = extract(str(path), "png")
    assert_read(result, pages=1, ocr_pages=1)
    assert {"høringssvar", "cykelstier", "ønsker", "skolevej", "åen", "vallensbæk"} <= words(result.text)


def test_a_scanned_pdf_page_without_text_is_read_by_ocr(tmp_path):
    path = files.scan_pdf(tmp_path / "scan.pdf", SCAN_LINES, size=SCAN_SIZE)
    result = extract(str(path), "pdf")
    assert_read(result, pages=1, ocr_pages=1)
    assert {"høringssvar", "cykelstier", "skolevej", "vallensbæk"} <= words(result.text)


def test_a_file_without_any_text_is_read_and_says_so(tmp_path):
    path = tmp_path / "blank.png"
    files.scan_png(path, [], size=(400, 300))
    result = extract(str(path), "png")
    assert (result.status, result.text, result.complete) == ("extracted", "", True)
    assert result.problem == "Filen indeholder ingen tekst, der kunne læses."


def test_odd_characters_are_cleaned_as_everywhere_in_the_portal(tmp_path):
    # NUL, a vertical tab (a "manual line break"), a C1 control and a form feed in a PDF's text.
    path = files.raw_pdf(tmp_path / "odd.pdf", b"Hej\\000 med\\013dig\\201 og\\014farvel \\346\\370\\345")
    result = extract(str(path), "pdf")
    assert result.status == "extracted"
    assert result.text == "Hej med\ndig og\nfarvel æøå"


# --- Bad input ------------------------------------------------------------------------------------------


def test_an_encrypted_pdf_that_opens_without_a_password_is_read(tmp_path):
    source = files.text_pdf(tmp_path / "svar.pdf", LETTER)
    path = files.encrypted_pdf(tmp_path / "locked.pdf", source, user_password="")
    result = extract(str(path), "pdf")
    assert_read(result, pages=1)
    assert "Vi ønsker flere cykelstier langs åen" in result.text


def test_a_pdf_encrypted_with_a_password_is_not_read(tmp_path):
    source = files.text_pdf(tmp_path / "svar.pdf", LETTER)
    path = files.encrypted_pdf(tmp_path / "locked.pdf", source, user_password="hemmelig")
    result = extract(str(path), "pdf")
    assert (result.status, result.text, result.complete) == ("failed", "", False)
    assert result.problem == "Filen er krypteret med en adgangskode og kan ikke læses."


@pytest.mark.parametrize(
    ("kind", "content", "name"),
    [
        ("pdf", b"%PDF-1.7\n1 0 obj<</Type/Catalog/Pages 9 0 R>>\n\x00\xff garbage", "PDF"),
        ("docx", b"PK\x03\x04 this is no zip archive at all", "Word (DOCX)"),
        ("odt", b"PK\x03\x04\x14\x00\x00\x00 broken", "OpenDocument (ODT)"),
        ("png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR broken", "PNG"),
        ("jpeg", b"\xff\xd8\xff\xe0 broken", "JPEG"),
    ],
)
def test_a_corrupt_file_fails_with_a_clear_problem(tmp_path, kind, content, name):
    path = tmp_path / f"broken.{kind}"
    path.write_bytes(content)
    result = extract(str(path), kind)
    assert (result.status, result.text) == ("failed", "")
    assert result.problem == f"Filen er beskadiget eller ikke en gyldig {name}-fil og kan ikke læses."


def test_a_docx_with_broken_xml_and_an_odt_that_is_a_docx_fail(tmp_path):
    good = files.docx_file(tmp_path / "svar.docx", LETTER)
    assert extract(str(good), "odt").status == "failed"
    odt = files.odt_file(tmp_path / "svar.odt", LETTER)
    assert extract(str(odt), "docx").status == "failed"


def test_a_zip_bomb_docx_is_refused_before_it_is_unpacked(tmp_path):
    path = files.zip_bomb_docx(tmp_path / "bomb.docx", unpacked_bytes=210 * 2**20)
    assert path.stat().st_size < 2 * 2**20
    result = extract(str(path), "docx")
    assert (result.status, result.text) == ("failed", "")
    assert result.problem.startswith("Filen ville fylde 210 MB udpakket")
    assert "højst 200 MB" in result.problem


def test_an_xml_bomb_inside_the_limits_meets_the_memory_limit(tmp_path):
    # 60 MB of spaces inside one element: allowed by the ZIP check, too much for 200 MB of address space.
    path = files.zip_bomb_docx(tmp_path / "big.docx", unpacked_bytes=60 * 2**20)
    result = extract(str(path), "docx", limits=Limits(memory_bytes=200 * 2**20))
    assert result.status == "failed"
    assert result.problem == "Filen kræver for meget hukommelse at læse og er ikke læst."


@pytest.mark.parametrize("size", [(15_000, 7_000), (8_000, 7_000)])
def test_a_decompression_bomb_image_is_not_decoded(tmp_path, size):
    # 105 megapixels (Pillow refuses at open) and 56 (above the limit, where Pillow would only warn).
    path = files.bomb_png(tmp_path / "bomb.png", size=size)
    assert path.stat().st_size < 2**20
    result = extract(str(path), "png")
    assert (result.status, result.text) == ("failed", "")
    assert "Billedet er for stort" in result.problem
    assert "højst 50 millioner punkter" in result.problem


def test_a_500_page_pdf_is_read_for_its_first_200_pages_and_says_so(tmp_path):
    path = files.text_pdf(tmp_path / "long.pdf", ["Side med tekst om cykelstier."], pages=500)
    result = extract(str(path), "pdf")
    assert (result.status, result.pages, result.complete) == ("extracted", 200, False)
    assert result.text.count("Side med tekst om cykelstier.") == 200
    assert result.problem == "Kun de første 200 af 500 sider blev læst."


def test_only_so_many_scanned_pages_are_read_by_ocr(tmp_path):
    one = files.scan_pdf(tmp_path / "scan.pdf", SCAN_LINES, size=(1240, 350))
    page = pypdf.PdfReader(one).pages[0]
    writer = pypdf.PdfWriter()
    for _ in range(3):
        writer.add_page(page)
    writer.write(tmp_path / "three.pdf")
    result = extract(str(tmp_path / "three.pdf"), "pdf", limits=Limits(max_ocr_pages=1))
    assert (result.status, result.pages, result.ocr_pages, result.complete) == ("extracted", 3, 1, False)
    assert result.problem == "Tekstgenkendelse bruges på højst 1 side: 2 sider uden tekst blev ikke læst."


def test_text_past_the_limit_is_cut_and_says_so(tmp_path):
    path = files.odt_file(tmp_path / "long.odt", ["cykelsti " * 100] * 5)
    result = extract(str(path), "odt", limits=Limits(max_chars=1000))
    assert (result.status, result.complete) == ("extracted", False)
    assert len(result.text) <= 1000
    assert result.problem == "Kun de første 1.000 tegn af teksten blev gemt."


def test_a_file_that_takes_too_long_is_stopped_and_nothing_is_left_behind(tmp_path, monkeypatch):
    # A full page of text: its OCR takes seconds, more than the second allowed here.
    path = files.scan_pdf(tmp_path / "scan.pdf", [SCAN_LINES[i % 3] for i in range(40)])
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(work))
    result = extract(str(path), "pdf", limits=Limits(total_seconds=1, report_seconds=0))
    assert (result.status, result.text) == ("failed", "")
    assert result.problem == "Læsningen af filen tog for lang tid (over 1 sekunder) og blev stoppet."
    # The child's process group (pdftoppm, tesseract) was killed with it, and its pictures removed.
    assert subprocess.run(["pgrep", "-f", str(work)], capture_output=True).stdout == b""
    assert list(work.iterdir()) == []


def test_a_server_without_tesseract_says_so(tmp_path, monkeypatch):
    path = files.scan_png(tmp_path / "scan.png", SCAN_LINES, size=SCAN_SIZE)
    monkeypatch.setenv("PATH", str(tmp_path))
    result = extract(str(path), "png")
    assert (result.status, result.text) == ("failed", "")
    assert (
        result.problem
        == "Tekstgenkendelsen kan ikke køre: programmet tesseract er ikke installeret på serveren."
    )


def test_an_unknown_kind_is_a_programming_error(tmp_path):
    with pytest.raises(ValueError):
        extract(str(tmp_path / "x.txt"), "txt")
