"""Changes of state in the hearings app: one function per change, keyword-only, validated before it saves."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts import rules
from accounts.rules import Decision
from portal.text import normalise_text
from strategies.models import Goal, Section, Theme

from . import holds, permissions, selectors, signals, submission
from .attachments import MAX_ATTACHMENTS, attachment_kind, safe_file_name
from .models import (
    NAME_MAX_LENGTH,
    POSTCODE_LENGTH,
    RESPONSE_TEXT_MAX_LENGTH,
    TOWN_MAX_LENGTH,
    Hearing,
    ModerationReason,
    Response,
    ResponseAttachment,
    ResponseRevision,
    validate_postcode,
)
from .submission import AlreadySubmitted
from .targets import TargetKey

if TYPE_CHECKING:
    from accounts.models import User


class ResponseRefused(Exception):
    """The response cannot be taken (hearing closed, not signed in …); ``message`` says why in Danish."""

    def __init__(self, decision: Decision):
        super().__init__(decision.reason)
        self.message = decision.reason
        self.code = decision.code


@dataclass(frozen=True)
class Target:
    section: Section | None = None
    goal: Goal | None = None
    theme: Theme | None = None


def resolve_target(*, hearing: Hearing, key: str) -> Target:
    """The target named by a form value (a ``TargetKey``: 'strategy', 'section-3', 'goal-12',
    'theme-4'), which must lie inside what ``hearing`` puts to consultation; else a ValidationError
    ("Vælg hvad dit høringssvar handler om."), whatever the text."""
    invalid = ValidationError(_("Vælg hvad dit høringssvar handler om."), code="invalid_target")
    target = TargetKey.parse(key)
    if target is None:
        raise invalid
    if target.is_strategy:
        if hearing.section_id:
            return Target(section=hearing.section)
        return Target()
    obj = selectors.target_object(hearing=hearing, key=key)
    section = obj if isinstance(obj, Section) or obj is None else obj.section
    if obj is None or (hearing.section_id and (section is None or section.pk != hearing.section_id)):
        raise invalid
    return Target(section=obj if isinstance(obj, Section) else None, goal=obj if isinstance(obj, Goal) else None,
                  theme=obj if isinstance(obj, Theme) else None)  # fmt: skip


def _clean_text(
    value: str, *, field: str, max_length: int, required: bool = False, multiline: bool = False
) -> str:
    """``value`` under the portal's text policy (``portal.text``), stripped, and checked."""
    value = normalise_text(value or "", multiline=multiline).strip()
    if required and not value:
        raise ValidationError({field: _("Feltet skal udfyldes.")})
    if len(value) > max_length:
        raise ValidationError(
            {field: _("Teksten er for lang: %(length)s tegn. Der er plads til %(max)s tegn.")
             % {"length": len(value), "max": max_length}}
        )  # fmt: skip
    return value


def _validate_author_fields(*, respondent_type: str, organisation_name: str, display_name: str, postcode: str,
                            town: str, text: str) -> dict[str, str]:  # fmt: skip
    if respondent_type not in Response.RespondentType.values:
        raise ValidationError({"respondent_type": _("Vælg hvem du udtaler dig som.")})
    organisation_name = _clean_text(organisation_name, field="organisation_name", max_length=NAME_MAX_LENGTH)
    if respondent_type != Response.RespondentType.PRIVATE and not organisation_name:
        raise ValidationError(
            {"organisation_name": _("Skriv navnet på den organisation, du udtaler dig for.")}
        )
    if respondent_type == Response.RespondentType.PRIVATE:
        organisation_name = ""
    postcode = _clean_text(postcode, field="postcode", max_length=POSTCODE_LENGTH)
    try:
        validate_postcode(postcode)
    except ValidationError as error:
        raise ValidationError({"postcode": error}) from None
    return {
        "respondent_type": respondent_type,
        "organisation_name": organisation_name,
        "display_name": _clean_text(
            display_name, field="display_name", max_length=NAME_MAX_LENGTH, required=True
        ),
        "postcode": postcode,
        "town": _clean_text(town, field="town", max_length=TOWN_MAX_LENGTH),
        "text": _clean_text(
            text, field="text", max_length=RESPONSE_TEXT_MAX_LENGTH, required=True, multiline=True
        ),
    }


@submission.first_post_wins
@submission.discard_stored_files_on_failure
@transaction.atomic
def submit_response(
    *,
    hearing: Hearing,
    author: "User | AnonymousUser",
    target_key: str,
    respondent_type: str,
    organisation_name: str = "",
    display_name: str,
    postcode: str = "",
    town: str = "",
    text: str,
    consent: bool,
    attachments: Sequence[UploadedFile] = (),
    submission_token: str = "",
    now: dt.datetime | None = None,
) -> Response:
    """Take a hearing response: numbered within its hearing without gaps, saved before anything is
    enqueued, published at once in post-moderation and pending in pre-moderation. A response that a
    registered check holds back (``hearings.holds``: possible personal data) is pending in either, with
    the reason ``ModerationReason.POSSIBLE_PERSONAL_DATA``.

    Idempotent per ``submission_token`` (``new_submission_token()``, carried by the form; "" for none):
    the token is claimed inside the transaction that holds the hearing's lock and hands out the number,
    so a second post of the same form files nothing (no number, no attachment, no receipt) and raises
    ``AlreadySubmitted`` with the first post's response; a post that races past the check is stopped
    by the unique constraint and answered the same way.

    Raises ``ResponseRefused`` (hearing not open, user may not respond), ``ValidationError`` (bad input,
    as a dict of field -> messages in Danish) and ``AlreadySubmitted``; ``ValueError`` for a token
    that ``new_submission_token()`` did not make (the form drops those)."""
    now = now or timezone.now()
    # Lock the hearing row: numbers are handed out one transaction at a time, so they are unique and
    # gapless even when many citizens submit in the same second (a rolled-back one takes its number back).
    locked = Hearing.objects.select_for_update().get(pk=hearing.pk)
    # Claimed under the same lock: a second post of the form waits here for the first and then finds
    # its response (before anything of the second post, its attachments included, is stored).
    if (earlier := submission.claimed_by(author=author, submission_token=submission_token)) is not None:
        raise AlreadySubmitted(earlier, same=submission.says_the_same(earlier, text))
    decision = permissions.can_respond(author, locked, now)
    if not decision:
        raise ResponseRefused(decision)
    assert not isinstance(author, AnonymousUser)  # can_respond refuses a visitor who is not signed in
    target = resolve_target(hearing=locked, key=target_key)
    fields = _validate_author_fields(
        respondent_type=respondent_type, organisation_name=organisation_name, display_name=display_name,
        postcode=postcode, town=town, text=text,
    )  # fmt: skip
    if not consent:
        raise ValidationError({"consent": _("Du skal give samtykke til, at dit høringssvar offentliggøres.")})
    if len(attachments) > MAX_ATTACHMENTS:
        raise ValidationError(
            {"attachments": _("Du kan højst vedhæfte %(max)s filer.") % {"max": MAX_ATTACHMENTS}}
        )
    kinds = [attachment_kind(upload) for upload in attachments]

    locked.last_response_number += 1
    locked.save(update_fields=["last_response_number"])
    held = holds.holds(locked, fields)
    published = not locked.is_pre_moderated and not held
    response = Response.objects.create(
        hearing=locked,
        number=locked.last_response_number,
        author=author,
        target_section=target.section,
        target_goal=target.goal,
        target_theme=target.theme,
        consent_to_publish=True,
        status=Response.Status.PUBLISHED if published else Response.Status.PENDING,
        published_at=now if published else None,
        moderation_reason=ModerationReason.POSSIBLE_PERSONAL_DATA if held else "",
        created_at=now,
        submission_token=submission_token or None,
        language=translation.get_language() or settings.LANGUAGE_CODE,
        **fields,
    )
    for upload, kind in zip(attachments, kinds, strict=True):
        attachment = ResponseAttachment(
            response=response, original_name=safe_file_name(upload.name), kind=kind, size=upload.size or 0
        )
        attachment.file.save(attachment.original_name, upload, save=False)
        submission.stored(attachment.file)
        attachment.save()

    signals.response_changed.send(
        sender=Response, response=response, action="submitted", actor=author, status_before="", now=now
    )
    return response


@transaction.atomic
def edit_response(
    *,
    response: Response,
    user: "User",
    respondent_type: str,
    organisation_name: str = "",
    display_name: str,
    postcode: str = "",
    town: str = "",
    text: str,
    now: dt.datetime | None = None,
) -> Response:
    """The author changes their response while the hearing is open. The earlier text is kept as a
    revision; in pre-moderation the response goes back to pending, and so it does in post-moderation when
    a registered check holds the new text back (``hearings.holds``)."""
    now = now or timezone.now()
    response = Response.objects.select_for_update().select_related("hearing").get(pk=response.pk)
    decision = permissions.can_change_own_response(user, response, now)
    if not decision:
        raise ResponseRefused(decision)
    fields = _validate_author_fields(
        respondent_type=respondent_type, organisation_name=organisation_name, display_name=display_name,
        postcode=postcode, town=town, text=text,
    )  # fmt: skip
    if all(getattr(response, name) == value for name, value in fields.items()):
        return response
    ResponseRevision.objects.create(
        response=response,
        text=response.text,
        organisation_name=response.organisation_name,
        display_name=response.display_name,
        status_before=response.status,
        edited_at=now,
    )
    for name, value in fields.items():
        setattr(response, name, value)
    response.edited_at = now
    before = response.status
    held = holds.holds(response.hearing, fields)
    if response.hearing.is_pre_moderated or held:
        response.status = Response.Status.PENDING
        response.published_at = None
    if held:
        response.moderation_reason = ModerationReason.POSSIBLE_PERSONAL_DATA
    response.save()
    signals.response_changed.send(
        sender=Response, response=response, action="edited", actor=user, status_before=before, now=now
    )
    return response


@transaction.atomic
def withdraw_response(*, response: Response, user: "User", now: dt.datetime | None = None) -> Response:
    """The author withdraws their response: it leaves every public list; its number is not reused.
    Withdrawing it again (the same post twice) changes and logs nothing."""
    now = now or timezone.now()
    response = Response.objects.select_for_update().select_related("hearing").get(pk=response.pk)
    if (
        response.status == Response.Status.WITHDRAWN
        and user.is_authenticated
        and response.author_id == user.pk
    ):
        return response
    decision = permissions.can_change_own_response(user, response, now)
    if not decision:
        raise ResponseRefused(decision)
    before = response.status
    response.status = Response.Status.WITHDRAWN
    response.withdrawn_at = now
    response.save(update_fields=["status", "withdrawn_at"])
    signals.response_changed.send(
        sender=Response, response=response, action="withdrawn", actor=user, status_before=before, now=now
    )
    return response


def mark_receipt_sent(*, response_id: int, now: dt.datetime | None = None) -> bool:
    """Record that the receipt was sent; False if another run of the task had already done so."""
    return bool(
        Response.objects.filter(pk=response_id, receipt_sent_at__isnull=True).update(
            receipt_sent_at=now or timezone.now()
        )
    )


@transaction.atomic
def publish_summary(*, hearing: Hearing, actor: "User", now: dt.datetime | None = None) -> Hearing:
    """Staff publish the hearing summary once the hearing has closed: it becomes public, the remarks lock.
    Raises PermissionDenied (not a moderator or editor of the hearing's municipality) and ValidationError
    (still open). Publishing it again changes and logs nothing."""
    now = now or timezone.now()
    hearing = Hearing.objects.select_for_update().select_related("strategy").get(pk=hearing.pk)
    if not rules.may_remark(actor, hearing):
        raise PermissionDenied
    if hearing.state(now) != Hearing.State.CLOSED:
        raise ValidationError(_("Høringsnotatet kan først offentliggøres, når høringen er lukket."))
    if hearing.summary_published_at is None:
        hearing.summary_published_at = now
        hearing.save(update_fields=["summary_published_at"])
        signals.summary_published.send(sender=Hearing, hearing=hearing, actor=actor, now=now)
        # The published summary holds the remarks: it releases them, if staff had not yet.
        if not hearing.remarks_as_written:
            release_remarks(hearing=hearing, actor=actor, now=now)
    return hearing


@transaction.atomic
def release_remarks(*, hearing: Hearing, actor: "User", now: dt.datetime | None = None) -> bool:
    """Release the administration's remarks of ``hearing`` (on its responses and its topics) in one action:
    from now on they show on the public pages, and each author of a published response is written to once
    (``signals.remarks_released``; notifications sends the e-mails after the commit). Returns False if they had been released already: nothing changes, nobody is
    written to twice. Raises PermissionDenied unless ``actor`` may remark on the hearing (a moderator or
    editor of its municipality), and ValidationError (in Danish) for a hearing that shows its remarks as
    they are written: each of those was told as it was written."""
    now = now or timezone.now()
    locked = Hearing.objects.select_for_update().select_related("strategy").get(pk=hearing.pk)
    if not rules.may_remark(actor, locked):
        raise PermissionDenied
    if locked.remarks_released_at is not None:
        return False
    if locked.remarks_as_written:
        raise ValidationError(
            _("Høringen viser bemærkningerne, efterhånden som de skrives; de skal ikke frigives.")
        )
    locked.remarks_released_at = hearing.remarks_released_at = now
    locked.save(update_fields=["remarks_released_at", "updated_at"])
    signals.remarks_released.send(sender=Hearing, hearing=locked, actor=actor, now=now)
    return True
