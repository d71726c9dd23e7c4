import datetime as dt

from django import template
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

register = template.Library()


@register.simple_tag
def hearing_period(hearing) -> str:
    """'1. maj – 15. juni 2018 kl. 12.00' (the year once when both ends share it)."""
    opens = timezone.localtime(hearing.opens_at)
    closes = timezone.localtime(hearing.closes_at)
    start_format = "MONTH_DAY_FORMAT" if opens.year == closes.year else "DATE_FORMAT"
    start = formats.date_format(opens, start_format)
    end = formats.date_format(closes, "DATETIME_FORMAT")
    return f"{start} – {end}"


@register.simple_tag
def time_left(hearing, now=None) -> str:
    """'3 dage og 4 timer tilbage', '5 timer og 12 minutter tilbage' while the hearing is open."""
    return time_left_until(hearing.closes_at, now)


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


@register.simple_tag(takes_context=True)
def hearing_time_left(context, hearing) -> str:
    """The hearing box's 'X tilbage', or, in a page that hearings.page_cache keeps, the hole that each
    request fills with the time left then."""
    if context.get("page_cache_holes"):
        from hearings.page_cache import time_left_hole

        return time_left_hole()
    return capfirst(time_left(hearing))


@register.simple_tag(takes_context=True)
def may_download_summary(context, hearing) -> bool:
    from hearings.permissions import may_download_document

    return may_download_document(context["request"].user, hearing, "summary")
