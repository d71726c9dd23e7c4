"""Site-wide pages: the front page, the search and the accessibility statement."""

from functools import wraps

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import HttpResponse
from django.views.generic import TemplateView

from hearings import feed_selectors
from hearings.models import Hearing
from strategies import selectors as strategy_selectors
from strategies.models import Municipality

from . import search
from .forms import SearchForm


class HomeView(TemplateView):
    """The front page: per municipality its open hearings with their deadline, then upcoming and recently
    closed ones; below, every municipality and its published strategies."""

    template_name = "portal/home.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            hearing_groups=feed_selectors.front_page_hearings(),
            municipalities=strategy_selectors.municipality_list(),
            **kwargs,
        )


class SearchView(TemplateView):
    """'Søg': every public text of the portal, ranked, ten at a time ("Vis flere resultater")."""

    template_name = "portal/search.html"

    def get_context_data(self, **kwargs):
        municipalities = list(Municipality.objects.order_by("name").only("pk", "name", "slug"))
        form = SearchForm(
            self.request.GET,
            municipalities=municipalities,
            kinds=search.ResultKind.choices,
            states=Hearing.State.choices,
        )
        form.is_valid()  # a filter value that is not one of the choices is simply not used
        data = form.cleaned_data
        query = (data.get("q") or "").strip()
        page = None
        if query:
            slug = data.get("kommune") or ""
            search_filter = search.SearchFilter(
                query=query,
                municipality_id=next((m.pk for m in municipalities if m.slug == slug), None),
                kind=data.get("type") or "",
                state=data.get("status") or "",
            )
            page = search.search(search_filter, page=self.request.GET.get("side", 1))
        next_query = self.request.GET.copy()
        if page is not None and page.has_next():
            next_query["side"] = str(page.next_page_number())
        return super().get_context_data(
            form=form, query=query, page=page, next_query=next_query.urlencode(), **kwargs
        )


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
