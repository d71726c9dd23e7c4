from django import forms
from django.utils.translation import gettext_lazy as _

from hearings.models import chosen_reasons
from portal.forms import DkfdsFormMixin, MultilineField

from .models import (
    FLAG_NOTE_MAX_LENGTH,
    MODERATION_NOTE_MAX_LENGTH,
    REMARK_MAX_LENGTH,
    ModerationEvent,
    Remark,
)

ACTION_CHOICES = [
    (ModerationEvent.Action.PUBLISHED, _("Offentliggør")),
    (ModerationEvent.Action.REJECTED, _("Afvis")),
    (ModerationEvent.Action.HIDDEN, _("Skjul")),
    (ModerationEvent.Action.RESTORED, _("Gendan")),
]


class ModerationForm(DkfdsFormMixin, forms.Form):
    action = forms.ChoiceField(label=_("Handling"), choices=ACTION_CHOICES, widget=forms.HiddenInput)
    reason = forms.ChoiceField(
        label=_("Begrundelse"),
        choices=[("", _("Vælg begrundelse")), *chosen_reasons()],
        required=False,
        help_text=_("Skal vælges ved afvisning og skjulning; afsenderen får den at vide."),
    )
    note = MultilineField(
        label=_("Uddybning til afsenderen (valgfri)"), required=False, max_length=MODERATION_NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip

    def __init__(self, *args, prefix_id: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if prefix_id:
            self.auto_id = f"id_{prefix_id}_%s"


class RemarkForm(DkfdsFormMixin, forms.Form):
    recommendation = forms.ChoiceField(
        label=_("Indstilling"), choices=Remark.Recommendation.choices, widget=forms.RadioSelect,
        error_messages={"required": _("Vælg en indstilling.")},
    )  # fmt: skip
    text = MultilineField(
        label=_("Administrationens bemærkning"), widget=forms.Textarea(attrs={"rows": 6}),
        max_length=REMARK_MAX_LENGTH,
        error_messages={"required": _("Skriv bemærkningen.")},
    )  # fmt: skip


class FlagForm(DkfdsFormMixin, forms.Form):
    reason = forms.ChoiceField(
        label=_("Hvorfor anmelder du svaret?"), choices=chosen_reasons, widget=forms.RadioSelect,
        error_messages={"required": _("Vælg hvorfor du anmelder svaret.")},
    )  # fmt: skip
    note = MultilineField(
        label=_("Uddybning (valgfri)"),
        required=False,
        max_length=FLAG_NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
