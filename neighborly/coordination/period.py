"""The date range a coordinator looks at: local calendar days turned into UTC bounds (pure)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

DEFAULT_DAYS = 90
LONGEST = timedelta(days=3 * 366)


@dataclass(frozen=True)
class Period:
    """From the start of `first` to the end of `last`, both local days in `timezone`."""

    first: date
    last: date
    timezone: str

    @property
    def start(self) -> datetime:
        """The first instant, in UTC."""
        return _utc(self.first, self.timezone)

    @property
    def end(self) -> datetime:
        """The instant just after the last day, in UTC (exclusive)."""
        return _utc(self.last + timedelta(days=1), self.timezone)

    @property
    def days(self) -> int:
        """How many days the period covers."""
        return (self.last - self.first).days + 1


def _utc(day: date, timezone: str) -> datetime:
    """Local midnight of a day as a UTC datetime."""
    return datetime.combine(day, time(), tzinfo=ZoneInfo(timezone)).astimezone(UTC)


def today_in(timezone: str, now: datetime) -> date:
    """The local calendar day at `now`."""
    return now.astimezone(ZoneInfo(timezone)).date()


def default_period(timezone: str, now: datetime, days: int = DEFAULT_DAYS) -> Period:
    """The last `days` days up to today."""
    today = today_in(timezone, now)
    return Period(today - timedelta(days=days - 1), today, timezone)


def months_between(first: date, last: date) -> list[date]:
    """The first day of each calendar month from `first`'s month to `last`'s."""
    months, current = [], first.replace(day=1)
    while current <= last:
        months.append(current)
        current = (current + timedelta(days=32)).replace(day=1)
    return months
