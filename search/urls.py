from django.urls import path

from . import views

urlpatterns = [
    path("soeg/", views.SearchView.as_view(), name="search"),
]
