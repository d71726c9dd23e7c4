"""The API's filters, as query parameters (django-filter). A value that is not one the filter knows is
answered 400 with the reason in Danish, never ignored."""

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import ValidationError

from analysis.models import Topic
from documents.models import RenderedDocument
from hearings.models import Hearing, HearingQuerySet, Response
from hearings.targets import TargetKey
from strategies.models import Strategy

MAX_ID = 2**63 - 1  # a bigint


@extend_schema_field(OpenApiTypes.INT)  # not the model field's range, which differs by database
class IdFilter(django_filters.Filter):
    """An id: whole digits from 1 to a bigint's largest (no 1.5, no 1e3, nothing PostgreSQL would refuse)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, min_value=1, max_value=MAX_ID, **kwargs)


class StrategyFilter(django_filters.FilterSet):
    municipality = IdFilter(field_name="municipality_id", help_text="A municipality's id.")

    class Meta:
        model = Strategy
        fields = ["municipality"]


class HearingFilter(django_filters.FilterSet):
    municipality = IdFilter(field_name="strategy__municipality_id", help_text="A municipality's id.")
    strategy = IdFilter(field_name="strategy_id", help_text="A strategy's id.")
    state = django_filters.ChoiceFilter(
        choices=Hearing.State.choices,
        method="filter_state",
        help_text="From the clock: upcoming, open or closed.",
    )

    class Meta:
        model = Hearing
        fields = ["municipality", "strategy", "state"]

    def filter_state(self, queryset: HearingQuerySet, name: str, value: str) -> HearingQuerySet:
        now = timezone.now()
        if value == Hearing.State.UPCOMING:
            return queryset.upcoming(now)
        if value == Hearing.State.OPEN:
            return queryset.open(now)
        return queryset.closed(now)


def target_filter(queryset: QuerySet, name: str, value: str) -> QuerySet:
    """Responses or topics with exactly this target (``TargetKey``: strategy, section-3, goal-12, theme-4)."""
    target = TargetKey.parse(value)
    if target is None:
        raise ValidationError(
            {
                "target": [
                    _("Ukendt værdi af target: skriv strategy, section-<id>, goal-<id> eller theme-<id>.")
                ]
            }
        )
    return queryset.filter(**target.response_lookup())


TARGET_HELP = "strategy (the whole strategy), section-<id>, goal-<id> or theme-<id>: exactly this target."


class ResponseFilter(django_filters.FilterSet):
    hearing = IdFilter(field_name="hearing_id", help_text="A hearing's id.")
    number = IdFilter(field_name="number", help_text="The response's number in its hearing.")
    respondent_type = django_filters.ChoiceFilter(choices=Response.RespondentType.choices)
    target = django_filters.CharFilter(
        method=lambda qs, name, value: target_filter(qs, name, value), help_text=TARGET_HELP
    )
    date_from = django_filters.DateFilter(
        field_name="created_at",
        lookup_expr="date__gte",
        help_text="Received on or after this date (Danish time).",
    )
    date_to = django_filters.DateFilter(
        field_name="created_at",
        lookup_expr="date__lte",
        help_text="Received on or before this date (Danish time).",
    )

    class Meta:
        model = Response
        fields = ["hearing", "number", "respondent_type", "target", "date_from", "date_to"]


class TopicFilter(django_filters.FilterSet):
    hearing = IdFilter(field_name="hearing_id", help_text="A hearing's id.")
    target = django_filters.CharFilter(
        method=lambda qs, name, value: target_filter(qs, name, value), help_text=TARGET_HELP
    )

    class Meta:
        model = Topic
        fields = ["hearing", "target"]


class DocumentFilter(django_filters.FilterSet):
    hearing = IdFilter(field_name="hearing_id", help_text="A hearing's id.")
    kind = django_filters.ChoiceFilter(choices=RenderedDocument.Kind.choices)

    class Meta:
        model = RenderedDocument
        fields = ["hearing", "kind"]
