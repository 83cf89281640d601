"""The demo tells its story through the services, in time: no row is back-dated afterwards."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from sqlalchemy import event, select

import neighborly
from neighborly.audit import AuditEvent
from neighborly.demo import load_demo
from neighborly.demo.data.people import ALGOMA
from neighborly.extensions import db
from neighborly.help_requests.models import HelpRequest, VolunteerProfile
from neighborly.mentoring.models import (
    CheckIn,
    GroupEvent,
    MatchingRun,
    Meeting,
    Mentee,
    MentorEnrollment,
    Pairing,
    PairStatus,
    Program,
)
from neighborly.notifications.models import OutboxMessage
from neighborly.timeutil import local_time, utcnow

_UPDATE = re.compile(
    r"^\s*UPDATE\s+\"?(?P<table>\w+)\"?\s+SET\s+(?P<set>.*?)(\s+WHERE\s|$)", re.I | re.S
)
# When a row was made (never changed afterwards) and when a transition happened: only a
# service's own transition (its conditional UPDATE, stamped with its `now`) may set these.
_STORY_COLUMNS = ("created_at", "decided_at", "started_on", "closed_on", "sent_at")
_PACKAGE = Path(neighborly.__file__).parent
_DEMO = _PACKAGE / "demo"


def _issued_by_the_demo() -> bool:
    """Whether the innermost neighborly code on the stack is the demo (not a service)."""
    frame = sys._getframe(2)
    while frame is not None:
        path = Path(frame.f_code.co_filename)
        if path.is_relative_to(_PACKAGE):
            return path.is_relative_to(_DEMO)
        frame = frame.f_back
    return False


def _back_dating_updates(mentoring: bool) -> list[str]:
    """Load the demo; return every UPDATE that re-dates rows or touches the audit log.

    That is: any UPDATE of the audit log, any UPDATE of a `created_at`, and any UPDATE of a
    story column that the demo issues itself rather than a service's transition.
    """
    seen: list[str] = []

    def listen(_conn, _cursor, statement, _params, _context, _many):
        match = _UPDATE.match(statement)
        if match is None:
            return
        sets = match["set"].lower()
        if (
            match["table"] == "audit_events"
            or "created_at" in sets
            or (any(col in sets for col in _STORY_COLUMNS) and _issued_by_the_demo())
        ):
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
        # Invitations go out as a request is posted; a regular helper is given it as accepted.
        "request.invitations_sent": "created_at",
        "request.given_to_regular": "accepted_at",
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
    # A volunteer is emailed when a coordinator verifies them, at the story's moment too.
    verified_times = {p.verified_at for p in profiles.values() if p.verified_at}
    # Standing requests write their own moments (a regular helper agreed, a week skipped).
    series_times = set(
        db.session.scalars(
            select(AuditEvent.created_at).where(AuditEvent.object_type == "request_series")
        )
    )
    emails = db.session.scalars(select(OutboxMessage)).all()
    assert emails
    assert all(
        email.created_at in request_times | verified_times | series_times for email in emails
    )


def _local_day(moment):
    """The day a moment falls on in Algoma, where the program runs."""
    return local_time(moment, ALGOMA.timezone).date()


def test_mentoring_audit_events_and_emails_carry_the_story_times(app):
    started = utcnow()
    load_demo(residents=0, volunteers=12, seed=7)
    program = db.session.scalar(select(Program))
    assert _local_day(started) > _local_day(program.created_at)
    made = {
        ("program", "program.created"): {program.id: program.created_at},
        ("mentee", "mentee.added"): {
            m.id: m.created_at for m in db.session.scalars(select(Mentee))
        },
        ("meeting", "meeting.logged"): {
            m.id: m.created_at for m in db.session.scalars(select(Meeting))
        },
        ("check_in", "check_in.logged"): {
            c.id: c.created_at for c in db.session.scalars(select(CheckIn))
        },
        ("event", "event.created"): {
            e.id: e.created_at for e in db.session.scalars(select(GroupEvent))
        },
        ("matching_run", "matching.run"): {
            r.id: r.created_at for r in db.session.scalars(select(MatchingRun))
        },
    }
    enrollments = {e.id: e for e in db.session.scalars(select(MentorEnrollment))}
    made["mentor_enrollment", "mentor.applied"] = {i: e.created_at for i, e in enrollments.items()}
    made["mentor_enrollment", "mentor.approved"] = {
        i: e.decided_at for i, e in enrollments.items() if e.decided_at
    }
    pairs = {p.id: p for p in db.session.scalars(select(Pairing))}
    made["pairing", "pairing.approved"] = {
        i: p.decided_at for i, p in pairs.items() if p.started_on
    }
    made["pairing", "pairing.rejected"] = {
        i: p.decided_at for i, p in pairs.items() if p.status == PairStatus.REJECTED
    }
    checked = 0
    for (object_type, action), moments in made.items():
        events = db.session.scalars(
            select(AuditEvent).where(
                AuditEvent.object_type == object_type, AuditEvent.action == action
            )
        ).all()
        assert len(events) == len(moments), action
        for audit in events:
            assert audit.created_at == moments[audit.object_id], action
            assert audit.created_at < started, action
            checked += 1
    assert checked > 150
    runs = {r.id: r.created_at for r in db.session.scalars(select(MatchingRun))}
    for pair in pairs.values():
        assert pair.created_at == runs[pair.matching_run_id]
        if pair.status in (PairStatus.ACTIVE, PairStatus.CLOSED):
            assert pair.started_on == _local_day(pair.decided_at)
    closed = [p for p in pairs.values() if p.status == PairStatus.CLOSED]
    assert closed
    for pair in closed:
        closing = db.session.scalar(
            select(AuditEvent).where(
                AuditEvent.object_type == "pairing",
                AuditEvent.object_id == pair.id,
                AuditEvent.action.like("pairing.closed.%"),
            )
        )
        assert _local_day(closing.created_at) == pair.closed_on
    mentors = {e.user.email: e.id for e in enrollments.values()}
    approvals = {p.mentor_id: p.decided_at for p in pairs.values() if p.started_on}
    paired = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.subject.like("You have%"))
    )
    emails = 0
    for email in paired:
        assert email.created_at == approvals[mentors[email.to_address]]
        if email.next_attempt_at == email.created_at:
            assert email.sent_at == email.created_at
        else:  # held by the mentor's quiet hours: it goes when they end, never before
            assert email.sent_at is None or email.sent_at >= email.next_attempt_at
        emails += 1
    assert emails == len([p for p in pairs.values() if p.started_on])  # one per approval
