"""What the API returns, field by field: the public fields only (the pages' own), never a respondent's
e-mail, street address, account or receipt id. Rows come from ``api.selectors``, which decides what is
public; these only write it out. Links are absolute, made from the request."""

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from analysis.models import Topic
from documents.content import edition_of_row
from documents.models import RenderedDocument
from documents.permissions import may_download_document
from hearings.models import Hearing, Response
from hearings.targets import TargetKey
from strategies.models import Goal, Municipality, Section, Strategy, Theme

from . import selectors

DOCUMENT_SLUGS: dict[str, str] = {
    RenderedDocument.Kind.PROPOSAL: "hoeringsforslag",
    RenderedDocument.Kind.SUMMARY: "hoeringsnotat",
}


def _absolute(serializer: serializers.BaseSerializer, path: str) -> str:
    request = serializer.context.get("request")
    return request.build_absolute_uri(path) if request is not None else path


class MunicipalitySerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text="The municipality's page on the portal.")

    class Meta:
        model = Municipality
        fields = ["id", "name", "slug", "url", "address", "postcode", "city", "phone", "email", "website"]
        read_only_fields = fields

    def get_url(self, obj: Municipality) -> str:
        return _absolute(self, obj.get_absolute_url())


class GoalSerializer(serializers.ModelSerializer):
    class Meta:
        model = Goal
        fields = ["id", "position", "text"]
        read_only_fields = fields


class HeadlineGoalSerializer(serializers.ModelSerializer):
    goals = serializers.SerializerMethodField(
        help_text="The bullet goals under this headline goal, in order."
    )

    class Meta:
        model = Goal
        fields = ["id", "position", "text", "goals"]
        read_only_fields = fields

    @extend_schema_field(GoalSerializer(many=True))
    def get_goals(self, obj: Goal) -> list[dict[str, Any]]:
        children = self.context["goal_children"].get(obj.pk, [])
        return GoalSerializer(children, many=True).data


class ThemeSerializer(serializers.ModelSerializer):
    sub_questions = serializers.ListField(
        child=serializers.CharField(), source="sub_question_list", help_text="The theme's sub-questions."
    )

    class Meta:
        model = Theme
        fields = ["id", "position", "question", "sub_questions"]
        read_only_fields = fields


class SectionSerializer(serializers.ModelSerializer):
    label = serializers.CharField(
        help_text='The strategy\'s own name for it and its number, e.g. "Delvision 2".'
    )
    url = serializers.SerializerMethodField()
    goals = serializers.SerializerMethodField(
        help_text="Headline goals (målsætninger), each with its bullet goals."
    )
    themes = ThemeSerializer(many=True, read_only=True)

    class Meta:
        model = Section
        fields = [
            "id", "number", "label", "title", "slug", "tagline", "url", "intro", "hearing_intro", "body",
            "goals_intro", "themes_intro", "goals", "themes",
        ]  # fmt: skip
        read_only_fields = fields
        extra_kwargs = {field: {"help_text": "Markdown."} for field in
                        ("intro", "hearing_intro", "body", "goals_intro", "themes_intro")}  # fmt: skip

    def get_url(self, obj: Section) -> str:
        return _absolute(self, obj.get_absolute_url())

    @extend_schema_field(HeadlineGoalSerializer(many=True))
    def get_goals(self, obj: Section) -> list[dict[str, Any]]:
        goals = list(obj.goals.all())
        children: dict[int, list[Goal]] = {}
        for goal in goals:
            if goal.parent_id is not None:
                children.setdefault(goal.parent_id, []).append(goal)
        headline = [goal for goal in goals if goal.parent_id is None]
        return HeadlineGoalSerializer(headline, many=True, context={"goal_children": children}).data


class StrategySerializer(serializers.ModelSerializer):
    municipality = serializers.PrimaryKeyRelatedField(read_only=True)
    url = serializers.SerializerMethodField()
    last_updated = serializers.DateField(
        source="last_updated_on", help_text="The date the strategy's page shows."
    )
    sections = serializers.SerializerMethodField()

    class Meta:
        model = Strategy
        fields = [
            "id", "municipality", "title", "subtitle", "slug", "url", "status", "period_start", "period_end",
            "adopted_on", "last_updated", "section_label_singular", "section_label_plural", "intro", "body",
            "closing", "sections",
        ]  # fmt: skip
        read_only_fields = fields
        extra_kwargs = {field: {"help_text": "Markdown."} for field in ("intro", "body", "closing")}

    def get_url(self, obj: Strategy) -> str:
        return _absolute(self, obj.get_absolute_url())

    @extend_schema_field(SectionSerializer(many=True))
    def get_sections(self, obj: Strategy) -> list[dict[str, Any]]:
        sections = list(obj.sections.all())
        for section in sections:
            section.strategy = obj  # its label, without a query
        return SectionSerializer(sections, many=True, context=self.context).data


class DocumentLinkSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=RenderedDocument.Kind.choices)
    title = serializers.CharField()
    url = serializers.URLField(
        help_text="The document's address on the portal: the PDF when it is made, else a page that makes it."
    )


class OpenDataSerializer(serializers.Serializer):
    json = serializers.URLField()
    csv = serializers.URLField()


class HearingSerializer(serializers.ModelSerializer):
    strategy = serializers.PrimaryKeyRelatedField(read_only=True)
    municipality = serializers.IntegerField(source="strategy.municipality_id", read_only=True)
    section = serializers.PrimaryKeyRelatedField(
        read_only=True, help_text="The part of the strategy in hearing; null: the whole strategy."
    )
    state = serializers.SerializerMethodField(help_text="From the clock: upcoming, open or closed.")
    remarks_public = serializers.SerializerMethodField(
        help_text="Whether the administration's remarks and the topics are public (then in responses and /topics/)."
    )
    url = serializers.SerializerMethodField()
    documents = serializers.SerializerMethodField(help_text="What a citizen may download.")
    open_data = serializers.SerializerMethodField(
        help_text="The published responses as JSON and CSV files; null until the hearing has closed."
    )

    class Meta:
        model = Hearing
        fields = [
            "id", "title", "intro", "strategy", "municipality", "section", "state", "opens_at", "closes_at",
            "moderation", "personal_data_removal_on", "remarks_public", "summary_published_at", "url",
            "contact_name", "contact_title", "contact_email", "contact_phone", "documents", "open_data",
        ]  # fmt: skip
        read_only_fields = fields
        extra_kwargs = {"intro": {"help_text": "Markdown."}}

    @extend_schema_field(serializers.ChoiceField(choices=Hearing.State.choices))
    def get_state(self, obj: Hearing) -> str:
        return str(obj.state())

    def get_remarks_public(self, obj: Hearing) -> bool:
        return obj.remarks_are_public()

    def get_url(self, obj: Hearing) -> str:
        return _absolute(self, obj.get_absolute_url())

    @extend_schema_field(DocumentLinkSerializer(many=True))
    def get_documents(self, obj: Hearing) -> list[dict[str, Any]]:
        return [
            {
                "kind": kind,
                "title": str(label),
                "url": _absolute(self, reverse("documents:document", args=[obj.pk, DOCUMENT_SLUGS[kind]])),
            }
            for kind, label in RenderedDocument.Kind.choices
            if may_download_document(AnonymousUser(), obj, kind)
        ]

    @extend_schema_field(OpenDataSerializer(allow_null=True))
    def get_open_data(self, obj: Hearing) -> dict[str, str] | None:
        if obj.state() != Hearing.State.CLOSED:
            return None
        return {
            "json": _absolute(self, reverse("api:open-data-json", args=[obj.pk])),
            "csv": _absolute(self, reverse("api:open-data-csv", args=[obj.pk])),
        }


TARGET_KINDS = [(kind, kind) for kind in (TargetKey.STRATEGY, *TargetKey.PARTS)]


class TargetSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=TARGET_KINDS)
    id = serializers.IntegerField(
        allow_null=True, help_text="The section's, goal's or theme's id; null for the strategy."
    )
    key = serializers.CharField(
        help_text="As the filter ?target= takes it: strategy, section-3, goal-12, theme-4."
    )
    title = serializers.CharField()


def target_of(owner: Response | Topic, hearing: Hearing) -> dict[str, Any]:
    """The target of a response or topic (their ``target_*`` selected with them) as the API writes it."""
    target = owner.target
    if target is None:
        key = TargetKey.strategy()
        title = str(hearing.section) if hearing.section is not None else hearing.strategy.title
        return {"kind": key.kind, "id": None, "key": str(key), "title": title}
    kind = {Section: "section", Goal: "goal", Theme: "theme"}[type(target)]
    return {"kind": kind, "id": target.pk, "key": f"{kind}-{target.pk}", "title": str(target)}


class AttachmentSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="The file's name as the citizen gave it.")
    kind = serializers.CharField()
    size = serializers.IntegerField(help_text="Bytes.")
    url = serializers.URLField(help_text="The public download.")


class RemarkSerializer(serializers.Serializer):
    text = serializers.CharField()
    recommendation = serializers.CharField()
    recommendation_label = serializers.CharField()


class TopicRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()


class ResponseSerializer(serializers.Serializer):
    """A published response as its public page shows it. The declared fields describe it for the schema;
    ``to_representation`` writes it from ``selectors.response_view``."""

    id = serializers.IntegerField()
    hearing = serializers.IntegerField()
    number = serializers.IntegerField(help_text='"Høringssvar nr. 12" within its hearing.')
    date = serializers.DateTimeField(help_text="When it was received.")
    respondent_type = serializers.ChoiceField(choices=Response.RespondentType.choices)
    respondent_type_label = serializers.CharField()
    name = serializers.CharField(
        allow_null=True, help_text='As published; null: anonymous ("Anonym"), or removed.'
    )
    organisation = serializers.CharField(allow_null=True)
    postcode = serializers.CharField(allow_null=True)
    town = serializers.CharField(allow_null=True)
    personal_data_removed = serializers.BooleanField(
        help_text="The hearing's personal-data removal date has come: no names, postcodes, towns or attachments."
    )
    target = TargetSerializer()
    text = serializers.CharField(help_text="As published, with a moderator's redactions applied.")
    attachments = AttachmentSerializer(many=True, help_text="The public attachments.")
    remark = RemarkSerializer(
        allow_null=True, help_text="The administration's remark, once the hearing shows remarks."
    )
    topics = TopicRefSerializer(many=True, help_text="Topics it raises, once the hearing shows remarks.")
    is_demo = serializers.BooleanField()
    url = serializers.URLField()

    def to_representation(self, instance: Response) -> dict[str, Any]:
        view = selectors.response_view(instance)
        fields = view["fields"]
        remark = view["remark"]
        return {
            "id": instance.pk,
            "hearing": instance.hearing_id,
            "number": instance.number,
            "date": serializers.DateTimeField().to_representation(instance.created_at),
            "respondent_type": instance.respondent_type,
            "respondent_type_label": str(instance.get_respondent_type_display()),
            "name": fields["display_name"] or None,
            "organisation": instance.organisation_name or None,
            "postcode": fields["postcode"] or None,
            "town": fields["town"] or None,
            "personal_data_removed": view["personal_data_removed"],
            "target": target_of(instance, instance.hearing),
            "text": instance.text,
            "attachments": [
                {
                    "name": attachment.original_name,
                    "kind": attachment.kind,
                    "size": attachment.size,
                    "url": _absolute(self, attachment.get_absolute_url()),
                }
                for attachment in view["attachments"]
            ],
            "remark": {
                "text": remark.text,
                "recommendation": remark.recommendation,
                "recommendation_label": str(remark.get_recommendation_display()),
            }
            if remark is not None
            else None,
            "topics": [{"id": topic.pk, "title": topic.title} for topic in view["topics"]],
            "is_demo": instance.is_demo,
            "url": _absolute(self, instance.get_absolute_url()),
        }


class TopicSerializer(serializers.ModelSerializer):
    hearing = serializers.PrimaryKeyRelatedField(read_only=True)
    target = serializers.SerializerMethodField()
    recommendation_label = serializers.CharField(source="get_recommendation_display")
    response_count = serializers.IntegerField(help_text="Its published responses.")

    class Meta:
        model = Topic
        fields = [
            "id", "hearing", "title", "position", "target", "summary", "remark", "recommendation",
            "recommendation_label", "response_count",
        ]  # fmt: skip
        read_only_fields = fields
        extra_kwargs = {"summary": {"help_text": "Markdown."}}

    @extend_schema_field(TargetSerializer)
    def get_target(self, obj: Topic) -> dict[str, Any]:
        return target_of(obj, obj.hearing)


class DocumentSerializer(serializers.ModelSerializer):
    hearing = serializers.PrimaryKeyRelatedField(read_only=True)
    title = serializers.CharField(source="get_kind_display")
    current = serializers.SerializerMethodField(
        help_text="Made from the hearing's content as it is now (older ones stay downloadable)."
    )
    made_at = serializers.DateTimeField(source="finished_at")
    url = serializers.SerializerMethodField(help_text="The PDF.")

    class Meta:
        model = RenderedDocument
        fields = ["id", "hearing", "kind", "title", "current", "made_at", "page_count", "size", "url"]
        read_only_fields = fields

    def get_current(self, obj: RenderedDocument) -> bool:
        return edition_of_row(hearing=obj.hearing, kind=obj.kind).fingerprint == obj.fingerprint

    def get_url(self, obj: RenderedDocument) -> str:
        return _absolute(self, reverse("documents:file", args=[obj.hearing_id, obj.pk]))
