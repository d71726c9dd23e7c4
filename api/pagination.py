"""Cursor pagination for every list of the API: stable under inserts, no COUNT query, no deep OFFSET."""

from rest_framework.pagination import CursorPagination


class Cursor(CursorPagination):
    """``?cursor=`` from a page's ``next``/``previous`` link; ``?page_size=`` up to 200 (default 50).
    Ordered by the view's ``cursor_ordering`` (a unique, unchanging field), else by primary key."""

    ordering = "pk"
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_ordering(self, request, queryset, view):
        return tuple(getattr(view, "cursor_ordering", None) or (self.ordering,))
