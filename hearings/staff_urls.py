from django.urls import path

from . import document_views, export_views, staff_views

app_name = "staff"

urlpatterns = [
    path("", staff_views.StaffHomeView.as_view(), name="home"),
    path("moderation/", staff_views.QueueView.as_view(), name="queue"),
    path("moderation/offentliggoer/", staff_views.BulkPublishView.as_view(), name="bulk_publish"),
    path("svar/<int:pk>/", staff_views.StaffResponseView.as_view(), name="response"),
    path("svar/<int:pk>/handling/", staff_views.ModerateView.as_view(), name="moderate"),
    path("svar/<int:pk>/bemaerkning/", staff_views.RemarkView.as_view(), name="remark"),
    path("hoeringer/<int:pk>/", staff_views.HearingOverviewView.as_view(), name="overview"),
    path("hoeringer/<int:pk>/eksport.xlsx", export_views.ResponsesXlsxView.as_view(), name="export_xlsx"),
    path("hoeringer/<int:pk>/eksport.csv", export_views.ResponsesCsvView.as_view(), name="export_csv"),
    path(
        "hoeringer/<int:pk>/offentliggoer-hoeringsnotat/",
        document_views.PublishSummaryView.as_view(),
        name="publish_summary",
    ),
]
