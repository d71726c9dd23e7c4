from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HearingsConfig(AppConfig):
    name = "hearings"
    verbose_name = _("Høringer")

    def ready(self) -> None:
        # These import models: only once the app registry is ready.
        from accounts import personal_data
        from strategies.panels import strategy_page

        from . import personal_data as hearing_data
        from . import response_cache, strategy_panel

        response_cache.connect()
        strategy_page.register(strategy_panel.hearing_context)
        personal_data.register(
            personal_data.Holder(
                "høringssvar", export=hearing_data.export_responses, erase=hearing_data.erase_responses
            )
        )
