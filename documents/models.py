"""The PDFs workers render: the hearing proposal and the hearing summary."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hearings.models import Hearing
from portal import fields


def document_path(instance: "RenderedDocument", filename: str) -> str:
    return f"documents/{instance.hearing_id}/{instance.kind}-{instance.fingerprint[:16]}.pdf"


class RenderedDocumentQuerySet(models.QuerySet["RenderedDocument"]):
    def current(self, *, hearing: Hearing, kind: str, fingerprint: str) -> "RenderedDocumentQuerySet":
        return self.filter(hearing=hearing, kind=kind, fingerprint=fingerprint)


class RenderedDocument(models.Model):
    """A PDF a worker rendered (or is rendering) from exactly the content named by ``fingerprint``.
    The same content is never rendered twice: (hearing, kind, fingerprint) is unique."""

    class Kind(models.TextChoices):
        PROPOSAL = "proposal", _("Høringsforslag")
        SUMMARY = "summary", _("Høringsnotat")

    class Status(models.TextChoices):
        QUEUED = "queued", _("I kø")
        RENDERING = "rendering", _("Laves")
        DONE = "done", _("Færdig")
        FAILED = "failed", _("Fejlede")

    hearing = models.ForeignKey(
        Hearing, on_delete=models.CASCADE, related_name="documents", verbose_name=_("høring")
    )
    kind = models.CharField(_("slags"), max_length=10, choices=Kind.choices)
    fingerprint = fields.CharField(_("fingeraftryk"), max_length=64)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    file = models.FileField(_("fil"), upload_to=document_path, blank=True, max_length=300)
    page_count = models.PositiveIntegerField(_("sider"), null=True, blank=True)
    size = models.PositiveIntegerField(_("størrelse (byte)"), null=True, blank=True)
    response_count = models.PositiveIntegerField(_("høringssvar"), default=0)
    is_draft = models.BooleanField(_("udkast"), default=False)
    error = fields.TextField(_("fejl"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("forsøg"), default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(_("bestilt"), default=timezone.now)
    started_at = models.DateTimeField(_("påbegyndt"), null=True, blank=True)
    finished_at = models.DateTimeField(_("færdig"), null=True, blank=True)

    objects = RenderedDocumentQuerySet.as_manager()

    class Meta:
        db_table = "hearings_rendereddocument"  # made in the hearings app; moved here with its rows
        verbose_name = _("dokument")
        verbose_name_plural = _("dokumenter")
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(fields=["hearing", "kind", "fingerprint"], name="document_rendered_once"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.hearing} ({self.get_status_display()})"

    @property
    def render_seconds(self) -> float | None:
        if self.started_at and self.finished_at:
            return (self.finished_at - self.started_at).total_seconds()
        return None


def archive_path(instance: "ArchiveJob", filename: str) -> str:
    return f"documents/{instance.hearing_id}/arkiv-{instance.hearing_id}-{instance.fingerprint[:16]}.zip"


class ArchiveJob(models.Model):
    """The archive for the journal system (ESDH) of one hearing: a ZIP that workers make (or are making)
    from exactly the content named by ``fingerprint`` (documents/archive.py says what it holds). The same
    content is never packed twice: (hearing, fingerprint) is unique. ``done`` of ``total`` is the
    progress of the current step (the responses' PDFs, then packing them), for the progress page."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("I kø")
        RENDERING = "rendering", _("Høringssvarene laves som PDF")
        PACKING = "packing", _("Arkivet pakkes")
        DONE = "done", _("Færdig")
        FAILED = "failed", _("Fejlede")

    hearing = models.ForeignKey(
        Hearing, on_delete=models.CASCADE, related_name="archives", verbose_name=_("høring")
    )
    fingerprint = fields.CharField(_("fingeraftryk"), max_length=64)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(_("høringssvar i alt"), default=0)
    done = models.PositiveIntegerField(_("høringssvar færdige"), default=0)
    chunks = models.PositiveIntegerField(default=0, editable=False)
    chunks_done = models.PositiveIntegerField(default=0, editable=False)
    file = models.FileField(_("fil"), upload_to=archive_path, blank=True, max_length=300)
    size = models.PositiveBigIntegerField(_("størrelse (byte)"), null=True, blank=True)
    error = fields.TextField(_("fejl"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("forsøg"), default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(_("bestilt"), default=timezone.now)
    started_at = models.DateTimeField(_("påbegyndt"), null=True, blank=True)
    finished_at = models.DateTimeField(_("færdig"), null=True, blank=True)

    class Meta:
        verbose_name = _("arkiv til journalsystemet")
        verbose_name_plural = _("arkiver til journalsystemet")
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(fields=["hearing", "fingerprint"], name="archive_packed_once"),
        ]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} – {self.hearing} ({self.get_status_display()})"

    @property
    def is_working(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RENDERING, self.Status.PACKING)
