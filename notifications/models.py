"""Who follows which hearing, and which e-mails went out."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hearings.models import Hearing
from portal import fields


class Follow(models.Model):
    """A signed-in user follows a hearing and chooses which e-mails they want about it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows")
    hearing = models.ForeignKey(Hearing, on_delete=models.CASCADE, related_name="follows")
    on_open = models.BooleanField(_("når høringen åbner"), default=True)
    before_close = models.BooleanField(_("3 dage før høringen lukker"), default=True)
    on_close = models.BooleanField(_("når høringen lukker"), default=True)
    on_summary = models.BooleanField(_("når høringsnotatet er offentliggjort"), default=True)
    on_own_response = models.BooleanField(
        _("når mit høringssvar er behandlet af en moderator eller får en bemærkning"), default=True
    )
    created_at = models.DateTimeField(default=timezone.now)

    PREFERENCES = ("on_open", "before_close", "on_close", "on_summary", "on_own_response")

    class Meta:
        db_table = "hearings_follow"  # made in the hearings app; moved here with its rows
        verbose_name = _("følger")
        verbose_name_plural = _("følgere")
        ordering = ["hearing", "created_at"]
        constraints = [models.UniqueConstraint(fields=["user", "hearing"], name="follow_once_per_user")]

    def __str__(self) -> str:
        return f"{self.user} → {self.hearing}"


class NotificationSent(models.Model):
    """That one e-mail about a hearing went to one user: the unique constraint is what makes each
    notification go out at most once, however often (or in how many workers) the task runs."""

    class Kind(models.TextChoices):
        OPENED = "opened", _("Høringen er åbnet")
        CLOSING_SOON = "closing_soon", _("Høringen lukker om 3 dage")
        CLOSED = "closed", _("Høringen er lukket")
        SUMMARY = "summary", _("Høringsnotatet er offentliggjort")
        REMARK = "remark", _("Bemærkning til høringssvar")
        REMARKS_RELEASED = "remarks_released", _("Administrationens bemærkninger frigivet")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    hearing = models.ForeignKey(Hearing, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("slags"), max_length=20, choices=Kind.choices)
    # What it was about, when a kind can happen more than once per hearing (the response of a remark).
    key = fields.CharField(max_length=40, blank=True, default="")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "hearings_notificationsent"  # made in the hearings app; moved here with its rows
        verbose_name = _("sendt besked")
        verbose_name_plural = _("sendte beskeder")
        constraints = [
            models.UniqueConstraint(fields=["user", "hearing", "kind", "key"], name="notification_sent_once"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.hearing} → {self.user}"
