"""The decision's staff form: the decision and, one textarea per part of the strategy (and the whole), what
changed. It checks the shape of the input only; the rules are decisions.services', whose refusals
``portal.forms.add_service_errors`` puts on the fields."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.forms import DkfdsFormMixin, MultilineField, TextField
from strategies.models import Section

from .models import DECIDED_BY_MAX_LENGTH, DECISION_TEXT_MAX_LENGTH, Decision

TOO_LONG = _("Teksten er for lang: højst %(limit_value)s tegn (den har %(show_value)s).")
WHOLE = "change_whole"


def change_field_name(section_id: int | None) -> str:
    """The form field of a part's change: ``change_<section id>``, ``change_whole`` for the whole."""
    return f"change_{section_id}" if section_id is not None else WHOLE


def _change_field(label: str) -> MultilineField:
    field = MultilineField(
        label=label, required=False, max_length=DECISION_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}), error_messages={"max_length": TOO_LONG},
    )  # fmt: skip
    field.widget.attrs.pop("maxlength", None)  # the server says how long it is, and keeps all of it
    return field


class DecisionForm(DkfdsFormMixin, forms.Form):
    """``sections``: the parts a change may be written for (``services.section_choices``). ``changes()``
    gives the changes typed as the service takes them."""

    decided_on = forms.DateField(
        label=_("Besluttet den"),
        help_text=_("Datoen for mødet, fx 15.03.2027."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d.%m.%Y", "%d-%m-%Y", "%d/%m/%Y"],
        error_messages={
            "required": _("Skriv datoen for beslutningen."),
            "invalid": _("Skriv datoen som dd.mm.åååå, fx 15.03.2027."),
        },
    )
    decided_by = TextField(
        label=_("Besluttet af"), max_length=DECIDED_BY_MAX_LENGTH,
        help_text=_("Fx Byrådet eller Kommunalbestyrelsen."),
        error_messages={"required": _("Skriv, hvem der traf beslutningen, fx Byrådet."), "max_length": TOO_LONG},
    )  # fmt: skip
    outcome = forms.ChoiceField(
        label=_("Beslutning"), choices=Decision.Outcome.choices, widget=forms.RadioSelect,
        error_messages={
            "required": _("Vælg, hvad der blev besluttet."),
            "invalid_choice": _("Vælg, hvad der blev besluttet."),
        },
    )  # fmt: skip
    minutes_url = TextField(
        label=_("Link til referatet"), required=False, max_length=200,
        help_text=_("Adressen på referatet på kommunens hjemmeside, fx https://www.kommune.dk/…"),
        error_messages={"max_length": TOO_LONG},
    )  # fmt: skip
    text = MultilineField(
        label=_("Beslutningen med egne ord"), required=False, max_length=DECISION_TEXT_MAX_LENGTH,
        help_text=_("Valgfrit. Markdown: **fed**, *kursiv*, lister med - foran."),
        widget=forms.Textarea(attrs={"rows": 5}), error_messages={"max_length": TOO_LONG},
    )  # fmt: skip

    def __init__(self, *args: Any, sections: list[Section], word: str, **kwargs: Any) -> None:
        self.sections = sections
        super().__init__(*args, **kwargs)
        self.fields["text"].widget.attrs.pop("maxlength", None)
        self.fields[WHOLE] = _change_field(str(_("Strategien som helhed")))
        for section in sections:
            label = f"{Section.label_of(word, section.number)}: {section.title}"
            self.fields[change_field_name(section.pk)] = _change_field(label)
        for name, field in self.fields.items():  # the base classes were given before these fields
            if name.startswith("change_"):
                field.widget.attrs["class"] = "form-input"

    @classmethod
    def of(cls, decision: Decision | None, *, sections: list[Section], word: str) -> "DecisionForm":
        """The form filled in with ``decision`` (None: empty)."""
        initial: dict[str, Any] = {}
        if decision is not None:
            initial = {
                "decided_on": decision.decided_on,
                "decided_by": decision.decided_by,
                "outcome": decision.outcome,
                "minutes_url": decision.minutes_url,
                "text": decision.text,
                **{change_field_name(change.section_id): change.text for change in decision.changes.all()},
            }
        return cls(initial=initial, sections=sections, word=word)

    def change_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name.startswith("change_")]

    def decision_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if not name.startswith("change_")]

    def changes(self) -> dict[int | None, str]:
        """{section id or None: text} of every part, "" where nothing is written."""
        data = self.cleaned_data
        return {
            None: data.get(WHOLE, ""),
            **{section.pk: data.get(change_field_name(section.pk), "") for section in self.sections},
        }

    def decision_values(self) -> dict[str, Any]:
        return {
            name: self.cleaned_data[name]
            for name in ("decided_on", "decided_by", "outcome", "minutes_url", "text")
        }
