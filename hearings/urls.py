from django.urls import path

from . import views

app_name = "hearings"

urlpatterns = [
    path("hoeringer/", views.HearingListView.as_view(), name="list"),
    path("hoeringer/<int:pk>/", views.HearingDetailView.as_view(), name="detail"),
    path("hoeringer/<int:pk>/svar/", views.ResponseCreateView.as_view(), name="respond"),
    path("hoeringer/<int:pk>/svar/<int:number>/", views.ResponseDetailView.as_view(), name="response"),
    path("hoeringssvar/<uuid:public_id>/kvittering/", views.ReceiptView.as_view(), name="receipt"),
    path("bilag/<int:pk>/", views.AttachmentDownloadView.as_view(), name="attachment"),
    path("mine-hoeringssvar/", views.MyResponsesView.as_view(), name="my_responses"),
    path("mine-hoeringssvar/<uuid:public_id>/ret/", views.ResponseEditView.as_view(), name="edit"),
    path(
        "mine-hoeringssvar/<uuid:public_id>/traek-tilbage/",
        views.ResponseWithdrawView.as_view(),
        name="withdraw",
    ),
]
