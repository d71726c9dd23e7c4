"""What a municipality says: its strategies and their sections, goals and themes."""

from django.contrib.postgres.indexes import GinIndex
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal import fields
from portal.search_vector import search_document

# What the search reads of each model (search_document: primary fields weigh A, secondary B).
STRATEGY_SEARCH = (["title", "subtitle"], ["intro", "body", "closing"])
SECTION_SEARCH = (["title", "tagline"], ["intro", "hearing_intro", "body", "goals_intro", "themes_intro"])
GOAL_SEARCH = (["text"], None)
THEME_SEARCH = (["question"], ["sub_questions"])

colour_validator = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Skriv farven som #RRGGBB."))


class Municipality(models.Model):
    name = fields.CharField(_("navn"), max_length=100, unique=True)
    slug = models.SlugField(_("kort navn i adressen"), max_length=100, unique=True)
    address = fields.CharField(_("adresse"), max_length=200, blank=True)
    postcode = fields.CharField(_("postnummer"), max_length=4, blank=True)
    city = fields.CharField(_("by"), max_length=100, blank=True)
    phone = fields.CharField(_("telefon"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = fields.URLField(_("hjemmeside"), blank=True)
    brand_colour = fields.CharField(
        _("kendingsfarve"), max_length=7, blank=True, validators=[colour_validator]
    )
    logo = models.ImageField(_("logo"), upload_to="logos/", blank=True)

    class Meta:
        verbose_name = _("kommune")
        verbose_name_plural = _("kommuner")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("strategies:municipality", kwargs={"municipality": self.slug})

    @property
    def has_contact(self) -> bool:
        return any((self.address, self.postcode, self.city, self.phone, self.email, self.website))


class StrategyQuerySet(models.QuerySet["Strategy"]):
    def public(self) -> "StrategyQuerySet":
        """Strategies a citizen may read: everything but drafts."""
        return self.filter(status__in=Strategy.public_statuses())


class Strategy(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Kladde")
        IN_HEARING = "in_hearing", _("I høring")
        ADOPTED = "adopted", _("Vedtaget")
        ARCHIVED = "archived", _("Arkiveret")

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="strategies", verbose_name=_("kommune")
    )
    title = fields.CharField(_("titel"), max_length=200)
    subtitle = fields.CharField(_("undertitel eller vision"), max_length=300, blank=True)
    slug = models.SlugField(_("kort navn i adressen"), max_length=100)
    intro = fields.MarkdownField(_("indledning"), blank=True)
    body = fields.MarkdownField(_("brødtekst"), blank=True)
    closing = fields.MarkdownField(
        _("afslutning"), blank=True, help_text=_("Vises efter listen over strategiens dele.")
    )
    period_start = models.PositiveSmallIntegerField(_("gælder fra (år)"), null=True, blank=True)
    period_end = models.PositiveSmallIntegerField(_("gælder til (år)"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    adopted_on = models.DateField(_("vedtaget den"), null=True, blank=True)
    last_updated = models.DateField(
        _("sidst opdateret"), null=True, blank=True,
        help_text=_("Datoen som siden viser; tom betyder datoen for seneste ændring i portalen."),
    )  # fmt: skip
    section_label_singular = fields.CharField(
        _("betegnelse for en del (ental)"), max_length=50, default="tema",
        help_text=_("Fx 'tema' eller 'delvision'."),
    )  # fmt: skip
    section_label_plural = fields.CharField(
        _("betegnelse for delene (flertal)"), max_length=50, default="temaer",
        help_text=_("Fx 'temaer' eller 'delvisioner'."),
    )  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = StrategyQuerySet.as_manager()

    class Meta:
        verbose_name = _("strategi")
        verbose_name_plural = _("strategier")
        ordering = ["municipality__name", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "slug"], name="strategy_slug_unique_per_municipality"
            ),
            models.CheckConstraint(
                condition=models.Q(period_start__isnull=True)
                | models.Q(period_end__isnull=True)
                | models.Q(period_end__gte=models.F("period_start")),
                name="strategy_period_ordered",
            ),
        ]
        indexes = [GinIndex(search_document(*STRATEGY_SEARCH), name="strategy_search_idx")]

    def __str__(self) -> str:
        return f"{self.title} ({self.municipality})"

    def get_absolute_url(self) -> str:
        return reverse(
            "strategies:strategy",
            kwargs={"municipality": self.municipality.slug, "strategy": self.slug},
        )

    @classmethod
    def public_statuses(cls) -> list[str]:
        return [cls.Status.IN_HEARING, cls.Status.ADOPTED, cls.Status.ARCHIVED]

    def clean(self) -> None:
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": _("Perioden kan ikke slutte, før den begynder.")})

    @property
    def last_updated_on(self):
        return self.last_updated or self.updated_at.date()

    @property
    def period(self) -> str:
        if self.period_start and self.period_end:
            return f"{self.period_start}–{self.period_end}"
        return str(self.period_start or self.period_end or "")


class Section(models.Model):
    """One of a strategy's parts: Billund's 'temaer', Vallensbæk's 'delvisioner'."""

    strategy = models.ForeignKey(
        Strategy, on_delete=models.CASCADE, related_name="sections", verbose_name=_("strategi")
    )
    number = models.PositiveSmallIntegerField(_("nummer"))
    title = fields.CharField(_("titel"), max_length=200)
    slug = models.SlugField(_("kort navn i adressen"), max_length=100)
    tagline = fields.CharField(_("slogan"), max_length=200, blank=True)
    intro = fields.MarkdownField(_("indledning"), blank=True)
    hearing_intro = fields.MarkdownField(
        _("tekst om høringen"), blank=True, help_text=_("Vises under 'Har du nogle kommentarer?'.")
    )
    body = fields.MarkdownField(_("brødtekst"), blank=True)
    goals_intro = fields.MarkdownField(_("indledning til målsætningerne"), blank=True)
    themes_intro = fields.MarkdownField(_("indledning til temaerne"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("del af strategi")
        verbose_name_plural = _("dele af strategi")
        ordering = ["strategy", "number"]
        constraints = [
            models.UniqueConstraint(fields=["strategy", "number"], name="section_number_unique_per_strategy"),
            models.UniqueConstraint(fields=["strategy", "slug"], name="section_slug_unique_per_strategy"),
        ]
        indexes = [GinIndex(search_document(*SECTION_SEARCH), name="section_search_idx")]

    def __str__(self) -> str:
        return f"{self.label}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse(
            "strategies:section",
            kwargs={
                "municipality": self.strategy.municipality.slug,
                "strategy": self.strategy.slug,
                "section": self.slug,
            },
        )

    @property
    def label(self) -> str:
        """'Delvision 5', 'Tema 2': the strategy's own word for its parts."""
        return self.label_of(self.strategy.section_label_singular, self.number)

    @staticmethod
    def label_of(word: str, number: int) -> str:
        """The label from the strategy's word and the number, where no Section is at hand (search)."""
        return f"{word.capitalize()} {number}"

    @property
    def has_text(self) -> bool:
        return any((self.intro, self.hearing_intro, self.body, self.goals_intro, self.themes_intro))


class Goal(models.Model):
    """A 'målsætning': a headline goal (no parent) or one of its bullet goals."""

    section = models.ForeignKey(
        Section, on_delete=models.CASCADE, related_name="goals", verbose_name=_("del")
    )
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children",
        verbose_name=_("overordnet målsætning"),
    )  # fmt: skip
    position = models.PositiveSmallIntegerField(_("rækkefølge"))
    text = fields.TextField(_("tekst"))

    child_goals: list["Goal"]  # set by strategies.selectors.section_detail, not a column

    class Meta:
        verbose_name = _("målsætning")
        verbose_name_plural = _("målsætninger")
        ordering = ["section", "parent_id", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["section", "position"], condition=models.Q(parent__isnull=True),
                name="headline_goal_position_unique",
            ),
            models.UniqueConstraint(fields=["parent", "position"], name="child_goal_position_unique"),
        ]  # fmt: skip
        indexes = [GinIndex(search_document(*GOAL_SEARCH), name="goal_search_idx")]

    def __str__(self) -> str:
        return self.text

    def clean(self) -> None:
        if self.parent is None:
            return
        if self.parent.parent_id is not None:
            raise ValidationError({"parent": _("Målsætninger har kun to niveauer.")})
        if self.parent.section_id != self.section_id:
            raise ValidationError({"parent": _("Den overordnede målsætning hører til en anden del.")})


class Theme(models.Model):
    """A question the council wants discussed, with its sub-questions (Vallensbæk's 'Temaer')."""

    section = models.ForeignKey(
        Section, on_delete=models.CASCADE, related_name="themes", verbose_name=_("del")
    )
    position = models.PositiveSmallIntegerField(_("rækkefølge"))
    question = fields.CharField(_("spørgsmål"), max_length=300)
    sub_questions = fields.TextField(_("underspørgsmål"), blank=True, help_text=_("Ét spørgsmål pr. linje."))

    class Meta:
        verbose_name = _("tema")
        verbose_name_plural = _("temaer")
        ordering = ["section", "position"]
        constraints = [
            models.UniqueConstraint(fields=["section", "position"], name="theme_position_unique"),
        ]
        indexes = [GinIndex(search_document(*THEME_SEARCH), name="theme_search_idx")]

    def __str__(self) -> str:
        return self.question

    @property
    def sub_question_list(self) -> list[str]:
        return [line.strip() for line in self.sub_questions.splitlines() if line.strip()]
