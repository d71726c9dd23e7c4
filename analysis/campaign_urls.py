"""The campaign pages (enslydende høringssvar) of a hearing's analysis."""

from django.urls import path

from . import campaign_views

urlpatterns = [
    path(
        "personale/hoeringer/<int:pk>/analyse/kampagner/",
        campaign_views.CampaignListView.as_view(),
        name="campaigns",
    ),
    path(
        "personale/hoeringer/<int:pk>/analyse/kampagner/analyser/",
        campaign_views.AnalyseHearingView.as_view(),
        name="campaigns_analyse",
    ),
    path(
        "personale/hoeringer/<int:pk>/analyse/kampagner/saml/",
        campaign_views.MergeCampaignsView.as_view(),
        name="campaign_merge",
    ),
    path(
        "personale/hoeringer/<int:pk>/analyse/kampagner/<int:campaign>/",
        campaign_views.CampaignView.as_view(),
        name="campaign",
    ),
    path(
        "personale/hoeringer/<int:pk>/analyse/kampagner/<int:campaign>/tag-ud/<int:response>/",
        campaign_views.SplitFromCampaignView.as_view(),
        name="campaign_split",
    ),
]
