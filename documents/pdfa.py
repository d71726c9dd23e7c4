"""PDF/A for the archive for the journal system: every PDF in it is PDF/A-2b (ISO 19005-2, level B).

Why PDF/A-2b:

- PDF/A is what archives and journal systems (ESDH) accept for long-term keeping: every font embedded,
  colours with an ICC output intent, no JavaScript, no encryption, metadata in XMP.
- Part 2 rather than part 1: PDF/A-1 is PDF 1.4 and forbids transparency; WeasyPrint writes PDF 1.7 and
  our documents may use transparency. Part 2 rather than part 3: PDF/A-3 only adds files of any type
  embedded in the PDF, and the archive keeps the citizens' attachments as files beside the PDFs, as
  received; several archives refuse PDF/A-3 for that reason.
- Level B ("basic": the pages look the same in fifty years) rather than A or U: it is the level that
  pikepdf's PDF/A validator checks (``pikepdf.pdfa``, 1b/2b/3b), so every PDF we put in an archive is
  validated as it is written, not just labelled. The PDFs are still tagged (WeasyPrint's ``pdf_tags``;
  the reused summary and proposal keep their PDF/UA-1 structure tree), so they stay accessible.

Two ways in, one way out:

- what the archive renders itself (each response, the decision) is rendered by WeasyPrint with
  ``pdf_variant="pdf/a-2b"`` and ``pdf_tags=True`` (``render_pdfa``);
- the hearing summary and proposal are reused as rendered for the portal (PDF/UA-1, the summary joined from
  parts by pikepdf) and converted (``to_pdfa``): an sRGB output intent, annotations set to print, the XMP
  packet rewritten with the PDF/A identification (its ``pdfuaid:part`` is dropped, as PDF/A-2 allows no
  XMP property that no extension schema declares).

Both end in ``to_pdfa``, which prepares and writes the file with ``pikepdf.pdfa`` and validates the
bytes written: a file that fails PDF/A-2b raises ``PdfaError`` rather than land in an archive.
(WeasyPrint writes empty ``/Pattern`` and ``/Shading`` resource dictionaries, which the validator does
not read: empty ones are dropped first.)
"""

import io
import logging

import pikepdf

from .pdf import weasyprint_html

WEASYPRINT_VARIANT = "pdf/a-2b"
FLAVOUR = "2b"
LABEL = "PDF/A-2b"  # as the archive's README and metadata name it

_EMPTY_UNREAD = ("/Pattern", "/Shading")

logger = logging.getLogger(__name__)


class PdfaError(Exception):
    """A PDF could not be made PDF/A-2b; the message says why (in English, for the log and the job)."""


def render_pdfa(html: str, *, title: str, author: str) -> bytes:
    """PDF/A-2b bytes of ``html`` (tagged, Danish, with title and author), validated by ``to_pdfa``.
    Fetches only the portal's static files (documents.pdf). Raises PdfaError."""
    document = weasyprint_html(html).render(pdf_variant=WEASYPRINT_VARIANT, pdf_tags=True)
    document.metadata.lang = "da"
    document.metadata.title = title
    document.metadata.authors = [author]
    return to_pdfa(document.write_pdf(pdf_variant=WEASYPRINT_VARIANT, pdf_tags=True))


def to_pdfa(data: bytes) -> bytes:
    """``data`` (a PDF that WeasyPrint wrote, or our joined summary) as PDF/A-2b, validated as written.
    Raises PdfaError when the result fails pikepdf's PDF/A-2b validator. A construct the validator does
    not read (a CSS gradient's shading) leaves the verdict "not checked": the file is kept, declared, and
    the log says so."""
    from pikepdf import pdfa  # its JSON schemas load on import: only processes that pack archives pay

    with pikepdf.open(io.BytesIO(data)) as pdf:
        for obj in pdf.objects:
            resources = (
                obj.get("/Resources") if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream) else None
            )
            if isinstance(resources, pikepdf.Dictionary):
                for key in _EMPTY_UNREAD:
                    value = resources.get(key)
                    if isinstance(value, pikepdf.Dictionary) and len(value.keys()) == 0:
                        del resources[key]
        pdfa.prepare(pdf, FLAVOUR)
        save_kwargs = pdfa.resolve_save_kwargs(FLAVOUR)
        out = io.BytesIO()
        pdf.save(out, **save_kwargs)
    out.seek(0)
    report = pdfa.validate_written(out, FLAVOUR, save_kwargs=save_kwargs)
    if report.verdict == "fail":
        raise PdfaError(str(report)[:2000])
    if report.verdict != "pass":
        logger.warning("PDF/A-2b not fully checked: %s", str(report)[:2000])
    return out.getvalue()


def pdfa_identification(data: bytes) -> tuple[str | None, str | None, bool]:
    """What a PDF claims: its XMP ``pdfaid:part`` and ``pdfaid:conformance`` (None when missing) and
    whether its catalogue has an output intent."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        meta = pdf.open_metadata()
        return (
            meta.get("pdfaid:part"),
            meta.get("pdfaid:conformance"),
            len(pdf.Root.get("/OutputIntents", [])) > 0,
        )
