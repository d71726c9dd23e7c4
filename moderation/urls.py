from django.urls import path

from . import views

app_name = "moderation"

urlpatterns = [
    path("hoeringer/<int:pk>/svar/<int:number>/anmeld/", views.FlagView.as_view(), name="flag"),
    # the staff pages
    path("personale/", views.StaffHomeView.as_view(), name="home"),
    path("personale/moderation/", views.QueueView.as_view(), name="queue"),
    path("personale/moderation/offentliggoer/", views.BulkPublishView.as_view(), name="bulk_publish"),
    path("personale/svar/<int:pk>/", views.StaffResponseView.as_view(), name="response"),
    path("personale/svar/<int:pk>/handling/", views.ModerateView.as_view(), name="moderate"),
    path("personale/svar/<int:pk>/bemaerkning/", views.RemarkView.as_view(), name="remark"),
    path("personale/hoeringer/<int:pk>/", views.HearingOverviewView.as_view(), name="overview"),
    path(
        "personale/hoeringer/<int:pk>/bemaerkninger/frigiv/",
        views.ReleaseRemarksView.as_view(),
        name="release_remarks",
    ),
]
