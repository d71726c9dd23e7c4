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


def _published_count(*, section: Section | None = None, flt: "ResponseFilter | None" = None):
    """The number of published responses of the hearing in ``OuterRef("pk")`` (to ``section`` and
    within ``flt``, if given), as a subquery of the hearing's own query: answered from
    ``response_list_idx``, and no query of its own."""
    responses = Response.objects.filter(hearing=OuterRef("pk"), status=Response.Status.PUBLISHED)
    if section is not None:
        responses = responses.targeting_section(section)
    if flt is not None:
        responses = _filtered(responses, flt)
    return Coalesce(Subquery(responses.order_by().values("hearing").annotate(n=Count("pk")).values("n")), 0)


def hearing_detail(*, pk: int, flt: "ResponseFilter | None" = None) -> Hearing:
    """A public hearing with its strategy, municipality, events and ``published_count`` (one query
    for the hearing and its count, one for the events). With ``flt``, also ``listed_count``: how many
    of them the filter lists. The counts are subqueries, answered from ``response_list_idx``: a JOIN
    with GROUP BY would sort every response row with the hearing's wide row (10,000 responses:
    200 ms, spilling to disk)."""
    hearings = (
        Hearing.objects.public()
        .select_related("strategy__municipality", "section")
        .prefetch_related("events")
        .annotate(published_count=_published_count())
    )
    if flt is not None and flt.is_active:
        hearings = hearings.annotate(listed_count=_published_count(flt=flt))
    hearing = get_object_or_404(hearings, pk=pk)
    if not hasattr(hearing, "listed_count"):
        hearing.listed_count = hearing.published_count
    return hearing


def hearing_list(*, now: dt.datetime | None = None) -> dict[str, QuerySet[Hearing]]:
    now = now or timezone.now()
    base = Hearing.objects.public().select_related("strategy__municipality", "section")
    return {
        "open": base.open(now).order_by("closes_at"),
        "upcoming": base.upcoming(now).order_by("opens_at"),
        "closed": base.closed(now).order_by("-closes_at")[:20],
    }


def current_hearing(
    *,
    strategy: Strategy,
    section: Section | None = None,
    flt: "ResponseFilter | None" = None,
    now: dt.datetime | None = None,
):
    """The hearing to show on a strategy or section page: an open one first, else the next upcoming,
    else the latest closed one. For a section, hearings on the whole strategy count too, and each has
    ``published_count`` and ``listed_count``: its published responses, and those to the section
    (within ``flt``) that the section page lists. One query."""
    now = now or timezone.now()
    hearings = Hearing.objects.filter(strategy=strategy).select_related("section")
    if section:
        hearings = hearings.filter(Q(section=None) | Q(section=section)).annotate(
            published_count=_published_count(),
            listed_count=_published_count(section=section, flt=flt or ResponseFilter()),
        )
    else:
        hearings = hearings.filter(section=None)
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

    @property
    def is_active(self) -> bool:
        return bool(self.respondent_type or self.target)


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
    count: int | None = None,
) -> Page:
    """One page of the published responses of ``hearing`` (to ``section`` and its goals and themes, if
    given), by number, with ``page.entries``: the page's responses and, in their places, short notices of
    the hidden ones (which are never counted). Two queries: the page with its hidden notices, and their
    attachments; none when nothing is published. Plus one for the count, unless ``count`` gives it
    (``listed_count`` of ``hearing_detail`` and ``current_hearing``) or the hearing's own
    ``published_count`` applies."""
    flt = flt or ResponseFilter()
    queryset = hearing.responses.all()
    if section is not None:
        queryset = queryset.targeting_section(section)
    queryset = _filtered(queryset, flt)
    published = queryset.filter(status=Response.Status.PUBLISHED).order_by("number")
    paginator = Paginator(published, RESPONSES_PER_PAGE)
    unfiltered = section is None and not flt.is_active
    if count is not None:
        paginator.count = count
    elif unfiltered and hasattr(hearing, "published_count"):
        paginator.count = hearing.published_count  # already counted with the hearing
    result = paginator.get_page(page)
    result.object_list, result.entries = [], []
    if not paginator.count:
        return result
    # The page's numbers come from response_list_idx alone, in a subquery: OFFSET over the joined rows
    # would join every response before the page (the last of 10,000: 140 ms instead of 5).
    offset = result.start_index() - 1
    numbers = published.values("number")
    shown = Q(status=Response.Status.PUBLISHED, number__in=numbers[offset : offset + RESPONSES_PER_PAGE])
    # Each hidden response is on exactly one page, that of the next published one (the last page takes
    # those after the last): after the previous page's last number, up to this page's last. Read in the
    # same query as the page.
    hidden = Q(status=Response.Status.HIDDEN)
    if result.has_previous():
        hidden &= Q(number__gt=Subquery(numbers[offset - 1 : offset]))
    if result.has_next():
        last = offset + RESPONSES_PER_PAGE - 1
        hidden &= Q(number__lt=Subquery(numbers[last : last + 1]))
    result.entries = list(
        queryset.filter(shown | hidden)
        .select_related("target_section__strategy", "target_goal", "target_theme", "remark")
        .prefetch_related("attachments")
        .order_by("number")
    )
    result.object_list = [r for r in result.entries if r.status == Response.Status.PUBLISHED]
    return result


def target_choices(
    *, hearing: Hearing, sections: list[Section] | None = None
) -> list[tuple[str, str | list[tuple[str, str]]]]:
    """The targets a response to ``hearing`` may have, grouped by section, for the form's <select>.
    ``sections``: the strategy's sections with their goals and themes, when the page has read them
    already (``strategies.selectors.strategy_detail(with_contents=True)``); else three queries."""
    strategy = hearing.strategy
    if sections is None:
        sections = list(
            Section.objects.filter(strategy=strategy)
            .order_by("number")
            .prefetch_related(Prefetch("goals", queryset=Goal.objects.order_by("position")), "themes")
        )
        for section in sections:
            section.strategy = strategy  # for section.label, without a query per section
    if hearing.section_id:
        sections = [section for section in sections if section.pk == hearing.section_id]
    choices: list = []
    if not hearing.section_id:
        choices.append(("strategy", _("Hele strategien: %(title)s") % {"title": strategy.title}))
    for section in sections:
        group = [(f"section-{section.pk}", f"{section.label}: {section.title}")]
        goals = sorted(section.goals.all(), key=lambda g: g.position)
        for goal in (g for g in goals if g.parent_id is None):
            group.append((f"goal-{goal.pk}", _("Målsætning: %(text)s") % {"text": goal.text}))
            group.extend(
                (f"goal-{child.pk}", f"– {child.text}") for child in goals if child.parent_id == goal.pk
            )
        group.extend(
            (f"theme-{theme.pk}", _("Tema: %(question)s") % {"question": theme.question})
            for theme in sorted(section.themes.all(), key=lambda t: t.position)
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
