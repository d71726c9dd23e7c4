from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GuardConfig(AppConfig):
    name = "guard"
    verbose_name = _("Personoplysninger")

    def ready(self) -> None:
        from hearings import holds

        from . import receivers, scanning, views

        holds.register(scanning.hold_check)
        receivers.connect()
        views.register_panels()  # the panel of moderation's response page
