"""The guard's beat task for new finders (issue 15, item 5). A module of its own beside guard/tasks.py (the
attachments' reading); GuardConfig.ready imports it, so that Celery knows the task whichever module its
autodiscovery (``tasks`` modules only) reads."""

import logging

from celery import shared_task

from . import report

logger = logging.getLogger(__name__)


@shared_task(
    acks_late=True,  # idempotent: a run lost with its worker is delivered again
    reject_on_worker_lost=True,
    ignore_result=True,
    soft_time_limit=900,
    time_limit=960,
)
def rescan_outdated(limit: int = report.RESCAN_LIMIT) -> int:
    """Scan the responses that the current finders (``guard.finders.VERSION``) have not scanned yet,
    at most ``limit`` in this run, and save their Reviews (``guard.report.rescan_outdated``); returns how
    many were scanned. If more are left, the task asks for itself again, so a new version of the finders
    reaches a large installation in bounded runs the same night. Publishes and unpublishes nothing: a
    published response with a new finding of high confidence waits in the moderation queue's filter
    "Personoplysninger" for a moderator."""
    result = report.rescan_outdated(limit=limit)
    if result.scanned:
        logger.info(
            "Rescanned %d responses with the finders of %s: %d with findings of high confidence, "
            "%d of them published and not yet gone through by a moderator",
            result.scanned, report.finders.VERSION, result.high, result.published_high,
        )  # fmt: skip
    if result.more:
        rescan_outdated.apply_async(kwargs={"limit": limit}, countdown=60)
    return result.scanned
