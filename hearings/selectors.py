"""Reads that the hearing pages need; each owns its joins so a page's query count stays fixed."""

import datetime as dt
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from strategies.models import Goal, Section, Strategy

from .models import Hearing, Response

RESPONSES_PER_PAGE = 20
MAX_ID = 2**63 - 1  # a PostgreSQL bigint


def parse_id(value) -> int | None:
    """An id from the query string or a form, or None when it is not one. Only ASCII digits count:
    ``str.isdigit()`` is also true for '²' or '٣', which ``int()`` refuses (a 500 instead of a filter
    that is ignored)."""
    if not isinstance(value, str) or not (value.isascii() and value.isdigit()):
        return None
    number = int(value)
    return number if 0 < number <= MAX_ID else None


def hearing_detail(*, pk: int) -> Hearing:
    """A public hearing with its strategy, municipality, events and ``published_count`` (one query
    for the hearing and its count, one for the events). The count is a subquery, answered from
    ``response_list_idx``: a JOIN with GROUP BY would sort every response row with the hearing's wide
    row (10,000 responses: 200 ms, spilling to disk)."""
    published = (
        Response.objects.filter(hearing=OuterRef("pk"), status=Response.Status.PUBLISHED)
        .order_by()
        .values("hearing")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return get_object_or_404(
        Hearing.objects.public()
        .select_related("strategy__municipality", "section")
        .prefetch_related("events")
        .annotate(published_count=Coalesce(Subquery(published), 0)),
        pk=pk,
    )


def hearing_list(*, now: dt.datetime | None = None) -> dict[str, QuerySet[Hearing]]:
    now = now or timezone.now()
    base = Hearing.objects.public().select_related("strategy__municipality", "section")
    return {
        "open": base.open(now).order_by("closes_at"),
        "upcoming": base.upcoming(now).order_by("opens_at"),
        "closed": base.closed(now).order_by("-closes_at")[:20],
    }


def current_hearing(*, strategy: Strategy, section: Section | None = None, now: dt.datetime | None = None):
    """The hearing to show on a strategy or section page: an open one first, else the next upcoming,
    else the latest closed one. For a section, hearings on the whole strategy count too. One query."""
    now = now or timezone.now()
    hearings = Hearing.objects.filter(strategy=strategy).select_related("section")
    hearings = (
        hearings.filter(Q(section=None) | Q(section=section)) if section else hearings.filter(section=None)
    )
    by_state: dict[str, list[Hearing]] = {state: [] for state in Hearing.State.values}
    for hearing in hearings:
        hearing.strategy = strategy  # the page's own, with its municipality: no query for it again
        by_state[hearing.state(now)].append(hearing)
    if by_state[Hearing.State.OPEN]:
        return min(by_state[Hearing.State.OPEN], key=lambda h: h.closes_at)
    if by_state[Hearing.State.UPCOMING]:
        return min(by_state[Hearing.State.UPCOMING], key=lambda h: h.opens_at)
    if by_state[Hearing.State.CLOSED]:
        return max(by_state[Hearing.State.CLOSED], key=lambda h: h.closes_at)
    return None


@dataclass
class ResponseFilter:
    respondent_type: str = ""
    target: str = ""  # 'strategy', 'section-3', 'goal-12', 'theme-4' or ''


def _filtered(queryset: QuerySet[Response], flt: ResponseFilter) -> QuerySet[Response]:
    if flt.respondent_type in Response.RespondentType.values:
        queryset = queryset.filter(respondent_type=flt.respondent_type)
    kind, _sep, raw_id = flt.target.partition("-")
    target_id = parse_id(raw_id)
    if flt.target == "strategy":
        queryset = queryset.filter(target_section=None, target_goal=None, target_theme=None)
    elif target_id and kind == "section":
        queryset = queryset.filter(target_section_id=target_id)
    elif target_id and kind == "goal":
        queryset = queryset.filter(target_goal_id=target_id)
    elif target_id and kind == "theme":
        queryset = queryset.filter(target_theme_id=target_id)
    return queryset


def published_responses(
    *,
    hearing: Hearing,
    section: Section | None = None,
    flt: ResponseFilter | None = None,
    page: int | str = 1,
) -> Page:
    """One page of the published responses of ``hearing`` (to ``section`` and its goals and themes, if
    given), by number, with ``page.entries``: the page's responses and, in their places, short notices of
    the hidden ones (which are never counted). Four queries: count (none when the hearing's own
    ``published_count`` applies), page, attachments, hidden notices."""
    flt = flt or ResponseFilter()
    queryset = hearing.responses.all()
    if section is not None:
        queryset = queryset.targeting_section(section)
    queryset = _filtered(queryset, flt)
    published = (
        queryset.filter(status=Response.Status.PUBLISHED)
        .select_related("target_section__strategy", "target_goal", "target_theme", "remark")
        .prefetch_related("attachments")
        .order_by("number")
    )
    paginator = Paginator(published, RESPONSES_PER_PAGE)
    unfiltered = section is None and not flt.respondent_type and not flt.target
    if unfiltered and hasattr(hearing, "published_count"):
        paginator.count = hearing.published_count  # already counted with the hearing
    result = paginator.get_page(page)
    # The page's numbers first, from response_list_idx alone: OFFSET over the joined rows would join
    # every response before the page (the last of 10,000: 140 ms instead of 5). Still one query.
    result.object_list = list(published.filter(number__in=result.object_list.values("number")))
    numbers = [r.number for r in result.object_list]
    notices = []
    if numbers:
        # Each hidden response is on exactly one page, that of the next published one (the last page
        # takes those after the last): after the previous page's last number, up to this page's last.
        hidden = queryset.filter(status=Response.Status.HIDDEN).only(
            "number", "status", "moderation_reason", "hearing_id"
        )
        if result.has_previous():
            previous_last = (
                queryset.filter(status=Response.Status.PUBLISHED, number__lt=numbers[0])
                .order_by("-number")
                .values("number")[:1]
            )
            hidden = hidden.filter(number__gt=Subquery(previous_last))
        if result.has_next():
            hidden = hidden.filter(number__lt=numbers[-1])
        notices = list(hidden)
    result.entries = sorted([*result.object_list, *notices], key=lambda r: r.number)
    return result


def target_choices(*, hearing: Hearing) -> list[tuple[str, str | list[tuple[str, str]]]]:
    """The targets a response to ``hearing`` may have, grouped by section, for the form's <select>."""
    strategy = hearing.strategy
    sections = (
        Section.objects.filter(strategy=strategy)
        .order_by("number")
        .prefetch_related(
            Prefetch("goals", queryset=Goal.objects.order_by("parent_id", "position")), "themes"
        )
    )
    if hearing.section_id:
        sections = sections.filter(pk=hearing.section_id)
    sections = list(sections)
    for section in sections:
        section.strategy = strategy  # for section.label, without a query per section
    choices: list = []
    if not hearing.section_id:
        choices.append(("strategy", _("Hele strategien: %(title)s") % {"title": strategy.title}))
    for section in sections:
        group = [(f"section-{section.pk}", f"{section.label}: {section.title}")]
        headline = [g for g in section.goals.all() if g.parent_id is None]
        for goal in headline:
            group.append((f"goal-{goal.pk}", _("Målsætning: %(text)s") % {"text": goal.text}))
            group.extend(
                (f"goal-{child.pk}", f"– {child.text}")
                for child in section.goals.all()
                if child.parent_id == goal.pk
            )
        group.extend(
            (f"theme-{theme.pk}", _("Tema: %(question)s") % {"question": theme.question})
            for theme in section.themes.all()
        )
        choices.append((f"{section.label}: {section.title}", group))
    return choices


def flat_target_choices(choices) -> list[tuple[str, str]]:
    """``target_choices`` without groups, for a filter's <select>."""
    flat = []
    for value, label in choices:
        if isinstance(label, list):
            flat.extend(label)
        else:
            flat.append((value, label))
    return flat


def responses_of(*, user) -> QuerySet[Response]:
    return (
        Response.objects.filter(author=user)
        .select_related("hearing__strategy__municipality", "target_section", "target_goal", "target_theme")
        .prefetch_related("attachments")
        .order_by("-created_at")
    )


def own_response(*, user, public_id) -> Response:
    return get_object_or_404(
        Response.objects.select_related(
            "hearing__strategy__municipality", "target_section", "target_goal", "target_theme"
        ).prefetch_related("attachments"),  # fmt: skip
        public_id=public_id,
        author=user,
    )
