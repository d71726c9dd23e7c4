"""The hearing page, whole, for readers who are not signed in.

At the deadline rush most readers of a hearing page are not signed in, and for them the page is the
same but in two places: the CSRF token of the language switch (a secret of each visitor) and "3 timer
og 12 minutter tilbage". So the page is rendered once with a hole in each of those places and kept in
the cache; each request fills the holes: a fresh token (``get_token``, which also sets the visitor's
CSRF cookie, as rendering does) and the time left now. A page served so costs one round trip to the
cache and no query; the middleware (security headers, CSP, cookies) runs as for every page.

What is kept: a GET or HEAD from a visitor who is not signed in and has no messages waiting, at a
canonical address (``side``, ``type`` and ``target`` at most once each, spelt as the page's own links
and filter form spell them, a page number without leading zeros) whose response list is canonical too
(hearings.response_cache: a known type, a target the hearing offers, a page that exists). Anything
else is rendered as before, so nobody fills the cache under made-up addresses.

The entry carries the hearing's version (hearings.response_cache replaces it on every change a reader
could see) and is read together with it in one ``get_many``; an entry of another version is not
served. It expires after ``HEARING_PAGE_CACHE_SECONDS`` and no later than the hearing's next change of
state (opening, closing), which the clock makes without a save. 0 turns it off: the default without
Redis, as for the lists.
"""

import datetime as dt
import functools
import hashlib
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import get_language

from . import response_cache
from .models import Hearing
from .templatetags.hearing_tags import time_left_until

QUERY_NAMES = frozenset({"side", "type", "target"})


@functools.cache
def _hole_secret() -> str:
    # Unguessable, and with "<" in the hole: no escaped or sanitised text a user wrote can contain one.
    return hashlib.sha256(f"hearings.page_cache:{settings.SECRET_KEY}".encode()).hexdigest()[:24]


def csrf_hole() -> SafeString:
    return mark_safe(f"<!--csrf-{_hole_secret()}-->")  # noqa: S308 - a constant of ours


def time_left_hole() -> SafeString:
    return mark_safe(f"<!--time-left-{_hole_secret()}-->")  # noqa: S308 - a constant of ours


def page_key(request, hearing_id: int) -> str | None:
    """The cache key of this request's page, or None when it is not to be cached."""
    if not settings.HEARING_PAGE_CACHE_SECONDS or request.method not in ("GET", "HEAD"):
        return None
    query = request.META.get("QUERY_STRING", "")
    pairs = parse_qsl(query, keep_blank_values=True)
    names = [name for name, _value in pairs]
    if len(set(names)) != len(names) or not QUERY_NAMES.issuperset(names) or urlencode(pairs) != query:
        return None
    side = dict(pairs).get("side")
    if side is not None and not (side.isascii() and side.isdigit() and side[0] != "0"):
        return None
    if request.user.is_authenticated or len(messages.get_messages(request)):
        return None
    return f"hearings:page:{hearing_id}:{get_language()}:{query}"


class AnonymousPage:
    """The hearing page of one request: served from the cache, or rendered with holes and kept."""

    def __init__(self, request, hearing_id: int):
        self.request, self.hearing_id = request, hearing_id
        self.key = page_key(request, hearing_id)
        self.version: str | None = None

    def cached_response(self) -> HttpResponse | None:
        if self.key is None:
            return None
        version_key = response_cache.version_key(self.hearing_id)
        found = cache.get_many([version_key, self.key])
        self.version = found.get(version_key) or response_cache.current_version(self.hearing_id)
        entry = found.get(self.key)
        if entry is None:
            return None
        version, until, closes_at, html = entry
        if version != self.version or timezone.now().timestamp() >= until:
            return None
        return HttpResponse(self._filled(html, closes_at))

    def context(self) -> dict:
        """What the template renders as holes: empty unless the page is to be kept."""
        if self.key is None:
            return {}
        return {"csrf_token": csrf_hole(), "page_cache_holes": True}

    def finish(self, response, *, hearing: Hearing, list_is_canonical: bool):
        """Keep the rendered page (with its holes) if it may be kept, and fill the holes."""
        if self.key is None:
            return response
        response.render()
        html = response.content.decode()
        now = timezone.now()
        until = min(
            (moment for moment in (hearing.opens_at, hearing.closes_at) if moment > now),
            default=now + dt.timedelta(seconds=settings.HEARING_PAGE_CACHE_SECONDS),
        )
        timeout = min(settings.HEARING_PAGE_CACHE_SECONDS, int((until - now).total_seconds()))
        if response.status_code == 200 and list_is_canonical and timeout >= 1:
            entry = (self.version, until.timestamp(), hearing.closes_at, html)
            cache.set(self.key, entry, timeout)
        response.content = self._filled(html, hearing.closes_at)
        return response

    def _filled(self, html: str, closes_at: dt.datetime) -> str:
        html = html.replace(csrf_hole(), get_token(self.request))
        hole = time_left_hole()
        if hole in html:
            html = html.replace(hole, escape(capfirst(time_left_until(closes_at))))
        return html
