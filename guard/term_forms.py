"""The form of a municipality's word list page. It checks the shape of the input; the rules (lengths, how
many, at least one term when on) are guard.term_services', whose refusals are put on the fields."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.forms import DkfdsFormMixin, MultilineField

# Far above MAX_TERMS × TERM_MAX_LENGTH: the service says what is wrong, line by line.
TERMS_FIELD_MAX_LENGTH = 100_000


class TermListForm(DkfdsFormMixin, forms.Form):
    enabled = forms.BooleanField(
        label=_("Brug ordlisten"), required=False,
        help_text=_("Ordene findes som mulige fund i høringssvar og bilag fra kommunens høringer."),
    )  # fmt: skip
    terms = MultilineField(
        label=_("Ord og udtryk"), required=False, max_length=TERMS_FIELD_MAX_LENGTH,
        help_text=_(
            "Ét ord eller udtryk pr. linje, fx navne på institutioner eller lokale betegnelser. Et ord findes "
            "også som begyndelsen af et længere ord: «Troldehøj» findes i «Troldehøjen»."
        ),
        widget=forms.Textarea(attrs={"rows": 12}),
        error_messages={"max_length": _("Listen er for lang: højst %(limit_value)s tegn i alt.")},
    )  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["terms"].widget.attrs.pop("maxlength", None)  # the server says what is too long
