"""Celery tasks of the personal-data guard. Each takes ids and is idempotent."""

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

from . import extraction, reading

# The extraction stops itself after extraction.TOTAL_SECONDS (the child process is killed); the task's
# limits only catch what comes after it (the finders on a million characters take a few seconds).
SOFT_TIME_LIMIT = extraction.TOTAL_SECONDS + 60
TIME_LIMIT = extraction.TOTAL_SECONDS + 120


@shared_task(
    acks_late=True,  # idempotent: a run lost with its worker is delivered again, not lost
    reject_on_worker_lost=True,
    soft_time_limit=SOFT_TIME_LIMIT,
    time_limit=TIME_LIMIT,
)
def extract_attachment_text(attachment_id: int) -> str:
    """Read an attachment's text and set its publication from what the finders find (guard.reading)."""
    try:
        return reading.read_attachment(attachment_id=attachment_id)
    except SoftTimeLimitExceeded:
        return reading.give_up(
            attachment_id=attachment_id, problem="Læsningen af filen tog for lang tid og blev stoppet."
        )
