"""Changes of a hearing's topics ("emner") by staff: create, edit, merge, split and delete topics, link
responses to them and unlink them. One function per change, keyword-only, checked and validated before it
saves, each recorded in the audit log (``moderation.services.record_event``, a ``TOPIC_*`` action) in the
same transaction, and each giving the hearing a new content version (``hearings.response_cache.bump``) so
that the hearing summary's fingerprint changes with it.

Who: ``analysis.permissions.may_analyse`` (the municipality's moderators and editors; the operator);
anyone else gets ``PermissionDenied``. Once the hearing summary is published (``Hearing.remarks_are_locked``)
its topics are locked as its remarks are: every change is refused with a ValidationError.

Refusals are ``ValidationError``s with a Danish message, keyed by the field of ``analysis.forms`` they
concern (``title``, ``target``, ``summary``, ``remark``, ``recommendation``, ``change``, ``quote``,
``into``, ``responses``) where there is one, so a form shows each next to its field.

"Behandlet" (processed): a response that is not withdrawn counts as processed once it is linked to at
least one topic or has a remark of its own (``moderation.models.Remark``): small hearings keep answering
response by response, large ones by topic, and either way the response has been read and dealt with.
``analysis.selectors.analysis_overview`` counts by this rule.
"""

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Value
from django.db.models.functions import Lower
from django.utils import timezone, translation
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from hearings import response_cache
from hearings.models import Hearing, Response
from moderation.models import ModerationEvent
from moderation.services import new_event, record_event
from portal.text import normalise_text
from strategies.models import Goal, Section, Theme

from .models import QUOTE_MAX_LENGTH, TOPIC_TEXT_MAX_LENGTH, TOPIC_TITLE_MAX_LENGTH, Topic, TopicResponse
from .permissions import may_analyse

if TYPE_CHECKING:
    from accounts.models import User

Action = ModerationEvent.Action
Target = Section | Goal | Theme

# The actions whose event names who last changed a topic's own fields (StaleTopic says who).
_EDITS = (Action.TOPIC_CREATED, Action.TOPIC_CHANGED, Action.TOPIC_MERGED, Action.TOPIC_SPLIT)


class StaleTopic(ValidationError):
    """The topic was saved by someone else after the editor opened it: ``version`` is behind. Nothing is
    saved; the message says who changed it and when. ``topic`` is the topic as it is now."""

    def __init__(self, message: str, *, topic: Topic) -> None:
        super().__init__(message, code="stale")
        self.topic = topic


# --- checks --------------------------------------------------------------------------------------------


def _check_may_change(actor: "User", hearing: Hearing) -> None:
    if not may_analyse(actor, hearing):
        raise PermissionDenied
    if hearing.remarks_are_locked:
        raise ValidationError(_("Høringsnotatet er offentliggjort; emnerne kan ikke længere ændres."))


def _too_long(limit: int) -> str:
    return _("Teksten er for lang: højst %(max)s tegn.") % {"max": number_format(limit, force_grouping=True)}


def _clean_title(title: str) -> str:
    title = normalise_text(title or "", multiline=False).strip()
    if not title:
        raise ValidationError({"title": _("Skriv emnets titel.")})
    if len(title) > TOPIC_TITLE_MAX_LENGTH:
        raise ValidationError(
            {
                "title": _("Titlen er for lang: højst %(max)s tegn (den har %(length)s).")
                % {"max": number_format(TOPIC_TITLE_MAX_LENGTH, force_grouping=True), "length": len(title)}
            }
        )
    return title


def _clean_text(field: str, text: str, limit: int = TOPIC_TEXT_MAX_LENGTH) -> str:
    text = normalise_text(text or "").strip()
    if len(text) > limit:
        raise ValidationError({field: _too_long(limit)})
    return text


def _check_unique_title(hearing: Hearing, title: str, *, exclude: int | None = None) -> None:
    same = Topic.objects.annotate(lower_title=Lower("title")).filter(
        hearing=hearing, lower_title=Lower(Value(title))
    )
    if exclude is not None:
        same = same.exclude(pk=exclude)
    if same.exists():
        raise ValidationError({"title": _duplicate_title(title)})


def _duplicate_title(title: str) -> str:
    return _("Høringen har allerede et emne med titlen «%(title)s». Vælg en anden titel.") % {"title": title}


def _save(topic: Topic) -> None:
    """Save, turning the title constraint's refusal (two moderators creating the same title at once)
    into the same message as the check before it."""
    try:
        with transaction.atomic():
            topic.save()
    except IntegrityError as error:
        if "topic_title_unique_per_hearing" in str(error):
            raise ValidationError({"title": _duplicate_title(topic.title)}) from error
        raise


def _target_section_id(target: Target) -> int:
    return target.pk if isinstance(target, Section) else target.section_id


def _check_target(hearing: Hearing, target: Target | None) -> None:
    """``target`` must be a part of the hearing's strategy and, when the hearing covers one section,
    of that section."""
    if target is None:
        return
    if not isinstance(target, (Section, Goal, Theme)):
        raise ValidationError({"target": _("Vælg en del af strategien fra listen.")})
    section = target if isinstance(target, Section) else target.section
    if section.strategy_id != hearing.strategy_id or (
        hearing.section_id is not None and section.pk != hearing.section_id
    ):
        raise ValidationError({"target": _("Den valgte del hører ikke til høringen. Vælg en fra listen.")})


def _set_target(topic: Topic, target: Target | None) -> None:
    topic.target_section = target if isinstance(target, Section) else None
    topic.target_goal = target if isinstance(target, Goal) else None
    topic.target_theme = target if isinstance(target, Theme) else None


def _clean_fields(
    *, title: str, summary: str, remark: str, recommendation: str, change: str
) -> dict[str, str]:
    """The topic's texts under the text policy, or every refusal at once (by field)."""
    cleaned: dict[str, str] = {}
    errors: dict[str, list[str]] = {}
    for field, text in (("title", title), ("summary", summary), ("remark", remark), ("change", change)):
        try:
            cleaned[field] = _clean_title(text) if field == "title" else _clean_text(field, text)
        except ValidationError as error:
            for key, messages in error.message_dict.items():
                errors.setdefault(key, []).extend(messages)
    recommendation = recommendation or ""
    if recommendation and recommendation not in Topic.Recommendation.values:
        errors.setdefault("recommendation", []).append(_("Vælg en indstilling fra listen."))
    elif recommendation == Topic.Recommendation.CHANGE and not cleaned.get("change", "x"):
        errors.setdefault("change", []).append(
            _("Skriv ændringen af forslaget, når indstillingen er, at forslaget ændres.")
        )
    if errors:
        raise ValidationError(errors)
    cleaned["recommendation"] = recommendation
    return cleaned


def _snapshot(topic: Topic) -> dict[str, Any]:
    """What the log keeps of a topic's fields (so that a change or a deletion can be read back)."""
    target = topic.target
    return {
        "title": topic.title,
        "target": f"{type(target).__name__.lower()}-{target.pk}" if target is not None else "",
        "summary": topic.summary,
        "remark": topic.remark,
        "recommendation": topic.recommendation,
        "change": topic.change,
    }


def _locked_topic(topic: Topic) -> Topic:
    return Topic.objects.select_for_update(of=("self",)).select_related("hearing__strategy").get(pk=topic.pk)


# --- topics --------------------------------------------------------------------------------------------


@transaction.atomic
def create_topic(
    *,
    hearing: Hearing,
    actor: "User",
    title: str,
    target: Target | None = None,
    summary: str = "",
    remark: str = "",
    recommendation: str = "",
    change: str = "",
    now: dt.datetime | None = None,
) -> Topic:
    """A new topic of ``hearing``, last in its order. ``target``: a Section, Goal or Theme of the hearing's
    strategy (of the hearing's section, when it covers one), or None for the hearing as a whole.
    ``recommendation``: a ``Topic.Recommendation`` value or "" (not decided yet); CHANGE needs ``change``.
    Raises PermissionDenied, or ValidationError (by field) for an empty, too long or duplicate title
    (case-insensitive), a text over ``TOPIC_TEXT_MAX_LENGTH``, a target outside the hearing."""
    now = now or timezone.now()
    _check_may_change(actor, hearing)
    cleaned = _clean_fields(
        title=title, summary=summary, remark=remark, recommendation=recommendation, change=change
    )
    _check_target(hearing, target)
    _check_unique_title(hearing, cleaned["title"])
    last = Topic.objects.filter(hearing=hearing).order_by("-position").values_list("position", flat=True)
    topic = Topic(
        hearing=hearing, position=(last.first() or 0) + 1, created_at=now, updated_at=now, **cleaned
    )
    _set_target(topic, target)
    _save(topic)
    record_event(
        action=Action.TOPIC_CREATED,
        hearing=hearing,
        actor=actor,
        now=now,
        details={"topic": topic.pk, **_snapshot(topic)},
    )
    response_cache.bump([hearing.pk])
    return topic


def _stale_message(topic: Topic) -> str:
    event = (
        ModerationEvent.objects.filter(hearing=topic.hearing_id, action__in=_EDITS, details__topic=topic.pk)
        .order_by("-pk")
        .first()
    )
    when = date_format(timezone.localtime(topic.updated_at), "DATETIME_FORMAT")
    who = event.actor_label if event is not None and event.actor_label else _("en anden")
    return _(
        "%(who)s har ændret emnet %(when)s, efter du åbnede det. Din tekst er ikke gemt; den står stadig "
        "i formularen. Se den gemte udgave, og gem igen, hvis din skal gælde."
    ) % {"who": who, "when": when}


@transaction.atomic
def update_topic(
    *,
    topic: Topic,
    actor: "User",
    version: int,
    title: str,
    target: Target | None,
    summary: str,
    remark: str,
    recommendation: str,
    change: str,
    now: dt.datetime | None = None,
) -> Topic:
    """Save the topic's fields as edited from ``version`` (the version the editor opened); the version
    then rises by one. Raises StaleTopic (a ValidationError) when the topic was saved since, saying who
    and when; PermissionDenied; ValidationError as ``create_topic``. Saving the same fields again changes
    and logs nothing (a double click)."""
    now = now or timezone.now()
    topic = _locked_topic(topic)
    hearing = topic.hearing
    _check_may_change(actor, hearing)
    if version != topic.version:
        raise StaleTopic(_stale_message(topic), topic=topic)
    cleaned = _clean_fields(
        title=title, summary=summary, remark=remark, recommendation=recommendation, change=change
    )
    _check_target(hearing, target)
    before = _snapshot(topic)
    for field, value in cleaned.items():
        setattr(topic, field, value)
    _set_target(topic, target)
    after = _snapshot(topic)
    if after == before:
        return topic
    if after["title"].lower() != before["title"].lower():
        _check_unique_title(hearing, cleaned["title"], exclude=topic.pk)
    topic.version += 1
    topic.updated_at = now
    _save(topic)
    changed = {key: value for key, value in after.items() if before[key] != value}
    record_event(
        action=Action.TOPIC_CHANGED,
        hearing=hearing,
        actor=actor,
        now=now,
        details={
            "topic": topic.pk,
            "version": topic.version,
            "before": {k: before[k] for k in changed},
            **changed,
        },
    )
    response_cache.bump([hearing.pk])
    return topic


@transaction.atomic
def delete_topic(*, topic: Topic, actor: "User", now: dt.datetime | None = None) -> None:
    """Delete the topic and its links (the responses stay). The log keeps its fields and the numbers of
    its responses. Raises PermissionDenied, or ValidationError once the summary is published."""
    topic = _locked_topic(topic)
    hearing = topic.hearing
    _check_may_change(actor, hearing)
    numbers = list(topic.links.order_by("response__number").values_list("response__number", flat=True))
    details = {"topic": topic.pk, **_snapshot(topic), "responses": numbers}
    topic.delete()
    record_event(action=Action.TOPIC_DELETED, hearing=hearing, actor=actor, now=now, details=details)
    response_cache.bump([hearing.pk])


def _appended(into_text: str, text: str, heading: str) -> str:
    if not text:
        return into_text
    block = f"{heading}\n\n{text}"
    return f"{into_text}\n\n{block}" if into_text else block


@transaction.atomic
def merge_topics(*, topic: Topic, into: Topic, actor: "User", now: dt.datetime | None = None) -> Topic:
    """Merge ``topic`` into ``into`` and delete ``topic``: its responses are linked to ``into`` (a response
    in both stays once, keeping a quote where only ``topic``'s link had one); its summary, remark and change
    are appended to ``into``'s, under a line "Fra emnet «<title>»:"; ``into`` takes its target and
    recommendation where it has none. ``into``'s version rises by one. Returns ``into``.
    Raises ValidationError (key ``into``) for a topic merged into itself, topics of two hearings, or texts
    that would exceed ``TOPIC_TEXT_MAX_LENGTH`` together; PermissionDenied."""
    now = now or timezone.now()
    # Lock both in the order of their ids: two merges the other way round cannot wait for each other.
    locked = {
        t.pk: t
        for t in Topic.objects.select_for_update(of=("self",))
        .select_related("hearing__strategy")
        .filter(pk__in=[topic.pk, into.pk])
        .order_by("pk")
    }
    if topic.pk not in locked or into.pk not in locked:
        raise ValidationError({"into": _("Emnet findes ikke længere.")})
    topic, into = locked[topic.pk], locked[into.pk]
    _check_may_change(actor, topic.hearing)
    if topic.pk == into.pk:
        raise ValidationError({"into": _("Et emne kan ikke lægges sammen med sig selv. Vælg et andet emne.")})
    _check_may_change(actor, into.hearing)
    if topic.hearing_id != into.hearing_id:
        raise ValidationError(
            {"into": _("Emnerne hører til to forskellige høringer og kan ikke lægges sammen.")}
        )
    with translation.override(settings.LANGUAGE_CODE):  # stored text: the summary's language
        heading = _("Fra emnet «%(title)s»:") % {"title": topic.title}
    summary = _appended(into.summary, topic.summary, heading)
    remark = _appended(into.remark, topic.remark, heading)
    change = _appended(into.change, topic.change, heading)
    if max(len(summary), len(remark), len(change)) > TOPIC_TEXT_MAX_LENGTH:
        raise ValidationError(
            {
                "into": _(
                    "Emnernes tekster bliver for lange tilsammen (højst %(max)s tegn hver). Forkort dem først."
                )
                % {"max": number_format(TOPIC_TEXT_MAX_LENGTH, force_grouping=True)}
            }
        )
    existing = {link.response_id: link for link in into.links.all()}
    moved = 0
    for link in topic.links.all():
        kept = existing.get(link.response_id)
        if kept is None:
            link.topic = into
            link.save(update_fields=["topic"])
            moved += 1
        elif link.quote and not kept.quote:
            kept.quote = link.quote
            kept.save(update_fields=["quote"])
    into.summary, into.remark, into.change = summary, remark, change
    if into.target is None and topic.target is not None:
        _set_target(into, topic.target)
    if not into.recommendation:
        into.recommendation = topic.recommendation
    into.version += 1
    into.updated_at = now
    merged = {"merged": topic.pk, "merged_title": topic.title, "moved": moved}
    topic.delete()
    into.save()
    record_event(
        action=Action.TOPIC_MERGED,
        hearing=into.hearing,
        actor=actor,
        now=now,
        details={"topic": into.pk, "title": into.title, **merged},
    )
    response_cache.bump([into.hearing_id])
    return into


@transaction.atomic
def split_topic(
    *, topic: Topic, actor: "User", title: str, response_ids: Iterable[int], now: dt.datetime | None = None
) -> Topic:
    """A new topic titled ``title`` (with ``topic``'s target), to which the responses ``response_ids`` of
    ``topic`` move with their quotes. Returns the new topic.
    Raises ValidationError for a title as ``create_topic`` refuses it, no response chosen (``responses``),
    or a response that is not in ``topic`` (named by its number); PermissionDenied."""
    now = now or timezone.now()
    topic = _locked_topic(topic)
    hearing = topic.hearing
    _check_may_change(actor, hearing)
    ids = set(response_ids)
    title = _clean_title(title)
    if not ids:
        raise ValidationError({"responses": _("Vælg de høringssvar, der skal flyttes til det nye emne.")})
    links = list(topic.links.filter(response_id__in=ids).select_related("response"))
    missing = ids - {link.response_id for link in links}
    if missing:
        numbers = sorted(
            Response.objects.filter(pk__in=missing, hearing=hearing).values_list("number", flat=True)
        )
        if numbers:
            raise ValidationError(
                {
                    "responses": _("Høringssvar nr. %(numbers)s er ikke i emnet «%(title)s».")
                    % {"numbers": ", ".join(map(str, numbers)), "title": topic.title}
                }
            )
        raise ValidationError({"responses": _("Et af de valgte høringssvar er ikke i emnet.")})
    _check_unique_title(hearing, title)
    last = Topic.objects.filter(hearing=hearing).order_by("-position").values_list("position", flat=True)
    new = Topic(
        hearing=hearing, title=title, position=(last.first() or 0) + 1, created_at=now, updated_at=now
    )
    _set_target(new, topic.target)
    _save(new)
    TopicResponse.objects.filter(pk__in=[link.pk for link in links]).update(topic=new)
    numbers = sorted(link.response.number for link in links)
    record_event(
        action=Action.TOPIC_SPLIT,
        hearing=hearing,
        actor=actor,
        now=now,
        details={
            "topic": new.pk,
            "title": new.title,
            "from": topic.pk,
            "from_title": topic.title,
            "responses": numbers,
        },
    )
    response_cache.bump([hearing.pk])
    return new


# --- responses of a topic ------------------------------------------------------------------------------


QUOTE_MARKS = "\"'«»“”„‘’›‹"


def quote_is_in(quote: str, text: str) -> bool:
    """Whether ``quote`` is a passage of ``text``: the same words in the same order, whatever the case,
    the white space between them and the quotation marks around the quote. A quote is printed in the
    hearing summary as the citizen's own words, so it must be theirs."""

    def plain(value: str) -> str:
        return " ".join(value.split()).casefold()

    return plain(quote.strip().strip(QUOTE_MARKS)) in plain(text)


def link_refusal(*, topic: Topic, response: Response) -> str | None:
    """Why ``response`` cannot be linked to ``topic`` (a Danish sentence naming its number), or None when
    it can: it must be a response of the topic's hearing (so of its municipality) and not withdrawn."""
    if response.hearing_id != topic.hearing_id:
        return _("Høringssvar nr. %(number)s hører til en anden høring og kan ikke knyttes til emnet.") % {
            "number": response.number
        }
    if response.status == Response.Status.WITHDRAWN:
        return _(
            "Høringssvar nr. %(number)s er trukket tilbage af afsenderen og kan ikke knyttes til et emne."
        ) % {"number": response.number}
    return None


@transaction.atomic
def link_responses(
    *,
    topic: Topic,
    actor: "User",
    responses: Iterable[Response],
    quote: str = "",
    now: dt.datetime | None = None,
) -> int:
    """Link ``responses`` to ``topic``, each with ``quote`` (the passage that raised the topic; optional,
    at most ``QUOTE_MAX_LENGTH`` characters). A response already linked keeps its link; a quote given
    replaces its quote; a quote must be a passage of every response linked (``quote_is_in``). All or nothing: any response refused (``link_refusal``) refuses the call with a
    ValidationError listing each. Each new link or new quote is logged on its response. Returns the
    number of new links. Raises PermissionDenied."""
    now = now or timezone.now()
    topic = _locked_topic(topic)
    hearing = topic.hearing
    _check_may_change(actor, hearing)
    quote = _clean_text("quote", quote, QUOTE_MAX_LENGTH)
    chosen = list({response.pk: response for response in responses}.values())
    refusals = [message for r in chosen if (message := link_refusal(topic=topic, response=r))]
    if quote:
        refusals += [
            _("Citatet står ikke i høringssvar nr. %(number)s. Kopiér det ordret fra svaret.")
            % {"number": r.number}
            for r in chosen
            if not quote_is_in(quote, r.text)
        ]
    if refusals:
        raise ValidationError(refusals)
    existing = {link.response_id: link for link in topic.links.filter(response__in=[r.pk for r in chosen])}
    new = [r for r in chosen if r.pk not in existing]
    requoted = [
        existing[r.pk] for r in chosen if r.pk in existing and quote and existing[r.pk].quote != quote
    ]
    # In bulk (a suggestion accepted may link thousands of responses): one INSERT per 2,000 rows.
    TopicResponse.objects.bulk_create(
        [TopicResponse(topic=topic, response=r, quote=quote, created_at=now) for r in new], batch_size=2000
    )
    for link in requoted:
        link.quote = quote
    TopicResponse.objects.bulk_update(requoted, ["quote"], batch_size=2000)
    created = len(new)
    changed = created + len(requoted)
    requoted_ids = {link.response_id for link in requoted}
    logged = [
        r.pk for r in sorted(chosen, key=lambda r: r.number) if r.pk not in existing or r.pk in requoted_ids
    ]
    ModerationEvent.objects.bulk_create(
        [
            new_event(
                action=Action.TOPIC_LINKED, hearing=hearing, response_id=pk, actor=actor, now=now,
                details={"topic": topic.pk, "title": topic.title, "quote": quote, "new": pk not in existing},
            )
            for pk in logged
        ],
        batch_size=2000,
    )  # fmt: skip
    if changed:
        response_cache.bump([hearing.pk])
    return created


@transaction.atomic
def unlink_response(
    *, topic: Topic, response: Response, actor: "User", now: dt.datetime | None = None
) -> None:
    """Remove ``response`` from ``topic`` (its quote with it). A response not (or no longer) in the topic
    is left as it is, and nothing is logged: the same post twice. Raises PermissionDenied."""
    topic = _locked_topic(topic)
    hearing = topic.hearing
    _check_may_change(actor, hearing)
    link = TopicResponse.objects.filter(topic=topic, response=response).first()
    if link is None:
        return
    link.delete()
    record_event(
        action=Action.TOPIC_UNLINKED,
        hearing=hearing,
        response=response,
        actor=actor,
        now=now,
        details={"topic": topic.pk, "title": topic.title, "quote": link.quote},
    )
    response_cache.bump([hearing.pk])
