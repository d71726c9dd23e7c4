"""Model fields whose text is normalised by the portal's text policy (``portal.text``) on every way in.

A value is normalised when it is cleaned (``full_clean``, so the admin), when it is saved (``pre_save``:
the instance holds what the database holds) and whenever it is prepared for the database
(``get_prep_value``: ``create``, ``save``, ``bulk_create``, ``queryset.update``, ``bulk_update`` and the
lookups). The admin's and every ModelForm's form field is ``portal.forms.TextField``, which normalises
before ``max_length`` is checked.

Each field deconstructs as the Django (or markdownx) field it extends: normalising is Python behaviour
with no effect on the schema, so no migration alters a table for it (on SQLite an AlterField would
rebuild the table). ``tests/portal/test_text.py`` checks that every text field of our models is one of
these.
"""

from typing import TYPE_CHECKING, Any

from django.db import models
from markdownx.models import MarkdownxField

from . import forms
from .text import normalise_text

if TYPE_CHECKING:
    _FieldBase = models.Field[Any, Any]  # what the mixin is mixed into, for the type checker only
else:
    _FieldBase = object


class NormalisedTextMixin(_FieldBase):
    """For a CharField or TextField: its values go through ``normalise_text``. ``multiline`` says whether
    line breaks are kept (TextField) or become spaces (a one-line CharField)."""

    multiline = True
    deconstruct_path = ""

    def to_python(self, value):
        value = super().to_python(value)
        return normalise_text(value, multiline=self.multiline) if isinstance(value, str) else value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return normalise_text(value, multiline=self.multiline) if isinstance(value, str) else value

    def pre_save(self, model_instance, add):
        value = super().pre_save(model_instance, add)
        if isinstance(value, str):
            cleaned = normalise_text(value, multiline=self.multiline)
            if cleaned is not value:
                setattr(model_instance, self.attname, cleaned)
            return cleaned
        return value

    def formfield(self, **kwargs: Any) -> Any:  # type: ignore[override]  # keyword arguments only, as Django passes them
        if not self.choices:
            kwargs.setdefault("form_class", forms.MultilineField if self.multiline else forms.TextField)
        return super().formfield(**kwargs)

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        return name, self.deconstruct_path, args, kwargs


class CharField(NormalisedTextMixin, models.CharField):
    """One line of text (a name, a title): line breaks become spaces."""

    multiline = False
    deconstruct_path = "django.db.models.CharField"


class TextField(NormalisedTextMixin, models.TextField):
    """Text of several lines: line breaks are kept, as LF."""

    deconstruct_path = "django.db.models.TextField"


class MarkdownField(NormalisedTextMixin, MarkdownxField):
    """Markdown edited with django-markdownx's editor."""

    deconstruct_path = "markdownx.models.MarkdownxField"

    def formfield(self, **kwargs: Any) -> Any:  # type: ignore[override]  # keyword arguments only, as Django passes them
        return MarkdownxField.formfield(self, **{"form_class": forms.MarkdownFormField, **kwargs})


class URLField(NormalisedTextMixin, models.URLField):
    """A web address: Django's URL validator lets control characters and noncharacters through in the
    path (``https://a.dk/x\\x01``)."""

    multiline = False
    deconstruct_path = "django.db.models.URLField"

    def formfield(self, **kwargs: Any) -> Any:  # type: ignore[override]  # keyword arguments only, as Django passes them
        return models.URLField.formfield(self, **kwargs)
