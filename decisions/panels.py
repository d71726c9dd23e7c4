"""The decisions app's panels on pages of apps below it (registered in DecisionsConfig.ready)."""

from typing import Any

from django.http import HttpRequest

from hearings.models import Hearing
from strategies.models import Section, Strategy

from . import selectors


def hearing_context(request: HttpRequest, *, hearing: Hearing) -> dict[str, Any]:
    """The hearing page's link to "Det sagde I – det gjorde vi" once the decision is published: adds
    ``published_decision`` (a Decision or None). One query once the hearing has closed, none before (a
    decision is recorded only after closing)."""
    if hearing.current_state != Hearing.State.CLOSED:
        return {"published_decision": None}
    return selectors.decision_panel(hearing=hearing)


def strategy_context(
    request: HttpRequest, *, strategy: Strategy, section: Section | None = None
) -> dict[str, Any]:
    """The strategy and section pages' "Vedtaget efter høring" with its link: adds ``adopting_decision``
    (a published, adopting Decision with its hearing, or None). One query."""
    return {"adopting_decision": selectors.adopting_decision(strategy=strategy, section=section)}
