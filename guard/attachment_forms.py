"""The forms of the attachments panel on a response's staff page (guard.attachment_views): withhold an
attachment with a reason, replace it with a version with redactions. Each attachment has its own forms, so
their ids carry the attachment's id."""

from django import forms
from django.utils.translation import gettext_lazy as _

from moderation.models import MODERATION_NOTE_MAX_LENGTH
from portal.forms import DkfdsFormMixin, MultilineField


class _AttachmentForm(DkfdsFormMixin, forms.Form):
    action = ""  # the form's part of its ids

    def __init__(self, *args, attachment_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.auto_id = f"id_attachment_{attachment_id}_{self.action}_%s"


class WithholdForm(_AttachmentForm):
    action = "withhold"
    reason = MultilineField(
        label=_("Begrundelse til afsenderen"), max_length=MODERATION_NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Fx: Bilaget indeholder et CPR-nummer og en adresse. Afsenderen får begrundelsen at vide."),
        error_messages={"required": _("Skriv hvorfor bilaget ikke offentliggøres; afsenderen får det at vide.")},
    )  # fmt: skip


class ReplaceForm(_AttachmentForm):
    action = "replace"
    file = forms.FileField(
        label=_("Udgave med udeladelser"),
        help_text=_("PDF, Word (DOCX), ODT, JPEG eller PNG, højst 10 MB. Filens navn bliver bilagets navn på portalen."),
        error_messages={"required": _("Vælg filen med udeladelserne."),
                        "empty": _("Den valgte fil er tom."),
                        "invalid": _("Vælg filen med udeladelserne igen.")},
    )  # fmt: skip
    reason = MultilineField(
        label=_("Hvad er udeladt og hvorfor"), max_length=MODERATION_NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Afsenderen får det at vide."),
        error_messages={"required": _("Skriv hvad der er udeladt og hvorfor; afsenderen får det at vide.")},
    )  # fmt: skip
