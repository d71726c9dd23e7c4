from django.urls import path

from . import suggestion_views

urlpatterns = [
    path(
        "personale/hoeringer/<int:pk>/analyse/forslag/",
        suggestion_views.SuggestionsView.as_view(),
        name="suggestions",
    ),
    path(
        "personale/hoeringer/<int:pk>/analyse/forslag/<int:suggestion_pk>/godtag/",
        suggestion_views.SuggestionActionView.as_view(action="accept"),
        name="accept_suggestion",
    ),
    path(
        "personale/hoeringer/<int:pk>/analyse/forslag/<int:suggestion_pk>/afvis/",
        suggestion_views.SuggestionActionView.as_view(action="dismiss"),
        name="dismiss_suggestion",
    ),
]
