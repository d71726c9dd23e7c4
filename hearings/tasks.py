"""Celery tasks of the hearings app. Each takes ids, is idempotent, and is enqueued after commit."""

import logging

from celery import shared_task

from . import personal_data

logger = logging.getLogger(__name__)


@shared_task
def remove_expired_personal_data() -> int:
    """Daily: names, postcodes and attachments leave the site after each hearing's removal date."""
    done = personal_data.remove_expired_personal_data()
    if done:
        logger.info("Removed personal data of %s hearing(s)", done)
    return done
