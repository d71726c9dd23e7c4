from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from . import services
from .models import StaffRole, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "name", "is_staff", "is_superuser", "is_active", "date_joined"]
    search_fields = ["email", "name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Person"), {"fields": ("name",)}),
        (
            _("Rettigheder"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Datoer"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


@admin.register(StaffRole)
class StaffRoleAdmin(admin.ModelAdmin):
    """The operator grants and revokes staff roles here, through the services that log each one
    (accounts.services.grant_role and revoke_role); a role is never changed in place."""

    list_display = ["user", "municipality", "role", "granted_at"]
    list_filter = ["municipality", "role"]
    list_select_related = ["user", "municipality"]
    search_fields = ["user__email", "user__name"]
    fields = ["user", "municipality", "role"]
    autocomplete_fields = ["user"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # revoke one role and grant another: each is logged

    def save_model(self, request, obj, form, change) -> None:
        granted = services.grant_role(
            user=obj.user, municipality=obj.municipality, role=obj.role, actor=request.user
        )
        obj.pk, obj.granted_at = granted.pk, granted.granted_at

    def delete_model(self, request, obj) -> None:
        services.revoke_role(staff_role=obj, actor=request.user)

    def delete_queryset(self, request, queryset) -> None:
        for staff_role in queryset.select_related("user"):
            services.revoke_role(staff_role=staff_role, actor=request.user)
