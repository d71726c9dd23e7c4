"""Open data: the published responses of a closed hearing as one JSON file and one CSV file, with the
same fields and rules as the API's responses (``serializers.ResponseSerializer`` over
``selectors.published_responses``): redactions applied, nothing of an unpublished response, personal
data left out from the hearing's removal date, remarks and topics only once the hearing shows them."""

import io
import json
from typing import Any

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.views import APIView

from documents.exports import neutralise, write_excel_csv
from hearings.models import Hearing
from portal.text import normalise_text

from . import selectors, serializers
from .views import PublicApiMixin

CSV_COLUMNS = [
    "number", "date", "respondent_type", "respondent_type_label", "name", "organisation", "postcode", "town",
    "target_kind", "target_id", "target_title", "text", "attachments", "remark_recommendation", "remark",
    "topics", "url",
]  # fmt: skip


def closed_hearing(pk: int) -> Hearing:
    """The public hearing ``pk`` if it has closed; Http404 (in Danish) if it has not, or is not public."""
    hearing = get_object_or_404(selectors.hearings(), pk=pk)
    if hearing.state() != Hearing.State.CLOSED:
        raise Http404(_("Åbne data for en høring kan hentes, når høringen er lukket."))
    return hearing


def response_rows(*, hearing: Hearing, request: Request | None) -> list[dict[str, Any]]:
    """Every published response of ``hearing`` by number, as the API writes it (four queries)."""
    responses = selectors.published_responses().filter(hearing=hearing).order_by("number")
    return list(serializers.ResponseSerializer(responses, many=True, context={"request": request}).data)


def as_json(*, hearing: Hearing, request: Request | None) -> bytes:
    """``{"hearing": <the API's hearing>, "responses": [<the API's response>, ...]}`` in UTF-8."""
    data = {
        "hearing": serializers.HearingSerializer(hearing, context={"request": request}).data,
        "responses": response_rows(hearing=hearing, request=request),
    }
    return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")


def _cell(value: Any) -> str:
    """A CSV cell: text under the portal's text policy, then guarded against formulas (a cell starting
    with = + - @ gets a leading ', as documents.exports does); None is empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nej"
    return neutralise(normalise_text(str(value)))


def as_csv(*, hearing: Hearing, request: Request | None) -> bytes:
    """One row per published response under a header row (``CSV_COLUMNS``), in UTF-8 with a byte order
    mark and ";" between fields, as Danish Excel opens it (``documents.exports.write_excel_csv``).
    Attachments are their URLs and topics their titles, one per line within the cell."""

    def cells(row: dict[str, Any]) -> list[str]:
        remark = row["remark"] or {}
        return [
            _cell(value)
            for value in (
                row["number"], row["date"], row["respondent_type"], row["respondent_type_label"], row["name"],
                row["organisation"], row["postcode"], row["town"], row["target"]["kind"], row["target"]["id"],
                row["target"]["title"], row["text"], "\n".join(a["url"] for a in row["attachments"]),
                remark.get("recommendation"), remark.get("text"), "\n".join(t["title"] for t in row["topics"]),
                row["url"],
            )
        ]  # fmt: skip

    out = io.BytesIO()
    write_excel_csv(out, [CSV_COLUMNS, *map(cells, response_rows(hearing=hearing, request=request))])
    return out.getvalue()


class _OpenDataView(PublicApiMixin, APIView):
    throttle_scope = "open-data"
    extension = ""
    content_type = ""

    def body(self, hearing: Hearing, request: Request) -> bytes:
        raise NotImplementedError

    def get(self, request: Request, pk: int) -> HttpResponse:
        hearing = closed_hearing(pk)
        response = HttpResponse(self.body(hearing, request), content_type=self.content_type)
        response["Content-Disposition"] = f'attachment; filename="hoeringssvar-{hearing.pk}.{self.extension}"'
        response["X-Content-Type-Options"] = "nosniff"
        return response


@extend_schema(
    summary="Open data: a closed hearing's published responses as JSON",
    responses={
        (200, "application/json"): OpenApiResponse(
            OpenApiTypes.OBJECT, description='{"hearing": Hearing, "responses": [Response]}'
        ),
        404: OpenApiResponse(description="Not public, or not closed yet."),
    },
)
class OpenDataJsonView(_OpenDataView):
    extension = "json"
    content_type = "application/json; charset=utf-8"

    def body(self, hearing: Hearing, request: Request) -> bytes:
        return as_json(hearing=hearing, request=request)


@extend_schema(
    summary="Open data: a closed hearing's published responses as CSV",
    responses={
        (200, "text/csv"): OpenApiResponse(
            OpenApiTypes.STR, description="UTF-8 with BOM, ';'-separated, a header row."
        ),
        404: OpenApiResponse(description="Not public, or not closed yet."),
    },
)
class OpenDataCsvView(_OpenDataView):
    extension = "csv"
    content_type = "text/csv; charset=utf-8"

    def body(self, hearing: Hearing, request: Request) -> bytes:
        return as_csv(hearing=hearing, request=request)
