"""What the public API and the open-data files read: only what the public pages show, each query set with
the joins that keep a list's query count the same for 2 rows as for 200.

- Strategies: not drafts (``Strategy.objects.public()``), as the strategy pages.
- Hearings: of those strategies (``Hearing.objects.public()``), as the hearing pages.
- Responses: published ones of those hearings; their fields are the public fields, which a redaction
  has already changed in place (``guard.services``: the text before is kept in ``guard.Redaction`` for
  staff only, and never read here). From the hearing's personal-data removal date on, names, postcodes,
  towns and attachments are left out (``hearings.personal_data.removal_is_due``), also before the daily
  task has blanked them.
- Remarks and topics: only where the hearing shows them, once staff released them or as written if the
  hearing says so (``Hearing.remarks_are_public``; for query sets ``HearingQuerySet.with_public_remarks``).
- Documents: the hearing proposal, and the hearing summary once published after the hearing closed
  (``documents.permissions.may_download_document`` for a visitor who is not signed in).
"""

import datetime as dt
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from analysis.models import Topic, TopicResponse
from documents.models import RenderedDocument
from hearings.models import Hearing, Response, ResponseAttachment
from hearings.personal_data import REMOVED_FIELDS, removal_is_due
from moderation.models import Remark
from strategies.models import Goal, Municipality, Section, Strategy, Theme


def municipalities() -> QuerySet[Municipality]:
    """Every municipality (one query)."""
    return Municipality.objects.all()


def strategies() -> QuerySet[Strategy]:
    """The public strategies with their municipality, sections, goals (both levels) and themes, in order
    (four queries for any number)."""
    sections = Section.objects.order_by("number").prefetch_related(
        Prefetch("goals", queryset=Goal.objects.order_by("position")),
        Prefetch("themes", queryset=Theme.objects.order_by("position")),
    )
    return (
        Strategy.objects.public()
        .select_related("municipality")
        .prefetch_related(Prefetch("sections", queryset=sections))
    )


def hearings() -> QuerySet[Hearing]:
    """The public hearings with their strategy, municipality and section (one query)."""
    return Hearing.objects.public().select_related("strategy__municipality", "section__strategy")


def published_responses() -> QuerySet[Response]:
    """The published responses of public hearings, with what the API shows of each: hearing, target,
    remark, public attachments and topics (four queries for any number). Whether remarks, topics,
    names and attachments are shown is decided per row (``response_view``)."""
    return (
        Response.objects.published()
        .filter(hearing__in=Hearing.objects.public())
        .select_related(
            "hearing__strategy",
            "hearing__section__strategy",
            "target_section__strategy",
            "target_goal",
            "target_theme",
            "remark",
        )
        .prefetch_related(
            Prefetch(
                "attachments",
                queryset=ResponseAttachment.objects.public().order_by("pk"),
                to_attr="public_attachments",
            ),
            Prefetch(
                "topic_links",
                queryset=TopicResponse.objects.select_related("topic").order_by(
                    "topic__position", "topic__pk"
                ),
                to_attr="public_topic_links",
            ),
        )
    )


def response_view(response: Response, *, now: dt.datetime | None = None) -> dict[str, Any]:
    """What the public may see of ``response`` (read by ``published_responses``), beyond its own fields:
    ``personal_data_removed`` (bool: names, postcodes, towns and attachments are left out),
    ``attachments`` (the public ones, [] after removal), ``remark`` (the Remark or None) and ``topics``
    (the Topics, [] unless the hearing's remarks are public). No query."""
    hearing = response.hearing
    removed = response.personal_data_removed_at is not None or removal_is_due(hearing, now=now)
    remarks = hearing.remarks_are_public()
    return {
        "personal_data_removed": removed,
        "fields": {field: "" if removed else getattr(response, field) for field in REMOVED_FIELDS},
        "attachments": [] if removed else list(getattr(response, "public_attachments", [])),
        "remark": Remark.of(response) if remarks else None,
        "topics": [link.topic for link in getattr(response, "public_topic_links", [])] if remarks else [],
    }


def topics() -> QuerySet[Topic]:
    """The topics of public hearings whose remarks are public, each with ``response_count`` (its published
    responses) and its target (one query for any number)."""
    return (
        Topic.objects.filter(hearing__in=Hearing.objects.public().with_public_remarks())
        .select_related(
            "target_section__strategy",
            "target_goal",
            "target_theme",
            "hearing__strategy",
            "hearing__section__strategy",
        )
        .annotate(
            response_count=Count(
                "links", filter=Q(links__response__status=Response.Status.PUBLISHED), distinct=True
            )
        )
    )


def documents(*, now: dt.datetime | None = None) -> QuerySet[RenderedDocument]:
    """The made documents of public hearings that anyone may download: hearing proposals, and hearing
    summaries made after the summary was published and the hearing closed (never a draft). With their
    hearing (one query)."""
    now = now or timezone.now()
    summary = Q(
        kind=RenderedDocument.Kind.SUMMARY,
        is_draft=False,
        hearing__summary_published_at__isnull=False,
        hearing__closes_at__lte=now,
    )
    return (
        RenderedDocument.objects.filter(
            status=RenderedDocument.Status.DONE, hearing__in=Hearing.objects.public()
        )
        .exclude(file="")
        .filter(Q(kind=RenderedDocument.Kind.PROPOSAL) | summary)
        .select_related("hearing")
    )
