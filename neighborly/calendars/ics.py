"""iCalendar (RFC 5545) text for a person's feed and for one task; pure, no Flask or DB."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from icalendar import Calendar, Event

from neighborly.mentoring.calendar import PlainText, one_line

PRODUCT_ID = "-//Neighborly//Personal calendar//EN"


@dataclass(frozen=True)
class Entry:
    """One thing on a calendar: timed (start and end) or all day (`day`)."""

    uid: str
    summary: str
    url: str
    description: str = ""
    location: str = ""
    start: datetime | None = None
    end: datetime | None = None
    day: date | None = None


def _event(entry: Entry, stamp: datetime) -> Event:
    """One VEVENT, its text escaped as RFC 5545 says."""
    event = Event()
    event.add("uid", entry.uid)
    event.add("dtstamp", stamp)
    event.add("summary", PlainText(one_line(entry.summary)))
    if entry.day is not None:
        event.add("dtstart", entry.day)
        event.add("dtend", entry.day + timedelta(days=1))
    else:
        event.add("dtstart", entry.start)
        event.add("dtend", entry.end or entry.start)
    if entry.description:
        event.add("description", PlainText(entry.description))
    if one_line(entry.location):
        event.add("location", PlainText(one_line(entry.location)))
    event.add("url", entry.url)
    return event


def calendar_file(entries: Iterable[Entry], stamp: datetime, name: str = "") -> bytes:
    """A calendar with these entries, as the bytes of an .ics file."""
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    if name:
        calendar.add("x-wr-calname", PlainText(one_line(name)))
    for entry in entries:
        calendar.add_component(_event(entry, stamp))
    return calendar.to_ical()
