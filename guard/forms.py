"""The guard's forms: the redaction of a response's published fields (its staff page's panel)."""

from typing import cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from hearings.models import Response
from moderation.models import MODERATION_NOTE_MAX_LENGTH
from portal.forms import DkfdsFormMixin, MultilineField, TextField

from . import finders, scanning
from .models import CONFIDENCE_LABELS, Redaction, RedactionReason
from .services import RedactionPart, Span, redaction_digest, redaction_passage_spans

PASSAGE_MAX_LENGTH = 500
PASSAGE_MIN_CHARACTERS = 3  # not counting white space: "a" or "12" would cut up the whole text

KIND_LABELS = {
    "cpr": _("CPR-nummer"),
    "email": _("e-mailadresse"),
    "phone": _("telefonnummer"),
    "address": _("adresse"),
    "person": _("navn på en person"),
    "sensitive": _("følsomt ord"),
}

STALE = _("Høringssvaret er ændret, siden siden blev vist. Se fundene igen, og vælg på ny.")


def finding_key(field: str, finding: finders.Finding) -> str:
    """The value of a finding's checkbox: ``field:start:end``."""
    return f"{field}:{finding.start}:{finding.end}"


class FindingsField(forms.MultipleChoiceField):
    """The findings' checkboxes. Any value is taken here; the form checks them against the findings of
    the text as it is now (``RedactionForm.clean``), so that a changed text is said as such."""

    widget = forms.CheckboxSelectMultiple

    def valid_value(self, value: str) -> bool:
        return True


class RedactionForm(DkfdsFormMixin, forms.Form):
    findings = FindingsField(label=_("Fund, der skal udelades"), required=False)
    passage = TextField(
        label=_("Anden tekst, der skal udelades"),
        required=False,
        max_length=PASSAGE_MAX_LENGTH,
        widget=forms.TextInput(attrs={"class": "input-width-xl"}),
        help_text=_("Kopiér teksten præcist, som den står. Den udelades alle steder, hvor den står."),
    )
    reason = forms.ChoiceField(
        label=_("Hvorfor udelades det?"),
        choices=[("", _("Efter fundets art")), *RedactionReason.choices],
        required=False,
        error_messages={"invalid_choice": _("Vælg en begrundelse fra listen.")},
        help_text=_(
            "Uden valg får hvert fund sin egen art som begrundelse, og anden tekst "
            "begrundelsen «andre personoplysninger». Afsenderen får begrundelsen at vide."
        ),
    )
    note = MultilineField(
        label=_("Bemærkning til afsenderen"),
        required=False,
        max_length=MODERATION_NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Valgfri. Sendes til afsenderen sammen med, hvad der er udeladt."),
    )
    seen = forms.CharField(required=False, widget=forms.HiddenInput)

    # The response's page has other forms with a "reason" and a "note": names and ids of their own.
    prefix = "guard"

    def __init__(self, *args, response: Response, scanned: list[scanning.FieldFindings], **kwargs):
        super().__init__(*args, **kwargs)
        self.response = response
        self.digest = redaction_digest(response)
        self.texts = {field: getattr(response, field) or "" for field in scanning.FIELDS}
        self.found: dict[str, tuple[str, finders.Finding]] = {
            finding_key(s.field, f): (s.field, f) for s in scanned for f in s.findings
        }
        cast(FindingsField, self.fields["findings"]).choices = [
            (key, self.finding_label(field, finding)) for key, (field, finding) in self.found.items()
        ]
        self.fields["findings"].widget.attrs["class"] = "form-checkbox"
        self.initial.setdefault(
            "findings", [key for key, (_f, finding) in self.found.items() if finding.confidence == "high"]
        )
        self.initial.setdefault("seen", self.digest)
        self.passage_spans: dict[str, list[Span]] = {}

    @staticmethod
    def finding_label(field: str, finding: finders.Finding) -> str:
        return str(
            _("«%(text)s»: %(kind)s, %(confidence)s (%(field)s)")
            % {
                "text": finding.text,
                "kind": KIND_LABELS[finding.kind],
                "confidence": CONFIDENCE_LABELS[finding.confidence],
                "field": Redaction.Field(field).label,
            }
        )

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if data.get("seen") != self.digest or any(key not in self.found for key in data.get("findings", [])):
            raise ValidationError(STALE, code="stale")
        passage = data.get("passage", "")
        if passage:
            if len("".join(passage.split())) < PASSAGE_MIN_CHARACTERS:
                self.add_error(
                    "passage",
                    _("Skriv mindst %(count)s tegn af den tekst, der skal udelades.")
                    % {"count": PASSAGE_MIN_CHARACTERS},
                )
            else:
                self.passage_spans = {
                    field: spans
                    for field, text in self.texts.items()
                    if (spans := redaction_passage_spans(text, passage))
                }
                if not self.passage_spans:
                    self.add_error(
                        "passage",
                        _("«%(passage)s» står ikke i høringssvaret. Kopiér teksten præcist, som den står.")
                        % {"passage": passage},
                    )
        elif not data.get("findings"):
            raise ValidationError(
                _("Vælg mindst ét fund, eller skriv den tekst, der skal udelades."), code="nothing"
            )
        return data

    def parts(self) -> list[RedactionPart]:
        """The chosen findings and the passage's places as the service's parts: per field and reason.
        The reason chosen, or else each finding's kind and "andre personoplysninger" for the passage.
        Places that overlap (a finding also pasted as a passage) become one, with a finding's reason."""
        chosen = self.cleaned_data["reason"]
        # field -> [(start, end, reason, from a finding)]
        places: dict[str, list[tuple[int, int, str, bool]]] = {}
        for key in self.cleaned_data.get("findings", []):
            field, finding = self.found[key]
            places.setdefault(field, []).append((finding.start, finding.end, chosen or finding.kind, True))
        for field, spans in self.passage_spans.items():
            for start, end in spans:
                places.setdefault(field, []).append((start, end, chosen or RedactionReason.OTHER, False))
        grouped: dict[tuple[str, str], list[Span]] = {}
        for field in scanning.FIELDS:
            merged: list[list] = []
            for start, end, reason, found in sorted(places.get(field, []), key=lambda p: p[0]):
                if merged and start < merged[-1][1]:
                    last = merged[-1]
                    last[1] = max(last[1], end)
                    if found and not last[3]:
                        last[2], last[3] = reason, True
                else:
                    merged.append([start, end, reason, found])
            for start, end, reason, _found in merged:
                grouped.setdefault((field, reason), []).append((start, end))
        return [RedactionPart(field, spans, reason) for (field, reason), spans in grouped.items()]
