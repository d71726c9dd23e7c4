"""The archive for the journal system (ESDH): one ZIP per hearing that staff file in GetOrganized, SBSYS,
Acadre … (README.md, "Archive for the journal system").

What the ZIP holds::

    README.txt                          what this is, in Danish
    metadata.json, metadata.xml         every document (schemas/archive-metadata-1.0.xsd)
    hoeringsnotat.pdf                   the hearing summary as it stands (UDKAST until it is published)
    hoeringsforslag.pdf                 the hearing proposal
    beslutning.pdf                      the council's decision, once one is published
    svar/0012/hoeringssvar-12.pdf       each published response: number, dates, sender, target, text
    svar/0012/bilag/01-navn.pdf         its attachments, as received

It is the municipality's own case record, not a publication. Documents received in a case are journalised
(offentlighedsloven § 15), so a response is archived as it was received: its original text, name and
organisation (a moderator's redaction for the public pages is undone here, from guard.Redaction) and every
attachment, also those withheld from the public and those a moderator replaced with a redacted copy (the
original file, guard.AttachmentOriginal). The README inside the ZIP says so. It lists the *published*
responses, each once; pending, rejected, hidden and withdrawn responses are not in it (the staff's XLSX
export lists every response with its status).

Every PDF is PDF/A-2b (documents/pdfa.py says why), validated as it is written.

Memory stays constant however many responses there are: responses are read with ``.iterator()`` and one
response's PDF is rendered (or read from storage) at a time, written into the ZIP in a temporary file
(ZIP64), and the metadata is written to temporary files as the documents go in. Each response's PDF is
stored under the SHA-256 of what it shows (``ResponseEntry.key``), so it is rendered once for all
archives of the hearing, by whichever worker renders its chunk (archive_services.py).
"""

import datetime as dt
import functools
import hashlib
import json
import re
import tempfile
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, cast
from xml.sax.saxutils import XMLGenerator
from xml.sax.xmlreader import AttributesImpl

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models import Prefetch
from django.template.loader import get_template, render_to_string
from django.utils import timezone, translation

from guard.models import Redaction
from hearings.models import Hearing, Response, ResponseAttachment

from . import pdfa
from .exports import target_text

METADATA_VERSION = "1.0"  # the metadata's format: documents/schemas/archive-metadata-1.0.xsd
METADATA_NAMESPACE = "urn:hoeringsportal:archive-metadata:1.0"
SCHEMA_PATH = Path(__file__).parent / "schemas" / "archive-metadata-1.0.xsd"
# Bump when what a response's PDF shows or how changes, so that every response is rendered anew.
LAYOUT_VERSION = "2026-12-01.1"
QUERY_CHUNK = 500  # rows per round trip when iterating responses
COPY_BUFFER = 1024 * 1024
TEMPLATES = ["documents/archive_response.html", "documents/base.html"]
STATIC = ["css/print.css"]

SUMMARY_NAME = "hoeringsnotat.pdf"
PROPOSAL_NAME = "hoeringsforslag.pdf"
DECISION_NAME = "beslutning.pdf"


@functools.cache
def _templates_digest() -> str:
    digest = hashlib.sha256()
    for path in [cast(Any, get_template(name)).origin.name for name in TEMPLATES] + [
        finders.find(n) for n in STATIC
    ]:
        digest.update(Path(path).read_bytes())
    return digest.hexdigest()


def _stamp(value: dt.datetime | None) -> str | None:
    return timezone.localtime(value).isoformat() if value else None


# --- What a response's PDF shows ------------------------------------------------------------------------


@dataclass
class AttachmentEntry:
    """One attachment as received: the citizen's file name, where its file is in storage, its size in
    bytes, whether the public may see it, and when it came."""

    name: str
    storage_name: str
    extension: str
    size: int
    public: bool
    received: dt.datetime


@dataclass
class ResponseEntry:
    """One published response: ``data`` is everything its PDF shows (plain JSON-able values)."""

    number: int
    data: dict
    attachments: list[AttachmentEntry] = field(default_factory=list)

    @functools.cached_property
    def key(self) -> str:
        """The same data through the same templates gives the same PDF: the name of the stored PDF."""
        return hashlib.sha256(json.dumps([_templates_digest(), self.data], sort_keys=True, ensure_ascii=False,
                                         default=str).encode()).hexdigest()  # fmt: skip

    @property
    def folder(self) -> str:
        return f"svar/{self.number:04d}"

    @property
    def pdf_name(self) -> str:
        return f"{self.folder}/hoeringssvar-{self.number}.pdf"


def _originals(response: Response) -> dict[str, str]:
    """{field: value as received} of the fields a moderator redacted, from the oldest redaction of each
    (whose ``original`` is the value before any redaction), unless the original was removed with the
    hearing's personal data."""
    found: dict[str, str] = {}
    for redaction in response.archive_redactions:  # type: ignore[attr-defined]
        found.setdefault(redaction.field, redaction.original)
    return found


def _attachments(response: Response) -> list[AttachmentEntry]:
    entries = []
    for attachment in response.attachments.all():
        original = getattr(attachment, "guard_original", None)
        source = original if original is not None and original.file else attachment
        entries.append(AttachmentEntry(
            name=source.original_name,
            storage_name=source.file.name,
            extension=ResponseAttachment.EXTENSIONS.get(source.kind, ""),
            size=source.size,
            public=attachment.publication == ResponseAttachment.Publication.PUBLIC,
            received=attachment.created_at,
        ))  # fmt: skip
    return entries


def archived_responses(hearing: Hearing, *, first: int | None = None, last: int | None = None):
    """The hearing's published responses (numbers ``first`` to ``last`` if given), by number, with
    their targets, attachments (and a replaced one's original) and unremoved redactions: three queries
    per ``QUERY_CHUNK`` responses when iterated."""
    responses = hearing.responses.published().select_related(
        "target_section__strategy", "target_goal__section__strategy", "target_theme__section__strategy"
    )
    if first is not None:
        responses = responses.filter(number__gte=first)
    if last is not None:
        responses = responses.filter(number__lte=last)
    return responses.prefetch_related(
        Prefetch("attachments", queryset=ResponseAttachment.objects.select_related("guard_original").order_by("pk")),
        Prefetch("redactions", queryset=Redaction.objects.filter(original_removed_at=None)
                 .order_by("created_at", "pk"), to_attr="archive_redactions"),
    ).order_by("number")  # fmt: skip


def response_entries(hearing: Hearing, *, first: int | None = None, last: int | None = None
                     ) -> Iterator[ResponseEntry]:  # fmt: skip
    """Each published response (numbers ``first`` to ``last`` if given) as archived, in number order,
    read ``QUERY_CHUNK`` at a time: memory does not grow with the number of responses."""
    with translation.override("da"):
        types = {value: str(label) for value, label in Response.RespondentType.choices}
        shared = {
            "layout": LAYOUT_VERSION,
            "hearing": hearing.title,
            "strategy": hearing.strategy.title,
            "municipality": hearing.strategy.municipality.name,
        }
        for response in archived_responses(hearing, first=first, last=last).iterator(chunk_size=QUERY_CHUNK):
            originals = _originals(response)
            attachments = _attachments(response)
            data = {
                **shared,
                "number": response.number,
                "received": _stamp(response.created_at),
                "edited": _stamp(response.edited_at),
                "published": _stamp(response.published_at),
                "sender_type": response.respondent_type,
                "sender_type_label": types.get(response.respondent_type, response.respondent_type),
                "name": originals.get("display_name", response.display_name),
                "organisation": originals.get("organisation_name", response.organisation_name),
                "postcode": response.postcode,
                "town": response.town,
                "target": target_text(response),
                "text": originals.get("text", response.text),
                "redacted": bool(originals),
                "attachments": [{"name": a.name, "public": a.public} for a in attachments],
            }
            yield ResponseEntry(number=response.number, data=data, attachments=attachments)


# --- Rendering and storing a response's PDF -------------------------------------------------------------


def stored_path(hearing_id: int, key: str) -> str:
    return f"documents/archive/{hearing_id}/{key}.pdf"


def render_response(entry: ResponseEntry) -> bytes:
    """The response's PDF/A-2b (documents.pdfa)."""
    data = entry.data
    with translation.override("da"):
        html = render_to_string("documents/archive_response.html", {
            "r": data, "content": {"municipality": {"name": data["municipality"]}},
            "received": dt.datetime.fromisoformat(data["received"]) if data["received"] else None,
            "edited": dt.datetime.fromisoformat(data["edited"]) if data["edited"] else None,
            "published": dt.datetime.fromisoformat(data["published"]) if data["published"] else None,
        })  # fmt: skip
    return pdfa.render_pdfa(html, title=f"Høringssvar nr. {entry.number}: {data['hearing']}",
                            author=data["municipality"])  # fmt: skip


def render_decision(decision: Any, hearing: Hearing) -> bytes:
    """The published decision (a ``decisions.models.Decision`` with its ``changes`` read along) as
    PDF/A-2b: date, who decided, the outcome, the minutes' address, the decision's text (Markdown,
    through the portal's one renderer) and what changed, part by part."""
    municipality = hearing.strategy.municipality.name
    with translation.override("da"):
        data = {
            "hearing": hearing.title,
            "strategy": hearing.strategy.title,
            "municipality": municipality,
            "decided_on": decision.decided_on,
            "decided_by": decision.decided_by,
            "outcome": str(decision.get_outcome_display()),
            "minutes_url": decision.minutes_url,
            "published_at": decision.published_at,
            "text": decision.text,
            "changes": [
                {"part": str(change.section) if change.section_id else "Hele strategien", "text": change.text}
                for change in decision.changes.all()
            ],
        }
        html = render_to_string(
            "documents/archive_decision.html",
            {"d": data, "content": {"municipality": {"name": municipality}}},
        )
    return pdfa.render_pdfa(html, title=f"Beslutning: {hearing.title}", author=municipality)


def ensure_response_pdf(hearing_id: int, entry: ResponseEntry) -> tuple[bytes, bool]:
    """The stored PDF of ``entry``, rendered and stored now if it was not: (bytes, rendered now)."""
    path = stored_path(hearing_id, entry.key)
    try:
        with default_storage.open(path, "rb") as stored:
            return stored.read(), False
    except FileNotFoundError:
        pass
    data = render_response(entry)
    if not default_storage.exists(path):  # another worker may have stored it meanwhile
        default_storage.save(path, ContentFile(data))
    return data, True


def render_missing(hearing: Hearing, *, first: int, last: int, progress: Callable[[int], None]) -> int:
    """Render and store the PDFs of the published responses numbered ``first`` to ``last`` that are not
    stored yet; ``progress(n)`` is called with the number of responses seen so far, every few. Returns how
    many were rendered."""
    rendered = seen = 0
    for entry in response_entries(hearing, first=first, last=last):
        if not default_storage.exists(stored_path(hearing.pk, entry.key)):
            ensure_response_pdf(hearing.pk, entry)
            rendered += 1
        seen += 1
        if seen % 10 == 0:
            progress(seen)
    progress(seen)
    return rendered


def remove_unused_responses(hearing_id: int, keep: set[str]) -> None:
    """The stored response PDFs of the hearing that no archive of its current content uses: gone."""
    directory = f"documents/archive/{hearing_id}"
    try:
        _dirs, files = default_storage.listdir(directory)
    except FileNotFoundError:
        return
    for name in files:
        if name.rsplit(".", 1)[0] not in keep:
            default_storage.delete(f"{directory}/{name}")


# --- Writing the ZIP -------------------------------------------------------------------------------------


_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]+")


def safe_file_name(name: str, *, extension: str, index: int) -> str:
    """An attachment's name in the ZIP: its position (``01-``), the citizen's name without path
    separators, control or reserved characters (at most 80 characters), and the extension of the type it
    was checked to be. Never empty, never a path."""
    stem = unicodedata.normalize("NFC", name)
    if extension and stem.lower().endswith(extension):
        stem = stem[: -len(extension)]
    elif "." in stem and extension:
        stem = stem.rsplit(".", 1)[0]
    stem = _UNSAFE.sub("_", stem).strip(" ._")[:80] or "bilag"
    return f"{index:02d}-{stem}{extension}"


def _zip_time(value: dt.datetime | None) -> tuple[int, int, int, int, int, int]:
    local = timezone.localtime(value or timezone.now())
    return (max(local.year, 1980), local.month, local.day, local.hour, local.minute, local.second)


@dataclass
class Written:
    name: str
    sha256: str
    size: int


class _Zip:
    """A ZipFile written entry by entry, each entry's SHA-256 and size counted as it is written."""

    def __init__(self, file: IO[bytes]) -> None:
        self.zip = zipfile.ZipFile(file, "w", allowZip64=True)

    def add(self, name: str, source: bytes | IO[bytes], *, when: dt.datetime | None = None,
            compress: bool = False, size: int | None = None) -> Written:  # fmt: skip
        info = zipfile.ZipInfo(name, date_time=_zip_time(when))
        info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
        info.external_attr = 0o644 << 16
        if isinstance(source, bytes):
            info.file_size = len(source)
        elif size is not None:
            info.file_size = size
        digest, written = hashlib.sha256(), 0
        with self.zip.open(info, "w", force_zip64=size is None and not isinstance(source, bytes)) as out:
            if isinstance(source, bytes):
                out.write(source)
                digest.update(source)
                written = len(source)
            else:
                while chunk := source.read(COPY_BUFFER):
                    out.write(chunk)
                    digest.update(chunk)
                    written += len(chunk)
        return Written(name, digest.hexdigest(), written)

    def close(self) -> None:
        self.zip.close()


class MetadataWriter:
    """The metadata's two files, written to temporary files one document at a time (JSON and XML with
    the same fields), so 10,000 responses do not sit in memory."""

    def __init__(self, archive: dict) -> None:
        self.json = tempfile.TemporaryFile()  # noqa: SIM115 (closed in close())
        self.xml_file = tempfile.TemporaryFile()  # noqa: SIM115
        self.first = True
        self.count = 0
        self._json(f'{{\n"archive": {json.dumps(archive, ensure_ascii=False)},\n"documents": [\n')
        self.xml = XMLGenerator(self.xml_file, encoding="utf-8", short_empty_elements=True)
        self.xml.startDocument()
        self._start("archive", {"xmlns": METADATA_NAMESPACE, "version": archive["version"],
                                          "created": archive["created"]})  # fmt: skip
        hearing = archive["hearing"]
        self._start("hearing", {"id": str(hearing["id"])})
        for key, element in (("title", "title"), ("municipality", "municipality"), ("strategy", "strategy"),
                             ("opens_at", "opens"), ("closes_at", "closes")):  # fmt: skip
            self._element(element, hearing[key])
        self.xml.endElement("hearing")
        self._element("pdfVariant", archive["pdf_variant"])
        self._start("documents", {})

    def _json(self, text: str) -> None:
        self.json.write(text.encode("utf-8"))

    def _start(self, name: str, attrs: dict[str, str]) -> None:
        self.xml.startElement(name, AttributesImpl(attrs))

    def _element(self, name: str, text: str, attrs: dict[str, str] | None = None) -> None:
        self._start(name, attrs or {})
        self.xml.characters(text)
        self.xml.endElement(name)

    def add(self, document: dict) -> None:
        """One document: ``kind`` (summary, proposal, decision, response, attachment), ``file``,
        ``title``, ``sha256``, ``size`` (bytes), ``media_type``, and where they apply ``number``, ``date``
        (ISO 8601), ``sender_type`` and ``sender_type_label``, ``sender``, ``organisation``, ``target``,
        ``response`` (the number of the response it belongs to) and ``public``."""
        self.count += 1
        self._json(("" if self.first else ",\n") + json.dumps(document, ensure_ascii=False))
        self.first = False
        self._start("document", {"kind": document["kind"], "file": document["file"]})
        self._element("title", document["title"])
        if document.get("number") is not None:
            self._element("number", str(document["number"]))
        if document.get("date"):
            self._element("date", document["date"])
        if document.get("sender_type"):
            self._element("senderType", document["sender_type_label"], {"code": document["sender_type"]})
        for key, element in (("sender", "sender"), ("organisation", "organisation"), ("target", "target")):
            if document.get(key):
                self._element(element, document[key])
        if document.get("response") is not None:
            self._element("response", str(document["response"]))
        self._element("mediaType", document["media_type"])
        self._element("size", str(document["size"]))
        self._element("sha256", document["sha256"])
        if document.get("public") is not None:
            self._element("public", "true" if document["public"] else "false")
        self.xml.endElement("document")

    def finish(self) -> tuple[IO[bytes], IO[bytes]]:
        """The JSON and XML files (UTF-8 bytes), complete and rewound."""
        self._json("\n]\n}\n")
        self.xml.endElement("documents")
        self.xml.endElement("archive")
        self.xml.endDocument()
        self.json.seek(0)
        self.xml_file.seek(0)
        return self.json, self.xml_file

    def close(self) -> None:
        self.json.close()
        self.xml_file.close()


@dataclass
class Ready:
    """A PDF made for the portal that goes into the archive (converted to PDF/A): its storage name, title
    and date."""

    storage_name: str
    title: str
    date: dt.datetime | None


@dataclass
class Packed:
    responses: int = 0
    attachments: int = 0
    documents: int = 0
    rendered: int = 0
    keys: set[str] = field(default_factory=set)


def write_archive(file: IO[bytes], *, hearing: Hearing, summary: Ready | None, proposal: Ready | None,
                  decision: tuple[bytes, str, dt.date] | None, progress: Callable[[int], None],
                  now: dt.datetime | None = None) -> Packed:  # fmt: skip
    """Write the archive of ``hearing`` to ``file`` (a seekable binary file): the summary and proposal
    (converted to PDF/A-2b), the decision's PDF/A bytes, each published response's PDF (from storage,
    rendered now if missing) with its attachments, the metadata and the README. ``progress(n)`` is called
    with the number of responses written so far, every few. Raises pdfa.PdfaError, OSError."""
    now = now or timezone.now()
    municipality = hearing.strategy.municipality.name
    archive = {
        "version": METADATA_VERSION,
        "created": _stamp(now),
        "pdf_variant": pdfa.LABEL,
        "hearing": {
            "id": hearing.pk,
            "title": hearing.title,
            "municipality": municipality,
            "strategy": hearing.strategy.title,
            "opens_at": _stamp(hearing.opens_at),
            "closes_at": _stamp(hearing.closes_at),
        },
    }
    packed = Packed()
    out = _Zip(file)
    meta = MetadataWriter(archive)
    try:
        with translation.override("da"):
            for kind, ready, name in (
                ("summary", summary, SUMMARY_NAME),
                ("proposal", proposal, PROPOSAL_NAME),
            ):
                if ready is None:
                    continue
                with default_storage.open(ready.storage_name, "rb") as stored:
                    data = pdfa.to_pdfa(stored.read())
                written = out.add(name, data, when=ready.date)
                meta.add({"kind": kind, "file": name, "title": ready.title, "date": _stamp(ready.date),
                          "media_type": "application/pdf", "size": written.size, "sha256": written.sha256})  # fmt: skip
                packed.documents += 1
            if decision is not None:
                data, title, decided_on = decision
                written = out.add(DECISION_NAME, data, when=now)
                meta.add({"kind": "decision", "file": DECISION_NAME, "title": title,
                          "date": decided_on.isoformat(), "media_type": "application/pdf",
                          "size": written.size, "sha256": written.sha256})  # fmt: skip
                packed.documents += 1
            for entry in response_entries(hearing):
                _write_response(out, meta, hearing, entry, packed)
                if packed.responses % 10 == 0:
                    progress(packed.responses)
            progress(packed.responses)
            json_file, xml_file = meta.finish()
            out.add("metadata.json", json_file, when=now, compress=True)
            out.add("metadata.xml", xml_file, when=now, compress=True)
            out.add(
                "README.txt", readme(archive=archive, packed=packed).encode("utf-8"), when=now, compress=True
            )
    finally:
        meta.close()
        out.close()
    return packed


def _write_response(out: _Zip, meta: MetadataWriter, hearing: Hearing, entry: ResponseEntry,
                    packed: Packed) -> None:  # fmt: skip
    data = entry.data
    pdf, rendered = ensure_response_pdf(hearing.pk, entry)
    packed.rendered += int(rendered)
    packed.keys.add(entry.key)
    received = dt.datetime.fromisoformat(data["received"]) if data["received"] else None
    written = out.add(entry.pdf_name, pdf, when=received)
    sender = {"sender_type": data["sender_type"], "sender_type_label": data["sender_type_label"],
              "sender": data["name"], "organisation": data["organisation"]}  # fmt: skip
    meta.add({"kind": "response", "file": entry.pdf_name, "title": f"Høringssvar nr. {entry.number}",
              "number": entry.number, "date": data["received"], **sender, "target": data["target"],
              "response": entry.number, "media_type": "application/pdf", "size": written.size,
              "sha256": written.sha256, "public": True})  # fmt: skip
    packed.responses += 1
    for index, attachment in enumerate(entry.attachments, start=1):
        name = f"{entry.folder}/bilag/{safe_file_name(attachment.name, extension=attachment.extension, index=index)}"
        with default_storage.open(attachment.storage_name, "rb") as source:
            written = out.add(name, source, when=attachment.received, size=attachment.size)
        meta.add({"kind": "attachment", "file": name, "title": attachment.name,
                  "date": _stamp(attachment.received), **sender, "response": entry.number,
                  "media_type": _media_type(attachment.extension), "size": written.size,
                  "sha256": written.sha256, "public": attachment.public})  # fmt: skip
        packed.attachments += 1


_MEDIA_TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".jpg": "image/jpeg",
    ".png": "image/png",
}


def _media_type(extension: str) -> str:
    return _MEDIA_TYPES.get(extension, "application/octet-stream")


def readme(*, archive: dict, packed: Packed) -> str:
    """The README.txt of the ZIP, in Danish (the archive is filed by Danish municipal staff)."""
    hearing = archive["hearing"]
    with translation.override("da"):
        return render_to_string("documents/archive_readme.txt", {
            "archive": archive, "hearing": hearing, "packed": packed, "pdf_variant": pdfa.LABEL,
            "schema": SCHEMA_PATH.name, "site": settings.SITE_URL,
            "created": dt.datetime.fromisoformat(archive["created"]),
        }).replace("\n", "\r\n")  # fmt: skip


def archive_file_name(hearing: Hearing) -> str:
    """ASCII only, nothing from the hearing's title: safe in any Content-Disposition and file system."""
    return f"arkiv-hoering-{hearing.pk}.zip"
