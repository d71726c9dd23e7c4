"""The staff's URLs of a response's attachments (guard.attachment_views), under the response's staff page
(/personale/svar/<pk>/bilag/<attachment>/). Included by portal/urls.py."""

from django.urls import path

from . import attachment_views

app_name = "guard_attachments"

PREFIX = "personale/svar/<int:pk>/bilag/<int:attachment>/"

urlpatterns = [
    path(PREFIX, attachment_views.StaffAttachmentDownloadView.as_view(), name="download"),
    path(f"{PREFIX}original/", attachment_views.StaffOriginalDownloadView.as_view(), name="original"),
    path(f"{PREFIX}offentliggoer/", attachment_views.ReleaseAttachmentView.as_view(), name="release"),
    path(f"{PREFIX}offentliggoer-ikke/", attachment_views.WithholdAttachmentView.as_view(), name="withhold"),
    path(f"{PREFIX}erstat/", attachment_views.ReplaceAttachmentView.as_view(), name="replace"),
]
