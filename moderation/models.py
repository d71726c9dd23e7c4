"""What staff and citizens do to responses once they are in: flags, the administration's remarks, and the
audit log of every moderation, role and publication."""

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hearings.models import Hearing, ModerationReason, Response
from portal import fields

REMARK_MAX_LENGTH = 10_000
FLAG_NOTE_MAX_LENGTH = 1000
MODERATION_NOTE_MAX_LENGTH = 2000


class Flag(models.Model):
    """A signed-in user's report that a published response breaks the rules; once per user."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="flags")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="flags")
    reason = models.CharField(_("begrundelse"), max_length=20, choices=ModerationReason.choices)
    note = fields.TextField(_("uddybning"), blank=True, max_length=FLAG_NOTE_MAX_LENGTH)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "hearings_flag"  # made in the hearings app; moved here with its rows
        verbose_name = _("anmeldelse")
        verbose_name_plural = _("anmeldelser")
        ordering = ["response", "created_at"]
        constraints = [models.UniqueConstraint(fields=["response", "user"], name="flag_once_per_user")]

    def __str__(self) -> str:
        return f"{self.response}: {self.get_reason_display()}"


class Remark(models.Model):
    """The administration's remark ("administrationens bemærkning") to a response."""

    class Recommendation(models.TextChoices):
        NO_CHANGE = "no_change", _("Giver ikke anledning til ændringer")
        CHANGE = "change", _("Giver anledning til ændringer")
        NOTED = "noted", _("Taget til efterretning")

    response = models.OneToOneField(Response, on_delete=models.CASCADE, related_name="remark")
    text = fields.TextField(_("bemærkning"), max_length=REMARK_MAX_LENGTH)
    recommendation = models.CharField(_("indstilling"), max_length=10, choices=Recommendation.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "hearings_remark"  # made in the hearings app; moved here with its rows
        verbose_name = _("administrationens bemærkning")
        verbose_name_plural = _("administrationens bemærkninger")

    def __str__(self) -> str:
        return f"{self.response}: {self.get_recommendation_display()}"

    @staticmethod
    def of(response: Response) -> "Remark | None":
        """The remark to ``response``, or None while it has none. No query when the response was read with
        ``select_related("remark")``."""
        try:
            return response.remark
        except Remark.DoesNotExist:
            return None


class ImmutableEvent(Exception):
    pass


class ModerationEvent(models.Model):
    """Who did what to which response (or role), when and why. Append-only: the database refuses
    UPDATE and DELETE on the table (a trigger, see the migration), and so do the model and the admin.

    References are kept without database constraints, so that deleting a user never has to touch the log;
    ``actor_label`` keeps who it was."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", _("Modtaget")
        EDITED = "edited", _("Rettet af afsender")
        WITHDRAWN = "withdrawn", _("Trukket tilbage af afsender")
        PUBLISHED = "published", _("Offentliggjort")
        REJECTED = "rejected", _("Afvist")
        HIDDEN = "hidden", _("Skjult")
        RESTORED = "restored", _("Gendannet")
        FLAGGED = "flagged", _("Anmeldt")
        FLAG_THRESHOLD = "flag_threshold", _("Taget til moderation efter anmeldelser")
        REMARK_CREATED = "remark_created", _("Bemærkning skrevet")
        REMARK_CHANGED = "remark_changed", _("Bemærkning ændret")
        ROLE_GRANTED = "role_granted", _("Rolle tildelt")
        ROLE_REVOKED = "role_revoked", _("Rolle frataget")
        SUMMARY_PUBLISHED = "summary_published", _("Høringsnotat offentliggjort")
        REMARKS_RELEASED = "remarks_released", _("Bemærkninger frigivet")
        # The analysis (analysis.services): topics, their responses, campaigns and suggestions.
        TOPIC_CREATED = "topic_created", _("Emne oprettet")
        TOPIC_CHANGED = "topic_changed", _("Emne ændret")
        TOPIC_MERGED = "topic_merged", _("Emner lagt sammen")
        TOPIC_SPLIT = "topic_split", _("Emne delt")
        TOPIC_DELETED = "topic_deleted", _("Emne slettet")
        TOPIC_LINKED = "topic_linked", _("Knyttet til emne")
        TOPIC_UNLINKED = "topic_unlinked", _("Fjernet fra emne")
        CAMPAIGN_SPLIT = "campaign_split", _("Taget ud af kampagne")
        CAMPAIGN_MERGED = "campaign_merged", _("Kampagner lagt sammen")
        SUGGESTION_ACCEPTED = "suggestion_accepted", _("Forslag til emne godtaget")
        SUGGESTION_DISMISSED = "suggestion_dismiss", _("Forslag til emne afvist")
        # The personal-data guard (guard.services): redactions, and attachments held, withheld, released
        # or replaced.
        REDACTED = "redacted", _("Personoplysninger udeladt")
        ATTACHMENT_HELD = "attachment_held", _("Bilag tilbageholdt til kontrol")
        ATTACHMENT_WITHHELD = "attachment_withheld", _("Bilag ikke offentliggjort")
        ATTACHMENT_RELEASED = "attachment_released", _("Bilag offentliggjort")
        ATTACHMENT_REPLACED = "attachment_replaced", _("Bilag erstattet af en udgave med udeladelser")

    action = models.CharField(_("handling"), max_length=20, choices=Action.choices)
    municipality = models.ForeignKey(
        "strategies.Municipality", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    hearing = models.ForeignKey(
        Hearing, on_delete=models.DO_NOTHING, db_constraint=False, null=True, blank=True, related_name="+"
    )
    response = models.ForeignKey(
        Response,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="events",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, db_constraint=False, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    actor_label = fields.CharField(_("udført af"), max_length=254, blank=True)
    reason = models.CharField(_("begrundelse"), max_length=20, choices=ModerationReason.choices, blank=True)
    note = fields.TextField(_("uddybning"), blank=True)
    status_before = fields.CharField(_("status før"), max_length=10, blank=True)
    status_after = fields.CharField(_("status efter"), max_length=10, blank=True)
    details = models.JSONField(_("detaljer"), default=dict, blank=True)
    created_at = models.DateTimeField(_("tidspunkt"), default=timezone.now)

    class Meta:
        db_table = "hearings_moderationevent"  # made in the hearings app; moved here with its rows
        verbose_name = _("hændelse")
        verbose_name_plural = _("hændelser (log)")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["response", "created_at"], name="event_response_idx")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.get_action_display()}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ImmutableEvent("Moderation events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ImmutableEvent("Moderation events are append-only")
