"""The Celery task of the suggested topics. Named ``analysis.tasks.compute_suggestions`` so that
analysis/tasks.py can import it and the name stays when it does."""

from celery import shared_task

from . import suggestions


@shared_task(name="analysis.tasks.compute_suggestions", acks_late=True, reject_on_worker_lost=True)
def compute_suggestions(hearing_id: int) -> int:
    """Compute the hearing's suggested topics anew (``analysis.suggestions.compute_suggestions``); returns
    the number of open suggestions made. Idempotent (acks late: a worker lost midway runs it again). Not
    retried: staff can ask again, and the next batch of changes asks again."""
    return suggestions.compute_suggestions(hearing_id=hearing_id)
