"""Celery tasks of the documents app, on their own queue (``documents``). Each takes ids and is idempotent."""

import datetime as dt

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings

from . import archive_services, services


@shared_task(
    bind=True,
    acks_late=True,  # idempotent: a render that dies is delivered again, not lost
    reject_on_worker_lost=True,
    soft_time_limit=settings.DOCUMENT_RENDER_SOFT_TIME_LIMIT,
    time_limit=settings.DOCUMENT_RENDER_TIME_LIMIT,
    max_retries=3,
)
def render_document(self, document_id: int) -> str:
    """Render a hearing proposal or summary (a RenderedDocument record) with WeasyPrint."""
    try:
        document = services.render_document(document_id=document_id)
    except SoftTimeLimitExceeded:
        services.mark_failed(document_id=document_id, message="Dokumentet tog for lang tid at lave.")
        raise
    except Exception as error:
        if self.request.retries < self.max_retries:
            raise self.retry(exc=error, countdown=2 ** (self.request.retries + 1)) from error
        services.mark_failed(document_id=document_id, message=f"{type(error).__name__}: {error}")
        raise
    return document.status if document else "skipped"


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=settings.DOCUMENT_RENDER_SOFT_TIME_LIMIT,
    time_limit=settings.DOCUMENT_RENDER_TIME_LIMIT,
)
def prepare_summary_parts(hearing_id: int) -> int:
    """A while after responses changed: render the hearing summary's new parts ahead of the council's next
    download. Not retried: the next change schedules it again, and a summary asked for renders what is
    missing itself."""
    return services.prepare_summary_parts(hearing_id=hearing_id)


@shared_task
def fail_stuck_documents() -> int:
    """Every few minutes: a render left 'rendering' longer than its hard time limit can only have been
    lost (the worker was killed and the message did not come back): mark it failed so it can be asked
    for again."""
    failed = services.fail_stuck_documents(
        older_than=dt.timedelta(seconds=settings.DOCUMENT_RENDER_TIME_LIMIT + 60)
    )
    # An archive waits for its chunks and documents: stuck only well after the longest wait.
    return failed + archive_services.fail_stuck_archives(
        older_than=dt.timedelta(
            seconds=2 * settings.ARCHIVE_WAIT_SECONDS + settings.DOCUMENT_RENDER_TIME_LIMIT
        )
    )


# --- The archive for the journal system (documents/archive_services.py) -------------------------------

_ARCHIVE_LIMITS = {
    "acks_late": True,  # idempotent: a job claims its step, and rendered PDFs are kept in storage
    "reject_on_worker_lost": True,
    "soft_time_limit": settings.DOCUMENT_RENDER_SOFT_TIME_LIMIT,
    "time_limit": settings.DOCUMENT_RENDER_TIME_LIMIT,
    "max_retries": 3,
}


def _archive_failed(self, job_id: int, error: BaseException, *, step: str = "") -> None:
    """Retry with backoff; after the last retry the job fails with a Danish message (and the error).
    ``step``: the status the task claimed ("queued" → "rendering" for the start, "rendering" →
    "packing" for the packing), handed back before a retry so that the retry can claim it again."""
    if isinstance(error, SoftTimeLimitExceeded):
        archive_services.mark_failed(job_id=job_id, message="Arkivet tog for lang tid at lave. Prøv igen: "
                                     "det, der allerede er lavet, genbruges.")  # fmt: skip
        raise error
    if self.request.retries < self.max_retries:
        if step:
            archive_services.hand_back(job_id=job_id, claimed=step)
        raise self.retry(exc=error, countdown=2 ** (self.request.retries + 1)) from error
    archive_services.mark_failed(
        job_id=job_id, message=f"Arkivet kunne ikke laves ({type(error).__name__}: {error}). Prøv igen."
    )
    raise error


@shared_task(bind=True, **_ARCHIVE_LIMITS)
def start_archive(self, job_id: int) -> str:
    """Claim an archive job, ask for the summary and proposal, send a chunk task per CHUNK_SIZE responses."""
    try:
        job = archive_services.start_archive(job_id=job_id)
    except Exception as error:
        _archive_failed(self, job_id, error, step="start")
        raise
    return job.status if job else "skipped"


@shared_task(bind=True, **_ARCHIVE_LIMITS)
def render_archive_chunk(self, job_id: int, first: int, last: int) -> int:
    """Render the PDFs of the responses numbered first to last that are not stored yet."""
    try:
        return archive_services.render_archive_chunk(job_id=job_id, first=first, last=last)
    except Exception as error:
        _archive_failed(self, job_id, error)
        raise


@shared_task(bind=True, **_ARCHIVE_LIMITS)
def pack_archive(self, job_id: int) -> str:
    """Write the archive's ZIP once the summary and proposal are made (asking again every few seconds
    until then, for at most ARCHIVE_WAIT_SECONDS)."""
    try:
        job = archive_services.pack_archive(job_id=job_id)
    except archive_services.NotReady:
        if archive_services.archive_wait_expired(job_id):
            archive_services.mark_failed(job_id=job_id, message="Høringsnotatet eller høringsforslaget blev "
                                         "ikke færdigt i tide. Prøv igen.")  # fmt: skip
            return "failed"
        pack_archive.apply_async(args=[job_id], countdown=5)
        return "waiting"
    except Exception as error:
        _archive_failed(self, job_id, error, step="pack")
        raise
    return job.status if job else "skipped"
