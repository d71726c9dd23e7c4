"""The hearing page, whole, for readers who are not signed in.

At the deadline rush most readers of a hearing page are not signed in, and for them the page is the
same but in three places: the CSRF token of the language switch (a secret of each visitor), "3 timer
og 12 minutter tilbage", and the count "af N høringssvar" (see below). So the page is rendered once
with a hole in each of those places (``response_cache.hole()``) and kept in the cache; each request
fills the holes: a fresh token (``get_token``, which also sets the visitor's CSRF cookie, as rendering
does), the time left now and the count. A page served so costs one round trip to the cache and no
query; the middleware (security headers, CSP, cookies) runs as for every page.

What is kept: a GET or HEAD from a visitor who is not signed in and has no messages waiting, at a
canonical address (``side``, ``type`` and ``target`` at most once each, spelt as the page's own links
and filter form spell them, a page number without leading zeros) whose response list is canonical too
(hearings.response_cache: a known type, a target the hearing offers, a page that exists). Anything
else is rendered as before, so nobody fills the cache under made-up addresses.

The entry carries the hearing's two versions (hearings.response_cache) and is read together with them
and the list's count in one ``get_many``:

- an entry of another content version is not served;
- an entry of another version but the same content version (responses were published after every
  other since, and nothing else changed) is served unless it is its list's last page, with the count
  of now (kept beside the versions, counted once per version: one query). At the deadline rush a new
  response every few seconds thus leaves every page but the last as it was;
- it expires after ``HEARING_PAGE_CACHE_SECONDS``, and no later than the hearing's next change of
  state (opening, closing), which the clock makes without a save. 0 turns the cache off: the default
  without Redis, as for the lists.
"""

import datetime as dt
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from portal.text import normalise_text

from . import response_cache
from .models import Hearing
from .selectors import ResponseFilter

QUERY_NAMES = frozenset({"side", "type", "target"})


def csrf_hole() -> SafeString:
    return response_cache.hole("csrf")


def time_left_hole() -> SafeString:
    return response_cache.hole("time-left")


def page_key(request, hearing_id: int) -> str | None:
    """The cache key of this request's page, or None when it is not to be cached."""
    if not settings.HEARING_PAGE_CACHE_SECONDS or request.method not in ("GET", "HEAD"):
        return None
    query = request.META.get("QUERY_STRING", "")
    pairs = parse_qsl(query, keep_blank_values=True)
    names = [name for name, _value in pairs]
    if len(set(names)) != len(names) or not QUERY_NAMES.issuperset(names) or urlencode(pairs) != query:
        return None
    page_number = dict(pairs).get("side")
    if page_number is not None and not (
        page_number.isascii() and page_number.isdigit() and page_number[0] != "0"
    ):
        return None
    if request.user.is_authenticated or len(messages.get_messages(request)):
        return None
    # "2": the layout of the entry. Another layout takes another number, so that the processes of the
    # release before (during a deploy) and after never read each other's entries.
    return f"hearings:page:2:{hearing_id}:{get_language()}:{query}"


class AnonymousPage:
    """The hearing page of one request: served from the cache, or rendered with holes and kept."""

    def __init__(self, request, hearing_id: int):
        self.request, self.hearing_id = request, hearing_id
        self.key = page_key(request, hearing_id)
        self.filter = ResponseFilter.from_query(request.GET)
        self.version: str | None = None
        self.content_version: str | None = None

    def cached_response(self) -> HttpResponse | None:
        if self.key is None:
            return None
        keys = {
            "version": response_cache.version_key(self.hearing_id),
            "content": response_cache.content_version_key(self.hearing_id),
            "count": response_cache.count_key(self.hearing_id, self.filter),
        }
        found = cache.get_many([*keys.values(), self.key])
        self.version = found.get(keys["version"]) or response_cache.current_version(self.hearing_id)
        self.content_version = found.get(keys["content"]) or response_cache.current_version(
            self.hearing_id, key=response_cache.content_version_key
        )
        entry = found.get(self.key)
        if not isinstance(entry, tuple):
            return None
        content_version, version, is_last_page, count, until, closes_at, html = entry
        if content_version != self.content_version or timezone.now().timestamp() >= until:
            return None
        if version != self.version:
            if is_last_page:
                return None
            count = response_cache.current_count(
                self.hearing_id, self.filter, version=self.version, cached=found.get(keys["count"])
            )
        return self._policy_applied(HttpResponse(self._filled(html, closes_at, count)))

    def context(self) -> dict:
        """What the template renders as holes: empty unless the page is to be kept."""
        if self.key is None:
            return {}
        return {"csrf_token": csrf_hole(), "page_cache_holes": True}

    def list_html(self, listed: response_cache.ResponseList) -> SafeString:
        """The list as the page shows it: with its count, or with the count's hole if kept."""
        return SafeString(listed.html) if self.key is not None else listed.filled()

    def finish(self, response, *, hearing: Hearing, listed: response_cache.ResponseList):
        """Keep the rendered page (with its holes) if it may be kept, and fill the holes."""
        if self.key is None:
            return response
        response.render()
        # Kept as the pages' guard sends it (portal.middleware.TextPolicyMiddleware), so that a page served
        # from here is not searched again on every request.
        html = normalise_text(response.content.decode())
        now = timezone.now()
        until = min(
            (moment for moment in (hearing.opens_at, hearing.closes_at) if moment > now),
            default=now + dt.timedelta(seconds=settings.HEARING_PAGE_CACHE_SECONDS),
        )
        timeout = min(settings.HEARING_PAGE_CACHE_SECONDS, int((until - now).total_seconds()))
        if response.status_code == 200 and listed.canonical and timeout >= 1:
            entry = (
                self.content_version,
                self.version,
                listed.is_last_page,
                listed.count,
                until.timestamp(),
                hearing.closes_at,
                html,
            )
            cache.set(self.key, entry, timeout)
        response.content = self._filled(html, hearing.closes_at, listed.count)
        return self._policy_applied(response)

    @staticmethod
    def _policy_applied(response: HttpResponse) -> HttpResponse:
        """Mark a page made of kept HTML under the text policy (``finish``) whose holes are filled with
        ASCII and our own words: the pages' guard (portal.middleware.TextPolicyMiddleware) need not search
        it again."""
        response.text_policy_applied = True  # type: ignore[attr-defined]
        return response

    def _filled(self, html: str, closes_at: dt.datetime, count: int) -> str:
        html = html.replace(csrf_hole(), get_token(self.request))
        html = response_cache.fill_count(html, count)
        hole = time_left_hole()
        if hole in html:
            html = html.replace(hole, escape(capfirst(time_left_until(closes_at))))
        return html


def time_left_until(closes_at: dt.datetime, now: dt.datetime | None = None) -> str:
    now = now or timezone.now()
    # In UTC: Python subtracts datetimes that share a tzinfo by wall clock, which is wrong across DST.
    seconds = int((closes_at.astimezone(dt.UTC) - now.astimezone(dt.UTC)).total_seconds())
    if seconds <= 0:
        return ""
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days:
        parts = [ngettext("%(n)s dag", "%(n)s dage", days) % {"n": days}]
        if hours:
            parts.append(ngettext("%(n)s time", "%(n)s timer", hours) % {"n": hours})
    else:
        parts = [ngettext("%(n)s time", "%(n)s timer", hours) % {"n": hours}] if hours else []
        parts.append(ngettext("%(n)s minut", "%(n)s minutter", minutes) % {"n": minutes})
    return _("%(left)s tilbage") % {"left": _(" og ").join(parts)}
