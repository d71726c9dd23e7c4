from django.views.generic import TemplateView

from . import panels, selectors


class MunicipalityDetailView(TemplateView):
    template_name = "strategies/municipality_detail.html"

    def get_context_data(self, **kwargs):
        municipality = selectors.municipality_detail(slug=self.kwargs["municipality"])
        return {**super().get_context_data(**kwargs), "municipality": municipality}


class StrategyDetailView(TemplateView):
    template_name = "strategies/strategy_detail.html"

    def get_context_data(self, **kwargs):
        strategy = selectors.strategy_detail(
            municipality_slug=self.kwargs["municipality"], slug=self.kwargs["strategy"]
        )
        return {
            **super().get_context_data(**kwargs),
            "strategy": strategy,
            "municipality": strategy.municipality,
            **panels.strategy_page.context(self.request, section=None, strategy=strategy),
        }


class SectionDetailView(TemplateView):
    template_name = "strategies/section_detail.html"

    def get_context_data(self, **kwargs):
        strategy = selectors.strategy_detail(
            municipality_slug=self.kwargs["municipality"], slug=self.kwargs["strategy"], with_contents=True
        )
        section = selectors.section_detail(strategy=strategy, slug=self.kwargs["section"])
        return {
            **super().get_context_data(**kwargs),
            "section": section,
            "strategy": strategy,
            "municipality": strategy.municipality,
            **panels.strategy_page.context(self.request, strategy=strategy, section=section),
        }
