"""The panels of the strategy and section pages that other apps provide (the strategies app imports none
of them): ``provider(request, *, strategy, section) -> dict``, ``section`` None on a strategy page. The
hearings app registers the hearing panel (hearings.strategy_panel.hearing_context)."""

from portal.panels import Panels

strategy_page = Panels()
