"""The demo tells its story through the services, in time: no row is back-dated afterwards."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import event, select

from neighborly.audit import AuditEvent
from neighborly.demo import load_demo
from neighborly.extensions import db
from neighborly.help_requests.models import HelpRequest, VolunteerProfile
from neighborly.notifications.models import OutboxMessage
from neighborly.timeutil import utcnow

_UPDATE = re.compile(
    r"^\s*UPDATE\s+\"?(?P<table>\w+)\"?\s+SET\s+(?P<set>.*?)(\s+WHERE\s|$)", re.I | re.S
)
_STORY_COLUMNS = ("created_at", "decided_at", "started_on")  # set once, when a row is made


def _back_dating_updates(mentoring: bool) -> list[str]:
    """Load the demo and return every UPDATE that re-dates rows or touches the audit log."""
    seen: list[str] = []

    def listen(_conn, _cursor, statement, _params, _context, _many):
        match = _UPDATE.match(statement)
        if match is None:
            return
        sets = match["set"].lower()
        if match["table"] == "audit_events" or any(col in sets for col in _STORY_COLUMNS):
            seen.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", listen)
    try:
        load_demo(residents=12, volunteers=8, seed=5, mentoring=mentoring)
    finally:
        event.remove(engine, "before_cursor_execute", listen)
    return seen


def test_the_help_demo_issues_no_update_that_back_dates_rows(app):
    assert _back_dating_updates(mentoring=False) == []


@pytest.mark.xfail(
    strict=True,
    reason="the mentoring demo still dates its steps afterwards (Clock.stamp) until the "
    "mentoring services take `now`",
)
def test_the_mentoring_demo_issues_no_update_that_back_dates_rows(app):
    assert _back_dating_updates(mentoring=True) == []


def test_audit_events_and_emails_follow_the_story_of_each_request(app):
    started = utcnow()
    load_demo(residents=12, volunteers=8, seed=5, mentoring=False)
    requests = {r.id: r for r in db.session.scalars(select(HelpRequest))}
    assert any(r.confirmed_at for r in requests.values())
    moment = {
        "request.created": "created_at",
        "request.accepted": "accepted_at",
        "request.completed": "completed_at",
        "request.confirmed": "confirmed_at",
    }
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.object_type == "help_request")
    ).all()
    assert len(events) >= len(requests)
    for audit in events:
        request = requests[audit.object_id]
        assert audit.created_at == getattr(request, moment[audit.action]), audit.action
        assert audit.created_at < started
    profiles = {p.id: p for p in db.session.scalars(select(VolunteerProfile))}
    for audit in db.session.scalars(
        select(AuditEvent).where(AuditEvent.object_type == "volunteer_profile")
    ):
        profile = profiles[audit.object_id]
        expected = {"volunteer.profile_saved": profile.created_at}
        expected["volunteer.verified"] = profile.verified_at
        assert audit.created_at == expected[audit.action]
    request_times = {
        moment
        for r in requests.values()
        for moment in (r.created_at, r.accepted_at, r.completed_at, r.confirmed_at)
        if moment
    }
    emails = db.session.scalars(select(OutboxMessage)).all()
    assert emails
    assert all(email.created_at in request_times for email in emails)
