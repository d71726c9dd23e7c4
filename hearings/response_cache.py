"""The rendered response list of the hearing page and the section page, cached for every reader.

What ``templates/hearings/includes/response_list.html`` shows is the same for every visitor, signed
in or not: the filter form (a GET form, no CSRF token), the published responses with their remarks,
attachments and "Anmeld" links, the hidden notices and "Vis flere". Nothing in it depends on the user,
the session or the messages, so the fragment is cached, never the page around it: the CSRF token, the
messages, the header and the follow box are rendered for each request.

The key names what the fragment depends on:
``hearings:responses:<hearing>:<version>:<language>:<state>:<section>:<type>:<target>:<page>``.

- ``version`` is a random token per hearing, kept in the cache (``version_key``), and replaced by
  ``bump()`` on every change that a reader could see: a response saved (submitted, published, hidden,
  rejected, restored, edited, withdrawn, its personal data removed) or deleted, a remark, an
  attachment, the hearing itself (its dates, show_remarks_while_open) and the strategy's texts that
  the list quotes (section titles, goals, themes); also the hearing's events and its municipality,
  which are not in the list but on the hearing page that hearings.page_cache keeps under the same
  version. The receivers below catch every ``save()`` and
  ``delete()``, the admin's included; ``QuerySet.update()`` and ``bulk_create()`` send no signal, so
  code that changes shown fields with them calls ``bump()`` itself.
- ``state`` (upcoming, open, closed) follows from the clock: the "Anmeld" link and the remarks change
  when a hearing closes without anything being saved.
- The entries expire after ``RESPONSE_LIST_CACHE_SECONDS`` (5 minutes; 0, the default without Redis,
  turns the cache off) whatever happens, which bounds how long a bump lost to a Redis outage can
  leave a list stale. The list shows dates, not "2 hours ago", so nothing in it ages within that time.

Only canonical requests are stored: a known respondent type, a target that the hearing offers, a page
number written as digits that is not past the last page (known once the list is read). Anything else
is rendered each time, so nobody can fill the cache with lists under made-up keys.
"""

import uuid
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from strategies.models import Goal, Municipality, Section, Strategy, Theme

from .models import Hearing, HearingEvent, Remark, Response, ResponseAttachment
from .selectors import ResponseFilter, parse_id

TEMPLATE = "hearings/includes/response_list.html"
VERSION_TIMEOUT = 7 * 24 * 3600  # a lost version only costs one render of each page


def version_key(hearing_id: int) -> str:
    return f"hearings:responses:version:{hearing_id}"


def _new_version() -> str:
    return uuid.uuid4().hex[:16]


def current_version(hearing_id: int) -> str:
    key = version_key(hearing_id)
    version = cache.get(key)
    if version is None:
        version = _new_version()
        if not cache.add(key, version, VERSION_TIMEOUT):
            version = cache.get(key) or version  # another process set one first: use theirs
    return version


def bump(hearing_ids: Iterable[int]) -> None:
    """Give each hearing's response lists a new version: what was cached is not read again.

    Bumped at once (for what runs later in the same transaction) and again after the commit: a reader
    who rendered the list between the first bump and the commit saw the old rows and may have stored
    them under the new version."""
    ids = {pk for pk in hearing_ids if pk is not None}
    if not ids:
        return

    def replace():
        cache.set_many({version_key(pk): _new_version() for pk in ids}, VERSION_TIMEOUT)

    replace()
    if connection.in_atomic_block:
        transaction.on_commit(replace)


def _page_number(raw) -> int | None:
    """The page as the key names it: the digits of ``?side=``, or 1 without it; else None."""
    return 1 if raw in (None, "") else parse_id(raw)


def list_key(*, hearing: Hearing, section: Section | None, flt: ResponseFilter, page) -> str | None:
    """The cache key of this list, or None when it is not to be cached."""
    if not settings.RESPONSE_LIST_CACHE_SECONDS:
        return None
    if flt.respondent_type and flt.respondent_type not in Response.RespondentType.values:
        return None
    if flt.target and not _well_formed_target(flt.target):
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
            flt.respondent_type or "-",
            flt.target or "-",
            number,
        )
    )


def _well_formed_target(target: str) -> bool:
    kind, _sep, raw_id = target.partition("-")
    return target == "strategy" or (kind in ("section", "goal", "theme") and parse_id(raw_id) is not None)


def response_list(
    *,
    hearing: Hearing,
    flt: ResponseFilter,
    page,
    build: Callable[[], dict],
    section: Section | None = None,
) -> SafeString:
    """The rendered response list: from the cache, or rendered with the context that ``build()``
    reads (``page``, ``filter``, ``target_choices``, ``respondent_types``, ``list_url``) and stored.
    Looking it up costs no query: the count is part of what is cached."""
    return cached_response_list(hearing=hearing, flt=flt, page=page, build=build, section=section)[0]


def cached_response_list(
    *,
    hearing: Hearing,
    flt: ResponseFilter,
    page,
    build: Callable[[], dict],
    section: Section | None = None,
) -> tuple[SafeString, bool]:
    """``response_list()``, and whether the list is canonical (read from the cache or stored in it):
    the hearing page is cached whole (hearings.page_cache) only when its list is."""
    key = list_key(hearing=hearing, section=section, flt=flt, page=page)
    if key is not None:
        html = cache.get(key)
        if html is not None:
            return mark_safe(html), True  # noqa: S308 - our own template's output, stored below
    context = build()
    html = render_to_string(TEMPLATE, {"hearing": hearing, **context})
    offered = {value for value, _label in context.get("target_choices", ())}
    exists = context["page"].number == _page_number(page)  # not a page past the last
    canonical = key is not None and exists and (not flt.target or flt.target in offered)
    if canonical:
        cache.set(key, str(html), settings.RESPONSE_LIST_CACHE_SECONDS)
    return html, canonical


# --- What bumps the version -------------------------------------------------------------------


def _hearing_of_response(response_id: int | None) -> list[int]:
    return list(Response.objects.filter(pk=response_id).values_list("hearing_id", flat=True))


def _response_changed(sender, instance: Response, **kwargs) -> None:
    bump([instance.hearing_id])


def _part_of_response_changed(sender, instance: Remark | ResponseAttachment, **kwargs) -> None:
    if sender.response.is_cached(instance):
        bump([instance.response.hearing_id])
    else:
        bump(_hearing_of_response(instance.response_id))


def _hearing_changed(sender, instance: Hearing, **kwargs) -> None:
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
        (Remark, _part_of_response_changed),
        (ResponseAttachment, _part_of_response_changed),
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
