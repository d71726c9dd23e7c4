"""The guard in the admin: the municipalities' own word lists (scoped: an editor sees only their own
municipality's), checked as on the staff's own page (guard.term_views, guard.term_services)."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from accounts.admin_scope import MunicipalityScopedAdmin

from . import term_services
from .models import TermList


class TermListAdminForm(forms.ModelForm):
    class Meta:
        model = TermList
        fields = ["municipality", "enabled", "terms"]

    def clean_terms(self) -> str:
        try:
            return "\n".join(term_services.clean_terms(self.cleaned_data["terms"]))
        except ValidationError as error:
            raise ValidationError(error.message_dict["terms"]) from error

    def clean(self):
        cleaned = super().clean() or {}
        if cleaned.get("enabled") and "terms" in cleaned and not cleaned["terms"]:
            self.add_error("terms", _("Skriv mindst ét ord, før ordlisten tages i brug."))
        return cleaned


@admin.register(TermList)
class TermListAdmin(MunicipalityScopedAdmin, admin.ModelAdmin):
    form = TermListAdminForm
    municipality_path = "municipality"
    list_display = ["municipality", "enabled"]
    list_filter = ["enabled"]
    list_select_related = ["municipality"]
