from django.urls import path

from . import views

app_name = "decisions"

urlpatterns = [
    path("hoeringer/<int:pk>/det-gjorde-vi/", views.DecisionPageView.as_view(), name="page"),
    # the staff pages
    path("personale/hoeringer/<int:pk>/beslutning/", views.DecisionEditView.as_view(), name="edit"),
    path(
        "personale/hoeringer/<int:pk>/beslutning/offentliggoer/",
        views.DecisionPublishView.as_view(),
        name="publish",
    ),
]
