from django.contrib import admin

from accounts.admin_scope import MunicipalityScopedAdmin, ScopedInlineMixin
from portal.admin_widgets import MarkdownxAdmin

from .models import Goal, Municipality, Section, Strategy, Theme


@admin.register(Municipality)
class MunicipalityAdmin(MunicipalityScopedAdmin, admin.ModelAdmin):
    # An editor keeps their own municipality's contact block up to date; only the operator adds one.
    municipality_path = "pk"
    editors_may_add = editors_may_delete = False
    list_display = ["name", "slug", "city", "phone"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


class SectionInline(ScopedInlineMixin, admin.TabularInline):
    model = Section
    fields = ["number", "title", "tagline", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    extra = 0
    show_change_link = True


@admin.register(Strategy)
class StrategyAdmin(MunicipalityScopedAdmin, MarkdownxAdmin):
    list_display = ["title", "municipality", "status", "period_start", "period_end", "last_updated"]
    list_filter = ["municipality", "status"]
    list_select_related = ["municipality"]
    search_fields = ["title", "subtitle"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [SectionInline]


class GoalInline(ScopedInlineMixin, admin.TabularInline):
    model = Goal
    fields = ["parent", "position", "text"]
    extra = 0

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Offer only this section's headline goals as parents.
        if db_field.name == "parent":
            section_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = Goal.objects.filter(section_id=section_id, parent=None)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ThemeInline(ScopedInlineMixin, admin.StackedInline):
    model = Theme
    fields = ["position", "question", "sub_questions"]
    extra = 0


@admin.register(Section)
class SectionAdmin(MunicipalityScopedAdmin, MarkdownxAdmin):
    municipality_path = "strategy__municipality"
    list_display = ["__str__", "strategy", "tagline"]
    list_filter = ["strategy__municipality", "strategy"]
    list_select_related = ["strategy", "strategy__municipality"]
    search_fields = ["title", "tagline"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [GoalInline, ThemeInline]
