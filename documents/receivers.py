"""The documents app's wiring: changes to responses, their remarks and attachments, and to the analysis
(topics, the responses they hold, campaigns and which campaign a response is in) schedule the summary's
parts; a deleted account's name leaves the summaries and archives made so far, and a hearing's removal
date its archives."""

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_init, post_save

from analysis.models import Campaign, Signature, Topic, TopicResponse
from hearings.models import Response, ResponseAttachment
from hearings.signals import personal_data_removed, published_text_changed
from moderation.models import Remark

from .archive_services import discard_archives
from .services import discard_summaries, schedule_summary_parts

_CAMPAIGN_AS_LOADED = "_documents_campaign_id"


def connect() -> None:
    """Changes to responses, their remarks and attachments, topics and their responses, campaigns and a
    response's campaign schedule the summary's parts; a deleted account's name leaves the summaries made
    so far."""

    def changed(sender, instance, **kwargs) -> None:
        if not settings.SUMMARY_PARTS_PREPARE_SECONDS:
            return
        if sender in (Response, Topic, Campaign):
            hearing_id = instance.hearing_id
        elif sender is TopicResponse:
            hearing_id = (
                Topic.objects.filter(pk=instance.topic_id).values_list("hearing_id", flat=True).first()
            )
        else:
            hearing_id = (
                Response.objects.filter(pk=instance.response_id).values_list("hearing_id", flat=True).first()
            )
        if hearing_id:
            schedule_summary_parts(hearing_id)

    for model in (Response, Remark, ResponseAttachment, Topic, TopicResponse, Campaign):
        post_save.connect(
            changed, sender=model, weak=False, dispatch_uid=f"summary-parts-{model.__name__}-save"
        )
        post_delete.connect(
            changed, sender=model, weak=False, dispatch_uid=f"summary-parts-{model.__name__}-del"
        )

    # A response's signature is saved whenever its text is analysed; only a change of its campaign is one
    # the summary shows.
    def loaded(sender, instance, **kwargs) -> None:
        setattr(instance, _CAMPAIGN_AS_LOADED, instance.__dict__.get("campaign_id"))

    def signature_saved(sender, instance, created, **kwargs) -> None:
        before = None if created else getattr(instance, _CAMPAIGN_AS_LOADED, None)
        setattr(instance, _CAMPAIGN_AS_LOADED, instance.campaign_id)
        if before != instance.campaign_id and settings.SUMMARY_PARTS_PREPARE_SECONDS:
            schedule_summary_parts(instance.hearing_id)

    def signature_deleted(sender, instance, **kwargs) -> None:
        if instance.campaign_id and settings.SUMMARY_PARTS_PREPARE_SECONDS:
            schedule_summary_parts(instance.hearing_id)

    post_init.connect(loaded, sender=Signature, weak=False, dispatch_uid="summary-parts-Signature-init")
    post_save.connect(
        signature_saved, sender=Signature, weak=False, dispatch_uid="summary-parts-Signature-save"
    )
    post_delete.connect(
        signature_deleted, sender=Signature, weak=False, dispatch_uid="summary-parts-Signature-del"
    )

    def discard(sender, hearing_ids, **kwargs) -> None:
        # Files are outside the transaction: they go once the change that unnames the person is committed.
        transaction.on_commit(lambda: discard_summaries(hearing_ids=hearing_ids))

    published_text_changed.connect(discard, weak=False, dispatch_uid="documents-discard-summaries")

    # The archives hold responses as received, names and all: what names a person who deleted their
    # account, or a hearing whose personal data is removed, goes with their stored response PDFs.
    def discard_archived(sender, hearing_ids, **kwargs) -> None:
        transaction.on_commit(lambda: discard_archives(hearing_ids=hearing_ids))

    def discard_removed(sender, hearing, **kwargs) -> None:
        transaction.on_commit(lambda: discard_archives(hearing_ids={hearing.pk}))

    published_text_changed.connect(discard_archived, weak=False, dispatch_uid="documents-discard-archives")
    personal_data_removed.connect(
        discard_removed, weak=False, dispatch_uid="documents-discard-removed-archives"
    )
