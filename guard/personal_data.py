"""The guard's part of 'download my data' and of deleting an account (accounts.personal_data, registered in
GuardConfig.ready): the unredacted originals of the user's responses are the user's own words, so they are
in the download, and they go with the account (GDPR art. 15 and 17)."""

from typing import TYPE_CHECKING, Any

from django.utils import timezone

from accounts.personal_data import stamp

from .models import AttachmentOriginal, Redaction

if TYPE_CHECKING:
    from accounts.models import User


def export_redactions(user: "User") -> list[dict[str, Any]]:
    """The redactions of the user's responses, with the text before each while it is kept."""
    return [
        {
            "høring": r.response.hearing.title,
            "høringssvar_nummer": r.response.number,
            "felt": str(r.get_field_display()),
            "begrundelse": str(r.get_reason_display()),
            "udeladt": stamp(r.created_at),
            "oprindelig_tekst": r.original,
        }
        for r in Redaction.objects.filter(response__author=user).select_related("response__hearing")
    ]


def erase_redaction_originals(user: "User") -> None:
    """Empty the originals of the user's responses' redactions (what was redacted, why and when stays) and
    delete the citizen's files that moderators replaced by versions with redactions (their files go after
    the commit, guard.attachment_receivers). Runs before the hearings app unlinks the responses from the
    user (accounts.personal_data)."""
    Redaction.objects.filter(response__author=user, original_removed_at__isnull=True).update(
        original="", original_removed_at=timezone.now()
    )
    AttachmentOriginal.objects.filter(attachment__response__author=user).delete()
