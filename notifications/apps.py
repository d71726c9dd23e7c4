from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Beskeder")

    def ready(self) -> None:
        # These import models: only once the app registry is ready.
        from hearings.panels import hearing_page

        from . import receivers, views

        receivers.connect()
        hearing_page.register(views.follow_context)
