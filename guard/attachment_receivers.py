"""The originals of replaced attachments leave with the hearing's personal data: an AttachmentOriginal's
file is deleted with its row (after the commit), whichever way the row goes (the attachment deleted by
``hearings.personal_data`` on the hearing's removal date or with an account, and the cascade that takes
the original with it), and the removal date sweeps any original of the hearing still there."""

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete

from hearings.models import Hearing
from hearings.signals import personal_data_removed

from .models import AttachmentOriginal


def delete_original_file(sender: Any, instance: AttachmentOriginal, **kwargs: Any) -> None:
    name, storage = instance.file.name, instance.file.storage
    if name:
        # Not before the commit: a rolled-back deletion keeps its row, and must keep its file.
        transaction.on_commit(lambda: storage.delete(name))


def remove_originals(sender: Any, *, hearing: Hearing, **kwargs: Any) -> None:
    """``hearings.signals.personal_data_removed``: no original of the hearing's attachments stays."""
    AttachmentOriginal.objects.filter(attachment__response__hearing=hearing).delete()


def connect() -> None:
    """Called once from ``GuardConfig.ready()``."""
    post_delete.connect(delete_original_file, sender=AttachmentOriginal, dispatch_uid="guard-original-file")
    personal_data_removed.connect(remove_originals, weak=False, dispatch_uid="guard-remove-originals")
