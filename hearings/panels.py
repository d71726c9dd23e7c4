"""The panels of the hearing page that other apps provide (the hearings app imports none of them):
``provider(request, *, hearing) -> dict``. The notifications app registers the follow box."""

from portal.panels import Panels

hearing_page = Panels()
