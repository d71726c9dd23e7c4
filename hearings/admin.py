from django.contrib import admin

from accounts.admin_scope import MunicipalityScopedAdmin, ScopedInlineMixin
from portal.admin_widgets import LabelledDateTimeMixin, MarkdownxAdmin

from .models import Hearing, HearingEvent, Response, ResponseAttachment, ResponseRevision


class HearingEventInline(LabelledDateTimeMixin, ScopedInlineMixin, admin.TabularInline):
    model = HearingEvent
    fields = ["kind", "title", "starts_at", "ends_at", "place"]
    extra = 0


@admin.register(Hearing)
class HearingAdmin(LabelledDateTimeMixin, MunicipalityScopedAdmin, MarkdownxAdmin):
    municipality_path = "strategy__municipality"
    list_display = ["title", "strategy", "section", "opens_at", "closes_at", "moderation", "state"]
    list_filter = ["strategy__municipality", "moderation"]
    list_select_related = ["strategy__municipality", "section"]
    search_fields = ["title", "strategy__title"]
    readonly_fields = ["last_response_number", "personal_data_removed_at"]
    fieldsets = (
        (None, {"fields": ("strategy", "section", "title", "intro")}),
        ("Høringsperiode", {"fields": ("opens_at", "closes_at", "moderation", "remarks_as_written")}),
        ("Kontaktperson", {"fields": ("contact_name", "contact_title", "contact_email", "contact_phone")}),
        ("Personoplysninger", {"fields": ("personal_data_removal_on", "personal_data_removed_at")}),
        ("Tal", {"fields": ("last_response_number",)}),
    )
    inlines = [HearingEventInline]

    @admin.display(description="tilstand")
    def state(self, obj: Hearing) -> str:
        return obj.current_state.label


class AttachmentInline(admin.TabularInline):
    model = ResponseAttachment
    fields = ["original_name", "kind", "size", "file"]
    readonly_fields = fields
    extra = 0
    can_delete = False


class RevisionInline(admin.TabularInline):
    model = ResponseRevision
    fields = ["edited_at", "status_before", "text"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin):
    """Read-only: a response changes only through the services (submitting, editing and withdrawing in
    hearings.services, moderating and remarks in moderation.services), each of which records its event
    in the append-only log. The operator moderates on the staff pages, not here."""

    list_display = ["__str__", "hearing", "display_name", "respondent_type", "status", "created_at"]
    list_filter = ["hearing__strategy__municipality", "hearing", "status", "respondent_type"]
    list_select_related = ["hearing"]
    search_fields = ["text", "display_name", "organisation_name"]
    inlines = [AttachmentInline, RevisionInline]

    def has_add_permission(self, request) -> bool:
        return False  # responses come from citizens, through the form

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # a change of status or text goes through a service, with its event

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # a response is withdrawn or its personal data removed, never deleted here
