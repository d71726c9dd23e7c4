"""The panels of moderation's staff pages that apps above provide (the moderation app imports none of them).

- ``response_page``: a response's staff page; ``provider(request, *, response) -> dict``. The analysis app
  registers its topics, similar responses and campaign.
- ``queue_page``: the moderation queue; ``provider(request, *, responses) -> dict`` with the responses of
  the page shown (a list). The analysis app registers "Knyt valgte til emne"; the guard the findings of
  personal data in each row.
- ``queue_checks``: checks that an app above asks of responses before they are published (``QueueCheck``):
  each is a tab of the queue listing the responses that wait for it, and bulk publishing leaves those to be
  published one by one from their own page. The guard registers "Personoplysninger"."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Q

from portal.panels import Panels

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

response_page = Panels()
queue_page = Panels()


@dataclass(frozen=True)
class QueueCheck:
    """A check of responses before publication, registered by an app above.

    - ``value``: the queue tab's value in ``?tab=`` (ASCII, not one of ``selectors.QUEUE_TABS``);
    - ``label``: the tab's label;
    - ``condition()``: a filter of ``hearings.Response`` rows (a ``Q``, which may hold ``Exists`` of the
      app's own models) that selects the responses waiting for the check;
    - ``skipped(count)``: the sentence that says why bulk publishing left ``count`` (>= 1) of them, e.g.
      "2 svar med mulige personoplysninger skal gennemses enkeltvis.".
    """

    value: str
    label: "StrOrPromise"
    condition: Callable[[], Q]
    skipped: Callable[[int], str]


class QueueChecks:
    def __init__(self) -> None:
        self._checks: dict[str, QueueCheck] = {}

    def register(self, check: QueueCheck) -> None:
        """Add ``check`` (from an AppConfig.ready()); registering one with the same value replaces it."""
        self._checks[check.value] = check

    def get(self, value: str) -> QueueCheck | None:
        return self._checks.get(value)

    def __iter__(self) -> Iterator[QueueCheck]:
        return iter(list(self._checks.values()))


queue_checks = QueueChecks()
