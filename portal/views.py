"""Site-wide pages: the front page and the accessibility statement."""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import HttpResponse
from django.views.generic import TemplateView

from strategies import selectors as strategy_selectors


class HomeView(TemplateView):
    """The front page: every municipality and its published strategies."""

    template_name = "portal/home.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(municipalities=strategy_selectors.municipality_list(), **kwargs)


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
