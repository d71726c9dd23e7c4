"""The documents app's wiring: changes to responses, their remarks and attachments schedule the summary's
parts; a deleted account's name leaves the summaries made so far."""

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from hearings.models import Response, ResponseAttachment
from hearings.signals import published_text_changed
from moderation.models import Remark

from .services import discard_summaries, schedule_summary_parts


def connect() -> None:
    """Changes to responses, their remarks and attachments schedule the summary's parts; a deleted
    account's name leaves the summaries made so far."""

    def changed(sender, instance, **kwargs) -> None:
        if not settings.SUMMARY_PARTS_PREPARE_SECONDS:
            return
        if sender is Response:
            schedule_summary_parts(instance.hearing_id)
        else:
            hearing_id = (
                Response.objects.filter(pk=instance.response_id).values_list("hearing_id", flat=True).first()
            )
            if hearing_id:
                schedule_summary_parts(hearing_id)

    for model in (Response, Remark, ResponseAttachment):
        post_save.connect(
            changed, sender=model, weak=False, dispatch_uid=f"summary-parts-{model.__name__}-save"
        )
        post_delete.connect(
            changed, sender=model, weak=False, dispatch_uid=f"summary-parts-{model.__name__}-del"
        )

    def discard(sender, hearing_ids, **kwargs) -> None:
        # Files are outside the transaction: they go once the change that unnames the person is committed.
        transaction.on_commit(lambda: discard_summaries(hearing_ids=hearing_ids))

    published_text_changed.connect(discard, weak=False, dispatch_uid="documents-discard-summaries")
