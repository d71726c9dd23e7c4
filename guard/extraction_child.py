"""The child process of ``guard.extraction``: parses one attachment under resource limits, prints JSON.

Run only by ``guard.extraction.extract`` as ``python -I guard/extraction_child.py``, with the job on
standard input (JSON: ``path``, ``kind`` and the limits, see ``guard.extraction.Limits``) and the result
on standard output (JSON: ``text``, ``pages``, ``page_count``, ``ocr_pages``, ``problems``, a list of
``[code, {params}]``, and ``failed``, a boolean). The parent turns the codes into Danish text for staff.

Isolated (``-I``): it imports nothing of the portal, only the standard library and the parsers, so a
hostile file meets a process that holds no settings, no database connection and no secret. Before it
reads anything it limits itself (``RLIMIT_AS``, ``RLIMIT_CPU``, an alarm for wall time); the programs it
runs (pdftoppm, tesseract) inherit those limits and get their own timeouts.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import resource
import signal
import subprocess
import sys
import time
import warnings
import zipfile
from collections.abc import Iterator
from typing import Any

Problem = tuple[str, dict[str, Any]]


class Failed(Exception):
    """The file cannot be read: ``code`` (``guard.extraction._describe`` says it in Danish) and its parameters."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


def unreadable(error: BaseException, job: Job) -> Failed:
    """The failure a parser's error stands for: "memory" if it ran out of the address space it had (lxml
    says only "unknown error" then, so a peak near the limit counts too), else "corrupt"."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux
    if isinstance(error, MemoryError) or peak >= job.memory_bytes // 2:
        return Failed("memory")
    return Failed("corrupt")


class Job:
    """What the parent asked for: the file, its kind and the limits (``guard.extraction.Limits``)."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self.path: str = spec["path"]
        self.kind: str = spec["kind"]
        self.total_seconds: float = spec["total_seconds"]
        self.step_seconds: float = spec["step_seconds"]
        self.max_pages: int = spec["max_pages"]
        self.max_ocr_pages: int = spec["max_ocr_pages"]
        self.max_chars: int = spec["max_chars"]
        self.max_unzipped_bytes: int = spec["max_unzipped_bytes"]
        self.max_zip_members: int = spec["max_zip_members"]
        self.max_image_pixels: int = spec["max_image_pixels"]
        self.ocr_long_side: int = spec["ocr_long_side"]
        self.ocr_language: str = spec["ocr_language"]
        self.min_text_chars: int = spec["min_text_chars"]
        self.memory_bytes: int = spec["memory_bytes"]
        # A folder of the parent's for pictures of pages; the parent removes it, however the child ends.
        self.work_dir: str = spec["work_dir"]
        # The child stops reading this long before the parent's deadline, to report what it has.
        self.deadline: float = time.monotonic() + self.total_seconds - float(spec["report_seconds"])

    def left(self) -> float:
        return self.deadline - time.monotonic()


class Result:
    def __init__(self) -> None:
        self.parts: list[str] = []
        self.chars = 0
        self.pages = 0
        self.page_count = 0
        self.ocr_pages = 0
        self.problems: list[Problem] = []
        self.full = False  # max_chars reached: nothing more is kept

    def add(self, text: str, job: Job) -> None:
        if self.full or not text:
            return
        room = job.max_chars - self.chars
        if len(text) > room:
            text = text[:room]
            self.full = True
            self.problems.append(("chars_cut", {"max_chars": job.max_chars}))
        self.parts.append(text)
        self.chars += len(text) + 2


# --- Programs ---------------------------------------------------------------------------------------------


def run(args: list[str], job: Job, *, step: bool = True) -> bytes:
    """Run a program (pdftoppm, tesseract) with a timeout of the time left (and of one step); its output."""
    timeout = min(job.left(), job.step_seconds) if step else job.left()
    if timeout <= 0:
        raise TimeoutError
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "OMP_THREAD_LIMIT": "1", "LC_ALL": "C.UTF-8"}
    try:
        done = subprocess.run(args, capture_output=True, timeout=timeout, env=env, check=False)  # noqa: S603
    except FileNotFoundError as error:  # not installed (make setup and the Dockerfile install both)
        raise Failed("program_missing", program=args[0]) from error
    if done.returncode != 0:
        raise Failed(
            "ocr_failed",
            program=os.path.basename(args[0]),
            detail=done.stderr[-300:].decode(errors="replace"),
        )
    return done.stdout


def ocr(image_path: str, job: Job) -> str:
    """Tesseract's text of an image file, in the job's language (Danish)."""
    # Page segmentation 3 (automatic, Tesseract's default); the LSTM engine of the Danish model.
    out = run(["tesseract", image_path, "stdout", "-l", job.ocr_language, "--psm", "3"], job)
    return out.decode("utf-8", errors="replace")


# --- Images -----------------------------------------------------------------------------------------------


def read_image(job: Job, result: Result) -> None:
    from PIL import Image, ImageOps  # imported in this child only, as are all parsers

    Image.MAX_IMAGE_PIXELS = job.max_image_pixels
    with warnings.catch_warnings():
        # Above MAX_IMAGE_PIXELS Pillow only warns (it raises above twice that): refuse both.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(job.path) as image:
                width, height = image.size
                if width * height > job.max_image_pixels:
                    raise Failed("image_too_large", width=width, height=height)
                image.load()
                prepared = ImageOps.exif_transpose(image).convert("L")
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise Failed("image_too_large", width=0, height=0) from error
        except (OSError, SyntaxError, ValueError) as error:  # Pillow's errors for a broken image
            raise Failed("corrupt") from error
    if max(prepared.size) > job.ocr_long_side:
        prepared.thumbnail((job.ocr_long_side, job.ocr_long_side))
    # Uncompressed (PGM): writing and reading it is a tenth of a second, a PNG's zlib a second or two.
    pgm = os.path.join(job.work_dir, "image.pgm")
    prepared.save(pgm, "PPM")
    result.page_count = result.pages = result.ocr_pages = 1
    result.add(ocr(pgm, job), job)


# --- PDF --------------------------------------------------------------------------------------------------

_INLINE_IMAGE = re.compile(rb"(?<![A-Za-z])BI(?![A-Za-z])")


def _has_image(page: Any) -> bool:
    """True if the page draws an image (an image or form XObject, or an inline image): a page to OCR."""
    try:
        resources = page.get("/Resources")
        xobjects = resources.get_object().get("/XObject") if resources is not None else None
        if xobjects is not None:
            for ref in xobjects.get_object().values():
                if ref.get_object().get("/Subtype") in ("/Image", "/Form"):
                    return True
        contents = page.get_contents()
        return contents is not None and _INLINE_IMAGE.search(contents.get_data()) is not None
    except Exception:  # noqa: BLE001 - a broken resource dictionary: try OCR rather than skip the page
        return True


def _ocr_pdf_page(job: Job, number: int) -> str:
    root = os.path.join(job.work_dir, f"page-{number}")
    # The page drawn in grey so that its long side has ocr_long_side pixels (an A4 page at 300 dpi),
    # whatever size the PDF claims: a page of 5 m × 5 m is not drawn at 300 dpi. Uncompressed (PGM): a
    # PNG's zlib would take longer than the drawing.
    run(
        ["pdftoppm", "-f", str(number), "-l", str(number), "-singlefile", "-gray",
         "-scale-to", str(job.ocr_long_side), job.path, root],
        job,
    )  # fmt: skip
    text = ocr(root + ".pgm", job)
    os.unlink(root + ".pgm")
    return text


def read_pdf(job: Job, result: Result) -> None:
    from pypdf import PdfReader  # imported in this child only, as are all parsers
    from pypdf.errors import DependencyError, FileNotDecryptedError

    try:
        reader = PdfReader(job.path, strict=False)
        if reader.is_encrypted:
            # Many PDFs are encrypted with an empty user password (only printing or copying restricted).
            try:
                if not reader.decrypt(""):
                    raise Failed("encrypted")
            except (FileNotDecryptedError, DependencyError, NotImplementedError) as error:
                raise Failed("encrypted") from error
        page_count = len(reader.pages)
    except Failed:
        raise
    except Exception as error:  # noqa: BLE001 - pypdf on a damaged file raises many kinds
        raise unreadable(error, job) from error
    result.page_count = page_count
    skipped_ocr = 0
    for index in range(min(page_count, job.max_pages)):
        if job.left() <= 0:
            if not result.pages:
                raise TimeoutError
            result.problems.append(("time_cut", {"read": result.pages, "total": page_count}))
            break
        if result.full:
            break
        try:
            page = reader.pages[index]
            text = page.extract_text() or ""
        except Exception as error:  # noqa: BLE001 - pypdf on a damaged page raises many kinds
            if page_count == 1 or isinstance(error, MemoryError):
                raise unreadable(error, job) from error
            result.problems.append(("page_unreadable", {"page": index + 1}))
            text = ""
            page = None
        if page is not None and len("".join(text.split())) < job.min_text_chars and _has_image(page):
            if result.ocr_pages >= job.max_ocr_pages:
                skipped_ocr += 1
            else:
                try:
                    text = _ocr_pdf_page(job, index + 1) + "\n" + text
                    result.ocr_pages += 1
                except (subprocess.TimeoutExpired, TimeoutError):
                    if not result.pages:
                        raise
                    result.problems.append(("time_cut", {"read": result.pages, "total": page_count}))
                    break
                except Failed as error:
                    if page_count == 1 or error.code == "program_missing":
                        raise
                    result.problems.append(("page_unreadable", {"page": index + 1}))
        result.add(text, job)
        result.pages += 1
    if page_count > job.max_pages and not any(code == "time_cut" for code, _ in result.problems):
        result.problems.append(("pages_cut", {"read": result.pages, "total": page_count}))
    if skipped_ocr:
        result.problems.append(("ocr_cut", {"max_ocr_pages": job.max_ocr_pages, "skipped": skipped_ocr}))


# --- DOCX and ODT -----------------------------------------------------------------------------------------


def check_zip(job: Job) -> None:
    """Refuse a ZIP container (DOCX, ODT) whose members would unpack to more than the limits, by their
    declared sizes, before any parser opens it. (zipfile never inflates a member past its declared size: a
    member that lies about it fails its CRC check instead.)"""
    try:
        with zipfile.ZipFile(job.path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise Failed("corrupt") from error
    total = sum(member.file_size for member in members)
    if len(members) > job.max_zip_members or total > job.max_unzipped_bytes:
        raise Failed("zip_too_large", unzipped=total, members=len(members))


def _walk_text(element: Any, paragraph_tags: frozenset[str], text_tag: str, tab_tag: str, break_tags: frozenset[str]) -> Iterator[str]:  # fmt: skip
    # In document order: a line break before each paragraph (nested ones, as in text boxes, too).
    for node in element.iter():
        tag = node.tag
        if tag in paragraph_tags:
            yield "\n"
        elif tag == text_tag:
            yield node.text or ""
        elif tag == tab_tag:
            yield "\t"
        elif tag in break_tags:
            yield "\n"


def read_docx(job: Job, result: Result) -> None:
    check_zip(job)
    import docx  # imported in this child only, as are all parsers
    from docx.opc.part import XmlPart
    from docx.oxml.ns import qn

    try:
        document = docx.Document(job.path)
    except Exception as error:  # noqa: BLE001 - python-docx's, lxml's and zipfile's errors alike
        raise unreadable(error, job) from error
    # The body, then headers and footers (a letterhead's address and phone number), footnotes, endnotes
    # and comments: every XML part of the document that holds paragraphs.
    wanted = re.compile(r"/word/(document|header\d*|footer\d*|footnotes|endnotes|comments)\.xml")
    parts = sorted(
        (part for part in document.part.package.iter_parts() if isinstance(part, XmlPart)
         and wanted.fullmatch(str(part.partname))),
        key=lambda part: (str(part.partname) != "/word/document.xml", str(part.partname)),
    )  # fmt: skip
    tags = (frozenset({qn("w:p")}), qn("w:t"), qn("w:tab"), frozenset({qn("w:br"), qn("w:cr")}))
    for part in parts:
        result.add("".join(_walk_text(part.element, *tags)).strip("\n"), job)


def read_odt(job: Job, result: Result) -> None:
    check_zip(job)
    from odf import opendocument  # imported in this child only, as are all parsers

    printed = io.StringIO()
    try:
        # odfpy prints a part it could not parse to standard output (our answer's channel) and goes on.
        with contextlib.redirect_stdout(printed):
            document = opendocument.load(job.path)
    except Exception as error:  # noqa: BLE001 - odfpy raises whatever its zip and XML libraries raise
        raise unreadable(error, job) from error
    if "SAX FAILED TO PARSE" in printed.getvalue():
        raise Failed("corrupt")
    text_ns = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
    # The body, then the page styles' headers and footers.
    for root in (document.text, document.masterstyles):
        result.add("".join(_walk_odf(root, text_ns)).strip("\n"), job)


def _walk_odf(node: Any, text_ns: str) -> Iterator[str]:
    # odfpy's own tree: elements have qname (namespace, local name) and childNodes; text nodes have data.
    stack = [node]
    while stack:
        current = stack.pop()
        if current.nodeType == current.TEXT_NODE:
            yield str(current.data)
            continue
        namespace, name = getattr(current, "qname", (None, None))
        if namespace == text_ns:
            if name in ("p", "h"):
                yield "\n"
            elif name == "s":
                yield " " * int(current.attributes.get((text_ns, "c"), "1") or 1)
            elif name == "tab":
                yield "\t"
            elif name == "line-break":
                yield "\n"
        stack.extend(reversed(current.childNodes))


# --- Main -------------------------------------------------------------------------------------------------

READERS = {"pdf": read_pdf, "docx": read_docx, "odt": read_odt, "jpeg": read_image, "png": read_image}


def limit_self(spec: dict[str, Any]) -> None:
    """Limits of this process (and of every program it runs), set before the file is opened."""
    memory = int(spec["memory_bytes"])
    cpu = int(spec["cpu_seconds"])
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 5))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    # Wall time: the parent kills the child at total_seconds; this ends it too if the parent is gone.
    signal.alarm(int(spec["total_seconds"]) + 5)


def main() -> None:
    spec = json.load(sys.stdin)
    limit_self(spec)
    answer = sys.stdout
    sys.stdout = sys.stderr  # a parser's stray print never mixes into the answer
    job = Job(spec)
    result = Result()
    failed = False
    try:
        READERS[job.kind](job, result)
    except Failed as error:
        failed = True
        result.problems.append((error.code, error.params))
    except MemoryError:
        failed = True
        result.problems.append(("memory", {}))
    except (TimeoutError, subprocess.TimeoutExpired):
        failed = not result.pages
        result.problems.append(
            ("time_cut" if result.pages else "timeout", {"read": result.pages, "total": result.page_count})
        )
    except Exception as error:  # noqa: BLE001 - whatever else a parser raises on a hostile file
        failed = True
        result.problems.append((unreadable(error, job).code, {}))
        print(f"{type(error).__name__}: {error}"[:500], file=sys.stderr)
    json.dump(
        {
            "text": "\n\n".join(result.parts), "pages": result.pages, "page_count": result.page_count,
            "ocr_pages": result.ocr_pages, "problems": result.problems, "failed": failed,
        },
        answer,
    )  # fmt: skip


if __name__ == "__main__":
    main()
