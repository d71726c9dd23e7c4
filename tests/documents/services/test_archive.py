"""The archive for the journal system (ESDH): what the ZIP holds, its metadata and schema, PDF/A, and
the work that makes it.

Decisions (documents/archive.py): the archive is the municipality's case record, so it lists every
*published* response once, as received (the original text before a moderator's redaction, every
attachment also when withheld from the public, the original of a replaced attachment), and nothing of a
pending, rejected, hidden or withdrawn response. Every PDF is PDF/A-2b."""

import datetime as dt
import hashlib
import io
import json
import os
import subprocess
import zipfile

import pikepdf
import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from lxml import etree

from documents import archive, archive_services
from documents.models import ArchiveJob, RenderedDocument
from documents.pdfa import pdfa_identification
from guard.models import AttachmentOriginal, Redaction
from tests.guard.attachment_factories import attach
from tests.hearings.factories import ResponseFactory
from tests.helpers import pdf_bytes, png_bytes

CPR = "010203-1234"
ORIGINAL = f"Mit CPR-nummer er {CPR}, og jeg vil have flere cykelstier."
REDACTED = "Mit CPR-nummer er [udeladt], og jeg vil have flere cykelstier."


@pytest.fixture
def closed_hearing(vallensbaek, section5):
    from tests.hearings.factories import HearingFactory

    now = timezone.now()
    return HearingFactory(strategy=vallensbaek, title="Høring om kommuneplanstrategien",
                          opens_at=now - dt.timedelta(days=30), closes_at=now - dt.timedelta(days=1))  # fmt: skip


@pytest.fixture
def hearing(closed_hearing, section5, moderator):
    first = ResponseFactory(hearing=closed_hearing, number=1, display_name="Åse Ørsted",
                            text="Første svar om hele strategien.")  # fmt: skip
    attach(first, "Høringssvar fra Åse.pdf", publication="public", content=pdf_bytes("offentligt bilag"))
    attach(first, "../../etc/foto.png", publication="withheld", content=png_bytes(), kind="png")
    second = ResponseFactory(hearing=closed_hearing, number=2, target_section=section5, display_name="Bo",
                             respondent_type="association", organisation_name="Vallensbæk Idrætsforening",
                             text=REDACTED)  # fmt: skip
    Redaction.objects.create(response=second, field="text", original=ORIGINAL, spans=[[18, 29]], reason="cpr",
                             actor=moderator, created_at=timezone.now())  # fmt: skip
    replaced = attach(second, "brev.pdf", content=pdf_bytes("redigeret kopi"))
    original = attach(second, "brev.pdf", content=pdf_bytes("ORIGINALT BREV"))
    AttachmentOriginal.objects.create(attachment=replaced, file=original.file.name, original_name="brev original.pdf",
                                      kind="pdf", size=original.size, actor=moderator,
                                      replaced_at=timezone.now())  # fmt: skip
    original.delete()  # the file stays: it is the replaced attachment's original now
    for number, status in ((3, "pending"), (4, "rejected"), (5, "hidden"), (6, "withdrawn")):
        ResponseFactory(hearing=closed_hearing, number=number, status=status, text=f"IKKE MED {status}")
    ResponseFactory(
        hearing=closed_hearing, number=7, display_name="Carl", text="Tredje offentliggjorte svar."
    )
    closed_hearing.last_response_number = 7
    closed_hearing.save()
    return closed_hearing


def build(hearing, django_capture_on_commit_callbacks, user=None) -> ArchiveJob:
    with django_capture_on_commit_callbacks(execute=True):
        job = archive_services.request_archive(hearing=hearing, user=user)
    job.refresh_from_db()
    return job


def members(job: ArchiveJob) -> dict[str, bytes]:
    with job.file.open("rb") as file, zipfile.ZipFile(io.BytesIO(file.read())) as zipped:
        return {name: zipped.read(name) for name in zipped.namelist()}


def pdf_text(data: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


def test_the_zip_lists_every_published_response_once_with_its_attachments_and_matching_checksums(
    hearing, django_capture_on_commit_callbacks
):
    job = build(hearing, django_capture_on_commit_callbacks)
    assert (job.status, job.error, job.total, job.done) == ("done", "", 3, 3)
    files = members(job)
    responses = sorted(
        name for name in files if name.endswith(".pdf") and "/bilag/" not in name and name.startswith("svar/")
    )
    assert responses == [
        "svar/0001/hoeringssvar-1.pdf",
        "svar/0002/hoeringssvar-2.pdf",
        "svar/0007/hoeringssvar-7.pdf",
    ]
    assert sorted(name for name in files if "/bilag/" in name) == [
        "svar/0001/bilag/01-Høringssvar fra Åse.pdf",
        "svar/0001/bilag/02-etc_foto.png",  # no path from the citizen's name
        "svar/0002/bilag/01-brev original.pdf",
    ]
    assert {"README.txt", "metadata.json", "metadata.xml", "hoeringsnotat.pdf", "hoeringsforslag.pdf"} <= set(
        files
    )
    metadata = json.loads(files["metadata.json"])
    listed = metadata["documents"]
    # Every file of the ZIP but the README and metadata is listed once, with its SHA-256 and size.
    assert sorted(d["file"] for d in listed) == sorted(
        set(files) - {"README.txt", "metadata.json", "metadata.xml"}
    )
    for document in listed:
        assert document["sha256"] == hashlib.sha256(files[document["file"]]).hexdigest()
        assert document["size"] == len(files[document["file"]])
    by_file = {d["file"]: d for d in listed}
    two = by_file["svar/0002/hoeringssvar-2.pdf"]
    assert (two["kind"], two["number"], two["response"], two["sender_type"], two["sender_type_label"],
            two["organisation"], two["title"]) == ("response", 2, 2, "association", "Forening/organisation",
                                                   "Vallensbæk Idrætsforening", "Høringssvar nr. 2")  # fmt: skip
    photo = by_file["svar/0001/bilag/02-etc_foto.png"]
    assert (photo["kind"], photo["response"], photo["public"], photo["title"], photo["media_type"]) == (
        "attachment",
        1,
        False,
        "../../etc/foto.png",
        "image/png",
    )
    assert by_file["hoeringsnotat.pdf"]["kind"] == "summary"
    assert metadata["archive"]["pdf_variant"] == "PDF/A-2b"
    # Nothing of the responses that are not published.
    text = "".join(
        pdf_text(data) for name, data in files.items() if name.endswith(".pdf") and "/bilag/" not in name
    )
    assert "IKKE MED" not in text
    assert "Tredje offentliggjorte svar." in text


def test_a_response_is_archived_as_received_and_the_readme_says_so(
    hearing, django_capture_on_commit_callbacks
):
    files = members(build(hearing, django_capture_on_commit_callbacks))
    two = pdf_text(files["svar/0002/hoeringssvar-2.pdf"])
    assert CPR in two and "[udeladt]" not in two  # the original text, not the published one
    assert (
        "Høringssvar nr. 2" in two and "Vallensbæk Idrætsforening" in two and "Forening/organisation" in two
    )
    assert "I den offentliggjorte udgave er personoplysninger udeladt" in " ".join(two.split())
    assert b"ORIGINALT BREV" in files["svar/0002/bilag/01-brev original.pdf"]  # the replaced file's original
    one = " ".join(pdf_text(files["svar/0001/hoeringssvar-1.pdf"]).split())
    assert "../../etc/foto.png (ikke offentliggjort)" in one
    readme = files["README.txt"].decode("utf-8")
    assert (
        "offentlighedsloven § 15" in readme and "PDF/A-2b" in readme and "archive-metadata-1.0.xsd" in readme
    )
    assert "3 høringssvar, 3 bilag" in readme


def test_the_xml_metadata_validates_against_the_schema_and_matches_the_json(
    hearing, django_capture_on_commit_callbacks
):
    files = members(build(hearing, django_capture_on_commit_callbacks))
    schema = etree.XMLSchema(etree.parse(str(archive.SCHEMA_PATH)))
    document = etree.fromstring(files["metadata.xml"])
    schema.assertValid(document)
    ns = {"a": archive.METADATA_NAMESPACE}
    from_xml = {
        d.get("file"): d.findtext("a:sha256", namespaces=ns)
        for d in document.iterfind("a:documents/a:document", ns)
    }
    from_json = {d["file"]: d["sha256"] for d in json.loads(files["metadata.json"])["documents"]}
    assert from_xml == from_json
    # The schema is no rubber stamp: a wrong checksum or kind fails it.
    broken = etree.fromstring(files["metadata.xml"])
    broken.find("a:documents/a:document/a:sha256", ns).text = "xyz"
    assert not schema.validate(broken)


def test_each_pdf_carries_the_pdfa_identification(hearing, django_capture_on_commit_callbacks):
    from pikepdf import pdfa

    files = members(build(hearing, django_capture_on_commit_callbacks))
    pdfs = [name for name in files if name.endswith(".pdf") and "/bilag/" not in name]
    assert len(pdfs) == 5  # summary, proposal, three responses
    for name in pdfs:
        with pikepdf.open(io.BytesIO(files[name])) as pdf:
            meta = pdf.open_metadata()
            assert (meta.get("pdfaid:part"), meta.get("pdfaid:conformance")) == ("2", "B"), name
            [intent] = pdf.Root.OutputIntents
            assert intent.S == "/GTS_PDFA1" and "/DestOutputProfile" in intent, name
        assert pdfa.validate_written(io.BytesIO(files[name]), "2b").passed, name
        assert pdfa_identification(files[name]) == ("2", "B", True)
    # Attachments are kept as received, not converted.
    assert files["svar/0001/bilag/01-Høringssvar fra Åse.pdf"] == pdf_bytes("offentligt bilag")


def test_the_same_content_is_not_built_twice_and_a_new_response_renders_one_pdf(
    hearing, django_capture_on_commit_callbacks
):
    first = build(hearing, django_capture_on_commit_callbacks)
    again = build(hearing, django_capture_on_commit_callbacks)
    assert again.pk == first.pk and again.attempts == 1
    ResponseFactory(hearing=hearing, number=8, text="Et nyt svar.")
    rendered = []
    original = archive.render_response

    def counting(entry):
        rendered.append(entry.number)
        return original(entry)

    archive.render_response = counting
    try:
        newer = build(hearing, django_capture_on_commit_callbacks)
    finally:
        archive.render_response = original
    assert newer.pk != first.pk and newer.status == "done" and newer.total == 4
    assert rendered == [8]
    assert not ArchiveJob.objects.filter(pk=first.pk).exists()  # the older one goes once the newer is done


def test_an_open_hearing_cannot_be_archived_yet(open_hearing):
    with pytest.raises(ValidationError, match="først laves, når høringen er lukket"):
        archive_services.request_archive(hearing=open_hearing)
    assert not ArchiveJob.objects.exists()


def test_a_failed_summary_fails_the_archive_with_a_danish_message(
    hearing, django_capture_on_commit_callbacks
):
    job = ArchiveJob.objects.create(hearing=hearing, fingerprint=archive_services.archive_fingerprint(hearing),
                                    status="rendering")  # fmt: skip
    document = archive_services.request_document(hearing=hearing, kind="summary")
    RenderedDocument.objects.filter(pk=document.pk).update(
        status="failed", error="Dokumentet tog for lang tid at lave."
    )
    archive_services.pack_archive(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == "failed"
    assert job.error == "Høringsnotat kunne ikke laves: Dokumentet tog for lang tid at lave."


def test_a_change_while_it_is_made_fails_it_with_a_danish_message(hearing):
    job = ArchiveJob.objects.create(hearing=hearing, fingerprint="0" * 64, status="queued")
    archive_services.start_archive(job_id=job.pk)
    job.refresh_from_db()
    assert (job.status, job.error) == ("failed", archive_services.CHANGED)


def test_safe_file_names_are_never_paths():
    assert archive.safe_file_name("../../x.pdf", extension=".pdf", index=3) == "03-x.pdf"
    assert archive.safe_file_name("a\\b:c*?.docx", extension=".docx", index=1) == "01-a_b_c.docx"
    assert archive.safe_file_name("...", extension=".png", index=12) == "12-bilag.png"
    assert archive.safe_file_name("billede.jpeg", extension=".jpg", index=2) == "02-billede.jpg"


def test_personal_data_removal_discards_the_archives(hearing, django_capture_on_commit_callbacks):
    from hearings.signals import personal_data_removed

    job = build(hearing, django_capture_on_commit_callbacks)
    path = job.file.path
    with django_capture_on_commit_callbacks(execute=True):
        personal_data_removed.send(sender=type(hearing), hearing=hearing, now=timezone.now())
    assert not ArchiveJob.objects.exists()
    assert not os.path.exists(path)


def test_the_decision_is_rendered_as_pdfa_with_its_changes(closed_hearing, section5):
    """The decisions app is not in yet: a stand-in with the fields of decisions.models.Decision."""
    from types import SimpleNamespace

    changes = [SimpleNamespace(section_id=None, section=None, text="Et nyt afsnit om cykelstier."),
               SimpleNamespace(section_id=section5.pk, section=section5, text="Målet om træer er skærpet.")]  # fmt: skip
    decision = SimpleNamespace(
        decided_on=dt.date(2026, 6, 18), decided_by="Kommunalbestyrelsen", get_outcome_display=lambda: "Vedtaget med ændringer",
        minutes_url="https://vallensbaek.dk/referat", published_at=timezone.now(), text="**Strategien** er vedtaget.",
        changes=SimpleNamespace(all=lambda: changes),
    )  # fmt: skip
    data = archive.render_decision(decision, closed_hearing)
    assert pdfa_identification(data) == ("2", "B", True)
    text = " ".join(pdf_text(data).split())
    assert "18. juni 2026" in text and "Kommunalbestyrelsen" in text and "Vedtaget med ændringer" in text
    assert "Strategien er vedtaget." in text and "Hele strategien Et nyt afsnit om cykelstier." in text
    assert str(section5) in text


def test_a_published_decision_is_in_the_archive_as_its_own_pdf(hearing, django_capture_on_commit_callbacks):
    from decisions.models import Decision, SectionChange

    first = build(hearing, django_capture_on_commit_callbacks)
    assert "beslutning.pdf" not in members(first)
    decision = Decision.objects.create(hearing=hearing, decided_on=dt.date(2026, 6, 18), decided_by="Kommunalbestyrelsen",
                                       outcome="adopted_with_changes", text="Strategien er vedtaget.",
                                       published_at=timezone.now())  # fmt: skip
    SectionChange.objects.create(decision=decision, section=None, text="Et nyt afsnit om cykelstier.")
    job = build(hearing, django_capture_on_commit_callbacks)
    assert job.pk != first.pk and job.status == "done"
    files = members(job)
    assert pdfa_identification(files["beslutning.pdf"]) == ("2", "B", True)
    assert "Et nyt afsnit om cykelstier." in pdf_text(files["beslutning.pdf"])
    [listed] = [d for d in json.loads(files["metadata.json"])["documents"] if d["kind"] == "decision"]
    assert (listed["file"], listed["date"]) == ("beslutning.pdf", "2026-06-18")
    assert listed["sha256"] == hashlib.sha256(files["beslutning.pdf"]).hexdigest()
