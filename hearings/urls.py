from django.urls import path

from . import document_views, staff_views, views

app_name = "hearings"

urlpatterns = [
    path("hoeringer/", views.HearingListView.as_view(), name="list"),
    path("hoeringer/<int:pk>/", views.HearingDetailView.as_view(), name="detail"),
    path("hoeringer/<int:pk>/svar/", views.ResponseCreateView.as_view(), name="respond"),
    path("hoeringer/<int:pk>/svar/<int:number>/", views.ResponseDetailView.as_view(), name="response"),
    path("hoeringer/<int:pk>/svar/<int:number>/anmeld/", staff_views.FlagView.as_view(), name="flag"),
    path("hoeringer/<int:pk>/<slug:slug>.pdf", document_views.DocumentView.as_view(), name="document"),
    path(
        "hoeringer/<int:pk>/dokumenter/<int:document_pk>/",
        document_views.DocumentStatusView.as_view(),
        name="document_status",
    ),
    path(
        "hoeringer/<int:pk>/dokumenter/<int:document_pk>/fil/",
        document_views.DocumentFileView.as_view(),
        name="document_file",
    ),
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
