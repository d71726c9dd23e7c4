from django.urls import path

from . import views

app_name = "strategies"

urlpatterns = [
    path("kommuner/<slug:municipality>/", views.MunicipalityDetailView.as_view(), name="municipality"),
    path(
        "kommuner/<slug:municipality>/<slug:strategy>/",
        views.StrategyDetailView.as_view(),
        name="strategy",
    ),
    path(
        "kommuner/<slug:municipality>/<slug:strategy>/<slug:section>/",
        views.SectionDetailView.as_view(),
        name="section",
    ),
]
