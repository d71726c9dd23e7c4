"""The archive for the journal system made by a real Celery worker against the real Redis and PostgreSQL:
the start, the chunks and the packing go through the broker, not in-process."""

import datetime as dt
import io
import zipfile

import pytest
from django.utils import timezone

from documents import archive_services
from documents.models import ArchiveJob
from tests.conftest import wait_for
from tests.hearings.factories import HearingFactory, ResponseFactory

from .test_document_worker import thread_worker  # noqa: F401 (the fixture)


def status_of(job) -> str:
    return ArchiveJob.objects.values_list("status", flat=True).get(pk=job.pk)


@pytest.mark.slow
def test_a_worker_makes_the_archive_in_chunks_and_packs_it(thread_worker, monkeypatch):  # noqa: F811
    monkeypatch.setattr(archive_services, "CHUNK_SIZE", 2)  # three chunk tasks for five responses
    now = timezone.now()
    hearing = HearingFactory(opens_at=now - dt.timedelta(days=20), closes_at=now - dt.timedelta(days=1))
    for number in range(1, 6):
        ResponseFactory(hearing=hearing, number=number, text=f"Svar nummer {number}")
    ResponseFactory(hearing=hearing, number=6, status="rejected", text="Afvist")
    job = archive_services.request_archive(hearing=hearing)
    assert wait_for(lambda: status_of(job) in ("done", "failed"), timeout=180)
    job.refresh_from_db()
    assert (job.status, job.error, job.chunks, job.chunks_done, job.total) == ("done", "", 3, 3, 5)
    with job.file.open("rb") as file, zipfile.ZipFile(io.BytesIO(file.read())) as zipped:
        names = zipped.namelist()
    assert sorted(n for n in names if n.startswith("svar/")) == [
        f"svar/{n:04d}/hoeringssvar-{n}.pdf" for n in range(1, 6)
    ]
