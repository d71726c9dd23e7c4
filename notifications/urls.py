from django.urls import path

from . import calendars, feeds, views

app_name = "notifications"

urlpatterns = [
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
    path("hoeringer/<int:pk>/foelg/", views.FollowView.as_view(), name="follow"),
    path("foelg/afmeld/<str:token>/", views.UnsubscribeView.as_view(), name="unsubscribe"),
    path("hoeringer/<int:pk>/kalender.ics", calendars.HearingCalendarView.as_view(), name="calendar"),
]
