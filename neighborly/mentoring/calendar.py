"""Calendar files (iCalendar, RFC 5545) for a program's group events; pure, no Flask or DB."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from icalendar import Calendar, Event, vText

PRODUCT_ID = "-//Neighborly//Mentoring events//EN"


@dataclass(frozen=True)
class CalendarEvent:
    """What a calendar needs to know about one group event."""

    uid: str
    name: str
    program: str
    held_on: date
    place: str
    url: str


class PlainText(vText):
    """Text escaped as RFC 5545 says (icalendar's own escaping reads a typed "\\N" as a break)."""

    def to_ical(self) -> bytes:
        """Escape backslash, semicolon, comma and line breaks; nothing else."""
        text = str(self).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
        return text.replace("\n", "\\n").encode("utf-8")


def one_line(text: str) -> str:
    """Names and places are one line: every run of line breaks becomes one space."""
    return " ".join(part for part in text.splitlines() if part) if text else ""


def event_calendar(event: CalendarEvent, stamp: datetime) -> bytes:
    """One all-day event as an .ics file that phones and desktop calendars import."""
    entry = Event()
    entry.add("uid", event.uid)
    entry.add("dtstamp", stamp)
    entry.add("summary", PlainText(one_line(f"{event.name} ({event.program})")))
    entry.add("dtstart", event.held_on)
    entry.add("dtend", event.held_on + timedelta(days=1))
    if one_line(event.place):
        entry.add("location", PlainText(one_line(event.place)))
    entry.add("url", event.url)
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add_component(entry)
    return calendar.to_ical()
