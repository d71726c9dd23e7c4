"""The text of an attachment (issue 15, item 1): PDF, DOCX, ODT, and JPEG/PNG and scanned PDF pages by OCR.

Pure: no Django, no models, no database; ``guard.reading`` stores what it returns. ::

    from guard.extraction import extract
    result = extract("/tmp/bilag.pdf", "pdf")
    result.status, result.text, result.problem, result.pages, result.ocr_pages, result.complete

How each kind is read:

- PDF: ``pypdf`` reads each page's text layer. A page with (almost) no text that draws an image is a scan:
  ``pdftoppm`` (poppler-utils) draws it in grey and ``tesseract -l dan`` reads it. An encrypted PDF is
  opened with the empty password (the common "printing not allowed" PDFs), else it is not read.
- DOCX: ``python-docx`` opens the package; the text of the body, headers, footers, footnotes, endnotes
  and comments is read from their XML, paragraph by paragraph.
- ODT: ``odfpy`` loads it; the body's and the page styles' (headers, footers) paragraphs.
- JPEG and PNG: Pillow checks the size, turns the picture by its EXIF orientation, makes it grey and at
  most ``OCR_LONG_SIDE`` pixels long; tesseract reads it.

The CLIs are called by ``subprocess`` (no pytesseract: it only wraps the same call, and a call of our own
has the timeout and the environment we choose).

**Hostile files.** Everything that parses the file runs in a child process (``guard/extraction_child.py``,
``python -I``: no portal code, no settings, no secret in it) that first limits itself: address space
(``MEMORY_BYTES``), CPU time, and an alarm. The parent waits at most ``TOTAL_SECONDS`` and then kills the
child's whole process group (pdftoppm and tesseract with it). A DOCX or ODT whose members declare more
than ``MAX_UNZIPPED_BYTES`` is refused before a parser opens it; an image of more than
``MAX_IMAGE_PIXELS`` before it is decoded; a PDF is read for at most ``MAX_PAGES`` pages, of which at most
``MAX_OCR_PAGES`` by OCR; at most ``MAX_CHARS`` characters are kept. Nothing a file holds can raise out of
``extract``: every failure is a result with status "failed" and a problem in Danish for staff.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import signal
import subprocess
import sys
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

from portal.text import normalise_text

logger = logging.getLogger(__name__)

Status = Literal["extracted", "failed"]
KINDS = ("pdf", "docx", "odt", "jpeg", "png")

# --- Limits -----------------------------------------------------------------------------------------------

# Wall time for one attachment, everything included (start of the child, parsing, every OCR page). Ten
# scanned pages at the goal of 10 s each, with room to spare; the task's soft limit is above it.
TOTAL_SECONDS = 180
# Wall time of one program run (pdftoppm or tesseract on one page): a page that takes longer is not read.
STEP_SECONDS = 60
# The child stops reading this long before TOTAL_SECONDS, to report the pages it has read.
REPORT_SECONDS = 5
# CPU seconds of the child and, each on its own, of every program it runs (RLIMIT_CPU).
CPU_SECONDS = TOTAL_SECONDS
# Address space of the child and of each program it runs (RLIMIT_AS). Tesseract on an A4 page at 300 dpi
# needs some 150 MB, python-docx on a large document a few hundred; a ZIP or XML bomb meets MemoryError.
MEMORY_BYTES = 1536 * 1024 * 1024
# Pages of a PDF read; the rest is not read, and the problem says so (the attachment is then held).
MAX_PAGES = 200
# Pages of a PDF read by OCR (pages without a text layer that draw an image); the rest are not.
MAX_OCR_PAGES = 10
# Characters of text kept (the finders read some 1.7 million characters a second).
MAX_CHARS = 1_000_000
# What the members of a DOCX or ODT may declare to unpack to, all together, and how many there may be.
# An attachment is at most 10 MB (hearings.attachments.MAX_ATTACHMENT_BYTES); text compresses some 10:1.
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
MAX_ZIP_MEMBERS = 10_000
# Pillow's decompression-bomb bound (Image.MAX_IMAGE_PIXELS) for JPEG and PNG: 50 megapixels, a phone's
# largest photo. Above it the image is not decoded at all.
MAX_IMAGE_PIXELS = 50_000_000
# An image or a scanned page is read by OCR at most this many pixels long: an A4 page at 300 dpi, the
# resolution Tesseract is trained for. Larger photos are scaled down; a PDF page of any claimed size is
# drawn to fit.
OCR_LONG_SIDE = 3508
OCR_LANGUAGE = "dan"
# A PDF page with fewer non-blank characters in its text layer than this, and an image on it, is a scan.
MIN_TEXT_CHARS = 20
# The problem text is stored in ResponseAttachment.text_problem (300 characters).
PROBLEM_MAX_LENGTH = 300

CHILD = Path(__file__).with_name("extraction_child.py")


@dataclass(frozen=True, slots=True)
class Limits:
    """The limits of one extraction; the defaults are the module's constants (tests choose smaller)."""

    total_seconds: float = TOTAL_SECONDS
    step_seconds: float = STEP_SECONDS
    report_seconds: float = REPORT_SECONDS
    cpu_seconds: int = CPU_SECONDS
    memory_bytes: int = MEMORY_BYTES
    max_pages: int = MAX_PAGES
    max_ocr_pages: int = MAX_OCR_PAGES
    max_chars: int = MAX_CHARS
    max_unzipped_bytes: int = MAX_UNZIPPED_BYTES
    max_zip_members: int = MAX_ZIP_MEMBERS
    max_image_pixels: int = MAX_IMAGE_PIXELS
    ocr_long_side: int = OCR_LONG_SIDE
    ocr_language: str = OCR_LANGUAGE
    min_text_chars: int = MIN_TEXT_CHARS


LIMITS = Limits()


@dataclass(frozen=True, slots=True)
class Extracted:
    """What was read: ``text`` (normalised by ``portal.text.normalise_text``), ``status`` "extracted" or
    "failed", ``problem`` (Danish, for staff; "" when all went well), ``pages`` read (PDF pages, 1 for an
    image, 0 for DOCX and ODT, which have no fixed pages), ``ocr_pages`` of them read by OCR, and
    ``complete``: False when part of the file was not read (pages, OCR pages or characters past a limit, a
    page that could not be read, time), so that the text cannot vouch for the whole file."""

    text: str
    status: Status
    problem: str
    pages: int
    ocr_pages: int
    complete: bool


# --- Problems, in Danish for staff ------------------------------------------------------------------------

_KIND_NAMES = {"pdf": "PDF", "docx": "Word (DOCX)", "odt": "OpenDocument (ODT)", "jpeg": "JPEG", "png": "PNG"}

# Problems after which the text is incomplete (the file was read in part).
_PARTIAL = frozenset({"time_cut", "pages_cut", "ocr_cut", "chars_cut", "page_unreadable"})


def _number(value: int) -> str:
    """1000000 as "1.000.000", the Danish way."""
    return f"{value:,}".replace(",", ".")


def _pages(count: int) -> str:
    return "1 side" if count == 1 else f"{_number(count)} sider"


def _describe(code: str, params: dict[str, Any], kind: str, limits: Limits) -> str:
    if code == "encrypted":
        return "Filen er krypteret med en adgangskode og kan ikke læses."
    if code == "corrupt":
        return (
            f"Filen er beskadiget eller ikke en gyldig {_KIND_NAMES.get(kind, kind)}-fil og kan ikke læses."
        )
    if code == "zip_too_large":
        return (
            f"Filen ville fylde {_number(int(params.get('unzipped', 0)) // 2**20)} MB udpakket i "
            f"{_number(int(params.get('members', 0)))} dele (højst {_number(limits.max_unzipped_bytes // 2**20)} MB "
            f"i {_number(limits.max_zip_members)} dele) og er ikke læst."
        )
    if code == "image_too_large":
        size = (
            f" ({_number(params['width'])} × {_number(params['height'])} punkter)"
            if params.get("width")
            else ""
        )
        return (
            f"Billedet er for stort{size}: højst {_number(limits.max_image_pixels // 1_000_000)} millioner "
            "punkter læses. Det er ikke læst."
        )
    if code == "memory":
        return "Filen kræver for meget hukommelse at læse og er ikke læst."
    if code == "timeout":
        return f"Læsningen af filen tog for lang tid (over {_number(int(limits.total_seconds))} sekunder) og blev stoppet."
    if code == "crashed":
        return "Filen kunne ikke læses: læseren stoppede uventet."
    if code == "program_missing":
        return f"Tekstgenkendelsen kan ikke køre: programmet {params.get('program', '')} er ikke installeret på serveren."
    if code == "ocr_failed":
        return "Tekstgenkendelsen (OCR) kunne ikke læse filen."
    if code == "time_cut":
        return (
            f"Læsningen tog for lang tid: kun de første {_number(params['read'])} af "
            f"{_number(params['total'])} sider blev læst."
        )
    if code == "pages_cut":
        return f"Kun de første {_number(params['read'])} af {_number(params['total'])} sider blev læst."
    if code == "ocr_cut":
        return (
            f"Tekstgenkendelse bruges på højst {_pages(params['max_ocr_pages'])}: "
            f"{_pages(params['skipped'])} uden tekst blev ikke læst."
        )
    if code == "chars_cut":
        return f"Kun de første {_number(params['max_chars'])} tegn af teksten blev gemt."
    if code == "no_text":
        return "Filen indeholder ingen tekst, der kunne læses."
    return "Filen kunne ikke læses."


def _problem_text(problems: list[tuple[str, dict[str, Any]]], kind: str, limits: Limits) -> str:
    unreadable = [int(params["page"]) for code, params in problems if code == "page_unreadable"]
    sentences = [
        _describe(code, params, kind, limits) for code, params in problems if code != "page_unreadable"
    ]
    if unreadable:
        shown = ", ".join(str(page) for page in unreadable[:10]) + (" …" if len(unreadable) > 10 else "")
        sentences.append(
            f"Side {shown} kunne ikke læses."
            if len(unreadable) == 1
            else f"Siderne {shown} kunne ikke læses."
        )
    text = " ".join(dict.fromkeys(sentences))
    return text if len(text) <= PROBLEM_MAX_LENGTH else text[: PROBLEM_MAX_LENGTH - 1] + "…"


def _failed(code: str, kind: str, limits: Limits) -> Extracted:
    return Extracted("", "failed", _problem_text([(code, {})], kind, limits), 0, 0, complete=False)


# --- Extraction -------------------------------------------------------------------------------------------

_BLANK_LINES = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)+")
_TRAILING_SPACE = re.compile(r"[ \t]+\n")


def _clean(text: str) -> str:
    # The portal's text policy (NUL, controls, lone surrogates, noncharacters out; every line break LF),
    # then no trailing blanks on a line and no more than one empty line in a row (OCR and PDFs make many).
    text = normalise_text(text)
    return _BLANK_LINES.sub("\n\n", _TRAILING_SPACE.sub("\n", text)).strip()


def _kill(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)  # the child and what it runs (pdftoppm, tesseract)


def _run_child(spec: dict[str, Any], limits: Limits) -> tuple[subprocess.Popen[bytes], bytes, bytes]:
    """The child started on ``spec``, waited for (at most ``limits.total_seconds``), and what it wrote
    to standard output (its answer) and standard error. Raises
    ``subprocess.TimeoutExpired`` after killing its process group (and the group on any other exception)."""
    environment = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LC_ALL": "C.UTF-8"}
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and script, no shell
        [sys.executable, "-I", str(CHILD)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        env=environment, start_new_session=True,
    )  # fmt: skip
    try:
        out, err = process.communicate(json.dumps(spec).encode(), timeout=limits.total_seconds)
    except BaseException:
        # A timeout, the task's own time limit, the worker's shutdown: leave nothing running.
        _kill(process)
        process.communicate()
        raise
    return process, out, err


def extract(path: str, kind: str, *, limits: Limits = LIMITS) -> Extracted:
    """The text of the file at ``path`` of ``kind`` (one of ``KINDS``: "pdf", "docx", "odt", "jpeg",
    "png"; the kind the upload was checked to be, ``ResponseAttachment.kind``), read in a child process
    under ``limits``. Takes at most ``limits.total_seconds`` (plus the time to kill the child).

    Returns ``Extracted``; never raises for anything the file holds (a broken, encrypted, huge or hostile
    file is ``status="failed"`` with a Danish ``problem``). Raises ``ValueError`` for an unknown kind and
    ``OSError`` if the child process cannot be started at all."""
    if kind not in KINDS:
        raise ValueError(f"unknown attachment kind {kind!r}")
    # The child's pictures of pages go to a folder of ours, removed however the child ends (a killed
    # child removes nothing itself).
    with tempfile.TemporaryDirectory(prefix="guard-extraction-") as work_dir:
        spec = {"path": os.path.abspath(path), "kind": kind, "work_dir": work_dir, **asdict(limits)}
        try:
            process, out, err = _run_child(spec, limits)
        except subprocess.TimeoutExpired:
            return _failed("timeout", kind, limits)
    if err:
        logger.info("Reading a %s attachment: %s", kind, err[-1000:].decode(errors="replace"))
    if process.returncode != 0:
        stopped_by = -process.returncode
        if stopped_by in (signal.SIGXCPU, signal.SIGALRM, signal.SIGKILL):
            return _failed("timeout", kind, limits)
        return _failed("crashed", kind, limits)
    try:
        answer = json.loads(out)
        problems = [(str(code), dict(params)) for code, params in answer["problems"]]
        text = _clean(str(answer["text"]))
        pages, ocr_pages, failed = int(answer["pages"]), int(answer["ocr_pages"]), bool(answer["failed"])
    except (ValueError, KeyError, TypeError):
        return _failed("crashed", kind, limits)
    if not failed and not text and not problems:
        problems.append(("no_text", {}))
    complete = not failed and not any(code in _PARTIAL for code, _ in problems)
    return Extracted(
        text="" if failed else text,
        status="failed" if failed else "extracted",
        problem=_problem_text(problems, kind, limits),
        pages=pages,
        ocr_pages=ocr_pages,
        complete=complete,
    )
