from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "documents"
    verbose_name = _("Dokumenter")

    def ready(self) -> None:
        from . import receivers  # imports models: only once the app registry is ready

        receivers.connect()
