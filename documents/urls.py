from django.urls import path

from . import archive_views, export_views, views

app_name = "documents"

urlpatterns = [
    path("hoeringer/<int:pk>/<slug:slug>.pdf", views.DocumentView.as_view(), name="document"),
    path(
        "hoeringer/<int:pk>/dokumenter/<int:document_pk>/", views.DocumentStatusView.as_view(), name="status"
    ),
    path(
        "hoeringer/<int:pk>/dokumenter/<int:document_pk>/fil/", views.DocumentFileView.as_view(), name="file"
    ),
    # staff pages, under the staff area's prefix
    path(
        "personale/hoeringer/<int:pk>/eksport.xlsx",
        export_views.ResponsesXlsxView.as_view(),
        name="export_xlsx",
    ),
    path(
        "personale/hoeringer/<int:pk>/eksport.csv", export_views.ResponsesCsvView.as_view(), name="export_csv"
    ),
    path("personale/hoeringer/<int:pk>/arkiv/", archive_views.ArchiveView.as_view(), name="archive"),
    path(
        "personale/hoeringer/<int:pk>/arkiv/<int:job_pk>/",
        archive_views.ArchiveStatusView.as_view(),
        name="archive_status",
    ),
    path(
        "personale/hoeringer/<int:pk>/arkiv/<int:job_pk>/fil/",
        archive_views.ArchiveFileView.as_view(),
        name="archive_file",
    ),
    path(
        "personale/hoeringer/<int:pk>/offentliggoer-hoeringsnotat/",
        views.PublishSummaryView.as_view(),
        name="publish_summary",
    ),
]
