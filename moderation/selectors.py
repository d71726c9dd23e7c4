"""Reads for the staff pages, always scoped to the municipalities where the user holds a role."""

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, Min, Model, OuterRef, Q, QuerySet
from django.db.models.functions import TruncDate
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy

from accounts import rules
from hearings.models import Hearing, Response, ResponseAttachment
from portal.ids import parse_id

from . import panels
from .models import Flag, ModerationEvent, Remark

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.http import QueryDict

    from accounts.models import User

_M = TypeVar("_M", bound=Model)

QUEUE_PAGE_SIZE = 25


def _scope(
    queryset: QuerySet[_M],
    user: "User | AnonymousUser",
    *roles: str,
    field: str = "strategy__municipality_id",
) -> QuerySet[_M]:
    ids = rules.municipality_ids_with(user, *roles)
    return queryset if ids is None else queryset.filter(**{f"{field}__in": ids})


def staff_hearings(
    *,
    user: "User | AnonymousUser",
    roles: tuple[str, ...] = (rules.MODERATOR, rules.EDITOR, rules.COUNCIL),
) -> QuerySet[Hearing]:
    hearings: QuerySet[Hearing] = (
        _scope(Hearing.objects.select_related("strategy__municipality", "section"), user, *roles)
        .annotate(
            pending_count=Count("responses", filter=Q(responses__status=Response.Status.PENDING)),
            published_count=Count("responses", filter=Q(responses__status=Response.Status.PUBLISHED)),
            total_count=Count("responses"),
        )
        .order_by("-opens_at")
    )
    return hearings


def staff_hearing(*, user: "User | AnonymousUser", pk: int) -> Hearing:
    """A hearing the user has a role for; 404 for every other (never 403: it does not reveal it exists)."""
    return get_object_or_404(staff_hearings(user=user), pk=pk)


# The moderation queue's own tabs, in the order shown: (value of ``?tab=``, label). The first is the
# default; the checks that apps above register (``panels.queue_checks``) come before the last, "Alle".
QUEUE_TABS = (
    ("new", gettext_lazy("Nye")),
    ("pending", gettext_lazy("Afventer")),
    ("flagged", gettext_lazy("Anmeldte")),
    ("all", gettext_lazy("Alle")),
)


def queue_tabs() -> list[tuple[str, Any]]:
    """Every tab of the queue in the order shown, (value, label): its own (``QUEUE_TABS``) with the
    registered checks' tabs (``panels.queue_checks``) before "Alle"."""
    checks = [(check.value, check.label) for check in panels.queue_checks]
    return [*QUEUE_TABS[:-1], *checks, QUEUE_TABS[-1]]


@dataclass
class QueueFilter:
    tab: str = "new"  # a value of QUEUE_TABS
    hearing: str = ""
    section: str = ""
    status: str = ""
    respondent_type: str = ""
    q: str = ""

    @classmethod
    def from_query(cls, query: "QueryDict") -> "QueueFilter":
        """The queue's filter from its query string (``tab``, ``hearing``, ``section``, ``status``,
        ``type``, ``q``); an unknown tab is the first one."""
        tab = query.get("tab", "")
        return cls(
            tab=tab if tab in dict(queue_tabs()) else QUEUE_TABS[0][0],
            hearing=query.get("hearing", ""), section=query.get("section", ""), status=query.get("status", ""),
            respondent_type=query.get("type", ""), q=query.get("q", ""),
        )  # fmt: skip


def moderation_queue(
    *, user: "User | AnonymousUser", queue_filter: QueueFilter, page: int | str = 1
) -> Page[Any]:
    """The responses of the user's hearings (as moderator), newest first, filtered, one page: a fixed
    number of queries however long the queue. The text search ``q`` looks in the text, the name, the
    organisation and the attachments' extracted text (case-insensitive, at most 200 characters)."""
    queryset = _scope(
        Response.objects.all(), user, rules.MODERATOR, field="hearing__strategy__municipality_id"
    )
    queryset = queryset.annotate(
        flag_count=Count("flags", distinct=True),
        has_flags=Exists(Flag.objects.filter(response=OuterRef("pk"))),
    )
    if queue_filter.tab == "new":
        queryset = queryset.filter(status=Response.Status.PENDING, has_flags=False)
    elif queue_filter.tab == "pending":
        queryset = queryset.filter(status=Response.Status.PENDING)
    elif queue_filter.tab == "flagged":
        queryset = queryset.filter(has_flags=True).exclude(status=Response.Status.WITHDRAWN)
    elif check := panels.queue_checks.get(queue_filter.tab):
        queryset = queryset.filter(check.condition())
    if hearing_id := parse_id(queue_filter.hearing):
        queryset = queryset.filter(hearing_id=hearing_id)
    if section_id := parse_id(queue_filter.section):
        queryset = queryset.filter(
            Q(target_section_id=section_id)
            | Q(target_goal__section_id=section_id)
            | Q(target_theme__section_id=section_id)
        )
    if queue_filter.status in Response.Status.values:
        queryset = queryset.filter(status=queue_filter.status)
    if queue_filter.respondent_type in Response.RespondentType.values:
        queryset = queryset.filter(respondent_type=queue_filter.respondent_type)
    # PostgreSQL text cannot hold NUL: searched without it.
    term = queue_filter.q.replace("\x00", "").strip()[:200]
    if term:
        # The attachments as a subquery, so that a response with two matching attachments is one row.
        in_attachment = ResponseAttachment.objects.filter(response=OuterRef("pk"), text__icontains=term)
        queryset = queryset.filter(
            Q(text__icontains=term)
            | Q(display_name__icontains=term)
            | Q(organisation_name__icontains=term)
            | Q(Exists(in_attachment))
        )
    queryset = queryset.select_related(
        "hearing__strategy__municipality", "target_section__strategy", "target_goal", "target_theme", "remark"
    ).order_by("-created_at", "-pk")
    return Paginator(queryset, QUEUE_PAGE_SIZE).get_page(page)


def staff_response(*, user: "User | AnonymousUser", pk: int) -> Response:
    """A response of a hearing the user may see as staff, with what its staff page shows; else 404."""
    response = (
        Response.objects.select_related(
            "hearing__strategy__municipality",
            "author",
            "target_section__strategy",
            "target_goal",
            "target_theme",
        )
        .prefetch_related("attachments", "flags__user", "revisions")
        .filter(pk=pk)
        .first()
    )
    if response is None or not rules.may_see_hearing_staff_pages(user, response.hearing):
        raise Http404
    return response


def response_events(*, response: Response) -> QuerySet[ModerationEvent]:
    return ModerationEvent.objects.filter(response=response).order_by("created_at", "pk")


def hearing_overview(*, hearing: Hearing) -> dict[str, Any]:
    """Counts by status, by target, by respondent type, per day, and the oldest response still waiting."""
    responses = hearing.responses.all()
    by_status = dict(responses.values_list("status").annotate(n=Count("pk")).order_by())
    by_type = dict(responses.values_list("respondent_type").annotate(n=Count("pk")).order_by())
    per_day = list(
        responses.annotate(day=TruncDate("created_at"))
        .values_list("day")
        .annotate(n=Count("pk"))
        .order_by("day")
    )
    oldest_waiting = responses.filter(status=Response.Status.PENDING).aggregate(oldest=Min("created_at"))[
        "oldest"
    ]
    targets = {
        "strategy": responses.filter(target_section=None, target_goal=None, target_theme=None).count(),
        "sections": list(
            responses.exclude(target_section=None)
            .values_list("target_section__number", "target_section__title")
            .annotate(n=Count("pk"))
            .order_by("target_section__number")
        ),
        "goals": list(
            responses.exclude(target_goal=None)
            .values_list("target_goal__section__number", "target_goal__text")
            .annotate(n=Count("pk"))
            .order_by("target_goal__section__number", "target_goal__parent_id", "target_goal__position")
        ),
        "themes": list(
            responses.exclude(target_theme=None)
            .values_list("target_theme__section__number", "target_theme__question")
            .annotate(n=Count("pk"))
            .order_by("target_theme__section__number", "target_theme__position")
        ),
    }
    status_labels = dict(Response.Status.choices)
    type_labels = dict(Response.RespondentType.choices)
    biggest_day = max((n for _day, n in per_day), default=0)
    return {
        "by_status": [(status_labels[s], by_status.get(s, 0), s) for s in Response.Status.values],
        "by_type": [(type_labels[t], by_type.get(t, 0)) for t in Response.RespondentType.values],
        "per_day": [(day, n, round(100 * n / biggest_day) if biggest_day else 0) for day, n in per_day],
        "oldest_waiting": oldest_waiting,
        "targets": targets,
        "total": sum(by_status.values()),
        "remarks": remarks_overview(hearing=hearing),
    }


def remarks_overview(*, hearing: Hearing) -> dict[str, int]:
    """What releasing ``hearing``'s remarks would show and whom it would write to: ``remarks`` (remarks on
    published responses) and ``authors`` (authors of published responses, with an account). Two queries."""
    published = hearing.responses.filter(status=Response.Status.PUBLISHED)
    return {
        "remarks": Remark.objects.filter(response__in=published).count(),
        "authors": published.filter(author__isnull=False).values("author_id").distinct().count(),
    }
