"""What citizens answer: hearings, their events, the responses, their attachments and earlier texts."""

import datetime as dt
import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

from portal import fields
from portal.search_vector import search_document
from strategies.models import Goal, Section, Strategy, Theme

from .targets import TargetKey

# What people write, and how much of it: the rules of the model fields, the forms and the services alike.
NAME_MAX_LENGTH = 200  # a respondent's name and organisation's name, as published
TOWN_MAX_LENGTH = 100
POSTCODE_LENGTH = 4  # a Danish postcode: four digits (Post Danmark's postnummerkort), e.g. 2665
RESPONSE_TEXT_MAX_LENGTH = 10_000


def validate_postcode(value: str) -> None:
    """Raise ValidationError (code ``postcode``, in Danish) unless ``value`` is "" or exactly
    POSTCODE_LENGTH ASCII digits: '²' or '٣' are digits to ``str.isdigit()`` but no postcode."""
    if value and not (value.isascii() and value.isdigit() and len(value) == POSTCODE_LENGTH):
        raise ValidationError(_("Et postnummer er fire cifre, fx 2665."), code="postcode")


HEARING_SEARCH = (["title"], ["intro"])
RESPONSE_SEARCH = (["text"], None)


# A hearing's remarks are public once released, or as written if the hearing says so (Hearing.remarks_are_public).
REMARKS_PUBLIC = Q(remarks_as_written=True) | Q(remarks_released_at__isnull=False)


class HearingQuerySet(models.QuerySet["Hearing"]):
    """A hearing's state follows from the clock: open while ``opens_at <= now < closes_at``."""

    def upcoming(self, now: dt.datetime | None = None) -> "HearingQuerySet":
        return self.filter(opens_at__gt=now or timezone.now())

    def open(self, now: dt.datetime | None = None) -> "HearingQuerySet":
        now = now or timezone.now()
        return self.filter(opens_at__lte=now, closes_at__gt=now)

    def closed(self, now: dt.datetime | None = None) -> "HearingQuerySet":
        return self.filter(closes_at__lte=now or timezone.now())

    def public(self) -> "HearingQuerySet":
        return self.filter(strategy__status__in=Strategy.public_statuses())

    def with_public_remarks(self) -> "HearingQuerySet":
        """The hearings whose remarks show on public pages (``Hearing.remarks_are_public``)."""
        return self.filter(REMARKS_PUBLIC)


class Hearing(models.Model):
    class State(models.TextChoices):
        UPCOMING = "upcoming", _("Kommende")
        OPEN = "open", _("Åben")
        CLOSED = "closed", _("Afsluttet")

    class Moderation(models.TextChoices):
        PRE = "pre", _("Forhåndsmoderation: svar vises først, når en moderator har godkendt dem")
        POST = "post", _("Efterfølgende moderation: svar vises med det samme og kan skjules")

    strategy = models.ForeignKey(
        Strategy, on_delete=models.PROTECT, related_name="hearings", verbose_name=_("strategi")
    )
    section = models.ForeignKey(
        Section, on_delete=models.PROTECT, null=True, blank=True, related_name="hearings",
        verbose_name=_("kun denne del"), help_text=_("Tom: hele strategien er i høring."),
    )  # fmt: skip
    title = fields.CharField(_("titel"), max_length=200)
    intro = fields.MarkdownField(_("om høringen"), blank=True)
    opens_at = models.DateTimeField(_("åbner"))
    closes_at = models.DateTimeField(_("lukker"))
    moderation = models.CharField(
        _("moderation"), max_length=4, choices=Moderation.choices, default=Moderation.POST
    )
    contact_name = fields.CharField(_("kontaktperson"), max_length=200, blank=True)
    contact_title = fields.CharField(_("kontaktpersonens titel"), max_length=200, blank=True)
    contact_email = models.EmailField(_("kontaktpersonens e-mail"), blank=True)
    contact_phone = fields.CharField(_("kontaktpersonens telefon"), max_length=30, blank=True)
    personal_data_removal_on = models.DateField(
        _("fjern personoplysninger den"),
        help_text=_("Efter denne dato fjernes navne, postnumre og bilag fra høringssvarene på portalen."),
    )
    personal_data_removed_at = models.DateTimeField(_("personoplysninger fjernet"), null=True, blank=True)
    remarks_as_written = models.BooleanField(
        _("vis administrationens bemærkninger, efterhånden som de skrives"), default=False,
        help_text=_(
            "Ellers er bemærkningerne kladder, indtil de frigives samlet for hele høringen, og hver afsender "
            "får én e-mail."
        ),
    )  # fmt: skip
    remarks_released_at = models.DateTimeField(
        _("bemærkninger frigivet"), null=True, blank=True, editable=False
    )
    summary_published_at = models.DateTimeField(
        _("høringsnotat offentliggjort"), null=True, blank=True,
        help_text=_("Derefter kan bemærkningerne ikke længere ændres."),
    )  # fmt: skip
    moderators_notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_response_number = models.PositiveIntegerField(default=0, editable=False)
    # Raised by one, in the transaction of the change, on every change a reader could see: the hearing,
    # its responses, remarks, attachments and events, its strategy's texts, its municipality
    # (hearings.response_cache.bump). The documents' fingerprint is made from it (documents.content),
    # so it is kept in the database, not in the cache, and survives a cache flush. Null (read as 0)
    # until the first change: a nullable column without a default is what SQLite adds without
    # remaking the table (see Response.submission_token).
    content_version = models.PositiveBigIntegerField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = HearingQuerySet.as_manager()

    class Meta:
        verbose_name = _("høring")
        verbose_name_plural = _("høringer")
        ordering = ["-opens_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="hearing_closes_after_opening"
            ),
        ]
        indexes = [GinIndex(search_document(*HEARING_SEARCH), name="hearing_search_idx")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("hearings:detail", kwargs={"pk": self.pk})

    def clean(self) -> None:
        errors = {}
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            errors["closes_at"] = _("Høringen skal lukke efter, at den åbner.")
        if self.closes_at and self.personal_data_removal_on:
            closes_local = timezone.localtime(self.closes_at).date()
            if self.personal_data_removal_on <= closes_local:
                errors["personal_data_removal_on"] = _(
                    "Personoplysninger kan først fjernes efter, at høringen er lukket."
                )
        if self.section is not None and self.strategy_id and self.section.strategy_id != self.strategy_id:
            errors["section"] = _("Delen hører til en anden strategi.")
        if errors:
            raise ValidationError(errors)

    def state(self, now: dt.datetime | None = None) -> "Hearing.State":
        now = now or timezone.now()
        if now < self.opens_at:
            return self.State.UPCOMING
        if now < self.closes_at:
            return self.State.OPEN
        return self.State.CLOSED

    @property
    def current_state(self) -> "Hearing.State":
        return self.state()

    @property
    def is_pre_moderated(self) -> bool:
        return self.moderation == self.Moderation.PRE

    @property
    def municipality_id(self) -> int:
        return self.strategy.municipality_id

    def remarks_are_public(self) -> bool:
        """Whether the administration's remarks (on responses and on topics) show on public pages: once
        staff released them for the whole hearing (``remarks_released_at``; publishing the hearing summary
        releases them too), or at once if the hearing shows them as they are written. The same rule as
        ``HearingQuerySet.with_public_remarks``."""
        return self.remarks_as_written or self.remarks_released_at is not None

    @property
    def remarks_are_locked(self) -> bool:
        return self.summary_published_at is not None


class HearingEvent(models.Model):
    class Kind(models.TextChoices):
        WORKSHOP = "workshop", _("Workshop")
        MEETING = "meeting", _("Borgermøde")
        OTHER = "other", _("Arrangement")

    hearing = models.ForeignKey(
        Hearing, on_delete=models.CASCADE, related_name="events", verbose_name=_("høring")
    )
    kind = models.CharField(_("slags"), max_length=10, choices=Kind.choices, default=Kind.MEETING)
    title = fields.CharField(_("titel"), max_length=200)
    starts_at = models.DateTimeField(_("begynder"))
    ends_at = models.DateTimeField(_("slutter"), null=True, blank=True)
    place = fields.CharField(_("sted"), max_length=300, blank=True)
    description = fields.TextField(_("beskrivelse"), blank=True)

    class Meta:
        verbose_name = _("arrangement")
        verbose_name_plural = _("arrangementer")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=models.F("starts_at")),
                name="event_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("Arrangementet skal slutte efter, at det begynder.")})


class ModerationReason(models.TextChoices):
    PERSONAL_DATA = "personal_data", _("personoplysninger om andre")
    # Set by the personal-data guard (guard.holds) on a response it held back from publication.
    POSSIBLE_PERSONAL_DATA = "possible_personal", _("mulige personoplysninger")
    OFFENSIVE = "offensive", _("krænkende sprog")
    OFF_TOPIC = "off_topic", _("uvedkommende for høringen")
    SPAM = "spam", _("spam")
    OTHER = "other", _("andet")


def chosen_reasons() -> list[tuple[str, "StrOrPromise"]]:
    """The reasons a person chooses (a moderator's decision, a citizen's flag): all but the guard's own."""
    return [(value, label) for value, label in ModerationReason.choices
            if value != ModerationReason.POSSIBLE_PERSONAL_DATA]  # fmt: skip


class ResponseQuerySet(models.QuerySet["Response"]):
    def published(self) -> "ResponseQuerySet":
        return self.filter(status=Response.Status.PUBLISHED)

    def targeting_section(self, section: Section) -> "ResponseQuerySet":
        """Responses to the section itself or to one of its goals or themes."""
        return self.filter(
            Q(target_section=section) | Q(target_goal__section=section) | Q(target_theme__section=section)
        )


class Response(models.Model):
    """A hearing response ("høringssvar")."""

    class RespondentType(models.TextChoices):
        PRIVATE = "private", _("Privatperson")
        ASSOCIATION = "association", _("Forening/organisation")
        BUSINESS = "business", _("Virksomhed")
        COUNCIL = "council", _("Råd eller nævn")
        AUTHORITY = "authority", _("Offentlig myndighed")

    class Status(models.TextChoices):
        PENDING = "pending", _("Afventer moderation")
        PUBLISHED = "published", _("Offentliggjort")
        REJECTED = "rejected", _("Afvist")
        HIDDEN = "hidden", _("Skjult")
        WITHDRAWN = "withdrawn", _("Trukket tilbage")

    hearing = models.ForeignKey(
        Hearing, on_delete=models.PROTECT, related_name="responses", verbose_name=_("høring")
    )
    number = models.PositiveIntegerField(_("nummer"))
    # A receipt link that does not reveal how many responses exist or let anyone guess another's.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="responses", verbose_name=_("afsender"),
    )  # fmt: skip
    target_section = models.ForeignKey(
        Section, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("del")
    )
    target_goal = models.ForeignKey(
        Goal, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("målsætning")
    )
    target_theme = models.ForeignKey(
        Theme, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("tema")
    )
    respondent_type = models.CharField(_("udtaler sig som"), max_length=12, choices=RespondentType.choices)
    organisation_name = fields.CharField(_("organisationens navn"), max_length=NAME_MAX_LENGTH, blank=True)
    display_name = fields.CharField(_("navn der offentliggøres"), max_length=NAME_MAX_LENGTH, blank=True)
    postcode = fields.CharField(_("postnummer"), max_length=POSTCODE_LENGTH, blank=True)
    town = fields.CharField(_("by"), max_length=TOWN_MAX_LENGTH, blank=True)
    text = fields.TextField(_("høringssvar"))
    consent_to_publish = models.BooleanField(_("samtykke til offentliggørelse"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    # The reason of the latest decision, for the public notice of a hidden response; the whole history
    # is in ModerationEvent.
    moderation_reason = models.CharField(
        _("begrundelse"), max_length=20, choices=ModerationReason.choices, blank=True, editable=False
    )
    is_demo = models.BooleanField(_("demo-svar"), default=False, editable=False)
    # The language the citizen wrote in (the page's language when they sent it): what they are written to
    # in, e.g. when the remarks are released. Null (read as the site's language) for older responses;
    # nullable without a default for SQLite, as submission_token below.
    language = fields.CharField(_("sprog"), max_length=8, null=True, blank=True, editable=False)  # noqa: DJ001
    receipt_sent_at = models.DateTimeField(_("kvittering sendt"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("modtaget"), default=timezone.now, editable=False)
    edited_at = models.DateTimeField(_("rettet"), null=True, blank=True, editable=False)
    published_at = models.DateTimeField(_("offentliggjort"), null=True, blank=True, editable=False)
    withdrawn_at = models.DateTimeField(_("trukket tilbage"), null=True, blank=True, editable=False)
    personal_data_removed_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The one-time token of the form page it was sent from (hearings.forms.ResponseForm): the same form
    # posted again (a double click, the browser's resubmit) finds this response instead of filing a
    # second one. Null for responses that came another way (the demo, a form without a token): a
    # nullable column without a default is what SQLite can add without remaking the table (whose
    # remake would recreate the PostgreSQL-only search index and fail on the demo's database).
    submission_token = fields.CharField(max_length=64, null=True, blank=True, editable=False)  # noqa: DJ001

    objects = ResponseQuerySet.as_manager()

    class Meta:
        verbose_name = _("høringssvar")
        verbose_name_plural = _("høringssvar")
        ordering = ["hearing", "number"]
        constraints = [
            models.UniqueConstraint(fields=["hearing", "number"], name="response_number_unique_per_hearing"),
            # The last guard of idempotent submission: one response per token and author, even if two
            # posts of the same form race past the service's check (hearings.services.submit_response).
            models.UniqueConstraint(
                fields=["author", "submission_token"],
                condition=Q(submission_token__isnull=False),
                name="response_submitted_once_per_token",
            ),
            models.CheckConstraint(
                condition=(
                    Q(target_section__isnull=True, target_goal__isnull=True)
                    | Q(target_section__isnull=True, target_theme__isnull=True)
                    | Q(target_goal__isnull=True, target_theme__isnull=True)
                ),
                name="response_has_at_most_one_target",
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="response_number_positive"),
        ]
        indexes = [
            models.Index(fields=["hearing", "status", "number"], name="response_list_idx"),
            models.Index(fields=["author", "-created_at"], name="response_author_idx"),
            # Only published responses are ever searched: the partial index holds nothing else.
            GinIndex(
                search_document(*RESPONSE_SEARCH),
                name="response_search_idx",
                condition=Q(status="published"),
            ),
        ]

    def __str__(self) -> str:
        return str(_("Høringssvar nr. %(number)s") % {"number": self.number})

    def get_absolute_url(self) -> str:
        return reverse("hearings:response", kwargs={"pk": self.hearing_id, "number": self.number})

    @property
    def target(self) -> Section | Goal | Theme | None:
        return self.target_goal or self.target_theme or self.target_section

    @property
    def target_key(self) -> str:
        """The form's value for this target: 'strategy', 'section-3', 'goal-12', 'theme-4' (TargetKey)."""
        return str(
            TargetKey.of_ids(
                section_id=self.target_section_id, goal_id=self.target_goal_id, theme_id=self.target_theme_id
            )
        )

    @property
    def public_name(self) -> str:
        return self.display_name or str(_("Anonym"))


def attachment_path(instance: "ResponseAttachment", filename: str) -> str:
    # Never the citizen's file name on disk: a random name with the checked type's extension.
    return f"attachments/{instance.response.hearing_id}/{uuid.uuid4().hex}{instance.extension}"


class ResponseAttachmentQuerySet(models.QuerySet["ResponseAttachment"]):
    def public(self) -> "ResponseAttachmentQuerySet":
        """The attachments whose file may be shown to everyone (when their response is published)."""
        return self.filter(publication=ResponseAttachment.Publication.PUBLIC)


class ResponseAttachment(models.Model):
    class Publication(models.TextChoices):
        # Waiting for its text to be read and checked (guard.tasks.extract_attachment_text).
        CHECKING = "checking", _("Kontrolleres")
        PUBLIC = "public", _("Offentligt")
        # Not published until a moderator releases it: the guard found possible personal data, or the
        # file could not be read.
        HELD = "held", _("Tilbageholdt til kontrol")
        # A moderator decided it is not published; its name and the fact are shown, the file is not.
        WITHHELD = "withheld", _("Ikke offentliggjort")

    class TextStatus(models.TextChoices):
        PENDING = "pending", _("Venter på at blive læst")
        EXTRACTED = "extracted", _("Læst")
        FAILED = "failed", _("Kunne ikke læses")

    class Kind(models.TextChoices):
        PDF = "pdf", "PDF"
        DOCX = "docx", "Word (DOCX)"
        ODT = "odt", "OpenDocument (ODT)"
        JPEG = "jpeg", "JPEG"
        PNG = "png", "PNG"

    EXTENSIONS = {"pdf": ".pdf", "docx": ".docx", "odt": ".odt", "jpeg": ".jpg", "png": ".png"}

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("fil"), upload_to=attachment_path, max_length=300)
    original_name = fields.CharField(_("filnavn"), max_length=200)
    kind = models.CharField(_("filtype"), max_length=4, choices=Kind.choices)
    size = models.PositiveIntegerField(_("størrelse (byte)"))
    created_at = models.DateTimeField(auto_now_add=True)
    # The personal-data guard's part (guard/): whether the file may be shown, and its text, read by
    # guard.extraction after commit, shown and searched by staff, used by the finders and the campaigns.
    publication = models.CharField(
        _("offentliggørelse"), max_length=10, choices=Publication.choices, default=Publication.CHECKING
    )
    publication_note = fields.TextField(_("begrundelse"), blank=True)
    text = fields.TextField(_("tekst"), blank=True)
    text_status = models.CharField(
        _("tekstens status"), max_length=10, choices=TextStatus.choices, default=TextStatus.PENDING
    )
    # Why the text could not be read (or was cut short), in Danish, for staff; "" when all went well.
    text_problem = fields.CharField(_("problem"), max_length=300, blank=True)
    text_extracted_at = models.DateTimeField(_("tekst læst"), null=True, blank=True)

    objects = ResponseAttachmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("bilag")
        verbose_name_plural = _("bilag")
        ordering = ["response", "pk"]

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("hearings:attachment", kwargs={"pk": self.pk})

    @property
    def extension(self) -> str:
        return self.EXTENSIONS[self.kind]


class ResponseRevision(models.Model):
    """The text of a response before its author edited it (append-only)."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="revisions")
    text = fields.TextField()
    organisation_name = fields.CharField(max_length=NAME_MAX_LENGTH, blank=True)
    display_name = fields.CharField(max_length=NAME_MAX_LENGTH, blank=True)
    status_before = models.CharField(max_length=10, choices=Response.Status.choices)
    edited_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("tidligere udgave")
        verbose_name_plural = _("tidligere udgaver")
        ordering = ["response", "edited_at"]

    def __str__(self) -> str:
        return f"{self.response} ({self.edited_at:%Y-%m-%d %H:%M})"
