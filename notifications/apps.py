from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Beskeder")

    def ready(self) -> None:
        # These import models: only once the app registry is ready.
        from accounts import personal_data
        from hearings.panels import hearing_page

        from . import follows, receivers, views

        receivers.connect()
        hearing_page.register(views.follow_context)
        personal_data.register(personal_data.Holder("følger", export=follows.export_follows))
