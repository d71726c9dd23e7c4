"""The analysis app's wiring: a new or edited response, or one whose attachment's text was read, gets its
campaign and neighbours from a Celery task after the commit (analysis.tasks), never in the request."""

from typing import Any

from django.conf import settings
from django.db.models.signals import post_save

from guard.services import redact_passages
from guard.signals import attachment_text_read, response_redacted
from hearings.models import Response, ResponseAttachment
from hearings.signals import response_changed
from portal.queue import enqueue_on_commit

from . import tasks
from .models import TopicResponse


def analyse_after_change(sender: Any, *, response: Response, **kwargs: Any) -> None:
    """A response submitted, edited or withdrawn (hearings.signals.response_changed): analysed after the
    commit. ``ANALYSIS_IN_BACKGROUND`` off: nothing (the test suite, but for the tests that turn it on)."""
    if settings.ANALYSIS_IN_BACKGROUND:
        enqueue_on_commit(tasks.analyse_response, response.pk)


def analyse_after_emptied(sender: Any, *, instance: Response, created: bool = False, **kwargs: Any) -> None:
    """A response that its author's deleted account emptied sends no response_changed: it leaves its
    campaign all the same. (Removing personal data keeps the text, and the response its campaign.)"""
    if settings.ANALYSIS_IN_BACKGROUND and not created and not instance.text:
        enqueue_on_commit(tasks.analyse_response, instance.pk)


def redact_quotes(sender: Any, *, response: Response, passages: list[str], **kwargs: Any) -> None:
    """A moderator redacted ``response`` (guard.signals.response_redacted): its topics' quotes, copies of
    its text that the hearing summary prints, lose the same passages (the marker in their place); its
    changed text is analysed again after the commit, as an edited one is."""
    if settings.ANALYSIS_IN_BACKGROUND:
        enqueue_on_commit(tasks.analyse_response, response.pk)
    for link in TopicResponse.objects.filter(response=response).exclude(quote=""):
        quote = redact_passages(link.quote, passages)
        if quote != link.quote:
            link.quote = quote
            link.save(update_fields=["quote"])


def analyse_after_attachment_read(sender: Any, *, attachment: ResponseAttachment, **kwargs: Any) -> None:
    """An attachment's text was read (guard.signals.attachment_text_read): its response's signatures take
    the text in (a campaign letter sent as an attachment), so the response is analysed again after the
    commit. ``ANALYSIS_IN_BACKGROUND`` off: nothing."""
    if settings.ANALYSIS_IN_BACKGROUND:
        enqueue_on_commit(tasks.analyse_response, attachment.response_id)


def connect() -> None:
    """Called once from ``AnalysisConfig.ready()``."""
    response_changed.connect(analyse_after_change, weak=False, dispatch_uid="analysis-response")
    response_redacted.connect(redact_quotes, weak=False, dispatch_uid="analysis-redact-quotes")
    post_save.connect(analyse_after_emptied, sender=Response, weak=False, dispatch_uid="analysis-emptied")
    attachment_text_read.connect(
        analyse_after_attachment_read,
        sender=ResponseAttachment,
        weak=False,
        dispatch_uid="analysis-attachment",
    )
