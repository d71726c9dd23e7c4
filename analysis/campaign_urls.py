from django.http import Http404
from django.urls import path


def placeholder(request, **kwargs):
    raise Http404


urlpatterns = [
    path("personale/hoeringer/<int:pk>/analyse/kampagner/", placeholder, name="campaigns"),
    path("personale/hoeringer/<int:pk>/analyse/kampagner/<int:campaign>/", placeholder, name="campaign"),
]
