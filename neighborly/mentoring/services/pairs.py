"""Active pairs: meetings, check-ins, closure and renewal."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select, update

from neighborly.accounts.models import User
from neighborly.audit import record_audit
from neighborly.errors import NotAllowed
from neighborly.extensions import db
from neighborly.mentoring.errors import InvalidDate, NotActive
from neighborly.mentoring.models import (
    CheckIn,
    CheckInWith,
    CloseReason,
    Meeting,
    Mentee,
    MenteeStatus,
    MentorEnrollment,
    Pairing,
    PairStatus,
)
from neighborly.mentoring.services.common import (
    active_pairs,
    get_pairing,
    get_program,
    is_program_coordinator,
    program_today,
    require_coordinator,
)
from neighborly.timeutil import utcnow


@dataclass(frozen=True)
class MeetingDraft:
    """What a mentor or coordinator logs about one meeting."""

    met_on: date
    minutes: int
    activity: str
    notes: str


def is_pair_mentor(user: User, pair: Pairing) -> bool:
    """Whether this person is the pair's mentor."""
    return user.is_authenticated and pair.mentor.user_id == user.id


def _active_pair_for(pair_id: int, actor: User, mentor_may: bool) -> Pairing:
    """An active pairing the actor may act on (its coordinators, and its mentor if allowed)."""
    pair = get_pairing(pair_id)
    allowed = is_program_coordinator(actor, pair.program_id) or (
        mentor_may and is_pair_mentor(actor, pair)
    )
    if not allowed:
        raise NotAllowed("pair")
    if pair.status != PairStatus.ACTIVE:
        raise NotActive(pair_id)
    return pair


def _check_date(pair: Pairing, when: date, now: datetime) -> None:
    """Dates must fall between the pair's start and today (the local day of `now`)."""
    if when > program_today(pair.program, now) or (pair.started_on and when < pair.started_on):
        raise InvalidDate(when)


def log_meeting(
    pair_id: int, actor: User, draft: MeetingDraft, *, now: datetime | None = None
) -> Meeting:
    """The mentor or a coordinator logs a meeting of an active pair."""
    pair = _active_pair_for(pair_id, actor, mentor_may=True)
    now = now or utcnow()
    _check_date(pair, draft.met_on, now)
    meeting = Meeting(
        pairing_id=pair.id,
        program_id=pair.program_id,
        community_id=pair.community_id,
        met_on=draft.met_on,
        minutes=draft.minutes,
        activity=draft.activity.strip(),
        notes=draft.notes.strip(),
        logged_by_id=actor.id,
        created_at=now,
    )
    db.session.add(meeting)
    db.session.flush()
    record_audit(actor.id, "meeting.logged", "meeting", meeting.id, pair.community_id, now=now)
    db.session.commit()
    return meeting


def set_meeting_plan(
    pair_id: int, coordinator: User, time: str, place: str, *, now: datetime | None = None
) -> None:
    """Say when and where a pair usually meets (the mentor sees this)."""
    pair = _active_pair_for(pair_id, coordinator, mentor_may=False)
    pair.meeting_time, pair.meeting_place = time.strip(), place.strip()
    record_audit(coordinator.id, "pairing.plan_set", "pairing", pair.id, pair.community_id, now=now)
    db.session.commit()


def log_check_in(
    pair_id: int,
    coordinator: User,
    with_whom: CheckInWith,
    held_on: date,
    notes: str,
    *,
    now: datetime | None = None,
) -> CheckIn:
    """A coordinator logs a check-in with the mentor, the mentee or the guardian."""
    pair = _active_pair_for(pair_id, coordinator, mentor_may=False)
    now = now or utcnow()
    _check_date(pair, held_on, now)
    check_in = CheckIn(
        pairing_id=pair.id,
        program_id=pair.program_id,
        community_id=pair.community_id,
        with_whom=with_whom,
        held_on=held_on,
        notes=notes.strip(),
        coordinator_id=coordinator.id,
        created_at=now,
    )
    db.session.add(check_in)
    db.session.flush()
    record_audit(
        coordinator.id, "check_in.logged", "check_in", check_in.id, pair.community_id, now=now
    )
    db.session.commit()
    return check_in


def meetings_of(pair_id: int) -> list[Meeting]:
    """A pair's meetings, newest first."""
    return list(
        db.session.scalars(
            select(Meeting)
            .where(Meeting.pairing_id == pair_id)
            .order_by(Meeting.met_on.desc(), Meeting.id.desc())
        )
    )


def check_ins_of(pair_id: int) -> list[CheckIn]:
    """A pair's check-ins, newest first."""
    return list(
        db.session.scalars(
            select(CheckIn)
            .where(CheckIn.pairing_id == pair_id)
            .order_by(CheckIn.held_on.desc(), CheckIn.id.desc())
        )
    )


def view_pair(pair_id: int, coordinator: User) -> Pairing:
    """A coordinator opens a pair's page, which shows the child's record: audited."""
    pair = get_pairing(pair_id)
    require_coordinator(coordinator, pair.program_id)
    record_audit(coordinator.id, "mentee.viewed", "mentee", pair.mentee_id, pair.community_id)
    db.session.commit()
    return pair


def _close(
    pair: Pairing,
    actor: User,
    reason: CloseReason,
    notes: str,
    leaves: bool,
    now: datetime | None = None,
) -> bool:
    """Close one active pair inside the caller's transaction; False if it was not active."""
    changed = db.session.execute(
        update(Pairing)
        .where(Pairing.id == pair.id, Pairing.status == PairStatus.ACTIVE)
        .values(
            status=PairStatus.CLOSED,
            close_reason=reason,
            exit_notes=notes.strip(),
            closed_on=program_today(pair.program, now),
            closed_by_id=actor.id,
            renew_next_term=False,
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed != 1:
        return False
    db.session.execute(
        update(MentorEnrollment)
        .where(MentorEnrollment.id == pair.mentor_id, MentorEnrollment.active_count > 0)
        .values(active_count=MentorEnrollment.active_count - 1)
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        update(Mentee)
        .where(Mentee.id == pair.mentee_id, Mentee.status == MenteeStatus.PAIRED)
        .values(status=MenteeStatus.EXITED if leaves else MenteeStatus.WAITING)
        .execution_options(synchronize_session=False)
    )
    action = f"pairing.closed.{reason.value}"
    record_audit(actor.id, action, "pairing", pair.id, pair.community_id, now=now)
    return True


def close_pairing(
    pair_id: int,
    coordinator: User,
    reason: CloseReason,
    exit_notes: str,
    mentee_leaves: bool = False,
    *,
    now: datetime | None = None,
) -> None:
    """End a match; the mentee goes back to the waiting pool unless they leave the program."""
    pair = _active_pair_for(pair_id, coordinator, mentor_may=False)
    if not _close(pair, coordinator, reason, exit_notes, mentee_leaves, now):
        db.session.rollback()
        raise NotActive(pair_id)
    db.session.commit()


def set_renewal(
    pair_id: int, coordinator: User, renew: bool, *, now: datetime | None = None
) -> None:
    """Mark whether an active pair continues into the next term."""
    pair = _active_pair_for(pair_id, coordinator, mentor_may=False)
    pair.renew_next_term = renew
    action = "pairing.renewal_marked" if renew else "pairing.renewal_unmarked"
    record_audit(coordinator.id, action, "pairing", pair.id, pair.community_id, now=now)
    db.session.commit()


@dataclass(frozen=True)
class NextTermResult:
    """Pairs carried into the new term and pairs closed at the end of the old one."""

    continued: int
    closed: int


def start_next_term(
    program_id: int, coordinator: User, start: date, end: date, *, now: datetime | None = None
) -> NextTermResult:
    """Move the program to a new term: marked pairs continue, the others close (year ended)."""
    require_coordinator(coordinator, program_id)
    program = get_program(program_id)
    continued = closed = 0
    for pair in active_pairs(program_id):
        if pair.renew_next_term:
            pair.terms += 1
            pair.renew_next_term = False
            continued += 1
        elif _close(pair, coordinator, CloseReason.SCHOOL_YEAR_ENDED, "", False, now):
            closed += 1
    program.term_start, program.term_end = start, end
    record_audit(
        coordinator.id, "program.next_term", "program", program.id, program.community_id, now=now
    )
    db.session.commit()
    return NextTermResult(continued, closed)
