"""The hearing page's panel "Åbne data" (hearings.panels.hearing_page, registered in ApiConfig.ready)."""

from django.http import HttpRequest
from django.urls import reverse

from hearings.models import Hearing


def open_data_context(request: HttpRequest, *, hearing: Hearing) -> dict:
    """``open_data``: the JSON and CSV files of the hearing's published responses and the API's
    address, once the hearing has closed (None before: its responses may still change). No query."""
    if hearing.state() != Hearing.State.CLOSED:
        return {"open_data": None}
    return {
        "open_data": {
            "json": reverse("api:open-data-json", args=[hearing.pk]),
            "csv": reverse("api:open-data-csv", args=[hearing.pk]),
            "api": reverse("api:response-list") + f"?hearing={hearing.pk}",
            "docs": reverse("api:docs"),
        }
    }
