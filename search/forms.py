from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.forms import DkfdsFormMixin, TextField


class SearchForm(DkfdsFormMixin, forms.Form):
    """The search page's query and filters (GET). Unknown filter values are ignored, not errors."""

    q = TextField(label=_("Søg efter"), required=False, max_length=200)
    kommune = forms.ChoiceField(label=_("Kommune"), required=False)
    type = forms.ChoiceField(label=_("Slags"), required=False)
    status = forms.ChoiceField(label=_("Høringens status"), required=False)

    def __init__(self, *args, municipalities=(), kinds=(), states=(), **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["kommune"]).choices = [
            ("", _("Alle kommuner")),
            *((m.slug, m.name) for m in municipalities),
        ]
        cast(forms.ChoiceField, self.fields["type"]).choices = [("", _("Alt")), *kinds]
        cast(forms.ChoiceField, self.fields["status"]).choices = [("", _("Alle")), *states]
        self.fields["status"].help_text = _(
            "Høringer og høringssvar i en høring med denne status, og strategier med sådan en høring."
        )
