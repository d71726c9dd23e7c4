from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GuardConfig(AppConfig):
    name = "guard"
    verbose_name = _("Personoplysninger")

    def ready(self) -> None:
        from accounts import personal_data
        from hearings import holds

        # scan_tasks: the beat task of new finders; Celery's autodiscovery reads only ``tasks`` modules.
        from . import attachment_receivers, attachment_views, queue, receivers, scan_tasks, scanning, views  # noqa: F401
        from . import personal_data as guard_data

        holds.register(scanning.hold_check)
        personal_data.register(
            personal_data.Holder(
                "udeladelser", export=guard_data.export_redactions, erase=guard_data.erase_redaction_originals
            )
        )
        receivers.connect()
        attachment_receivers.connect()
        queue.register()  # the moderation queue's tab "Personoplysninger" and its rows' findings
        views.register_panels()  # the findings and redaction panel of moderation's response page
        attachment_views.register_panels()  # the attachments panel of moderation's response page
