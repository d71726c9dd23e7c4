"""The API's rate limit: DRF's scoped throttle, counted per client IP in Django's cache (Redis when
REDIS_URL is set, so shared by every web process), with the rate read from the settings at each request
(``REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]``), so that a setting changed at run time (or in a test) is
obeyed. A scope without a rate ("" or missing) is not limited."""

from django.conf import settings
from rest_framework.exceptions import Throttled
from rest_framework.throttling import ScopedRateThrottle


class ScopedIPThrottle(ScopedRateThrottle):
    """Per view ``throttle_scope`` ("api", "open-data"), per client IP (the API has no users: nobody
    signs in to it). The IP is the peer's, or the one ``NUM_PROXIES`` trusted proxies name in
    X-Forwarded-For (``TRUSTED_PROXY_COUNT``)."""

    def get_rate(self) -> str | None:
        rates = settings.REST_FRAMEWORK.get("DEFAULT_THROTTLE_RATES", {})
        return rates.get(self.scope) or None

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class TooManyRequests(Throttled):
    """429 with a message in Danish and English (the API is read by programs of either language)."""

    default_detail = "For mange forespørgsler. / Too many requests."
    extra_detail_singular = "Prøv igen om {wait} sekund. / Try again in {wait} second."
    extra_detail_plural = "Prøv igen om {wait} sekunder. / Try again in {wait} seconds."
