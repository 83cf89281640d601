"""Report views: figures, CSV downloads and event calendars."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Response
from flask_login import current_user

from neighborly.mentoring import calendar, policies, reports, services
from neighborly.mentoring.views.common import bp, program_page
from neighborly.notifications.services import absolute_url
from neighborly.policy import policy
from neighborly.timeutil import utcnow


@bp.get("/mentoring/programs/<int:program_id>/reports")
@policy(policies.program_coordinator)
def report(program_id: int):
    """The program's figures."""
    found = services.get_program(program_id)
    return program_page("reports.html", found, report=reports.program_report(program_id))


def _csv_response(text: str, filename: str) -> Response:
    """A CSV download."""
    return Response(
        text,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.get("/mentoring/programs/<int:program_id>/reports/pairs.csv")
@policy(policies.program_coordinator)
def pairs_csv(program_id: int):
    """Every match as CSV (no restricted fields)."""
    text = reports.pairs_csv(program_id, current_user)
    return _csv_response(text, f"program-{program_id}-pairs.csv")


@bp.get("/mentoring/programs/<int:program_id>/reports/mentors.csv")
@policy(policies.program_coordinator)
def mentors_csv(program_id: int):
    """Every mentor's service hours as CSV."""
    text = reports.mentors_csv(program_id, current_user)
    return _csv_response(text, f"program-{program_id}-mentors.csv")


@bp.get("/mentoring/events/<int:event_id>/calendar.ics")
@policy(policies.event_mentor_or_coordinator)
def event_calendar(event_id: int):
    """The event as a calendar file, for a mentor's or coordinator's own calendar."""
    found = services.get_event(event_id)
    home = absolute_url("mentoring.mentor_home", program_id=found.program_id)
    entry = calendar.CalendarEvent(
        uid=f"mentoring-event-{found.id}@{urlsplit(home).hostname}",
        name=found.name,
        program=services.get_program(found.program_id).name,
        held_on=found.held_on,
        place=found.place,
        url=home,
    )
    body = calendar.event_calendar(entry, utcnow())
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = f'attachment; filename="event-{found.id}.ics"'
    return response
