"""Celery tasks of the analysis app. Each takes ids and is idempotent (a response whose text did not change
is not computed again; a hearing's analysis is made anew from what is stored), so each may be delivered
twice: acks_late."""

from celery import shared_task

from hearings.models import Response

from . import campaigns, suggestions
from .suggestion_tasks import compute_suggestions  # registered as analysis.tasks.compute_suggestions

__all__ = ["analyse_hearing", "analyse_response", "compute_suggestions"]


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def analyse_response(response_id: int) -> None:
    """A new, edited or withdrawn response: its campaign and similar responses (analysis.campaigns), and
    one more change counted towards the hearing's next suggested topics (a batch of changes asks for them
    anew: analysis.suggestions.note_response_changed). Counted here, after the response's commit, so that
    submitting takes no lock of the analysis."""
    campaigns.analyse_response(response_id=response_id)
    hearing_id = Response.objects.filter(pk=response_id).values_list("hearing_id", flat=True).first()
    if hearing_id is not None:
        suggestions.note_response_changed(hearing_id=hearing_id)


@shared_task(
    acks_late=True, reject_on_worker_lost=True, ignore_result=True, soft_time_limit=900, time_limit=960
)
def analyse_hearing(hearing_id: int) -> None:
    """A whole hearing's campaigns and similar responses from nothing (minutes for 100,000 responses)."""
    campaigns.analyse_hearing(hearing_id=hearing_id)
