"""The queue rows' findings (``guard.queue.queue_panel_context``) in the moderation queue's template:
``{% load queue_findings %}{% with row=guard_queue|findings_of:response %}``."""

from typing import Any

from django import template

register = template.Library()


@register.filter
def findings_of(rows: dict[int, Any] | None, response: Any) -> Any:
    """The findings of ``response`` in ``guard_queue`` (by pk), or None."""
    return rows.get(response.pk) if rows else None
