from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HearingsConfig(AppConfig):
    name = "hearings"
    verbose_name = _("Høringer")

    def ready(self):
        from . import documents, response_cache

        response_cache.connect()
        documents.connect()
