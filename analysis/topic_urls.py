"""The Analyse pages of a hearing and its topics (analysis.topic_views), and the analysis' actions from
moderation's pages (a response's staff page, the queue)."""

from django.urls import path

from . import topic_views as views

TOPIC = "personale/hoeringer/<int:pk>/analyse/emner/<int:topic>/"

urlpatterns = [
    path("personale/hoeringer/<int:pk>/analyse/", views.AnalysisView.as_view(), name="analysis"),
    path(
        "personale/hoeringer/<int:pk>/analyse/emner/nyt/",
        views.TopicCreateView.as_view(),
        name="topic_create",
    ),
    path(TOPIC, views.TopicView.as_view(), name="topic"),
    path(TOPIC + "saml/", views.TopicMergeView.as_view(), name="topic_merge"),
    path(TOPIC + "del/", views.TopicSplitView.as_view(), name="topic_split"),
    path(TOPIC + "slet/", views.TopicDeleteView.as_view(), name="topic_delete"),
    path(TOPIC + "fjern/<int:response>/", views.TopicUnlinkView.as_view(), name="topic_unlink"),
    path("personale/svar/<int:pk>/emne/", views.ResponseLinkView.as_view(), name="response_link"),
    path("personale/moderation/knyt-til-emne/", views.BulkLinkView.as_view(), name="bulk_link"),
]
