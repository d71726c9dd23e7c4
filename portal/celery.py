"""The Celery application, configured from Django's settings (``CELERY_*``)."""

import os

from celery import Celery
from celery.signals import worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.base")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_process_init.connect
def load_weasyprint(**_kwargs) -> None:
    """WeasyPrint takes a second or two to import: once when a worker process starts, not in a render."""
    import weasyprint  # noqa: F401
