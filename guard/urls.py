"""The guard's staff actions, under the staff area's prefix (/personale/)."""

from django.urls import path

from . import views

app_name = "guard"

urlpatterns = [
    path("personale/svar/<int:pk>/udelad/", views.RedactView.as_view(), name="redact"),
]
