"""iCalendar files (RFC 5545, built with the ``icalendar`` package) so a citizen can put a hearing's
deadline in their own calendar: per hearing (opening, deadline with a reminder the day before, and
the hearing's events) and per municipality (the same for each of its public hearings)."""

import datetime as dt
from collections.abc import Iterable

import icalendar
from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from hearings.models import Hearing, HearingEvent
from portal.text import normalise_line, normalise_text

from . import selectors

PRODID = "-//Høringsportalen//Høringer//DA"


def _uid(kind: str, pk: int, request) -> str:
    return f"{kind}-{pk}@{request.get_host().split(':')[0]}"


def _event(*, uid: str, summary: str, start: dt.datetime, end: dt.datetime | None, url: str,
           description: str = "", location: str = "", stamp: dt.datetime) -> icalendar.Event:  # fmt: skip
    event = icalendar.Event()
    event.add("uid", uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", start.astimezone(dt.UTC))
    if end is not None:
        event.add("dtend", end.astimezone(dt.UTC))
    # The second guard after the one on input: RFC 5545 §3.3.11 TEXT holds no control character but TAB
    # (LF is written as "\\n"), and no encoding can carry an unpaired surrogate (portal.text).
    event.add("summary", normalise_line(summary))
    event.add("url", url)
    if description:
        event.add("description", normalise_text(description))
    if location:
        event.add("location", normalise_line(location))
    return event


def hearing_events(hearing: Hearing, request, *, stamp: dt.datetime) -> list[icalendar.Event]:
    """The calendar entries of one hearing: it opens, its deadline (with a reminder a day before), and
    its workshops and meetings."""
    url = request.build_absolute_uri(hearing.get_absolute_url())
    where = f"{hearing.strategy.municipality.name} · {hearing.strategy.title}"
    opens = _event(
        uid=_uid("hearing-opens", hearing.pk, request),
        summary=_("Høringen åbner: %(title)s") % {"title": hearing.title},
        start=hearing.opens_at, end=hearing.opens_at, url=url, stamp=stamp,
        description=_("%(where)s. Du kan sende høringssvar fra nu: %(url)s") % {"where": where, "url": url},
    )  # fmt: skip
    deadline = _event(
        uid=_uid("hearing-closes", hearing.pk, request),
        summary=_("Høringsfrist: %(title)s") % {"title": hearing.title},
        start=hearing.closes_at, end=hearing.closes_at, url=url, stamp=stamp,
        description=_("%(where)s. Send dit høringssvar senest nu: %(url)s") % {"where": where, "url": url},
    )  # fmt: skip
    reminder = icalendar.Alarm()
    reminder.add("action", "DISPLAY")
    reminder.add(
        "description", normalise_line(_("Høringsfristen er i morgen: %(title)s") % {"title": hearing.title})
    )
    reminder.add("trigger", dt.timedelta(days=-1))
    deadline.add_component(reminder)
    entries = [opens, deadline]
    for item in hearing.events.all():
        entries.append(meeting(item, hearing, request, url=url, stamp=stamp))
    return entries


def meeting(item: HearingEvent, hearing: Hearing, request, *, url: str, stamp: dt.datetime):
    description = item.description or ""
    summary = f"{item.title} ({item.get_kind_display().lower()})"
    return _event(
        uid=_uid("event", item.pk, request), summary=summary, start=item.starts_at, end=item.ends_at,
        url=url, stamp=stamp, location=item.place,
        description="\n\n".join(p for p in (description, _("Høring: %(title)s") % {"title": hearing.title}) if p),
    )  # fmt: skip


def calendar(name: str, hearings: Iterable[Hearing], request) -> bytes:
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", normalise_line(name))
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    stamp = timezone.now().astimezone(dt.UTC)
    for hearing in hearings:
        for entry in hearing_events(hearing, request, stamp=stamp):
            cal.add_component(entry)
    return cal.to_ical()


def ics_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class HearingCalendarView(View):
    def get(self, request, pk):
        hearing = selectors.public_hearing(pk=pk)
        name = f"{hearing.title} ({hearing.strategy.municipality.name})"
        return ics_response(calendar(name, [hearing], request), f"hoering-{hearing.pk}.ics")


class MunicipalityCalendarView(View):
    def get(self, request, municipality):
        found = selectors.municipality(slug=municipality)
        name = _("Høringer i %(municipality)s") % {"municipality": found.name}
        hearings = selectors.public_hearings(municipality=found)
        return ics_response(calendar(name, hearings, request), f"hoeringer-{found.slug}.ics")
