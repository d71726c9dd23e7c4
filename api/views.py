"""The public read-only API (/api/v1/): thin views over ``api.selectors``, each list cursor-paginated
and filtered, every answer with an ETag (If-None-Match gives 304), throttled per client IP. Nobody signs
in to it: no session, no CSRF, the same answer for everyone."""

import hashlib

from django.http import HttpResponse, HttpResponseBase
from django.utils.cache import get_conditional_response
from drf_spectacular.utils import extend_schema
from rest_framework import routers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.reverse import reverse

from . import filters, selectors, serializers
from .throttling import TooManyRequests


class PublicApiMixin:
    """What every view of the API shares: the throttle's scope, the 429 in Danish and English, and a
    strong ETag made from the body, answered with 304 when the client's If-None-Match names it."""

    throttle_scope = "api"
    lookup_value_regex = "[0-9]+"

    def throttled(self, request: Request, wait: float | None) -> None:
        raise TooManyRequests(wait)

    def finalize_response(
        self, request: Request, response: HttpResponseBase, *args, **kwargs
    ) -> HttpResponseBase:
        response = super().finalize_response(request, response, *args, **kwargs)  # type: ignore[misc]
        return with_etag(request, response)


def with_etag(request: Request, response: HttpResponseBase) -> HttpResponseBase:
    """``response`` (rendered here if it is not yet) with an ETag of its body, or a 304 Not Modified when
    a GET or HEAD names that ETag in If-None-Match. Only successful, non-streaming answers."""
    if (
        request.method not in ("GET", "HEAD")
        or response.status_code != 200
        or not isinstance(response, HttpResponse)
    ):
        return response
    if hasattr(response, "render") and not getattr(response, "is_rendered", True):
        response.render()
    etag = '"' + hashlib.sha256(response.content).hexdigest()[:32] + '"'
    response["ETag"] = etag
    return get_conditional_response(request, etag=etag, response=response) or response


@extend_schema(exclude=True)
class ApiRootView(PublicApiMixin, routers.APIRootView):
    """/api/v1/: the address of each list, and of the docs and the OpenAPI description."""

    def get(self, request: Request, *args, **kwargs) -> Response:
        response = super().get(request, *args, **kwargs)
        response.data = {
            **response.data,
            "docs": reverse("api:docs", request=request),
            "schema": reverse("api:schema", request=request),
        }
        return response


class MunicipalityViewSet(PublicApiMixin, viewsets.ReadOnlyModelViewSet):
    """Municipalities (kommuner)."""

    queryset = selectors.municipalities()
    serializer_class = serializers.MunicipalitySerializer


class StrategyViewSet(PublicApiMixin, viewsets.ReadOnlyModelViewSet):
    """Published strategies (never drafts) with their sections, goals (two levels) and themes."""

    serializer_class = serializers.StrategySerializer
    filterset_class = filters.StrategyFilter

    def get_queryset(self):
        return selectors.strategies()


class HearingViewSet(PublicApiMixin, viewsets.ReadOnlyModelViewSet):
    """Hearings of published strategies, with their state (from the clock), period and documents."""

    serializer_class = serializers.HearingSerializer
    filterset_class = filters.HearingFilter

    def get_queryset(self):
        return selectors.hearings()


class ResponseViewSet(PublicApiMixin, viewsets.ReadOnlyModelViewSet):
    """Published hearing responses, as their public pages show them."""

    serializer_class = serializers.ResponseSerializer
    filterset_class = filters.ResponseFilter

    def get_queryset(self):
        return selectors.published_responses()


class TopicViewSet(PublicApiMixin, viewsets.ReadOnlyModelViewSet):
    """Topics (emner) of hearings whose remarks are public, with the administration's remark."""

    serializer_class = serializers.TopicSerializer
    filterset_class = filters.TopicFilter

    def get_queryset(self):
        return selectors.topics()


class DocumentViewSet(PublicApiMixin, viewsets.ReadOnlyModelViewSet):
    """Made PDFs anyone may download: hearing proposals, and published hearing summaries."""

    serializer_class = serializers.DocumentSerializer
    filterset_class = filters.DocumentFilter

    def get_queryset(self):
        return selectors.documents()
