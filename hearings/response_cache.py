"""The rendered response list of the hearing page and the section page, cached for every reader.

What ``templates/hearings/includes/response_list.html`` shows is the same for every visitor, signed
in or not: the filter form (a GET form, no CSRF token), the published responses with their remarks,
attachments and "Anmeld" links, the hidden notices and "Vis flere". Nothing in it depends on the user,
the session or the messages, so the fragment is cached for everyone. The page around it (the CSRF token,
the messages, the header and the follow box) is rendered for each signed-in visitor; for readers who
are not signed in, hearings.page_cache keeps the hearing page whole.

The key names what the fragment depends on:
``hearings:responses:<hearing>:<version>:<language>:<state>:<section>:<type>:<target>:<page>``.

- ``version`` is a random token per hearing, kept in the cache (``version_key``), and replaced by
  ``bump()`` on every change that a reader could see: a response saved (published on submission or
  by a moderator, hidden, rejected, restored, edited, withdrawn, its personal data removed) or
  deleted, a remark, an attachment, the hearing itself (its dates, whether its remarks show) and
  the strategy's texts that the list quotes (section titles, goals, themes); also the hearing's events
  and its municipality, which are not in the list but on the hearing page that hearings.page_cache
  keeps under the same versions. The same bump raises the hearing's persisted ``content_version``,
  of which the PDF documents' fingerprint is made. The receivers below catch every ``save()`` and ``delete()``, the
  admin's included; ``QuerySet.update()`` and ``bulk_create()`` send no signal, so code that changes
  shown fields with them calls ``bump()`` itself.
- ``state`` (upcoming, open, closed) follows from the clock: the "Anmeld" link and the remarks change
  when a hearing closes without anything being saved.
- The entries expire after ``RESPONSE_LIST_CACHE_SECONDS`` (5 minutes; 0, the default without Redis,
  turns the cache off) whatever happens, which bounds how long a bump lost to a Redis outage can
  leave a list stale. The list shows dates, not "2 hours ago", so nothing in it ages within that time.

Two versions per hearing. ``version`` is replaced on every change. ``content_version`` is replaced on
every change but one: a response published after every other (a new response under post-moderation:
``bump(..., appended=True)``). Such a response changes only the last page of each list and the count
"af N" on every page; so the count is a hole in the stored fragment (``count_hole()``, filled by
``ResponseList.filled()`` with the count stored beside it), and hearings.page_cache serves every page
but the last on under the same ``content_version``, with the count of now. At the deadline rush,
when a response comes every few seconds, the 500 pages of a 10,000-response hearing are therefore not
all rendered anew after each of them. A response created unpublished (pending moderation) and the
hearing's response counter show nowhere, and replace no version.

Only canonical requests are stored: a known respondent type, a target that the hearing offers, a page
number written as digits that is not past the last page (known once the list is read). Anything else
is rendered each time, so nobody can fill the cache with lists under made-up keys.
"""

import functools
import hashlib
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models.functions import Coalesce
from django.db.models.signals import post_delete, post_save
from django.template.loader import render_to_string
from django.utils import formats
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from portal.ids import parse_id
from strategies.models import Goal, Municipality, Section, Strategy, Theme

from .models import Hearing, HearingEvent, Response, ResponseAttachment
from .selectors import ResponseFilter, published_count
from .targets import TargetKey

TEMPLATE = "hearings/includes/response_list.html"
VERSION_TIMEOUT = 7 * 24 * 3600  # a lost version only costs one render of each page


def version_key(hearing_id: int) -> str:
    return f"hearings:responses:version:{hearing_id}"


def content_version_key(hearing_id: int) -> str:
    return f"hearings:responses:version:content:{hearing_id}"


def _new_version() -> str:
    return uuid.uuid4().hex[:16]


def current_version(hearing_id: int, key: Callable[[int], str] = version_key) -> str:
    """The hearing's version (``key=content_version_key``: its content version), made if missing."""
    key = key(hearing_id)
    version = cache.get(key)
    if version is None:
        version = _new_version()
        if not cache.add(key, version, VERSION_TIMEOUT):
            version = cache.get(key) or version  # another process set one first: use theirs
    return version


def bump(hearing_ids: Iterable[int], *, appended: bool = False) -> None:
    """Give each hearing's response lists a new version: what was cached is not read again.
    ``appended``: the change is a response published after every other; the content version stays.

    Bumped at once (for what runs later in the same transaction) and again after the commit: a reader
    who rendered the list between the first bump and the commit saw the old rows and may have stored
    them under the new version.

    Each hearing's persisted ``Hearing.content_version`` is raised by one too, in the caller's
    transaction (so it commits or rolls back with the change): the documents' fingerprint
    (documents.content.edition), which must outlive the cache."""
    ids = {pk for pk in hearing_ids if pk is not None}
    if not ids:
        return
    Hearing.objects.filter(pk__in=ids).update(content_version=Coalesce("content_version", 0) + 1)
    keys = (version_key,) if appended else (version_key, content_version_key)

    def replace():
        cache.set_many({key(pk): _new_version() for pk in ids for key in keys}, VERSION_TIMEOUT)

    replace()
    if connection.in_atomic_block:
        transaction.on_commit(replace)


@functools.cache
def _hole_secret() -> str:
    # Unguessable, and with "<" in the hole: no escaped or sanitised text a user wrote can contain one.
    return hashlib.sha256(f"hearings.response_cache:{settings.SECRET_KEY}".encode()).hexdigest()[:24]


def hole(name: str) -> SafeString:
    """A place in stored HTML that each request fills: ``<!--name-secret-->``."""
    return mark_safe(f"<!--{name}-{_hole_secret()}-->")  # noqa: S308 - a constant of ours


def count_hole() -> SafeString:
    return hole("count")


def count_key(hearing_id: int, response_filter: ResponseFilter) -> str:
    """The published count of a hearing page's list (no section), kept by hearings.page_cache."""
    return f"hearings:counts:{hearing_id}:{response_filter.respondent_type or '-'}:{response_filter.target or '-'}"


def current_count(hearing_id: int, response_filter: ResponseFilter, *, version: str, cached=None) -> int:
    """The count of the list now: ``cached`` (what ``count_key`` held) if it is of ``version``, else
    counted (one query) and kept."""
    if isinstance(cached, tuple) and cached[0] == version:
        return cached[1]
    count = published_count(hearing_id=hearing_id, response_filter=response_filter)
    cache.set(count_key(hearing_id, response_filter), (version, count), settings.RESPONSE_LIST_CACHE_SECONDS)
    return count


def _page_number(raw) -> int | None:
    """The page as the key names it: the digits of ``?side=``, or 1 without it; else None."""
    return 1 if raw in (None, "") else parse_id(raw)


def list_key(
    *, hearing: Hearing, section: Section | None, response_filter: ResponseFilter, page
) -> str | None:
    """The cache key of this list, or None when it is not to be cached."""
    if not settings.RESPONSE_LIST_CACHE_SECONDS:
        return None
    if (
        response_filter.respondent_type
        and response_filter.respondent_type not in Response.RespondentType.values
    ):
        return None
    if response_filter.target and TargetKey.parse(response_filter.target) is None:
        return None
    number = _page_number(page)
    if number is None:
        return None
    return ":".join(
        str(part)
        for part in (
            "hearings:responses",
            hearing.pk,
            current_version(hearing.pk),
            get_language(),
            hearing.current_state,
            section.pk if section is not None else "-",
            response_filter.respondent_type or "-",
            response_filter.target or "-",
            number,
        )
    )


@dataclass(frozen=True)
class ResponseList:
    """A rendered list, with its count as a hole (``count_hole()``), the count, whether this is the
    list's last page, and whether it is canonical (read from the cache or stored in it)."""

    html: str
    count: int
    is_last_page: bool
    canonical: bool

    def filled(self) -> SafeString:
        """The list as it is shown, with its count."""
        return mark_safe(fill_count(self.html, self.count))  # noqa: S308 - our own template's output


def fill_count(html: str, count: int) -> str:
    """``html`` with the count's hole filled, as the template would have written the number."""
    return html.replace(count_hole(), formats.localize(count))


def response_list(
    *,
    hearing: Hearing,
    response_filter: ResponseFilter,
    page,
    build: Callable[[], dict],
    section: Section | None = None,
) -> ResponseList:
    """The rendered response list (``.filled()`` to show it): from the cache, or rendered with the
    context that ``build()`` reads (``page``, ``filter``, ``target_choices``, ``respondent_types``,
    ``list_url``) and stored. Looking it up costs no query: the count is part of what is cached."""
    key = list_key(hearing=hearing, section=section, response_filter=response_filter, page=page)
    if key is not None:
        entry = cache.get(key)
        if isinstance(entry, tuple):
            html, count, is_last_page = entry
            return ResponseList(html, count, is_last_page, canonical=True)
    context = build()
    html = str(render_to_string(TEMPLATE, {"hearing": hearing, "response_total": count_hole(), **context}))
    offered = {value for value, _label in context.get("target_choices", ())}
    exists = context["page"].number == _page_number(page)  # not a page past the last
    canonical = (
        key is not None and exists and (not response_filter.target or response_filter.target in offered)
    )
    listed = ResponseList(
        html, context["page"].paginator.count, not context["page"].has_next(), canonical=canonical
    )
    if canonical:
        cache.set(key, (html, listed.count, listed.is_last_page), settings.RESPONSE_LIST_CACHE_SECONDS)
    return listed


# --- What bumps the version -------------------------------------------------------------------


def _hearing_of_response(response_id: int | None) -> list[int]:
    return list(Response.objects.filter(pk=response_id).values_list("hearing_id", flat=True))


def _response_changed(sender, instance: Response, created: bool = False, **kwargs) -> None:
    if created and instance.status not in (Response.Status.PUBLISHED, Response.Status.HIDDEN):
        return  # pending moderation: on no public page yet
    appended = (
        created
        and instance.status == Response.Status.PUBLISHED
        and not Response.objects.filter(hearing_id=instance.hearing_id, number__gt=instance.number).exists()
    )
    bump([instance.hearing_id], appended=appended)


def part_of_response_changed(sender, instance: Any, **kwargs) -> None:
    """A post_save/post_delete receiver for a model with a ``response`` foreign key whose rows the list
    shows with the response (attachments here; moderation's remarks connect it too)."""
    if sender.response.is_cached(instance):
        bump([instance.response.hearing_id])
    else:
        bump(_hearing_of_response(instance.response_id))


def _hearing_changed(sender, instance: Hearing, update_fields=None, **kwargs) -> None:
    if update_fields == {"last_response_number"}:
        return  # the counter that numbers a new response: shown nowhere (the response itself bumps)
    bump([instance.pk])


def _event_changed(sender, instance: HearingEvent, **kwargs) -> None:
    """Not in the list, but on the hearing page, which hearings.page_cache keeps under the same version."""
    bump([instance.hearing_id])


def _municipality_changed(sender, instance: Municipality, **kwargs) -> None:
    """Its name and contact block are on the hearing page (hearings.page_cache)."""
    bump(Hearing.objects.filter(strategy__municipality=instance.pk).values_list("pk", flat=True))


def _strategy_text_changed(sender, instance, **kwargs) -> None:
    """A strategy's, section's, goal's or theme's text: the list names responses' targets by them."""
    hearings = Hearing.objects.all()
    if isinstance(instance, Strategy):
        hearings = hearings.filter(strategy_id=instance.pk)
    elif isinstance(instance, Section):
        hearings = hearings.filter(strategy_id=instance.strategy_id)
    else:
        hearings = hearings.filter(strategy__sections=instance.section_id)
    bump(hearings.values_list("pk", flat=True))


def connect() -> None:
    """Called once from ``HearingsConfig.ready()``."""
    receivers = [
        (Response, _response_changed),
        (ResponseAttachment, part_of_response_changed),
        (Hearing, _hearing_changed),
        (HearingEvent, _event_changed),
        (Municipality, _municipality_changed),
        (Strategy, _strategy_text_changed),
        (Section, _strategy_text_changed),
        (Goal, _strategy_text_changed),
        (Theme, _strategy_text_changed),
    ]
    for model, receiver in receivers:
        uid = f"hearings.response_cache:{model._meta.label}"
        post_save.connect(receiver, sender=model, dispatch_uid=uid)
        post_delete.connect(receiver, sender=model, dispatch_uid=uid)
