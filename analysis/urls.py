"""The analysis' staff pages, under the hearing's staff pages (/personale/hoeringer/<pk>/analyse/)."""

from . import campaign_urls, suggestion_urls, topic_urls

app_name = "analysis"

urlpatterns = [*topic_urls.urlpatterns, *campaign_urls.urlpatterns, *suggestion_urls.urlpatterns]
