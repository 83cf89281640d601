"""Time helpers: everything is stored as UTC-aware datetimes."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo


def utcnow() -> datetime:
    """Return the current time as an aware UTC datetime."""
    return datetime.now(UTC)


def local_time(value: datetime, timezone: str) -> datetime:
    """Show a UTC datetime in a community's time zone."""
    return value.astimezone(ZoneInfo(timezone))
