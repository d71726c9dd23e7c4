"""Site-wide pages that belong to no app: the accessibility statement and the health check."""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import HttpResponse
from django.views.generic import TemplateView


class AccessibilityStatementView(TemplateView):
    template_name = "portal/accessibility.html"


def staff_only(view):
    """Refuse (403) anyone but signed-in staff; for endpoints the admin's editors use."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not (request.user.is_authenticated and request.user.is_active and request.user.is_staff):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


def healthz(request):
    """For load balancers and docker-compose: the process is up and reaches its database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")
