"""Clock helpers for tests that must not depend on the hour they run at."""

from __future__ import annotations

from neighborly.timeutil import utcnow


def midday_zone() -> str:
    """A time zone where it is about noon now, so nobody's quiet hours (21:00-08:00) hold a
    message back, whatever the hour the suite runs at."""
    offset = 12 - utcnow().hour  # -11 .. +12 hours from UTC
    return f"Etc/GMT{-offset:+d}"  # (the Etc zones count the other way round)
