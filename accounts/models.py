from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal import fields


class UserManager(BaseUserManager["User"]):
    """Users are known by their e-mail address; there is no user name."""

    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields: Any) -> "User":
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields: Any) -> "User":
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields: Any) -> "User":
        extra_fields["is_staff"] = True
        extra_fields["is_superuser"] = True
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person with an account: a citizen, a municipality's staff member or the operator."""

    # Removing an inherited field by setting it to None is Django's documented way; the stubs type the
    # attributes as the str they are in AbstractUser.
    username = None  # type: ignore[assignment]
    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    email = models.EmailField(_("e-mail"), unique=True)
    name = fields.CharField(_("navn"), max_length=200, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    # The stubs type AbstractUser.objects as Django's user-name based UserManager, which this one replaces.
    objects: ClassVar[UserManager] = UserManager()  # type: ignore[assignment]

    class Meta:
        verbose_name = _("bruger")
        verbose_name_plural = _("brugere")
        ordering = ["email"]

    def __str__(self) -> str:
        return self.name or self.email

    def get_full_name(self) -> str:
        return self.name

    def get_short_name(self) -> str:
        return self.name or self.email


class StaffRole(models.Model):
    """A staff role of a user in one municipality; a user may hold several, in several municipalities."""

    class Role(models.TextChoices):
        EDITOR = "editor", _("Redaktør")
        MODERATOR = "moderator", _("Moderator")
        COUNCIL = "council", _("Kommunalbestyrelsesmedlem")

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="staff_roles", verbose_name=_("bruger")
    )
    municipality = models.ForeignKey(
        "strategies.Municipality",
        on_delete=models.CASCADE,
        related_name="staff_roles",
        verbose_name=_("kommune"),
    )
    role = models.CharField(_("rolle"), max_length=10, choices=Role.choices)
    granted_at = models.DateTimeField(_("tildelt"), auto_now_add=True)

    class Meta:
        verbose_name = _("rolle i en kommune")
        verbose_name_plural = _("roller i kommuner")
        ordering = ["municipality", "role", "user"]
        constraints = [
            models.UniqueConstraint(fields=["user", "municipality", "role"], name="staff_role_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()}, {self.municipality}"
