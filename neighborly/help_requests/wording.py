"""Matching reasons in the reader's language (the pure module gives codes and values)."""

from __future__ import annotations

from datetime import date, datetime, time

from babel.dates import format_date, format_skeleton, format_time
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from neighborly.help_requests.matching import Reason, clock

# The parts of the day a volunteer ticks (neighborly.availability.PARTS_OF_DAY): heading, words.
PART_HEADINGS = {
    "morning": _l("Morning"),
    "afternoon": _l("Afternoon"),
    "evening": _l("Evening"),
}
PART_LABELS = {
    "morning": _l("morning (8 am to noon)"),
    "afternoon": _l("afternoon (noon to 5 pm)"),
    "evening": _l("evening (5 pm to 9 pm)"),
}
BAND_WORDS = {
    "under_1km": lambda: _("under 1 km"),
    "1_3km": lambda: _("1-3 km"),
    "3_5km": lambda: _("3-5 km"),
    "5_10km": lambda: _("5-10 km"),
    "over_10km": lambda: _("over 10 km"),
}


def _locale() -> str:
    """The reader's language code."""
    return str(get_locale() or "en")


def _time_words(local: datetime) -> str:
    """'9 am' in English, the locale's short time elsewhere."""
    if _locale() == "en":
        return clock(local)
    return format_skeleton("hm", local, locale=_locale(), fuzzy=True)


def _needed_by(local: datetime, day: str) -> str:
    """'needed by 9 am tomorrow' and friends."""
    time = _time_words(local)
    if day == "today":
        return _("needed by %(time)s today", time=time)
    if day == "tomorrow":
        return _("needed by %(time)s tomorrow", time=time)
    if day == "weekday":
        weekday = format_date(local, "EEEE", locale=_locale())
        return _("needed by %(time)s on %(weekday)s", time=time, weekday=weekday)
    return _(
        "needed by %(time)s on %(date)s",
        time=time,
        date=format_skeleton("MMMMd", local, locale=_locale(), fuzzy=True),
    )


def _waiting(values: dict) -> str:
    """'waiting 5 hours' or 'waiting 2 days'."""
    if "hours" in values:
        return ngettext("waiting %(num)d hour", "waiting %(num)d hours", values["hours"])
    return ngettext("waiting %(num)d day", "waiting %(num)d days", values["days"])


def _helped(values: dict) -> str:
    """'you helped Rosa in January' (with the year when long ago)."""
    first_of_month = date(values.get("year", 2000), values["month"], 1)
    pattern = "MMMM y" if "year" in values else "MMMM"
    when = format_date(first_of_month, pattern, locale=_locale())
    return _("you helped %(name)s in %(when)s", name=values["name"], when=when)


def reason_text(reason: Reason) -> str:
    """One matching reason as words in the reader's language."""
    values = dict(reason.values)
    match reason.code:
        case "distance":
            return BAND_WORDS[values["band"]]()
        case "needed_by":
            return _needed_by(values["at"], values["day"])
        case "just_posted":
            return _("just posted")
        case "waiting":
            return _waiting(values)
        case "available_in_time":
            return _("you are free before then")
        case "helped_before":
            return _helped(values)
    return ""


SERIES_STATUS_LABELS = {
    "active": _l("Active"),
    "paused": _l("Paused"),
    "ended": _l("Ended"),
}


def series_time(series) -> str:
    """A weekly series' time of day in the reader's language ("7:00 PM", "19:00")."""
    minute = series.start_minute or 0
    return format_time(time(minute // 60, minute % 60), format="short", locale=str(get_locale()))
