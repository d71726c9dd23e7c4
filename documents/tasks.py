"""Celery tasks of the documents app, on their own queue (``documents``). Each takes ids and is idempotent."""

import datetime as dt

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings

from . import services


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
    return services.fail_stuck_documents(
        older_than=dt.timedelta(seconds=settings.DOCUMENT_RENDER_TIME_LIMIT + 60)
    )
