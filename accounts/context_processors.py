from typing import Any

from django.http import HttpRequest

from .rules import is_staff_member


def staff(request: HttpRequest) -> dict[str, Any]:
    """``is_staff_member`` for the frame's staff link: asked only when a template reads it (the roles are
    read once per request)."""
    return {"is_staff_member": lambda: is_staff_member(request.user)}
