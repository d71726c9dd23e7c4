from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("Offentligt API")

    def ready(self) -> None:
        # hearings' registry of the hearing page's panels: the open-data links ("Åbne data").
        from hearings.panels import hearing_page

        from .panels import open_data_context

        hearing_page.register(open_data_context)
