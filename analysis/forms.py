"""The forms of the topic pages. They check the shape of the input only (a choice from the list, a length);
the rules are analysis.services', whose refusals ``portal.forms.add_service_errors`` puts on the fields."""

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from hearings.models import Hearing
from portal.forms import DkfdsFormMixin, MultilineField, TextField
from portal.ids import parse_id

from . import selectors
from .models import QUOTE_MAX_LENGTH, TOPIC_TEXT_MAX_LENGTH, TOPIC_TITLE_MAX_LENGTH, Topic

TOO_LONG = _("Teksten er for lang: højst %(limit_value)s tegn (den har %(show_value)s).")

RECOMMENDATION_CHOICES = [("", _("Ikke afgjort endnu")), *Topic.Recommendation.choices]


def _text(label, *, rows: int, help_text="", limit: int = TOPIC_TEXT_MAX_LENGTH) -> MultilineField:
    field = MultilineField(
        label=label, required=False, max_length=limit, help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}), error_messages={"max_length": TOO_LONG},
    )  # fmt: skip
    # No maxlength in the page: a browser cuts a longer paste without a word, and the save would report
    # success. The server says how long the text is and keeps all of it in the form.
    field.widget.attrs.pop("maxlength", None)
    return field


def _title_field(label) -> TextField:
    return TextField(
        label=label, max_length=TOPIC_TITLE_MAX_LENGTH,
        error_messages={"required": _("Skriv emnets titel."), "max_length": TOO_LONG},
    )  # fmt: skip


class TopicForm(DkfdsFormMixin, forms.Form):
    """A topic's fields. ``cleaned_data["target"]`` is the Section, Goal or Theme chosen (or None)."""

    title = _title_field(_("Titel"))
    target = forms.ChoiceField(
        label=_("Del af strategien"), required=False,
        help_text=_("Valgfrit: den del, målsætning eller det tema, emnet handler om."),
        error_messages={"invalid_choice": _("Vælg en del af strategien fra listen.")},
    )  # fmt: skip
    summary = _text(
        _("Resumé af bemærkningerne"), rows=8,
        help_text=_("Hvad høringssvarene siger om emnet. Markdown: **fed**, *kursiv*, lister med - foran."),
    )  # fmt: skip
    remark = _text(_("Administrationens bemærkning"), rows=6)
    recommendation = forms.ChoiceField(
        label=_("Indstilling"), required=False, choices=RECOMMENDATION_CHOICES, widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Vælg en indstilling fra listen.")},
    )  # fmt: skip
    change = _text(
        _("Ændring af forslaget"), rows=4,
        help_text=_("Skal udfyldes, når indstillingen er, at forslaget ændres."),
    )  # fmt: skip

    def __init__(self, *args, hearing: Hearing, **kwargs):
        super().__init__(*args, **kwargs)
        self.hearing = hearing
        cast(forms.ChoiceField, self.fields["target"]).choices = selectors.topic_target_choices(
            hearing=hearing
        )

    def clean_target(self):
        key = self.cleaned_data.get("target") or ""
        if not key:
            return None
        target = selectors.target_of(hearing=self.hearing, key=key)
        if target is None:
            raise forms.ValidationError(_("Vælg en del af strategien fra listen."))
        return target


class QuickTopicForm(TopicForm):
    """The Analyse page's short form: a title and a part; the rest is written on the topic's page."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("summary", "remark", "recommendation", "change"):
            del self.fields[name]


class TopicEditForm(TopicForm):
    """The topic page's form: the fields and the version they were read at (hidden)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    @classmethod
    def of(cls, topic: Topic, **kwargs) -> "TopicEditForm":
        target = topic.target
        key = f"{type(target).__name__.lower()}-{target.pk}" if target is not None else ""
        initial = {
            "title": topic.title, "target": key, "summary": topic.summary, "remark": topic.remark,
            "recommendation": topic.recommendation, "change": topic.change, "version": topic.version,
        }  # fmt: skip
        return cls(hearing=topic.hearing, initial=initial, **kwargs)


class MergeForm(DkfdsFormMixin, forms.Form):
    into = forms.TypedChoiceField(
        label=_("Læg emnet sammen med"), coerce=int,
        help_text=_("Høringssvarene og teksterne flyttes dertil, og dette emne slettes."),
        error_messages={
            "required": _("Vælg det emne, som emnet skal lægges sammen med."),
            "invalid_choice": _("Vælg et emne fra listen."),
        },
    )  # fmt: skip

    def __init__(self, *args, topics: list[Topic], **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["into"]).choices = [
            ("", _("Vælg emne")),
            *((t.pk, t.title) for t in topics),
        ]


class IdListField(forms.Field):
    """Ids sent as several values of one name (checkboxes); what is not an id is left out."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        values = value if isinstance(value, list | tuple) else [value] if value else []
        return [pk for pk in (parse_id(v) for v in values) if pk]


class SplitForm(DkfdsFormMixin, forms.Form):
    title = _title_field(_("Titel på det nye emne"))
    responses = IdListField(
        label=_("Høringssvar, der flyttes til det nye emne"),
        error_messages={"required": _("Vælg de høringssvar, der skal flyttes til det nye emne.")},
    )


class LinkForm(DkfdsFormMixin, forms.Form):
    """A response's staff page: link it to one of its hearing's topics, with a quote."""

    topic = forms.TypedChoiceField(
        label=_("Emne"), coerce=int,
        error_messages={
            "required": _("Vælg det emne, som høringssvaret skal knyttes til."),
            "invalid_choice": _("Vælg et emne fra listen."),
        },
    )  # fmt: skip
    quote = _text(
        _("Citat (valgfrit)"), rows=3, limit=QUOTE_MAX_LENGTH,
        help_text=_("Det sted i høringssvaret, der rejser emnet."),
    )  # fmt: skip

    def __init__(self, *args, topics: list[Topic], **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["topic"]).choices = [
            ("", _("Vælg emne")),
            *((t.pk, t.title) for t in topics),
        ]
        self.auto_id = "id_link_%s"
