"""The admin, scoped to a municipality: an editor sees and changes only their own municipalities' rows.

The platform operator (superuser) sees everything. An editor holds no Django model permissions; these
mixins decide from their StaffRole instead, through the one predicate module (accounts/rules.py).
Another municipality's object is a 404, by list, by id in the URL or by a foreign key in a form.
"""

from typing import TYPE_CHECKING, Any

from django.contrib.admin import ModelAdmin, RelatedOnlyFieldListFilter
from django.contrib.admin.options import BaseModelAdmin
from django.contrib.admin.utils import get_fields_from_path, unquote
from django.http import Http404

from . import rules

if TYPE_CHECKING:  # what the mixins are mixed into, for the type checker only
    _AdminBase = BaseModelAdmin[Any]
    _ModelAdminBase = ModelAdmin[Any]
else:
    _AdminBase = _ModelAdminBase = object

# The lookup from each model that a foreign key may point at, to its municipality.
SCOPE_OF_RELATED = {
    "strategies.municipality": "pk",
    "strategies.strategy": "municipality",
    "strategies.section": "strategy__municipality",
    "strategies.goal": "section__strategy__municipality",
    "strategies.theme": "section__strategy__municipality",
    "hearings.hearing": "strategy__municipality",
}


def editor_municipality_ids(request) -> set[int] | None:
    """The municipalities the request's user edits; None means all (the operator)."""
    return rules.municipality_ids_with(request.user, rules.EDITOR)


def in_scope(queryset, path: str, ids: set[int] | None):
    if ids is None:
        return queryset
    return queryset.filter(**{f"{path}__in": ids})


class ScopedFormFieldsMixin(_AdminBase):
    """Foreign keys offer only the editor's own municipalities' objects."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        path = SCOPE_OF_RELATED.get(db_field.related_model._meta.label_lower)
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if path is not None and field is not None:
            field.queryset = in_scope(field.queryset, path, editor_municipality_ids(request))
        return field


class MunicipalityScopedAdmin(ScopedFormFieldsMixin, _ModelAdminBase):
    """For a ModelAdmin; ``municipality_path`` is the lookup from the model to its municipality."""

    municipality_path = "municipality"
    editors_may_add = True
    editors_may_delete = True

    def _is_editor(self, request) -> bool:
        ids = editor_municipality_ids(request)
        return ids is None or bool(ids)

    def get_queryset(self, request):
        return in_scope(
            super().get_queryset(request), self.municipality_path, editor_municipality_ids(request)
        )

    def get_list_filter(self, request):
        """Filters by a relation offer only the values in the editor's own rows, not every municipality's."""
        filters = super().get_list_filter(request)
        if rules.is_operator(request.user):
            return filters
        return [
            (f, RelatedOnlyFieldListFilter)
            if isinstance(f, str) and get_fields_from_path(self.model, f)[-1].is_relation
            else f
            for f in filters
        ]

    def _may(self, request, obj) -> bool:
        if rules.is_operator(request.user):
            return True
        if not self._is_editor(request):
            return False
        return obj is None or self.get_queryset(request).filter(pk=obj.pk).exists()

    def has_module_permission(self, request) -> bool:
        return self._is_editor(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return self._may(request, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return self._may(request, obj)

    def has_add_permission(self, request) -> bool:
        return rules.is_operator(request.user) or (self.editors_may_add and self._is_editor(request))

    def has_delete_permission(self, request, obj=None) -> bool:
        return rules.is_operator(request.user) or (self.editors_may_delete and self._may(request, obj))

    def _in_scope_or_404(self, request, object_id) -> None:
        if object_id and self.get_object(request, unquote(object_id)) is None:
            raise Http404

    def change_view(self, request, object_id, form_url="", extra_context=None):
        self._in_scope_or_404(request, object_id)
        return super().change_view(request, object_id, form_url, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        self._in_scope_or_404(request, object_id)
        return super().delete_view(request, object_id, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        self._in_scope_or_404(request, object_id)
        return super().history_view(request, object_id, extra_context)


class ScopedInlineMixin(ScopedFormFieldsMixin):
    """For an inline of a scoped admin: its parent is already in the editor's scope."""

    def _may(self, request) -> bool:
        ids = editor_municipality_ids(request)
        return ids is None or bool(ids)

    def has_view_permission(self, request, obj=None) -> bool:
        return self._may(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return self._may(request)

    def has_add_permission(self, request, obj=None) -> bool:
        return self._may(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        return self._may(request)
