"""What the personal-data guard keeps: each response's latest scan, the municipalities' own word lists,
and what moderators redacted (the originals for staff only, until the hearing's removal date)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hearings.models import Response, ResponseAttachment
from portal import fields
from strategies.models import Municipality

# The marker that stands where a redacted span was, on every public page, feed, file and PDF.
REDACTION_MARKER = "[udeladt: personoplysninger]"


class RedactionReason(models.TextChoices):
    CPR = "cpr", _("CPR-nummer")
    PHONE = "phone", _("telefonnummer")
    EMAIL = "email", _("e-mailadresse")
    ADDRESS = "address", _("adresse")
    PERSON = "person", _("navn på en anden person")
    SENSITIVE = "sensitive", _("helbreds-, sociale eller strafferetlige forhold")
    OTHER = "other", _("andre personoplysninger")


# How sure a finding is, as staff read it next to the finding (guard.finders.Confidence).
CONFIDENCE_LABELS = {"high": _("sikkert fund"), "low": _("muligt fund")}


def kind_label(kind: str) -> str:
    """The Danish name of a finder's kind (guard.finders.KINDS), as the reason of its redaction reads:
    "CPR-nummer", "adresse" … Every kind is a RedactionReason; ValueError for anything else."""
    return str(RedactionReason(kind).label)


class Review(models.Model):
    """The finders' latest scan of a response's published fields (text, name, organisation): how many
    findings of each confidence and which kinds. The findings themselves are found again when shown (the
    finders are fast), so no copy of the personal data is kept here."""

    response = models.OneToOneField(Response, on_delete=models.CASCADE, related_name="guard_review")
    high = models.PositiveIntegerField(_("sikre fund"), default=0)
    low = models.PositiveIntegerField(_("mulige fund"), default=0)
    kinds = models.JSONField(_("slags"), default=list, blank=True)  # e.g. ["cpr", "address"]
    finders_version = models.CharField(max_length=20)
    scanned_at = models.DateTimeField(_("kontrolleret"))
    # A moderator acted on the findings (published the response, redacted it): no longer in the queue's
    # filter "personoplysninger" until a new scan finds more.
    cleared_at = models.DateTimeField(_("gennemset"), null=True, blank=True)
    cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("kontrol af personoplysninger")
        verbose_name_plural = _("kontroller af personoplysninger")
        indexes = [models.Index(fields=["finders_version"], name="guard_review_version_idx")]

    def __str__(self) -> str:
        return f"{self.response}: {self.high}/{self.low}"


class TermList(models.Model):
    """A municipality's own sensitive terms (names of institutions, local words), found as hints when on."""

    municipality = models.OneToOneField(Municipality, on_delete=models.CASCADE, related_name="guard_terms")
    enabled = models.BooleanField(_("brug ordlisten"), default=False)
    terms = fields.TextField(_("ord"), blank=True, help_text=_("Ét ord eller udtryk pr. linje."))

    class Meta:
        verbose_name = _("ordliste over følsomme ord")
        verbose_name_plural = _("ordlister over følsomme ord")

    def __str__(self) -> str:
        return str(self.municipality)

    def term_list(self) -> list[str]:
        return [line.strip() for line in self.terms.splitlines() if line.strip()] if self.enabled else []


class Redaction(models.Model):
    """A moderator's redaction of one published field of a response: its value before (for staff only,
    emptied with the hearing's personal data) and the spans that the marker replaced."""

    class Field(models.TextChoices):
        TEXT = "text", _("tekst")
        DISPLAY_NAME = "display_name", _("navn")
        ORGANISATION_NAME = "organisation_name", _("organisation")

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="redactions")
    field = models.CharField(_("felt"), max_length=20, choices=Field.choices)
    original = fields.TextField(_("oprindelig tekst"), blank=True)
    # [[start, end], ...] in ``original``, sorted and not overlapping.
    spans = models.JSONField(_("udeladt"), default=list)
    reason = models.CharField(_("begrundelse"), max_length=10, choices=RedactionReason.choices)
    note = fields.TextField(_("uddybning"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("tidspunkt"))
    original_removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("udeladelse")
        verbose_name_plural = _("udeladelser")
        ordering = ["response", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.response}: {self.get_field_display()}"


def original_path(instance: "AttachmentOriginal", filename: str) -> str:
    return f"attachments/originals/{instance.attachment.response.hearing_id}/{uuid.uuid4().hex}"


class AttachmentOriginal(models.Model):
    """The file an attachment had before a moderator replaced it with a redacted version: for staff only,
    removed with the hearing's personal data."""

    attachment = models.OneToOneField(
        ResponseAttachment, on_delete=models.CASCADE, related_name="guard_original"
    )
    file = models.FileField(upload_to=original_path, max_length=300)
    original_name = fields.CharField(max_length=200)
    kind = models.CharField(max_length=4, choices=ResponseAttachment.Kind.choices)
    size = models.PositiveIntegerField()
    text = fields.TextField(blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    replaced_at = models.DateTimeField()

    class Meta:
        verbose_name = _("oprindeligt bilag")
        verbose_name_plural = _("oprindelige bilag")

    def __str__(self) -> str:
        return self.original_name
