"""Matching reasons in the reader's language (the pure module gives codes and values)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time
from functools import lru_cache

from babel.dates import format_date, format_skeleton, format_time
from babel.numbers import format_decimal
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from neighborly.geo.cells import CELL_KM
from neighborly.geo.units import KILOMETRES, MILES, km_to_unit, short_distance
from neighborly.help_requests.matching import Reason, clock
from neighborly.wording import page_gettext as _
from neighborly.wording import page_locale
from neighborly.wording import page_ngettext as ngettext

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
# The same bands in miles (1 km is 0.62 miles), for communities that count in miles.
BAND_WORDS_MILES = {
    "under_1km": lambda: _("under 0.6 miles"),
    "1_3km": lambda: _("0.6-2 miles"),
    "3_5km": lambda: _("2-3 miles"),
    "5_10km": lambda: _("3-6 miles"),
    "over_10km": lambda: _("over 6 miles"),
}


def band_text(band: str, unit: str = KILOMETRES) -> str:
    """A distance band in the community's unit."""
    return (BAND_WORDS_MILES if unit == MILES else BAND_WORDS)[band]()


def distance_text(km: float, unit: str = KILOMETRES) -> str:
    """A distance such as "1.2 miles" or "1.9 km", in the community's unit."""
    value = round(km_to_unit(km, unit), 1)
    number = format_decimal(value, locale=_locale())
    if unit == MILES:
        one = 1 if value == 1 else 2  # "1 mile", "1.5 miles"
        return ngettext("%(distance)s mile", "%(distance)s miles", one, distance=number)
    return _("%(distance)s km", distance=number)


def area_text(unit: str = KILOMETRES) -> str:
    """How big the public area of a request is: a cell of about 500 m."""
    amount, short = short_distance(CELL_KM * 1000, unit)
    number = format_decimal(amount, locale=_locale())
    if short == "ft":
        return _("an area about %(num)s feet across", num=number)
    return _("an area about %(num)s metres across", num=number)


def _locale() -> str:
    """The reader's language code."""
    return page_locale()


@lru_cache(maxsize=4096)
def _clock_words(locale: str, hour: int, minute: int) -> str:
    """'9 am' in English, the locale's short time elsewhere (Babel runs once per time)."""
    moment = datetime.combine(date(2000, 1, 3), time(hour, minute))
    if locale == "en":
        return clock(moment)
    return format_skeleton("hm", moment, locale=locale, fuzzy=True)


@lru_cache(maxsize=4096)
def _date_words(locale: str, when: date, pattern: str, skeleton: bool = False) -> str:
    """A day, weekday or month in the locale's words (Babel runs once per day and pattern)."""
    if skeleton:
        return format_skeleton(pattern, when, locale=locale, fuzzy=True)
    return format_date(when, pattern, locale=locale)


def _needed_by(local: datetime, day: str) -> str:
    """'needed by 9 am tomorrow' and friends."""
    locale = _locale()
    time = _clock_words(locale, local.hour, local.minute)
    if day == "today":
        return _("needed by %(time)s today", time=time)
    if day == "tomorrow":
        return _("needed by %(time)s tomorrow", time=time)
    if day == "weekday":
        weekday = _date_words(locale, local.date(), "EEEE")
        return _("needed by %(time)s on %(weekday)s", time=time, weekday=weekday)
    return _(
        "needed by %(time)s on %(date)s",
        time=time,
        date=_date_words(locale, local.date(), "MMMMd", skeleton=True),
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
    when = _date_words(_locale(), first_of_month, pattern)
    return _("you helped %(name)s in %(when)s", name=values["name"], when=when)


def reason_text(reason: Reason, unit: str = KILOMETRES) -> str:
    """One matching reason as words in the reader's language (distances in `unit`)."""
    values = dict(reason.values)
    match reason.code:
        case "distance":
            return band_text(values["band"], unit)
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


def reason_words() -> Callable[..., str]:
    """`reason_text` for one page: each distinct reason (in each unit) is put into words once."""
    said: dict[tuple[Reason, str], str] = {}

    def words(reason: Reason, unit: str = KILOMETRES) -> str:
        text = said.get((reason, unit))
        if text is None:
            text = said[reason, unit] = reason_text(reason, unit)
        return text

    return words


SERIES_STATUS_LABELS = {
    "active": _l("Active"),
    "paused": _l("Paused"),
    "ended": _l("Ended"),
}


def series_time(series) -> str:
    """A weekly series' time of day in the reader's language ("7:00 PM", "19:00")."""
    minute = series.start_minute or 0
    return format_time(time(minute // 60, minute % 60), format="short", locale=str(get_locale()))
