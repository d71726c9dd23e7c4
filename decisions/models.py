"""The council's decision on a hearing's strategy, and what changed in the adopted version, per part of the
strategy. Published once (``published_at``), after which the public page "Det sagde I – det gjorde vi"
shows it; it can still be corrected after publication."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hearings.models import Hearing
from portal import fields
from strategies.models import Section

DECIDED_BY_MAX_LENGTH = 200
DECISION_TEXT_MAX_LENGTH = 20_000  # the decision in words, and each change written (as analysis' texts)


class DecisionQuerySet(models.QuerySet["Decision"]):
    def published(self) -> "DecisionQuerySet":
        return self.filter(published_at__isnull=False)


class Decision(models.Model):
    """What the council decided after a hearing. One per hearing."""

    class Outcome(models.TextChoices):
        ADOPTED = "adopted", _("Vedtaget uden ændringer")
        ADOPTED_WITH_CHANGES = "adopted_with_changes", _("Vedtaget med ændringer")
        POSTPONED = "postponed", _("Udsat")
        REJECTED = "rejected", _("Ikke vedtaget")

    hearing = models.OneToOneField(
        Hearing, on_delete=models.CASCADE, related_name="decision", verbose_name=_("høring")
    )
    decided_on = models.DateField(_("besluttet den"))
    decided_by = fields.CharField(
        _("besluttet af"),
        max_length=DECIDED_BY_MAX_LENGTH,
        help_text=_("Fx Byrådet eller Kommunalbestyrelsen."),
    )
    outcome = models.CharField(_("beslutning"), max_length=20, choices=Outcome.choices)
    minutes_url = fields.URLField(_("link til referatet"), blank=True)
    text = fields.MarkdownField(_("beslutningen"), blank=True, max_length=DECISION_TEXT_MAX_LENGTH)
    published_at = models.DateTimeField(_("offentliggjort"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = DecisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("beslutning")
        verbose_name_plural = _("beslutninger")
        ordering = ["-decided_on", "pk"]

    def __str__(self) -> str:
        return f"{self.hearing} ({self.get_outcome_display()})"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def adopts_strategy(self) -> bool:
        return self.outcome in (self.Outcome.ADOPTED, self.Outcome.ADOPTED_WITH_CHANGES)


class SectionChange(models.Model):
    """What changed in the adopted version of one part of the strategy (``section`` null: the strategy as a
    whole). Plain text."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="changes")
    section = models.ForeignKey(
        Section, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("del")
    )
    text = fields.TextField(_("hvad blev ændret"), max_length=DECISION_TEXT_MAX_LENGTH)

    class Meta:
        verbose_name = _("ændring")
        verbose_name_plural = _("ændringer")
        ordering = ["decision", models.F("section__number").asc(nulls_first=True)]  # the whole first
        constraints = [
            models.UniqueConstraint("decision", "section", name="section_change_unique_per_section"),
            # NULLs are distinct in a unique constraint: one change "for the whole" per decision
            models.UniqueConstraint(
                "decision", condition=Q(section__isnull=True), name="section_change_one_whole_per_decision"
            ),
        ]

    def __str__(self) -> str:
        return str(self.section) if self.section else str(_("Hele strategien"))
