from django.urls import path

from . import calendars, document_views, feeds, follow_views, staff_views, views

app_name = "hearings"

urlpatterns = [
    path("hoeringer/", views.HearingListView.as_view(), name="list"),
    path("hoeringer/<int:pk>/", views.HearingDetailView.as_view(), name="detail"),
    path("hoeringer/rss/", feeds.HearingFeed(), name="feed_rss"),
    path("hoeringer/atom/", feeds.HearingAtomFeed(), name="feed_atom"),
    path("hoeringer/kommune/<slug:municipality>/rss/", feeds.HearingFeed(), name="municipality_feed_rss"),
    path(
        "hoeringer/kommune/<slug:municipality>/atom/", feeds.HearingAtomFeed(), name="municipality_feed_atom"
    ),
    path(
        "hoeringer/kommune/<slug:municipality>/kalender.ics",
        calendars.MunicipalityCalendarView.as_view(),
        name="municipality_calendar",
    ),
    path("hoeringer/<int:pk>/svar/rss/", feeds.ResponseFeed(), name="response_feed_rss"),
    path("hoeringer/<int:pk>/svar/atom/", feeds.ResponseAtomFeed(), name="response_feed_atom"),
    path("hoeringer/<int:pk>/foelg/", follow_views.FollowView.as_view(), name="follow"),
    path("foelg/afmeld/<str:token>/", follow_views.UnsubscribeView.as_view(), name="unsubscribe"),
    path("hoeringer/<int:pk>/kalender.ics", calendars.HearingCalendarView.as_view(), name="calendar"),
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
