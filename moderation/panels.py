"""The panels of moderation's staff pages that apps above provide (the moderation app imports none of them).

- ``response_page``: a response's staff page; ``provider(request, *, response) -> dict``. The analysis app
  registers its topics, similar responses and campaign.
- ``queue_page``: the moderation queue; ``provider(request, *, responses) -> dict`` with the responses of
  the page shown (a list). The analysis app registers "Knyt valgte til emne"."""

from portal.panels import Panels

response_page = Panels()
queue_page = Panels()
