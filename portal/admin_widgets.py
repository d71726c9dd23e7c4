"""Accessible admin widgets. Django's split date/time widget labels only the pair, so the date and the
time inputs have no name of their own (axe: "Form elements must have labels"). django-markdownx's editor
keeps Tab for itself, so a keyboard user could not leave a Markdown field."""

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from django.contrib.admin import widgets
from django.contrib.admin.options import BaseModelAdmin
from django.db import models
from django.utils.translation import gettext as _
from markdownx.admin import MarkdownxModelAdmin
from markdownx.models import MarkdownxField
from markdownx.widgets import AdminMarkdownxWidget


class LabelledSplitDateTime(widgets.AdminSplitDateTime):
    def __init__(self, label: str, attrs=None):
        super().__init__(attrs)
        date_input, time_input = self.widgets
        date_input.attrs["aria-label"] = _("%(field)s: dato") % {"field": label}
        time_input.attrs["aria-label"] = _("%(field)s: klokkeslæt") % {"field": label}


if TYPE_CHECKING:
    _AdminBase = BaseModelAdmin[Any]  # what the mixin is mixed into, for the type checker only
else:
    _AdminBase = object


class LabelledDateTimeMixin(_AdminBase):
    """For a ModelAdmin or an inline: every date-and-time field gets labelled inputs."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None and isinstance(db_field, models.DateTimeField):
            field.widget = LabelledSplitDateTime(label=str(field.label))
        return field


class KeyboardMarkdownxWidget(AdminMarkdownxWidget):
    """django-markdownx's admin editor, with Tab moving the focus instead of indenting."""

    class Media:
        js = ["js/markdownx-keyboard.js"]


class MarkdownxAdmin(MarkdownxModelAdmin):
    """MarkdownxModelAdmin whose Markdown fields a keyboard user can tab out of."""

    formfield_overrides: "ClassVar[Mapping[type[models.Field[Any, Any]], Mapping[str, Any]]]" = {
        MarkdownxField: {"widget": KeyboardMarkdownxWidget}
    }
