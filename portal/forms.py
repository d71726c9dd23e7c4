"""Forms in the look of Det Fælles Designsystem, with hints and errors tied to their fields."""

from typing import TYPE_CHECKING

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import OperationalError
from markdownx.fields import MarkdownxFormField

from .db import BUSY_MESSAGE, is_database_busy
from .text import normalise_text

WIDGET_CLASSES = {
    forms.RadioSelect: "form-radio",
    forms.CheckboxInput: "form-checkbox",
    forms.Select: "form-select",
    forms.FileInput: "form-file-input",
    forms.Textarea: "form-input",
    forms.widgets.Input: "form-input",
}


class TextField(forms.CharField):
    """One line of text a person types (a name, a title), under the portal's text policy
    (``portal.text.normalise_text``): control characters and noncharacters removed, a pasted line break
    or TAB a space. Normalised before ``max_length`` is checked, and shown again as normalised (so
    nothing the user meant is lost from a refused form, and nothing it shows needs the page's guard)."""

    multiline = False

    def to_python(self, value):
        value = super().to_python(value)
        if value is None:  # only with empty_value=None, which no field of ours sets
            return value
        value = normalise_text(value, multiline=self.multiline)
        # A character the policy removed may have hidden white space at an end.
        return value.strip() if self.strip else value

    def bound_data(self, data, initial):
        """A form shown again shows what would be saved: the typed value under the policy."""
        data = super().bound_data(data, initial)
        return normalise_text(data, multiline=self.multiline) if isinstance(data, str) else data


class MultilineField(TextField):
    """A textarea's text. Browsers send its line breaks as CRLF and count them, for ``maxlength``, as one
    character: so does this field, before ``max_length`` is checked, and the text is stored with LF. The
    other line breaks (U+000B, U+2028 …) become LF too, by the same policy as ``TextField``."""

    widget = forms.Textarea
    multiline = True


class MarkdownFormField(MarkdownxFormField):
    """django-markdownx's form field, normalised like ``MultilineField``."""

    def to_python(self, value):
        return normalise_text(super().to_python(value))


if TYPE_CHECKING:
    _FormBase = forms.BaseForm  # what the mixin is mixed into, for the type checker only
else:
    _FormBase = object


class DkfdsFormMixin(_FormBase):
    """Gives each widget its DKFDS class. Django (5.2) itself adds ``aria-describedby`` (the hint and the
    errors, ids ``<id>_helptext`` and ``<id>_error``) and ``aria-invalid`` when it renders a field;
    ``templates/includes/field.html`` gives the hint and the errors those ids."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            for widget_class, css in WIDGET_CLASSES.items():
                if isinstance(widget, widget_class):
                    widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()
                    break


def add_service_errors(form: forms.Form, error: ValidationError | OperationalError) -> None:
    """Put a service's refusal on ``form``, which keeps what was typed: each message of a
    ``ValidationError`` on its field when the form has that field (shown next to it), else above the
    form. The demo's SQLite database found busy beyond its timeout (``portal.db``) is said above the
    form; any other ``OperationalError`` is raised again."""
    if isinstance(error, OperationalError):
        if not is_database_busy(error):
            raise error
        form.add_error(None, BUSY_MESSAGE)
        return
    by_field = error.message_dict if hasattr(error, "error_dict") else {NON_FIELD_ERRORS: error.messages}
    for field, messages in by_field.items():
        for message in messages:
            form.add_error(field if field in form.fields else None, message)
