from csp.middleware import CSPMiddleware
from django.conf import settings
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers

from .db import is_database_busy
from .text import is_clean, normalise_text


class DanishFirstLocaleMiddleware:
    """Danish for everyone unless they chose another language with the switch.

    Django's LocaleMiddleware follows the browser's Accept-Language, which would show most
    visitors with an English browser an English frame; the portal is Danish first, and English
    is a choice (the language cookie set by ``set_language``).
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ["Cookie"])
        return response


class PortalCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, with the admin's looser policy (``CONTENT_SECURITY_POLICY_ADMIN``).

    The public pages get ``CONTENT_SECURITY_POLICY`` alone: scripts and styles only from our own
    files. Django's admin still writes a ``<style>`` element into its change lists, so under
    ``/admin/`` inline styles are allowed too (``style-src 'unsafe-inline'``); scripts stay strict
    there as everywhere, which is what matters against XSS. django-markdownx's editor in the admin
    needs nothing more: its script is a static file and its preview is fetched from our own origin.
    """

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and request.path_info.startswith(reverse("admin:index")):
            parts.update = {**settings.CONTENT_SECURITY_POLICY_ADMIN, **(parts.update or {})}
        return parts


class TextPolicyMiddleware:
    """The HTML pages' second guard after the one on input (``portal.text``): a page whose HTML holds a
    character the policy removes (a row written before the policy, or past it) is sent without it. HTML
    parsers report such characters as errors (WHATWG HTML §13.2.3.5 "control-character-in-input-stream",
    "noncharacter-in-input-stream") and browsers draw some of them as boxes. Clean pages, which are all
    of them, cost one search (some 4 ms a megabyte); streaming responses (files) are left alone, and so are
    the hearing pages served from their cache (``hearings.page_cache``), which keeps them as sent here."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            response.streaming
            or getattr(response, "text_policy_applied", False)  # a page the page cache kept clean
            or not response.get("Content-Type", "").startswith("text/html")
        ):
            return response
        charset = response.charset or "utf-8"
        html = response.content.decode(charset, errors="replace")
        if not is_clean(html):
            response.content = normalise_text(html).encode(charset)
            if response.has_header("Content-Length"):
                response.headers["Content-Length"] = str(len(response.content))
        return response


class DatabaseBusyMiddleware:
    """A request that found the demo's embedded SQLite database busy for longer than its timeout gets a
    503 page that says nothing was saved and to send again (with Retry-After), not a 500. Views whose
    form holds typed text catch it themselves and show the form again (portal.db)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_database_busy(exception):
            return None
        response = render(request, "503.html", status=503)
        response["Retry-After"] = "5"
        return response
