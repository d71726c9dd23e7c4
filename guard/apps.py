from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GuardConfig(AppConfig):
    name = "guard"
    verbose_name = _("Personoplysninger")

    def ready(self) -> None:
        from hearings import holds

        from . import queue, receivers, scanning

        holds.register(scanning.hold_check)
        receivers.connect()
        queue.register()  # the moderation queue's tab "Personoplysninger" and its rows' findings
