from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("min-konto/data/", views.MyDataView.as_view(), name="data"),
    path("min-konto/data.json", views.MyDataDownloadView.as_view(), name="data_download"),
    path("min-konto/slet/", views.DeleteAccountView.as_view(), name="delete"),
]
