from django.views.generic import TemplateView

from hearings.models import Hearing
from strategies.models import Municipality

from . import selectors as search
from .forms import SearchForm


class SearchView(TemplateView):
    """'Søg': every public text of the portal, ranked, ten at a time ("Vis flere resultater")."""

    template_name = "search/search.html"

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
