"""The administration's analysis of a hearing's responses: topics ("emner") with the responses that raise
them, campaigns (near-duplicate responses, "enslydende høringssvar"), each response's similar responses,
and suggested topics. Staff decide; what the portal computes (campaigns, neighbours, suggestions) is a
suggestion they can undo, and nothing is published or sent from it."""

from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hearings.models import Hearing, Response
from portal import fields
from strategies.models import Goal, Section, Theme

TOPIC_TITLE_MAX_LENGTH = 200
TOPIC_TEXT_MAX_LENGTH = 20_000  # summary, remark and the change written, each
QUOTE_MAX_LENGTH = 2_000


class Topic(models.Model):
    """An emne of the høringsnotat: what the responses said about one matter, the administration's remark
    on it and its recommendation. ``version`` rises with every saved change, so that an edit made on an
    older version (two moderators at once) is refused rather than overwriting."""

    class Recommendation(models.TextChoices):
        NO_CHANGE = "no_change", _("Giver ikke anledning til ændringer")
        CHANGE = "change", _("Forslaget ændres")
        COVERED = "covered", _("Allerede imødekommet i forslaget")
        OUT_OF_SCOPE = "out_of_scope", _("Uden for høringens emne")

    hearing = models.ForeignKey(Hearing, on_delete=models.CASCADE, related_name="topics")
    title = fields.CharField(_("titel"), max_length=TOPIC_TITLE_MAX_LENGTH)
    target_section = models.ForeignKey(
        Section, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("del")
    )
    target_goal = models.ForeignKey(
        Goal, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("målsætning")
    )
    target_theme = models.ForeignKey(
        Theme, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("tema")
    )
    summary = fields.MarkdownField(
        _("resumé af bemærkningerne"), blank=True, max_length=TOPIC_TEXT_MAX_LENGTH
    )
    remark = fields.TextField(_("administrationens bemærkning"), blank=True, max_length=TOPIC_TEXT_MAX_LENGTH)
    recommendation = models.CharField(
        _("indstilling"), max_length=12, choices=Recommendation.choices, blank=True
    )
    change = fields.TextField(_("ændring af forslaget"), blank=True, max_length=TOPIC_TEXT_MAX_LENGTH)
    position = models.PositiveIntegerField(_("rækkefølge"), default=0)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("emne")
        verbose_name_plural = _("emner")
        ordering = ["hearing", "position", "pk"]
        constraints = [
            models.UniqueConstraint("hearing", Lower("title"), name="topic_title_unique_per_hearing"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def target(self) -> Section | Goal | Theme | None:
        return self.target_theme or self.target_goal or self.target_section


class TopicResponse(models.Model):
    """A response raises a topic; ``quote`` is the passage that raised it (optional)."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="links")
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="topic_links")
    quote = fields.TextField(_("citat"), blank=True, max_length=QUOTE_MAX_LENGTH)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("høringssvar i emne")
        verbose_name_plural = _("høringssvar i emner")
        constraints = [models.UniqueConstraint(fields=["topic", "response"], name="topic_response_once")]
        indexes = [models.Index(fields=["response"], name="topicresponse_response_idx")]

    def __str__(self) -> str:
        return f"{self.topic}: {self.response}"


class Campaign(models.Model):
    """Responses whose texts are (nearly) the same: a form letter, a shared template. ``representative``
    is the member whose text is shown once as the shared text; each member's additions are shown against
    it."""

    hearing = models.ForeignKey(Hearing, on_delete=models.CASCADE, related_name="campaigns")
    representative = models.ForeignKey(
        Response, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("kampagne (enslydende høringssvar)")
        verbose_name_plural = _("kampagner (enslydende høringssvar)")
        ordering = ["hearing", "pk"]

    def __str__(self) -> str:
        return f"{self.hearing}: {_('kampagne')} {self.pk}"


class Signature(models.Model):
    """The analysis' view of one response: its MinHash signatures (``num_perm`` unsigned 32-bit values,
    little-endian; analysis.similarity.to_bytes) and the campaign it belongs to. ``text_hash`` is the SHA-256 of the normalised text it
    was computed from, so that an unchanged text is not computed again. ``pinned``: staff put the
    response in (or out of) its campaign by hand, and no computation moves it again."""

    response = models.OneToOneField(
        Response, on_delete=models.CASCADE, primary_key=True, related_name="signature"
    )
    hearing = models.ForeignKey(Hearing, on_delete=models.CASCADE, related_name="+")
    text_hash = models.CharField(max_length=64)
    shingles = models.BinaryField()  # MinHash of the word shingles: campaigns
    words = models.BinaryField()  # MinHash of the stemmed words: similar responses
    campaign = models.ForeignKey(
        Campaign, on_delete=models.SET_NULL, null=True, blank=True, related_name="members"
    )
    pinned = models.BooleanField(default=False)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["hearing", "campaign"], name="signature_campaign_idx")]

    def __str__(self) -> str:
        return str(self.response_id)


class Band(models.Model):
    """One band of a signature (locality-sensitive hashing): responses that share a band key in the same
    hearing are candidates for a campaign (``kind`` shingles) or for similar responses (``kind`` words)."""

    class Kind(models.IntegerChoices):
        SHINGLES = 1
        WORDS = 2

    signature = models.ForeignKey(Signature, on_delete=models.CASCADE, related_name="bands")
    hearing = models.ForeignKey(Hearing, on_delete=models.CASCADE, related_name="+")
    kind = models.PositiveSmallIntegerField(choices=Kind.choices)
    band = models.PositiveSmallIntegerField()
    key = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["hearing", "kind", "band", "key"], name="band_lookup_idx")]

    def __str__(self) -> str:
        return f"{self.signature_id}/{self.kind}/{self.band}"


class Neighbour(models.Model):
    """A response similar to another ("Lignende høringssvar"), with the estimated similarity (0–1)."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="neighbours")
    other = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="+")
    similarity = models.FloatField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["response", "other"], name="neighbour_once")]
        ordering = ["response", "-similarity"]

    def __str__(self) -> str:
        return f"{self.response_id} ~ {self.other_id}"


class Suggestion(models.Model):
    """A suggested topic for responses not yet in one, named by its characteristic words. Staff accept
    it (a topic is made, maybe renamed), or dismiss it."""

    class Status(models.TextChoices):
        OPEN = "open", _("Forslag")
        ACCEPTED = "accepted", _("Godtaget")
        DISMISSED = "dismissed", _("Afvist")

    hearing = models.ForeignKey(Hearing, on_delete=models.CASCADE, related_name="suggestions")
    label = fields.CharField(_("kendetegnende ord"), max_length=TOPIC_TITLE_MAX_LENGTH)
    terms = models.JSONField(default=list)
    responses = models.ManyToManyField(Response, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    topic = models.ForeignKey(Topic, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("forslag til emne")
        verbose_name_plural = _("forslag til emner")
        ordering = ["hearing", "pk"]

    def __str__(self) -> str:
        return self.label


class HearingAnalysis(models.Model):
    """Per hearing: when the suggestions were last computed, and how many responses changed since (a
    batch of changes asks for them anew)."""

    hearing = models.OneToOneField(
        Hearing, on_delete=models.CASCADE, primary_key=True, related_name="analysis"
    )
    suggestions_requested_at = models.DateTimeField(null=True, blank=True)
    suggestions_computed_at = models.DateTimeField(null=True, blank=True)
    changes_since_suggestions = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return str(self.hearing)
