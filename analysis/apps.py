from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalysisConfig(AppConfig):
    name = "analysis"
    verbose_name = _("Analyse")

    def ready(self) -> None:
        # These import models: only once the app registry is ready.
        from . import receivers

        receivers.connect()
