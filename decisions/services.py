"""Changes of state in the decisions app: recording (and correcting) a hearing's decision with what changed
per part of the strategy, and publishing it once.

Each is logged on the ``decisions`` logger (who, which hearing, what): the audit log of
``moderation.models.ModerationEvent`` has no kind for a decision, and the decision row itself keeps when it
was published."""

import datetime as dt
import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from hearings import response_cache
from hearings.models import Hearing
from portal.text import normalise_text
from strategies.models import Section, Strategy

from .models import DECIDED_BY_MAX_LENGTH, DECISION_TEXT_MAX_LENGTH, Decision, SectionChange
from .permissions import can_record_decision
from .signals import decision_published

if TYPE_CHECKING:
    from accounts.models import User

logger = logging.getLogger(__name__)

MINUTES_URL_MAX_LENGTH = 200  # URLField's default column


def _check_may_record(actor: "User", hearing: Hearing, now: dt.datetime) -> None:
    decision = can_record_decision(actor, hearing, now)
    if decision.code == "role":
        raise PermissionDenied(decision.reason)
    if not decision:
        raise ValidationError(decision.reason)


def _too_long(limit: int, length: int) -> str:
    return _("Teksten er for lang: højst %(max)s tegn (den har %(length)s).") % {
        "max": number_format(limit, force_grouping=True),
        "length": number_format(length, force_grouping=True),
    }


def section_choices(hearing: Hearing) -> list[Section]:
    """The parts of the strategy a change may be written for: the hearing's own section when it covers
    one, else every section of the strategy (by number). One query."""
    if hearing.section_id is not None:
        return list(Section.objects.filter(pk=hearing.section_id))
    return list(Section.objects.filter(strategy_id=hearing.strategy_id).order_by("number"))


def _cleaned(
    *,
    hearing: Hearing,
    decided_on: dt.date | None,
    decided_by: str,
    outcome: str,
    minutes_url: str,
    text: str,
    changes: Mapping[int | None, str],
    now: dt.datetime,
) -> tuple[dict[str, object], dict[int | None, str]]:
    errors: dict[str, list[str]] = {}
    closed_on = timezone.localtime(hearing.closes_at).date()
    if decided_on is None:
        errors.setdefault("decided_on", []).append(_("Skriv datoen for beslutningen."))
    elif decided_on < closed_on:
        errors.setdefault("decided_on", []).append(
            _("Beslutningen kan ikke være truffet, før høringen lukkede (%(date)s).")
            % {"date": closed_on.strftime("%d.%m.%Y")}
        )
    elif decided_on > timezone.localtime(now).date():
        errors.setdefault("decided_on", []).append(_("Datoen for beslutningen kan ikke ligge i fremtiden."))
    decided_by = " ".join(normalise_text(decided_by or "", multiline=False).split())
    if not decided_by:
        errors.setdefault("decided_by", []).append(_("Skriv, hvem der traf beslutningen, fx Byrådet."))
    elif len(decided_by) > DECIDED_BY_MAX_LENGTH:
        errors.setdefault("decided_by", []).append(_too_long(DECIDED_BY_MAX_LENGTH, len(decided_by)))
    if outcome not in Decision.Outcome.values:
        errors.setdefault("outcome", []).append(_("Vælg, hvad der blev besluttet."))
    minutes_url = normalise_text(minutes_url or "", multiline=False).strip()
    if minutes_url:
        if len(minutes_url) > MINUTES_URL_MAX_LENGTH:
            errors.setdefault("minutes_url", []).append(_too_long(MINUTES_URL_MAX_LENGTH, len(minutes_url)))
        else:
            try:
                URLValidator(schemes=["http", "https"])(minutes_url)
            except ValidationError:
                errors.setdefault("minutes_url", []).append(
                    _("Skriv linket til referatet som en hel adresse, der begynder med https://.")
                )
    text = normalise_text(text or "").strip()
    if len(text) > DECISION_TEXT_MAX_LENGTH:
        errors.setdefault("text", []).append(_too_long(DECISION_TEXT_MAX_LENGTH, len(text)))
    allowed = {section.pk for section in section_choices(hearing)} | {None}
    cleaned_changes: dict[int | None, str] = {}
    for section_id, change in changes.items():
        field = f"change_{section_id or 'whole'}"
        if section_id not in allowed:
            errors.setdefault("__all__", []).append(_("En af delene hører ikke til høringens strategi."))
            continue
        change = normalise_text(change or "").strip()
        if len(change) > DECISION_TEXT_MAX_LENGTH:
            errors.setdefault(field, []).append(_too_long(DECISION_TEXT_MAX_LENGTH, len(change)))
        cleaned_changes[section_id] = change
    if errors:
        raise ValidationError(errors)
    values: dict[str, object] = {
        "decided_on": decided_on,
        "decided_by": decided_by,
        "outcome": outcome,
        "minutes_url": minutes_url,
        "text": text,
    }
    return values, cleaned_changes


@transaction.atomic
def mark_strategy_adopted(*, decision: Decision) -> bool:
    """A published, adopting decision on a hearing of the whole strategy marks the strategy adopted on its
    date (an archived strategy stays archived). Saved with ``save()`` so that the pages that show the
    strategy are refreshed (hearings.response_cache). Publishing and correcting call it; it is public for
    whoever loads the strategies' seed again (the demo), which resets the date. Returns whether it changed
    the strategy."""
    hearing = decision.hearing
    if not decision.is_published or not decision.adopts_strategy or hearing.section_id is not None:
        return False
    strategy = Strategy.objects.select_for_update().get(pk=hearing.strategy_id)
    if strategy.status == Strategy.Status.ARCHIVED:
        return False
    if strategy.status == Strategy.Status.ADOPTED and strategy.adopted_on == decision.decided_on:
        return False
    strategy.status = Strategy.Status.ADOPTED
    strategy.adopted_on = decision.decided_on
    strategy.save(update_fields=["status", "adopted_on", "updated_at"])
    return True


@transaction.atomic
def save_decision(
    *,
    hearing: Hearing,
    actor: "User",
    decided_on: dt.date | None,
    decided_by: str,
    outcome: str,
    minutes_url: str = "",
    text: str = "",
    changes: Mapping[int | None, str] | None = None,
    now: dt.datetime | None = None,
) -> Decision:
    """Record the decision on ``hearing`` (a closed hearing), or correct it (also once published).

    - ``decided_on``: the date of the meeting (not before the hearing closed, not in the future);
    - ``decided_by``: who decided, e.g. "Byrådet" (one line, at most ``DECIDED_BY_MAX_LENGTH``);
    - ``outcome``: a ``Decision.Outcome`` value; ``minutes_url``: an http(s) address or "";
    - ``text``: the decision in words (Markdown, at most ``DECISION_TEXT_MAX_LENGTH``);
    - ``changes``: {section id, or None for the strategy as a whole: what changed (plain text)}; an empty
      text removes that part's change, a part not named keeps its change. Sections must be the
      hearing's (``section_choices``).

    Raises PermissionDenied (not an editor of the hearing's municipality) or ValidationError, by field
    (``change_<section id>``/``change_whole`` for the changes), with Danish messages; nothing is saved
    then. A published decision's correction shows on the public pages at once."""
    now = now or timezone.now()
    _check_may_record(actor, hearing, now)
    values, cleaned_changes = _cleaned(
        hearing=hearing,
        decided_on=decided_on,
        decided_by=decided_by,
        outcome=outcome,
        minutes_url=minutes_url,
        text=text,
        changes=changes or {},
        now=now,
    )
    decision = Decision.objects.select_for_update().filter(hearing=hearing).first()
    created = decision is None
    if decision is None:
        decision = Decision(hearing=hearing)
    for name, value in values.items():
        setattr(decision, name, value)
    decision.save()
    existing = {change.section_id: change for change in decision.changes.all()}
    for section_id, change_text in cleaned_changes.items():
        change = existing.get(section_id)
        if not change_text:
            if change is not None:
                change.delete()
        elif change is None:
            SectionChange.objects.create(decision=decision, section_id=section_id, text=change_text)
        elif change.text != change_text:
            change.text = change_text
            change.save(update_fields=["text"])
    decision.hearing = hearing
    if decision.is_published:
        mark_strategy_adopted(decision=decision)
        response_cache.bump([hearing.pk])
    logger.info(
        "Decision on hearing %s %s by user %s (outcome %s, published: %s)",
        hearing.pk,
        "recorded" if created else "changed",
        actor.pk,
        decision.outcome,
        decision.is_published,
    )
    return decision


@transaction.atomic
def publish_decision(*, decision: Decision, actor: "User", now: dt.datetime | None = None) -> Decision:
    """Publish ``decision``: the public page "Det sagde I – det gjorde vi" shows it, the hearing's and the
    strategy's pages link to it, an adopting decision on the whole strategy marks the strategy adopted on
    its date, and ``decisions.signals.decision_published`` is sent (the notifications app e-mails the
    followers and respondents once, after the commit).

    Once only: raises ValidationError (Danish) if it was published already, PermissionDenied for someone
    who may not record it (``can_record_decision``)."""
    now = now or timezone.now()
    decision = Decision.objects.select_for_update().select_related("hearing__strategy").get(pk=decision.pk)
    hearing = decision.hearing
    _check_may_record(actor, hearing, now)
    if decision.is_published:
        raise ValidationError(_("Beslutningen er allerede offentliggjort."))
    decision.published_at = now
    decision.save(update_fields=["published_at", "updated_at"])
    mark_strategy_adopted(decision=decision)
    response_cache.bump([hearing.pk])
    decision_published.send(sender=Decision, decision=decision, actor=actor, now=now)
    logger.info("Decision on hearing %s published by user %s", hearing.pk, actor.pk)
    return decision
