from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    name = "moderation"
    verbose_name = _("Moderation")

    def ready(self) -> None:
        # These import models: only once the app registry is ready.
        from accounts import personal_data

        from . import receivers, services

        receivers.connect()
        personal_data.register(personal_data.Holder("anmeldelser", export=services.export_flags))
