"""Enqueue Celery tasks after the transaction commits, never losing the committed work to a broker outage."""

import logging

from django.db import transaction

logger = logging.getLogger(__name__)


def enqueue_on_commit(task, *args, **kwargs) -> None:
    """Send ``task`` to the broker once the current transaction has committed.

    If the broker is unreachable the error is logged and swallowed: what was committed stays
    committed, the user sees their page, and a periodic task picks the work up later
    (e.g. ``notifications.tasks.send_missing_receipts``).
    """

    def send():
        try:
            task.apply_async(args=args, kwargs=kwargs)
        except Exception:  # kombu raises several kinds when Redis is down
            logger.exception(
                "Could not enqueue %s%r; it will be retried by its periodic sweep", task.name, args
            )

    transaction.on_commit(send)
