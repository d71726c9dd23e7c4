from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from markdownx.views import MarkdownifyView

from hearings.views import HomeView

from . import ratelimits, views

admin.site.site_header = _("Høringsportalen – administration")
admin.site.site_title = _("Høringsportalen")
admin.site.index_title = _("Administration")

# allauth answers a rate limit with the root URLconf's handler429: our page in Danish that keeps the form.
handler429 = ratelimits.too_many_requests

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("healthz/", views.healthz, name="healthz"),
    path("tilgaengelighed/", views.AccessibilityStatementView.as_view(), name="accessibility"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("konto/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    # django-markdownx's preview, for staff only (its own urls.py leaves it open). Its image upload has no
    # route: the sanitiser drops <img> and no page serves uploaded media, so an image could never show.
    path("markdownx/markdownify/", views.staff_only(MarkdownifyView.as_view()), name="markdownx_markdownify"),
    path("", include("accounts.urls")),
    path("", include("hearings.urls")),
    path("", include("moderation.urls")),
    path("", include("guard.urls")),
    path("", include("analysis.urls")),
    path("", include("decisions.urls")),
    path("", include("guard.attachment_urls")),
    path("", include("guard.term_urls")),
    path("", include("documents.urls")),
    path("", include("notifications.urls")),
    path("", include("search.urls")),
    path("api/v1/", include("api.urls")),
    path("", include("strategies.urls")),
]
