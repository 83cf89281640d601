"""Factories for snow days: an event under review with one line."""

from __future__ import annotations

from datetime import date, timedelta

from neighborly.extensions import db
from neighborly.help_requests.models import HelpRequest
from neighborly.help_requests.snow_models import SnowEvent, SnowLine
from neighborly.timeutil import utcnow


def snow_day(request: HelpRequest, volunteer_id: int | None = None) -> tuple[SnowEvent, SnowLine]:
    """A snow day in the request's community with the request as its only line."""
    event = SnowEvent(
        community_id=request.community_id,
        day=date.today(),
        snowfall=4,
        snowfall_unit="in",
        deadline=utcnow() + timedelta(hours=24),
    )
    db.session.add(event)
    db.session.flush()
    line = SnowLine(
        community_id=request.community_id,
        event_id=event.id,
        request_id=request.id,
        volunteer_id=volunteer_id,
        reason="nearest" if volunteer_id else "nobody_within_walk",
        distance_km=0.3 if volunteer_id else None,
    )
    db.session.add(line)
    db.session.flush()
    return event, line
