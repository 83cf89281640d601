"""Group events (such as the Wolf Den dinners) and their attendance."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from neighborly.accounts.models import User
from neighborly.audit import record_audit
from neighborly.extensions import db
from neighborly.mentoring.models import (
    EnrollmentStatus,
    EventAttendance,
    GroupEvent,
    MentorEnrollment,
)
from neighborly.mentoring.services.common import (
    get_program,
    is_program_coordinator,
    require_coordinator,
)
from neighborly.mentoring.services.mentees import mentees_of
from neighborly.mentoring.services.mentors import enrollment_for, mentors_of
from neighborly.records import load_record
from neighborly.timeutil import utcnow


@dataclass(frozen=True)
class EventDraft:
    """A group event such as a Wolf Den dinner."""

    name: str
    held_on: date
    minutes: int
    place: str


def create_event(
    program_id: int, coordinator: User, draft: EventDraft, *, now: datetime | None = None
) -> GroupEvent:
    """Add a group event to a program."""
    require_coordinator(coordinator, program_id)
    program = get_program(program_id)
    event = GroupEvent(
        program_id=program_id,
        community_id=program.community_id,
        name=draft.name.strip(),
        held_on=draft.held_on,
        minutes=draft.minutes,
        place=draft.place.strip(),
        created_by_id=coordinator.id,
        created_at=now or utcnow(),
    )
    db.session.add(event)
    db.session.flush()
    record_audit(coordinator.id, "event.created", "event", event.id, program.community_id, now=now)
    db.session.commit()
    return event


def get_event(event_id: int) -> GroupEvent:
    """Load an event or raise NotFound."""
    return load_record(GroupEvent, event_id, fresh=True)


def events_of(program_id: int) -> list[GroupEvent]:
    """A program's events, newest first."""
    return list(
        db.session.scalars(
            select(GroupEvent)
            .where(GroupEvent.program_id == program_id)
            .order_by(GroupEvent.held_on.desc(), GroupEvent.id.desc())
        )
    )


def upcoming_events(program_id: int, today: date) -> list[GroupEvent]:
    """A program's events from today on, soonest first."""
    return list(
        db.session.scalars(
            select(GroupEvent)
            .where(GroupEvent.program_id == program_id, GroupEvent.held_on >= today)
            .order_by(GroupEvent.held_on, GroupEvent.id)
        )
    )


def upcoming_events_for(enrollment: MentorEnrollment, today: date) -> list[GroupEvent]:
    """The coming events a mentor is invited to: all of them once approved, none before."""
    if enrollment.status != EnrollmentStatus.APPROVED:
        return []
    return upcoming_events(enrollment.program_id, today)


def may_see_event(user: User, event: GroupEvent) -> bool:
    """The program's coordinators and its approved mentors may see (and save) an event."""
    if is_program_coordinator(user, event.program_id):
        return True
    enrollment = enrollment_for(user, event.program_id)
    return enrollment is not None and enrollment.status == EnrollmentStatus.APPROVED


def attendance_of(event_id: int) -> tuple[set[int], set[int]]:
    """(mentor enrolment ids, mentee ids) who came to an event."""
    rows = db.session.execute(
        select(EventAttendance.mentor_id, EventAttendance.mentee_id).where(
            EventAttendance.event_id == event_id
        )
    ).all()
    return {m for m, _ in rows if m is not None}, {c for _, c in rows if c is not None}


def mentors_who_may_attend(program_id: int, came: set[int]) -> list[MentorEnrollment]:
    """Approved mentors, plus anyone already marked as having come (so a record is never lost)."""
    return [
        e for e in mentors_of(program_id) if e.status == EnrollmentStatus.APPROVED or e.id in came
    ]


def record_attendance(
    event_id: int,
    coordinator: User,
    mentor_ids: set[int],
    mentee_ids: set[int],
    *,
    now: datetime | None = None,
) -> None:
    """Replace an event's attendance with these mentors and mentees (of its program only)."""
    event = get_event(event_id)
    require_coordinator(coordinator, event.program_id)
    mentors = {m.id for m in mentors_of(event.program_id)} & mentor_ids
    mentees = {m.id for m in mentees_of(event.program_id)} & mentee_ids
    db.session.execute(
        EventAttendance.__table__.delete().where(EventAttendance.event_id == event_id)
    )
    here = {"event_id": event_id, "community_id": event.community_id}
    db.session.add_all(EventAttendance(**here, mentor_id=m) for m in sorted(mentors))
    db.session.add_all(EventAttendance(**here, mentee_id=m) for m in sorted(mentees))
    record_audit(coordinator.id, "event.attendance", "event", event_id, event.community_id, now=now)
    db.session.commit()
