"""Reads that the hearing pages need; each owns its joins so a page's query count stays fixed."""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from strategies.models import Goal, Section, Strategy, Theme

from . import holds
from .models import Hearing, Response, ResponseAttachment
from .targets import TargetKey

if TYPE_CHECKING:
    from django.http import QueryDict

    from accounts.models import User

RESPONSES_PER_PAGE = 20
_ResponsesT = TypeVar("_ResponsesT", bound="QuerySet[Response]")
MAX_NUMBER = 2**31 - 1  # a response's number: a PostgreSQL integer


def hearing_detail(*, pk: int) -> Hearing:
    """A public hearing with its strategy, municipality and events (two queries). Nothing counted
    here: a page whose response list comes from the cache (hearings.response_cache) needs no count,
    and one that renders the list counts in the list's own query (``published_responses``)."""
    return get_object_or_404(
        Hearing.objects.public()
        .select_related("strategy__municipality", "section")
        .prefetch_related("events"),
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


def current_hearing(
    *, strategy: Strategy, section: Section | None = None, now: dt.datetime | None = None
) -> Hearing | None:
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

    @classmethod
    def from_query(cls, query: "QueryDict") -> "ResponseFilter":
        """The filter of the hearing page's list, from its ``?type=`` and ``?target=``."""
        return cls(respondent_type=query.get("type", ""), target=query.get("target", ""))


def _filtered(queryset: _ResponsesT, response_filter: ResponseFilter) -> _ResponsesT:
    if response_filter.respondent_type in Response.RespondentType.values:
        queryset = queryset.filter(respondent_type=response_filter.respondent_type)
    if (target := TargetKey.parse(response_filter.target)) is not None:
        queryset = queryset.filter(**target.response_lookup())
    return queryset


def published_count(*, hearing_id: int, response_filter: ResponseFilter) -> int:
    """How many published responses the hearing page's list shows under ``response_filter`` (one query)."""
    queryset = Response.objects.filter(hearing_id=hearing_id, status=Response.Status.PUBLISHED)
    return _filtered(queryset, response_filter).count()


def requested_page(value: Any) -> int | None:
    """The page number asked for, as Django's ``Paginator.get_page`` reads it: anything that is not
    a number is page 1; None for a number below 1 or past any list (``get_page`` answers both with the
    last page; PostgreSQL would refuse an OFFSET past a bigint)."""
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        return 1
    return number if 1 <= number <= MAX_NUMBER else None


def published_responses(
    *,
    hearing: Hearing,
    section: Section | None = None,
    response_filter: ResponseFilter | None = None,
    page: int | str = 1,
) -> Page[Response]:
    """One page of the published responses of ``hearing`` (to ``section`` and its goals and themes, if
    given), by number, with ``page.entries``: the page's responses and, in their places, short notices
    of the hidden ones (which are never counted). Two queries: the page with its hidden notices and the
    count of the whole list, and their attachments (and one more when an attachment is not public, see
    ``check_attachment_names``). A page past the last (or an empty list) costs one more, to count, and
    the last page is read instead, as ``Paginator.get_page`` does."""
    response_filter = response_filter or ResponseFilter()
    queryset = hearing.responses.all()
    if section is not None:
        queryset = queryset.targeting_section(section)
    queryset = _filtered(queryset, response_filter)
    published = queryset.filter(status=Response.Status.PUBLISHED).order_by("number")
    paginator = Paginator(published, RESPONSES_PER_PAGE)
    number = requested_page(page)
    rows = _page_rows(queryset, published, number) if number else []
    shown = [r for r in rows if r.status == Response.Status.PUBLISHED]
    # listed_total is _page_rows' annotation, which the stubs do not carry through list[Response]
    paginator.count = rows[0].listed_total if rows else published.count()  # type: ignore[attr-defined]
    if paginator.count and not shown:  # past the last page
        number = paginator.num_pages
        rows = _page_rows(queryset, published, number)
        shown = [r for r in rows if r.status == Response.Status.PUBLISHED]
    result = paginator.page(number or 1)
    if not paginator.count:
        rows = []
    elif result.has_next():  # hidden ones after this page's last belong to the next page
        rows = [r for r in rows if r.number <= shown[-1].number]
    check_attachment_names(hearing=hearing, responses=shown)
    result.object_list = shown
    result.entries = rows  # type: ignore[attr-defined]  # read by the template; Django's Page has no such slot
    return result


def held_attachment_names(*, hearing: Hearing, names: set[str]) -> set[str]:
    """Those of ``names`` (attachments' file names in ``hearing``) that the guard's check
    (``hearings.holds``) holds back from the public, as it would a response's text. One query (the
    municipality's own terms) for all when none is held; one more per name when one is."""
    if not names or not holds.holds(hearing, {"text": "\n".join(sorted(names))}):
        return set()
    return {name for name in names if holds.holds(hearing, {"text": name})}


def check_attachment_names(*, hearing: Hearing, responses: Iterable[Response]) -> None:
    """Decide whether the public may read the file name of each attachment of ``responses`` (attachments
    prefetched) that is not public (being checked, held or withheld by the personal-data guard): sets
    ``name_shown`` on it, True unless the guard's check (``hearings.holds``, as for a response's text) holds
    the name back, e.g. "Klage fra naboen Jens Hansen.pdf". Public pages show "Bilag (navn udeladt)" for a
    non-public attachment without ``name_shown``, so a page that skips this shows no such name. Public
    attachments are shown with their name and file. No query when every attachment is public; one when
    none of the names is held (they are checked together first), and one more per name when one is."""
    waiting = [a for r in responses for a in r.attachments.all()
               if a.publication != ResponseAttachment.Publication.PUBLIC]  # fmt: skip
    if not waiting:
        return
    held = held_attachment_names(hearing=hearing, names={a.original_name for a in waiting})
    for attachment in waiting:
        attachment.name_shown = attachment.original_name not in held  # type: ignore[attr-defined]  # read by the templates


def _page_rows(queryset: QuerySet[Response], published: QuerySet[Response], number: int) -> list[Response]:
    """Page ``number``'s published responses, each with ``listed_total`` (the count of ``published``,
    computed once in the same query), and the hidden ones from after the previous page's last up to
    the next page's first (the caller drops those past this page's last if a next page exists)."""
    offset = (number - 1) * RESPONSES_PER_PAGE
    numbers = published.values("number")
    # The page's numbers come from response_list_idx alone, in a subquery: OFFSET over the joined rows
    # would join every response before the page (the last of 10,000: 140 ms instead of 5).
    rows = Q(status=Response.Status.PUBLISHED, number__in=numbers[offset : offset + RESPONSES_PER_PAGE])
    # Each hidden response is on exactly one page, that of the next published one (the last page takes
    # those after the last).
    hidden = Q(status=Response.Status.HIDDEN)
    if offset:
        hidden &= Q(number__gt=Subquery(numbers[offset - 1 : offset]))
    next_first = numbers[offset + RESPONSES_PER_PAGE : offset + RESPONSES_PER_PAGE + 1]
    hidden &= Q(number__lt=Coalesce(Subquery(next_first), Value(MAX_NUMBER)))
    total = published.order_by().values("hearing").annotate(n=Count("pk")).values("n")
    return list(
        queryset.filter(rows | hidden)
        .annotate(listed_total=Coalesce(Subquery(total), 0))
        .select_related("target_section__strategy", "target_goal", "target_theme", "remark")
        .prefetch_related("attachments")
        .order_by("number")
    )


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
    choices: list[tuple[str, str | list[tuple[str, str]]]] = []
    if not hearing.section_id:
        choices.append(
            (str(TargetKey.strategy()), _("Hele strategien: %(title)s") % {"title": strategy.title})
        )
    for section in sections:
        group = [(str(TargetKey("section", section.pk)), f"{section.label}: {section.title}")]
        goals = sorted(section.goals.all(), key=lambda g: g.position)
        for goal in (g for g in goals if g.parent_id is None):
            group.append((str(TargetKey("goal", goal.pk)), _("Målsætning: %(text)s") % {"text": goal.text}))
            group.extend(
                (str(TargetKey("goal", child.pk)), f"– {child.text}")
                for child in goals
                if child.parent_id == goal.pk
            )
        group.extend(
            (str(TargetKey("theme", theme.pk)), _("Tema: %(question)s") % {"question": theme.question})
            for theme in sorted(section.themes.all(), key=lambda t: t.position)
        )
        choices.append((f"{section.label}: {section.title}", group))
    return choices


def flat_target_choices(choices: list[tuple[str, str | list[tuple[str, str]]]]) -> list[tuple[str, str]]:
    """``target_choices`` without groups, for a filter's <select>."""
    flat: list[tuple[str, str]] = []
    for value, label in choices:
        if isinstance(label, list):
            flat.extend(label)
        else:
            flat.append((value, label))
    return flat


def responses_of(*, user: "User") -> QuerySet[Response]:
    return (
        Response.objects.filter(author=user)
        .select_related("hearing__strategy__municipality", "target_section", "target_goal", "target_theme")
        .prefetch_related("attachments")
        .order_by("-created_at")
    )


def own_response(*, user: "User", public_id: object) -> Response:
    return get_object_or_404(
        Response.objects.select_related(
            "hearing__strategy__municipality", "target_section", "target_goal", "target_theme"
        ).prefetch_related("attachments"),  # fmt: skip
        public_id=public_id,
        author=user,
    )


RECENTLY_CLOSED_DAYS = 60


def front_page_hearings(*, now: dt.datetime | None = None) -> list[dict[str, Any]]:
    """Per municipality with any: its open hearings (closing first), upcoming ones (opening first) and
    those closed in the last RECENTLY_CLOSED_DAYS days (latest first). One query."""
    now = now or timezone.now()
    hearings = (
        Hearing.objects.public()
        .filter(closes_at__gt=now - dt.timedelta(days=RECENTLY_CLOSED_DAYS))
        .select_related("strategy__municipality", "section__strategy")
        .order_by("strategy__municipality__name", "closes_at")
    )
    groups: dict[int, dict[str, Any]] = {}
    for hearing in hearings:
        municipality = hearing.strategy.municipality
        group = groups.setdefault(
            municipality.pk, {"municipality": municipality, "open": [], "upcoming": [], "closed": []}
        )
        group[hearing.state(now)].append(hearing)
    for group in groups.values():
        group["upcoming"].sort(key=lambda h: h.opens_at)
        group["closed"].sort(key=lambda h: h.closes_at, reverse=True)
    # Municipalities with an open hearing first, then by name.
    return sorted(groups.values(), key=lambda g: (not g["open"], g["municipality"].name))


def target_object(*, hearing: Hearing, key: str) -> Section | Goal | Theme | None:
    """The Section, Goal or Theme that ``key`` (a ``TargetKey`` value: 'section-3', 'goal-12', 'theme-4')
    names in ``hearing``'s strategy, read with its section; None for 'strategy', a key that names nothing
    there, or no key at all. One query at most. Whether it lies in the part the hearing puts to
    consultation is the caller's rule."""
    target = TargetKey.parse(key)
    if target is None or target.id is None:
        return None
    if target.kind == "section":
        return Section.objects.filter(pk=target.id, strategy_id=hearing.strategy_id).first()
    model: type[Goal] | type[Theme] = Goal if target.kind == "goal" else Theme
    return (
        model.objects.select_related("section")
        .filter(pk=target.id, section__strategy_id=hearing.strategy_id)
        .first()
    )
