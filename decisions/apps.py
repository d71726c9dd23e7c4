from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DecisionsConfig(AppConfig):
    name = "decisions"
    verbose_name = _("Beslutninger")

    def ready(self) -> None:
        # These import models: only once the app registry is ready.
        from hearings.panels import hearing_page
        from strategies.panels import strategy_page

        from . import panels

        hearing_page.register(panels.hearing_context)
        strategy_page.register(panels.strategy_context)
