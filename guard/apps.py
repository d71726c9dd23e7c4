from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GuardConfig(AppConfig):
    name = "guard"
    verbose_name = _("Personoplysninger")

    def ready(self) -> None:
        from hearings import holds

        from . import attachment_receivers, attachment_views, receivers, scanning, views

        holds.register(scanning.hold_check)
        receivers.connect()
        attachment_receivers.connect()
        views.register_panels()  # the findings and redaction panel of moderation's response page
        attachment_views.register_panels()  # the attachments panel of moderation's response page
