from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from . import open_data, views

app_name = "api"

router = DefaultRouter()
router.APIRootView = views.ApiRootView
router.register("municipalities", views.MunicipalityViewSet, basename="municipality")
router.register("strategies", views.StrategyViewSet, basename="strategy")
router.register("hearings", views.HearingViewSet, basename="hearing")
router.register("responses", views.ResponseViewSet, basename="response")
router.register("topics", views.TopicViewSet, basename="topic")
router.register("documents", views.DocumentViewSet, basename="document")

urlpatterns = [
    path("hearings/<int:pk>/open-data.json", open_data.OpenDataJsonView.as_view(), name="open-data-json"),
    path("hearings/<int:pk>/open-data.csv", open_data.OpenDataCsvView.as_view(), name="open-data-csv"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The browsable docs, from our own static files (drf-spectacular-sidecar); Swagger UI's script is a
    # file of its own (the split view), so the CSP needs no inline script. (No Redoc: its styled-components
    # need inline <style> elements, which the CSP refuses.)
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api:schema", template_name="api/swagger_ui.html"),
        name="docs",
    ),
    path("", include(router.urls)),
]
