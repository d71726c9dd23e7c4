"""The hearings' personal data: its part of 'download my data' and of deleting an account
(accounts.personal_data, registered in HearingsConfig.ready), and the daily removal of names, postcodes,
towns and attachments after each hearing's removal date (GDPR art. 5(1)(e), storage limitation)."""

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from accounts.personal_data import stamp

from . import signals
from .models import Hearing, Response

if TYPE_CHECKING:
    from accounts.models import User


# What the removal blanks on every response of a hearing (organisations' names stay), besides deleting the
# attachments and earlier versions. Readers that copy responses elsewhere (the public API, api/) drop the
# same from the removal date on, before the daily task has run.
REMOVED_FIELDS = ("display_name", "postcode", "town")


def removal_is_due(hearing: Hearing, *, now: dt.datetime | None = None) -> bool:
    """Whether ``hearing``'s personal data is gone or due to go: removed already, or its removal date
    (``personal_data_removal_on``, a date in the portal's time zone) has come. No query."""
    if hearing.personal_data_removed_at is not None:
        return True
    return hearing.personal_data_removal_on <= timezone.localdate(now or timezone.now())


def _remove_attachments(response: Response) -> None:
    for attachment in response.attachments.all():
        attachment.file.delete(save=False)
        attachment.delete()


def erase_responses(user: "User") -> None:
    """The hearings' part of deleting an account (accounts.personal_data): responses that are not
    published are withdrawn and emptied; published ones stay as public record, shown as 'Anonym', without
    postcode and town. Runs inside the deletion's transaction."""
    now = timezone.now()
    published_in: set[int] = set()
    for response in Response.objects.select_for_update().filter(author=user):
        if response.status == Response.Status.PUBLISHED:
            published_in.add(response.hearing_id)
            response.display_name = ""
        else:
            if response.status == Response.Status.PENDING:
                response.status = Response.Status.WITHDRAWN
                response.withdrawn_at = now
            response.display_name = ""
            response.organisation_name = ""
            response.text = ""
            _remove_attachments(response)
            response.revisions.all().delete()
        response.postcode = ""
        response.town = ""
        response.author = None
        response.save()
    if published_in:  # the hearing summaries made so far name the user: they go, and are made anew
        signals.published_text_changed.send(sender=Hearing, hearing_ids=published_in)


@transaction.atomic
def remove_expired_personal_data(*, now: dt.datetime | None = None) -> int:
    """Remove names, postcodes, towns and attachments of responses of hearings whose removal date has
    passed. Organisations' names stay (they speak in public), the person who wrote for them does not.
    Returns the number of hearings done."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    done = 0
    hearings = Hearing.objects.select_for_update().filter(
        personal_data_removal_on__lte=today, personal_data_removed_at__isnull=True
    )
    for hearing in hearings:
        for response in hearing.responses.prefetch_related("attachments"):
            _remove_attachments(response)
            for field in REMOVED_FIELDS:
                setattr(response, field, "")
            response.personal_data_removed_at = now
            response.save(update_fields=[*REMOVED_FIELDS, "personal_data_removed_at"])
            response.revisions.all().delete()
        hearing.personal_data_removed_at = now
        hearing.save(update_fields=["personal_data_removed_at"])
        signals.personal_data_removed.send(sender=Hearing, hearing=hearing, now=now)
        done += 1
    return done


def export_responses(user: "User") -> list[dict[str, Any]]:
    """The hearings' part of 'download my data' (accounts.personal_data): the user's responses, each with
    its attachments' names and its earlier texts."""
    return [
        {
            "høring": r.hearing.title,
            "nummer": r.number,
            "status": r.get_status_display(),
            "handler_om": str(r.target or r.hearing.strategy.title),
            "udtaler_sig_som": r.get_respondent_type_display(),
            "organisation": r.organisation_name,
            "navn": r.display_name,
            "postnummer": r.postcode,
            "by": r.town,
            "tekst": r.text,
            "bilag": [a.original_name for a in r.attachments.all()],
            "modtaget": stamp(r.created_at),
            "rettet": stamp(r.edited_at),
            "trukket_tilbage": stamp(r.withdrawn_at),
            "tidligere_udgaver": [{"tekst": v.text, "rettet": stamp(v.edited_at)} for v in r.revisions.all()],
        }
        for r in Response.objects.filter(author=user)
        .select_related("hearing__strategy", "target_section", "target_goal", "target_theme")
        .prefetch_related("attachments", "revisions")
    ]
