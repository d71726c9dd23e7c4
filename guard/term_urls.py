"""The staff page of a municipality's own word list (guard.term_views), under /personale/kommuner/<pk>/.
Included by portal/urls.py."""

from django.urls import path

from . import term_views

app_name = "guard_terms"

urlpatterns = [
    path("personale/kommuner/<int:pk>/ordliste/", term_views.TermListView.as_view(), name="terms"),
]
