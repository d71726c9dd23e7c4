from django import template
from django.utils import formats, timezone
from django.utils.text import capfirst

from hearings.page_cache import time_left_hole, time_left_until

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


@register.simple_tag(takes_context=True)
def hearing_time_left(context, hearing) -> str:
    """The hearing box's 'X tilbage', or, in a page that hearings.page_cache keeps, the hole that each
    request fills with the time left then."""
    if context.get("page_cache_holes"):
        return time_left_hole()
    return capfirst(time_left(hearing))
