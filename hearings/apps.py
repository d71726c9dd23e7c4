from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HearingsConfig(AppConfig):
    name = "hearings"
    verbose_name = _("Høringer")

    def ready(self) -> None:
        # These import models: only once the app registry is ready.
        from accounts import personal_data
        from strategies import panels

        from . import panel, response_cache, services

        response_cache.connect()
        panels.strategy_page.register(panel.hearing_context)
        personal_data.register(
            personal_data.Holder(
                "høringssvar", export=services.export_responses, erase=services.erase_responses
            )
        )
