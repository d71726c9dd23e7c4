"""Forms validate input only; the services decide and save."""

from typing import cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal.forms import DkfdsFormMixin, MultilineField, TextField

from .attachments import MAX_ATTACHMENTS, attachment_kind
from .models import (
    NAME_MAX_LENGTH,
    POSTCODE_LENGTH,
    RESPONSE_TEXT_MAX_LENGTH,
    TOWN_MAX_LENGTH,
    Response,
    validate_postcode,
)
from .submission import SUBMISSION_TOKEN, new_submission_token

CONSENT_TEXT = _(
    "Jeg giver samtykke til, at mit høringssvar offentliggøres på portalen og i kommunens høringsnotat "
    "med det navn, jeg har skrevet, min organisation, mit postnummer og min by, min tekst og mine bilag. "
    "Min e-mailadresse og min adresse offentliggøres aldrig."
)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Up to five files in one <input type=file multiple>, each checked by its content."""

    widget = MultipleFileInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if len(files) > MAX_ATTACHMENTS:
            raise ValidationError(
                _("Du kan højst vedhæfte %(max)s filer. Du valgte %(count)s.")
                % {"max": MAX_ATTACHMENTS, "count": len(files)}
            )
        errors = []
        for upload in files:
            try:
                attachment_kind(upload)
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
        return files


class ResponseDetailsForm(DkfdsFormMixin, forms.Form):
    """Who speaks and what they say: shared by the new-response form and the edit form."""

    respondent_type = forms.ChoiceField(
        label=_("Jeg udtaler mig som"),
        choices=Response.RespondentType.choices,
        initial=Response.RespondentType.PRIVATE,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Vælg hvem du udtaler dig som."),
            "invalid_choice": _("Vælg hvem du udtaler dig som."),
        },
    )
    organisation_name = TextField(
        label=_("Organisationens, virksomhedens eller myndighedens navn"),
        required=False,
        max_length=NAME_MAX_LENGTH,
        help_text=_("Udfyldes, hvis du svarer på vegne af andre end dig selv."),
    )
    display_name = TextField(
        label=_("Dit navn, som det skal stå ved svaret"),
        max_length=NAME_MAX_LENGTH,
        error_messages={"required": _("Skriv det navn, der skal stå ved dit høringssvar.")},
    )
    postcode = TextField(
        label=_("Postnummer (valgfrit)"),
        required=False,
        max_length=POSTCODE_LENGTH,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "postal-code", "size": POSTCODE_LENGTH}
        ),
    )
    town = TextField(
        label=_("By (valgfrit)"),
        required=False,
        max_length=TOWN_MAX_LENGTH,
        widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
    )
    text = MultilineField(
        label=_("Dit høringssvar"),
        widget=forms.Textarea(attrs={"rows": 10}),
        error_messages={"required": _("Skriv dit høringssvar.")},
        help_text=_("Højst %(max)s tegn.") % {"max": f"{RESPONSE_TEXT_MAX_LENGTH:,}".replace(",", ".")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Too long text is reported with its length, and kept in the field for the user to shorten.
        cast(forms.CharField, self.fields["text"]).max_length = None

    def clean_text(self):
        text = self.cleaned_data["text"]
        if len(text) > RESPONSE_TEXT_MAX_LENGTH:
            raise ValidationError(
                _(
                    "Dit svar er %(length)s tegn. Der er plads til %(max)s tegn; forkort det eller vedhæft det som fil."
                )
                % {"length": len(text), "max": RESPONSE_TEXT_MAX_LENGTH}
            )
        return text

    def clean_postcode(self):
        postcode = self.cleaned_data["postcode"].strip()
        validate_postcode(postcode)
        return postcode

    def clean(self):
        cleaned = super().clean() or {}  # Form.clean() gives cleaned_data; the stubs allow None
        if (
            cleaned.get("respondent_type") not in (None, Response.RespondentType.PRIVATE)
            and not cleaned.get("organisation_name", "").strip()
        ):
            self.add_error("organisation_name", _("Skriv navnet på den organisation, du udtaler dig for."))
        return cleaned


class ResponseForm(ResponseDetailsForm):
    """'Har du nogle kommentarer?': a new hearing response."""

    field_order = [
        "target",
        "respondent_type",
        "organisation_name",
        "display_name",
        "postcode",
        "town",
        "text",
    ]

    target = forms.ChoiceField(
        label=_("Mit svar handler om"),
        error_messages={"invalid_choice": _("Vælg hvad dit høringssvar handler om.")},
    )
    attachments = MultipleFileField(
        label=_("Bilag (valgfrit)"),
        help_text=_("Op til 5 filer: PDF, Word (DOCX), ODT, JPEG eller PNG, højst 10 MB hver."),
        widget=MultipleFileInput(attrs={"accept": ".pdf,.docx,.odt,.jpg,.jpeg,.png"}),
    )
    consent = forms.BooleanField(
        label=CONSENT_TEXT,
        error_messages={"required": _("Du skal give samtykke til, at dit høringssvar offentliggøres.")},
    )
    # A new one each time the empty form is shown; kept when the form is shown again with errors (that
    # post filed nothing). The service files one response per token (hearings.services.submit_response).
    submission_token = TextField(widget=forms.HiddenInput, required=False, initial=new_submission_token)

    def __init__(self, *args, target_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["target"]).choices = target_choices

    def clean_submission_token(self) -> str:
        """The token as the form carried it, or "" (no idempotency, as before the field existed) when a
        post has none or one that the portal did not make: never a reason to lose a response."""
        token = self.cleaned_data["submission_token"]
        return token if SUBMISSION_TOKEN.fullmatch(token) else ""
