from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalysisConfig(AppConfig):
    name = "analysis"
    verbose_name = _("Analyse")

    def ready(self) -> None:
        # These import models: only once the app registry is ready.
        from . import receivers, topic_views

        receivers.connect()
        topic_views.register_panels()  # the panels of moderation's response page and queue
