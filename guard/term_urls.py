"""The staff page of a municipality's own word list (guard.term_views). Included under the namespace
"guard" by portal/urls.py; a guard/urls.py that gathers the guard's pages takes these patterns in."""

from django.urls import path

from . import term_views

app_name = "guard"

urlpatterns = [
    path("personale/kommuner/<int:pk>/ordliste/", term_views.TermListView.as_view(), name="terms"),
]
