"""What needs the coordinator: each list is a count and its first few rows, both in SQL."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import and_, case, func, or_, select

from neighborly.accounts.models import User
from neighborly.coordination.figures import ageing_condition
from neighborly.coordination.safety import open_report_count
from neighborly.coordination.sqlbits import days_between, scalar_int
from neighborly.extensions import db
from neighborly.help_requests.models import HelpRequest, Status, VolunteerProfile
from neighborly.mentoring.models import CheckIn, CheckInWith, Meeting, Pairing, PairStatus, Program
from neighborly.mentoring.reports import CHECK_IN_FIRST_YEAR, CHECK_IN_LATER, FIRST_YEAR

SHOWN = 5


@dataclass(frozen=True)
class Waiting:
    """A volunteer waiting to be verified and what they told us."""

    profile_id: int
    name: str
    postal_code: str
    categories: tuple[str, ...]
    radius_km: float
    capacity: int
    since: datetime


@dataclass(frozen=True)
class RequestRow:
    """One request in a list: no address, the asker's first name and initial."""

    id: int
    title: str
    asker: str
    created_at: datetime
    needed_by: datetime | None
    ageing: bool


@dataclass(frozen=True)
class ProgramNeeds:
    """One mentoring program's pairs that have not met in time, and check-ins due."""

    program_id: int
    name: str
    overdue_pairs: int
    check_ins_due: int


@dataclass(frozen=True)
class Needs:
    """Everything waiting for a coordinator, each with its full count."""

    waiting_count: int
    waiting: tuple[Waiting, ...]
    unanswered_count: int
    unanswered: tuple[RequestRow, ...]
    callback_count: int
    callbacks: tuple[RequestRow, ...]
    programs: tuple[ProgramNeeds, ...]
    open_reports: int = 0


def _name(first: str, last: str) -> str:
    """First name and last initial, like User.display_name."""
    return f"{first} {last[:1]}." if last else first


def waiting_verification(community_id: int) -> tuple[int, tuple[Waiting, ...]]:
    """Volunteers not verified yet, longest waiting first."""
    where = (VolunteerProfile.community_id == community_id, VolunteerProfile.verified_at.is_(None))
    count = scalar_int(select(func.count(VolunteerProfile.id)).where(*where))
    rows = db.session.execute(
        select(VolunteerProfile, User.first_name, User.last_name)
        .join(User, User.id == VolunteerProfile.user_id)
        .where(*where)
        .order_by(VolunteerProfile.created_at, VolunteerProfile.id)
        .limit(SHOWN)
    ).all()
    return count, tuple(
        Waiting(
            p.id,
            _name(first, last),
            p.home_postal_code,
            tuple(sorted(p.category_set)),
            p.radius_km,
            p.capacity,
            p.created_at,
        )
        for p, first, last in rows
    )


def _request_rows(where: list, now: datetime) -> tuple[RequestRow, ...]:
    """The first few requests matching `where`, oldest first, with the asker's name."""
    rows = db.session.execute(
        select(
            HelpRequest.id,
            HelpRequest.title,
            User.first_name,
            User.last_name,
            HelpRequest.created_at,
            HelpRequest.needed_by,
            ageing_condition(now),
        )
        .join(User, User.id == HelpRequest.requester_id)
        .where(*where)
        .order_by(HelpRequest.created_at, HelpRequest.id)
        .limit(SHOWN)
    ).all()
    return tuple(
        RequestRow(rid, title, _name(first, last), created, needed, bool(ageing))
        for rid, title, first, last, created, needed, ageing in rows
    )


def unanswered(community_id: int, now: datetime) -> tuple[int, tuple[RequestRow, ...]]:
    """Open requests nobody has said yes to, oldest first."""
    where = [HelpRequest.community_id == community_id, HelpRequest.status == Status.OPEN]
    count = scalar_int(select(func.count(HelpRequest.id)).where(*where))
    return count, _request_rows(where, now)


def callbacks(community_id: int, now: datetime) -> tuple[int, tuple[RequestRow, ...]]:
    """Phone-in residents (no email) whose help is done: call to ask how it went and confirm."""
    where = [
        HelpRequest.community_id == community_id,
        HelpRequest.status == Status.COMPLETED,
        HelpRequest.requester_id.in_(select(User.id).where(User.email.is_(None))),
    ]
    count = scalar_int(select(func.count(HelpRequest.id)).where(*where))
    return count, _request_rows(where, now)


def _overdue_condition(last_met, programs: list, today: date):
    """A pair whose last meeting (or start) is further back than its program's cadence."""
    since = func.coalesce(last_met, Pairing.started_on)
    return or_(
        *[
            and_(Pairing.program_id == pid, since < today - timedelta(days=cadence))
            for pid, _name, cadence in programs
        ]
    )


def _check_in_due(since, today: date):
    """Monthly in a match's first year, quarterly after (as mentoring.reports schedules)."""
    in_first_year = days_between(Pairing.started_on, since) < FIRST_YEAR.days
    return or_(
        and_(in_first_year, since < today - CHECK_IN_FIRST_YEAR),
        since < today - CHECK_IN_LATER,
    )


def mentoring_needs(community_id: int, today: date) -> tuple[ProgramNeeds, ...]:
    """Per program: pairs that have not met within the cadence, and pairs with a check-in due."""
    programs = db.session.execute(
        select(Program.id, Program.name, Program.meeting_cadence_days)
        .where(Program.community_id == community_id)
        .order_by(Program.name)
    ).all()
    if not programs:
        return ()
    last_met = (
        select(func.max(Meeting.met_on)).where(Meeting.pairing_id == Pairing.id).scalar_subquery()
    )
    due = [
        _check_in_due(
            func.coalesce(
                select(func.max(CheckIn.held_on))
                .where(CheckIn.pairing_id == Pairing.id, CheckIn.with_whom == who)
                .scalar_subquery(),
                Pairing.started_on,
            ),
            today,
        )
        for who in CheckInWith
    ]
    overdue = func.sum(case((_overdue_condition(last_met, programs, today), 1), else_=0))
    checks = func.sum(case((or_(*due), 1), else_=0))
    rows = db.session.execute(
        select(Pairing.program_id, overdue, checks)
        .where(
            Pairing.community_id == community_id,
            Pairing.status == PairStatus.ACTIVE,
            Pairing.started_on.is_not(None),
        )
        .group_by(Pairing.program_id)
    ).all()
    found = {pid: (int(o or 0), int(c or 0)) for pid, o, c in rows}
    return tuple(
        ProgramNeeds(pid, name, *found.get(pid, (0, 0)))
        for pid, name, _cadence in programs
        if found.get(pid, (0, 0)) != (0, 0)
    )


def needs_for(community_id: int, now: datetime, today: date) -> Needs:
    """What needs a coordinator of this community now."""
    waiting_count, waiting = waiting_verification(community_id)
    unanswered_count, open_rows = unanswered(community_id, now)
    callback_count, callback_rows = callbacks(community_id, now)
    return Needs(
        waiting_count,
        waiting,
        unanswered_count,
        open_rows,
        callback_count,
        callback_rows,
        mentoring_needs(community_id, today),
        open_report_count(community_id),
    )
