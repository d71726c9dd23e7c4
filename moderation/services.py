"""Changes of state by staff (and flags by citizens): moderation and remarks, each recorded as an append-only
ModerationEvent. One function per change, keyword-only, checked and validated before it saves. The events of
other apps' changes (responses, roles, summaries) are recorded by moderation.receivers."""

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import rules
from hearings.models import Hearing, Response, chosen_reasons
from portal.text import normalise_text

from . import panels, permissions, signals
from .models import (
    FLAG_NOTE_MAX_LENGTH,
    MODERATION_NOTE_MAX_LENGTH,
    REMARK_MAX_LENGTH,
    Flag,
    ModerationEvent,
    Remark,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.utils.functional import _StrPromise

    from accounts.models import User

FLAG_THRESHOLD = 3

Action = ModerationEvent.Action
Status = Response.Status

# action -> (the statuses it applies to, the status it leads to, whether a reason is required)
TRANSITIONS: dict[str, tuple[set[str], str | None, bool]] = {
    Action.PUBLISHED: ({Status.PENDING}, Status.PUBLISHED, False),
    Action.REJECTED: ({Status.PENDING}, Status.REJECTED, True),
    Action.HIDDEN: ({Status.PUBLISHED}, Status.HIDDEN, True),
    Action.RESTORED: ({Status.HIDDEN, Status.REJECTED}, None, False),  # back to where it came from
}


def allowed_actions(response: Response) -> list[str]:
    """The moderation actions that apply to ``response`` in its status now (``ModerationEvent.Action``
    values, in the order of ``TRANSITIONS``): what its staff page offers and ``moderate()`` accepts."""
    return [
        action for action, (sources, _target, _reason) in TRANSITIONS.items() if response.status in sources
    ]


# Why an action does not apply to a response's status: a whole sentence per action (the passive
# infinitive, "det kan ikke offentliggøres"), never the action's label, a past participle, put in a slot.
REFUSALS: "dict[str, _StrPromise]" = {
    Action.PUBLISHED: gettext_lazy("Høringssvar nr. %(number)s er %(status)s; det kan ikke offentliggøres."),
    Action.REJECTED: gettext_lazy("Høringssvar nr. %(number)s er %(status)s; det kan ikke afvises."),
    Action.HIDDEN: gettext_lazy("Høringssvar nr. %(number)s er %(status)s; det kan ikke skjules."),
    Action.RESTORED: gettext_lazy("Høringssvar nr. %(number)s er %(status)s; det kan ikke gendannes."),
}
# The same decision again (a double click, two moderators at once): a whole sentence per action too.
ALREADY_DONE: "dict[str, _StrPromise]" = {
    Action.PUBLISHED: gettext_lazy("Høringssvar nr. %(number)s er allerede offentliggjort."),
    Action.REJECTED: gettext_lazy("Høringssvar nr. %(number)s er allerede afvist."),
    Action.HIDDEN: gettext_lazy("Høringssvar nr. %(number)s er allerede skjult."),
    Action.RESTORED: gettext_lazy("Høringssvar nr. %(number)s er allerede gendannet."),
}


class AlreadyDone(ValidationError):
    """The action is already the response's latest decision, with the same reason and note, and the
    response is still as that decision left it: the same post again (a double click, two moderators
    at once). Nothing is done, nothing logged or sent. A ValidationError, so that callers that skip a
    refused response (bulk_publish) skip this one too."""


def new_event(*, action: str, response: Response | None = None, hearing: Hearing | None = None, actor: "User | None" = None,
              municipality_id: int | None = None, reason: str = "", note: str = "", status_before: str = "",
              status_after: str = "", details: dict[str, Any] | None = None, now: dt.datetime | None = None,
              response_id: int | None = None) -> ModerationEvent:  # fmt: skip
    """An audit-log event, not yet saved: for ``ModerationEvent.objects.bulk_create`` of many at once.
    ``response_id`` instead of ``response`` when only the id is at hand (then ``hearing`` is needed).
    Raises ValueError without a hearing, a response or a municipality_id."""
    hearing = hearing or (response.hearing if response else None)
    if not municipality_id:
        if hearing is None:
            raise ValueError("An event needs a hearing, a response or a municipality_id")
        municipality_id = hearing.strategy.municipality_id
    return ModerationEvent(
        action=action,
        municipality_id=municipality_id,
        hearing=hearing,
        response=response,
        **({"response_id": response_id} if response_id is not None else {}),
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_label=(actor.email if actor is not None and actor.is_authenticated else _("systemet")),
        reason=reason,
        note=note,
        status_before=status_before,
        status_after=status_after,
        details=details or {},
        created_at=now or timezone.now(),
    )


def record_event(*, action: str, response: Response | None = None, hearing: Hearing | None = None, actor: "User | None" = None,
                 municipality_id: int | None = None, reason: str = "", note: str = "", status_before: str = "",
                 status_after: str = "", details: dict[str, Any] | None = None, now: dt.datetime | None = None) -> ModerationEvent:  # fmt: skip
    """Write one audit-log event (see ``new_event``) and return it."""
    event = new_event(
        action=action, response=response, hearing=hearing, actor=actor, municipality_id=municipality_id,
        reason=reason, note=note, status_before=status_before, status_after=status_after, details=details,
        now=now,
    )  # fmt: skip
    event.save()
    return event


def _restore_target(response: Response) -> str:
    if response.status == Status.REJECTED:
        return Status.PENDING if response.hearing.is_pre_moderated else Status.PUBLISHED
    return Status.PUBLISHED


@transaction.atomic
def moderate(*, response: Response, actor: "User", action: str, reason: str = "", note: str = "",
             now: dt.datetime | None = None, notify: bool = True) -> Response:  # fmt: skip
    """Publish, reject, hide or restore a response, with a reason the author is told by e-mail."""
    now = now or timezone.now()
    response = Response.objects.select_for_update().select_related("hearing__strategy").get(pk=response.pk)
    if not rules.may_moderate(actor, response.hearing):
        raise PermissionDenied
    if action not in TRANSITIONS:
        raise ValidationError(_("Ukendt handling."))
    sources, target, reason_required = TRANSITIONS[action]
    note = normalise_text(note or "").strip()[:MODERATION_NOTE_MAX_LENGTH]
    if response.status not in sources:
        if _repeats_latest_decision(response, action=action, reason=reason, note=note):
            raise AlreadyDone(str(ALREADY_DONE[action]) % {"number": response.number}, code="already_done")
        raise ValidationError(
            str(REFUSALS[action])
            % {"number": response.number, "status": response.get_status_display().lower()},
            code="invalid_transition",
        )
    if reason and reason not in dict(chosen_reasons()):
        raise ValidationError({"reason": _("Vælg en begrundelse fra listen.")})
    if reason_required and not reason:
        raise ValidationError({"reason": _("Vælg en begrundelse; afsenderen får den at vide.")})
    before = response.status
    response.status = target or _restore_target(response)
    response.moderation_reason = reason if response.status in (Status.HIDDEN, Status.REJECTED) else ""
    if response.status == Status.PUBLISHED and not response.published_at:
        response.published_at = now
    response.save(update_fields=["status", "moderation_reason", "published_at"])
    event = record_event(action=action, response=response, actor=actor, reason=reason, note=note,
                         status_before=before, status_after=response.status, now=now)  # fmt: skip
    if notify and response.author_id:
        signals.response_moderated.send(sender=ModerationEvent, event=event)
    signals.response_decided.send(sender=ModerationEvent, event=event)
    return response


def _repeats_latest_decision(response: Response, *, action: str, reason: str, note: str) -> bool:
    """Whether ``action`` (with ``reason`` and ``note``) is the latest decision on ``response`` in the
    log and the response is still in the status that decision left it in."""
    latest = ModerationEvent.objects.filter(response=response, action__in=TRANSITIONS).order_by("-pk").first()
    return latest is not None and (latest.action, latest.reason, latest.note, latest.status_after) == (
        action,
        reason or "",
        note,
        response.status,
    )


@dataclass(frozen=True)
class BulkPublished:
    """What ``bulk_publish`` did: how many it published, and for each registered check
    (``panels.queue_checks``) that held some back, the sentence that says how many and why."""

    published: int = 0
    skipped: list[str] = field(default_factory=list)


def bulk_publish(*, response_ids: list[int], actor: "User", now: dt.datetime | None = None) -> BulkPublished:
    """Publish every pending response among ``response_ids`` that ``actor`` may moderate; the rest
    (other municipalities', not pending, or no longer pending because another moderator got there
    first) are left as they are. Responses that wait for a registered check (``panels.queue_checks``:
    possible personal data) are left too, to be published one by one from their own page, and counted."""
    published = 0
    candidates = Response.objects.filter(pk__in=response_ids, status=Status.PENDING).select_related(
        "hearing__strategy"
    )
    mine = [response for response in candidates if rules.may_moderate(actor, response.hearing)]
    held_back: set[int] = set()
    skipped: list[str] = []
    for check in panels.queue_checks if mine else ():
        waiting = Response.objects.filter(pk__in=[r.pk for r in mine]).filter(check.condition())
        ids = set(waiting.values_list("pk", flat=True)) - held_back
        if ids:
            held_back |= ids
            skipped.append(check.skipped(len(ids)))
    for response in mine:
        if response.pk in held_back:
            continue
        try:
            moderate(response=response, actor=actor, action=Action.PUBLISHED, now=now)
        except ValidationError:
            continue  # decided meanwhile (moderate() reads it again under a lock)
        published += 1
    return BulkPublished(published=published, skipped=skipped)


@transaction.atomic
def flag_response(
    *,
    response: Response,
    user: "User | AnonymousUser",
    reason: str,
    note: str = "",
    now: dt.datetime | None = None,
) -> Flag:
    """A signed-in user reports a published response; at FLAG_THRESHOLD reports from different users
    since a moderator last decided on it, it goes back to pending until a moderator decides again.
    The same report again (the same post twice: same user, reason and note) returns the first one and
    changes and logs nothing; another report by the same user is refused ("Du har allerede anmeldt")."""
    now = now or timezone.now()
    response = Response.objects.select_for_update().select_related("hearing__strategy").get(pk=response.pk)
    note = normalise_text(note or "").strip()[:FLAG_NOTE_MAX_LENGTH]
    if user.is_authenticated and (
        earlier := Flag.objects.filter(response=response, user=user, reason=reason, note=note).first()
    ):
        return earlier
    decision = permissions.can_flag(user, response)
    if not decision:
        raise ValidationError(decision.reason, code=decision.code)
    assert user.is_authenticated  # can_flag refuses a visitor who is not signed in
    if reason not in dict(chosen_reasons()):
        raise ValidationError({"reason": _("Vælg hvorfor du anmelder svaret.")})
    flag = Flag.objects.create(response=response, user=user, reason=reason, note=note, created_at=now)
    record_event(action=Action.FLAGGED, response=response, actor=user, reason=reason, note=flag.note,
                 status_before=response.status, status_after=response.status, now=now)  # fmt: skip
    flaggers = _flaggers_since_last_decision(response)
    if flaggers >= FLAG_THRESHOLD and response.status == Status.PUBLISHED:
        response.status = Status.PENDING
        response.save(update_fields=["status"])
        record_event(action=Action.FLAG_THRESHOLD, response=response, status_before=Status.PUBLISHED,
                     status_after=Status.PENDING, details={"flags": flaggers}, now=now)  # fmt: skip
    return flag


def _flaggers_since_last_decision(response: Response) -> int:
    """How many different users flagged ``response`` after a moderator last published, rejected, hid or
    restored it: flags the moderator has already weighed do not count again. Read from the log in the
    order it was written (by id; flags and decisions both lock the response first), so a decision and a
    flag with the same timestamp are still told apart."""
    events = ModerationEvent.objects.filter(response=response)
    last_decision = events.filter(action__in=TRANSITIONS).aggregate(last=Max("pk"))["last"] or 0
    flaggers: int = events.filter(action=Action.FLAGGED, pk__gt=last_decision).aggregate(
        n=Count("actor", distinct=True)
    )["n"]
    return flaggers


@transaction.atomic
def save_remark(*, response: Response, actor: "User", text: str, recommendation: str,
                now: dt.datetime | None = None) -> Remark:  # fmt: skip
    """Write or change the administration's remark; locked once the hearing summary is published.
    The same remark saved again (the same post twice, at once or not) changes and logs nothing: the
    response's row is locked first, so a second post waits and then finds the first one's remark."""
    response = (
        Response.objects.select_for_update(of=("self",))
        .select_related("hearing__strategy")
        .get(pk=response.pk)
    )
    if not rules.may_remark(actor, response.hearing):
        raise PermissionDenied
    if response.hearing.remarks_are_locked:
        raise ValidationError(_("Høringsnotatet er offentliggjort; bemærkningerne kan ikke længere ændres."))
    text = normalise_text(text or "").strip()
    if not text:
        raise ValidationError({"text": _("Skriv bemærkningen.")})
    if len(text) > REMARK_MAX_LENGTH:
        raise ValidationError(
            {
                "text": _("Bemærkningen er for lang: højst %(max)s tegn.")
                % {"max": number_format(REMARK_MAX_LENGTH, force_grouping=True)}
            }
        )
    if recommendation not in Remark.Recommendation.values:
        raise ValidationError({"recommendation": _("Vælg en indstilling.")})
    remark = Remark.objects.select_for_update().filter(response=response).first()
    if remark is None:
        remark = Remark.objects.create(
            response=response, text=text, recommendation=recommendation, author=actor
        )
        record_event(action=Action.REMARK_CREATED, response=response, actor=actor, now=now,
                     details={"text": text, "recommendation": recommendation})  # fmt: skip
    elif (remark.text, remark.recommendation) != (text, recommendation):
        before = {"text": remark.text, "recommendation": remark.recommendation}
        remark.text, remark.recommendation, remark.author = text, recommendation, actor
        remark.save()
        record_event(action=Action.REMARK_CHANGED, response=response, actor=actor, now=now,
                     details={"before": before, "text": text, "recommendation": recommendation})  # fmt: skip
    return remark


def claim_moderator_notification(*, hearing_id: int, now: dt.datetime | None = None) -> bool:
    """True at most once an hour per hearing: whether moderators should be told that responses wait."""
    now = now or timezone.now()
    return bool(
        Hearing.objects.filter(pk=hearing_id)
        .filter(
            Q(moderators_notified_at__isnull=True)
            | Q(moderators_notified_at__lte=now - dt.timedelta(hours=1))
        )
        .update(moderators_notified_at=now)
    )


def release_moderator_notification(*, hearing_id: int, claimed_at: dt.datetime) -> None:
    """Give back a claim whose e-mail could not be sent, so that the retry may send it."""
    Hearing.objects.filter(pk=hearing_id, moderators_notified_at=claimed_at).update(
        moderators_notified_at=None
    )


def export_flags(user: "User") -> list[dict[str, Any]]:
    """The moderation's part of 'download my data' (accounts.personal_data): the responses ``user``
    reported, why and when. Deleting the account deletes them (``on_delete``)."""
    return [
        {
            "høring": flag.response.hearing.title,
            "høringssvar_nummer": flag.response.number,
            "begrundelse": flag.get_reason_display(),
            "uddybning": flag.note,
            "anmeldt": flag.created_at.isoformat(),
        }
        for flag in Flag.objects.filter(user=user).select_related("response__hearing").order_by("created_at")
    ]
