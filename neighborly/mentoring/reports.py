"""What people read: pair health and check-in schedules, a mentor's own page, program
reports and CSV exports. Exports never carry restricted fields; every view of a child's
record (here, a mentor opening their page) is an audit event.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from sqlalchemy import bindparam, func, select

from neighborly.accounts.models import User
from neighborly.audit import record_audit
from neighborly.errors import NotAllowed, NotFound
from neighborly.extensions import db
from neighborly.mentoring import services
from neighborly.mentoring.models import (
    CheckIn,
    CheckInWith,
    CloseReason,
    EventAttendance,
    GroupEvent,
    Meeting,
    Mentee,
    MenteeStatus,
    MentorEnrollment,
    Pairing,
    PairStatus,
    Program,
)
from neighborly.timeutil import local_time

FIRST_YEAR = timedelta(days=365)
CHECK_IN_FIRST_YEAR = timedelta(days=30)
CHECK_IN_LATER = timedelta(days=90)
DAYS_PER_MONTH = 30.44
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PAIR_COLUMNS = (
    "pair_id",
    "status",
    "mentor",
    "mentee",
    "mentee_grade",
    "started_on",
    "closed_on",
    "close_reason",
    "terms",
    "meetings",
    "meeting_minutes",
    "last_meeting_on",
    "days_since_last_meeting",
    "overdue",
)
MENTOR_COLUMNS = ("mentor", "status", "grade", "active_mentees", "meeting_hours", "event_hours")


# ---------------------------------------------------------------- health and schedule


@dataclass(frozen=True)
class CheckInDue:
    """When the next check-in with one person is due."""

    with_whom: CheckInWith
    last_on: date | None
    due_on: date
    overdue: bool


@dataclass(frozen=True)
class PairHealth:
    """How a pair is doing: meetings against the cadence, and check-ins due."""

    pair: Pairing
    meetings: int
    minutes: int
    last_met_on: date | None
    days_since: int
    overdue: bool
    check_ins: tuple[CheckInDue, ...]

    @property
    def check_ins_overdue(self) -> bool:
        """Whether any check-in is late."""
        return any(due.overdue for due in self.check_ins)


def check_in_interval(started_on: date, on: date) -> timedelta:
    """Monthly during a match's first year, quarterly after."""
    return CHECK_IN_FIRST_YEAR if on - started_on < FIRST_YEAR else CHECK_IN_LATER


def check_in_schedule(
    started_on: date, last: dict[CheckInWith, date], today: date
) -> tuple[CheckInDue, ...]:
    """The next check-in due with the mentor, the mentee and the guardian."""
    schedule = []
    for who in CheckInWith:
        since = last.get(who) or started_on
        due = since + check_in_interval(started_on, since)
        schedule.append(CheckInDue(who, last.get(who), due, today > due))
    return tuple(schedule)


def _meeting_totals(pair_ids: list[int]) -> dict[int, tuple[int, int, date | None]]:
    """Per pairing: (meetings, minutes, last meeting date), in one query."""
    rows = db.session.execute(
        select(
            Meeting.pairing_id,
            func.count(Meeting.id),
            func.coalesce(func.sum(Meeting.minutes), 0),
            func.max(Meeting.met_on),
        )
        .where(Meeting.pairing_id.in_(pair_ids))
        .group_by(Meeting.pairing_id)
    ).all()
    return {pid: (count, int(minutes), last) for pid, count, minutes, last in rows}


def _last_check_ins(pair_ids: list[int]) -> dict[int, dict[CheckInWith, date]]:
    """Per pairing: the latest check-in date with each person, in one query."""
    rows = db.session.execute(
        select(CheckIn.pairing_id, CheckIn.with_whom, func.max(CheckIn.held_on))
        .where(CheckIn.pairing_id.in_(pair_ids))
        .group_by(CheckIn.pairing_id, CheckIn.with_whom)
    ).all()
    last: dict[int, dict[CheckInWith, date]] = {}
    for pid, who, held_on in rows:
        last.setdefault(pid, {})[CheckInWith(who)] = held_on
    return last


def health_of(pairs: list[Pairing], cadence_days: int, today: date) -> list[PairHealth]:
    """Each pair's days since last meeting against the cadence, and its check-ins due."""
    ids = [pair.id for pair in pairs]
    totals, check_ins = _meeting_totals(ids), _last_check_ins(ids)
    health = []
    for pair in pairs:
        count, minutes, last = totals.get(pair.id, (0, 0, None))
        started = pair.started_on or today
        days = (today - (last or started)).days
        health.append(
            PairHealth(
                pair,
                count,
                minutes,
                last,
                days,
                days > cadence_days,
                check_in_schedule(started, check_ins.get(pair.id, {}), today),
            )
        )
    return health


def program_health(program_id: int) -> list[PairHealth]:
    """Health of every active pair in a program, most overdue first."""
    program = services.get_program(program_id)
    found = health_of(
        services.pairings_of(program_id, PairStatus.ACTIVE),
        program.meeting_cadence_days,
        services.program_today(program),
    )
    return sorted(found, key=lambda h: (not h.overdue, -h.days_since, h.pair.id))


@dataclass(frozen=True)
class PairGlance:
    """What a program's overview shows of one active pair: names and days since they met."""

    pair_id: int
    mentor_name: str
    mentee_name: str
    last_met_on: date | None
    days_since: int
    overdue: bool


def short_name(first_name: str, last_name: str | None) -> str:
    """First name and last initial, as User.display_name writes a mentor's name."""
    initial = f" {last_name[:1]}." if last_name else ""
    return f"{first_name}{initial}"


def program_glance(program: Program, today: date) -> list[PairGlance]:
    """Every active pair of a program at a glance, most overdue first (one statement)."""
    rows = db.session.execute(_glance_statement(), {"program_id": program.id}).all()
    glances = []
    for pair_id, started_on, first, last, mentee_first, mentee_initial, last_on in rows:
        days = (today - (last_on or started_on or today)).days
        glances.append(
            PairGlance(
                pair_id,
                short_name(first, last),
                f"{mentee_first} {mentee_initial}.",
                last_on,
                days,
                days > program.meeting_cadence_days,
            )
        )
    return sorted(glances, key=lambda g: (not g.overdue, -g.days_since, g.pair_id))


@cache
def _glance_statement():
    """The statement program_glance runs, built once (the program's id is bound per call)."""
    last_met = (
        select(func.max(Meeting.met_on))
        .where(Meeting.pairing_id == Pairing.id)
        .correlate(Pairing)
        .scalar_subquery()
    )
    return (
        select(
            Pairing.id,
            Pairing.started_on,
            User.first_name,
            User.last_name,
            Mentee.first_name,
            Mentee.last_initial,
            last_met,
        )
        .join(MentorEnrollment, MentorEnrollment.id == Pairing.mentor_id)
        .join(User, User.id == MentorEnrollment.user_id)
        .join(Mentee, Mentee.id == Pairing.mentee_id)
        .where(Pairing.program_id == bindparam("program_id"), Pairing.status == PairStatus.ACTIVE)
    )


def pair_health(pair: Pairing) -> PairHealth:
    """One pair's health."""
    program = pair.program
    return health_of([pair], program.meeting_cadence_days, services.program_today(program))[0]


# ---------------------------------------------------------------- a mentor's own page


@dataclass(frozen=True)
class MeetingLine:
    """A meeting as its mentor sees it (notes only when the mentor wrote them)."""

    met_on: date
    minutes: int
    activity: str
    notes: str


@dataclass(frozen=True)
class MenteeCard:
    """All a mentor may know about their mentee, and when and where they meet."""

    pair_id: int
    name: str
    grade: int
    interests: frozenset[str]
    meeting_time: str
    meeting_place: str
    meetings: tuple[MeetingLine, ...]


@dataclass(frozen=True)
class MentorPage:
    """A mentor's enrolment, their mentees (limited view) and their service hours."""

    enrollment: MentorEnrollment
    missing: tuple[str, ...]
    mentees: tuple[MenteeCard, ...]
    meeting_minutes: int
    event_minutes: int

    @property
    def hours(self) -> float:
        """Total service hours, to one decimal."""
        return round((self.meeting_minutes + self.event_minutes) / 60, 1)


def service_minutes(mentor_ids: list[int]) -> dict[int, tuple[int, int]]:
    """Per mentor enrolment: (meeting minutes, event minutes), in two queries."""
    meetings = dict(
        db.session.execute(
            select(Pairing.mentor_id, func.coalesce(func.sum(Meeting.minutes), 0))
            .join(Meeting, Meeting.pairing_id == Pairing.id)
            .where(Pairing.mentor_id.in_(mentor_ids))
            .group_by(Pairing.mentor_id)
        ).all()
    )
    events = dict(
        db.session.execute(
            select(EventAttendance.mentor_id, func.coalesce(func.sum(GroupEvent.minutes), 0))
            .join(GroupEvent, GroupEvent.id == EventAttendance.event_id)
            .where(EventAttendance.mentor_id.in_(mentor_ids))
            .group_by(EventAttendance.mentor_id)
        ).all()
    )
    return {m: (int(meetings.get(m, 0)), int(events.get(m, 0))) for m in mentor_ids}


def _card(pair: Pairing, mentor: User) -> MenteeCard:
    """The limited view of one mentee, with the pair's meetings (the mentor's own notes only)."""
    mentee = pair.mentee
    return MenteeCard(
        pair_id=pair.id,
        name=mentee.display_name,
        grade=mentee.grade,
        interests=mentee.interest_set,
        meeting_time=pair.meeting_time,
        meeting_place=pair.meeting_place,
        meetings=tuple(
            MeetingLine(
                m.met_on, m.minutes, m.activity, m.notes if m.logged_by_id == mentor.id else ""
            )
            for m in services.meetings_of(pair.id)
        ),
    )


def mentor_page(program_id: int, mentor: User) -> MentorPage:
    """The mentor's own page; each mentee shown is an audited view."""
    enrollment = services.enrollment_for(mentor, program_id)
    if enrollment is None:
        raise NotFound(program_id)
    pairs = list(
        db.session.scalars(
            select(Pairing)
            .where(Pairing.mentor_id == enrollment.id, Pairing.status == PairStatus.ACTIVE)
            .order_by(Pairing.id)
        )
    )
    for pair in pairs:
        record_audit(
            mentor.id, "mentee.viewed_by_mentor", "mentee", pair.mentee_id, pair.community_id
        )
    db.session.commit()
    meeting_minutes, event_minutes = service_minutes([enrollment.id])[enrollment.id]
    return MentorPage(
        enrollment=enrollment,
        missing=services.requirements_missing(enrollment, enrollment.program),
        mentees=tuple(_card(pair, mentor) for pair in pairs),
        meeting_minutes=meeting_minutes,
        event_minutes=event_minutes,
    )


# ---------------------------------------------------------------- program reports


@dataclass(frozen=True)
class MentorHours:
    """One mentor's service hours."""

    enrollment: MentorEnrollment
    name: str
    meeting_minutes: int
    event_minutes: int

    @property
    def hours(self) -> float:
        """Total hours to one decimal."""
        return round((self.meeting_minutes + self.event_minutes) / 60, 1)


@dataclass(frozen=True)
class ProgramReport:
    """The figures a coordinator reads about one program."""

    active_pairs: int
    closed_pairs: int
    overdue_pairs: int
    average_match_days: float | None
    meetings_per_pair_month: float | None
    mentor_hours: tuple[MentorHours, ...]
    unmatched: tuple[tuple[Mentee, int], ...]  # (mentee, days waiting)
    closures: tuple[tuple[CloseReason, int], ...]


def _matched_pairs(program_id: int) -> list[Pairing]:
    """Pairs that were ever active (active now or closed)."""
    return list(
        db.session.scalars(
            select(Pairing)
            .where(
                Pairing.program_id == program_id,
                Pairing.status.in_((PairStatus.ACTIVE, PairStatus.CLOSED)),
            )
            .order_by(Pairing.started_on, Pairing.id)
            .options(*services.WITH_PEOPLE)
        )
    )


def _match_days(pair: Pairing, today: date) -> int:
    """How long a match lasted (or has lasted so far), in days."""
    return ((pair.closed_on or today) - (pair.started_on or today)).days


def _average(values: list[float]) -> float | None:
    """The mean, or None for no values."""
    return round(sum(values) / len(values), 1) if values else None


def _meetings_per_month(health: list[PairHealth], today: date) -> float | None:
    """Average meetings per pair per month; a pair's first month counts as a whole month."""
    rates = [
        h.meetings / (max(_match_days(h.pair, today), DAYS_PER_MONTH) / DAYS_PER_MONTH)
        for h in health
    ]
    return _average(rates)


def mentor_hours(program_id: int) -> tuple[MentorHours, ...]:
    """Every mentor's service hours (meetings and events), most hours first."""
    rows = db.session.execute(
        select(MentorEnrollment, User)
        .join(User, User.id == MentorEnrollment.user_id)
        .where(MentorEnrollment.program_id == program_id)
    ).all()
    minutes = service_minutes([enrollment.id for enrollment, _ in rows])
    hours = [
        MentorHours(enrollment, user.display_name, *minutes[enrollment.id])
        for enrollment, user in rows
    ]
    return tuple(sorted(hours, key=lambda h: (-h.hours, h.name)))


def _waiting_since(program_id: int) -> dict[int, date]:
    """Per mentee: the day their last match closed (they have waited since then)."""
    return dict(
        db.session.execute(
            select(Pairing.mentee_id, func.max(Pairing.closed_on))
            .where(Pairing.program_id == program_id, Pairing.status == PairStatus.CLOSED)
            .group_by(Pairing.mentee_id)
        ).all()
    )


def unmatched_mentees(
    program_id: int, today: date, timezone: str
) -> tuple[tuple[Mentee, int], ...]:
    """Waiting mentees and the days (community time) they have waited, longest first."""
    since = _waiting_since(program_id)
    waiting = services.mentees_of(program_id, MenteeStatus.WAITING)
    rows = [
        (m, (today - (since.get(m.id) or local_time(m.created_at, timezone).date())).days)
        for m in waiting
    ]
    return tuple(sorted(rows, key=lambda row: (-row[1], row[0].first_name)))


def program_report(program_id: int) -> ProgramReport:
    """Active pairs, match length, meeting rate, hours, the unmatched, and closures."""
    program = services.get_program(program_id)
    today = services.program_today(program)
    pairs = _matched_pairs(program_id)
    health = health_of(pairs, program.meeting_cadence_days, today)
    active = [h for h in health if h.pair.status == PairStatus.ACTIVE]
    closures = Counter(p.close_reason for p in pairs if p.status == PairStatus.CLOSED)
    return ProgramReport(
        active_pairs=len(active),
        closed_pairs=len(pairs) - len(active),
        overdue_pairs=sum(1 for h in active if h.overdue),
        average_match_days=_average([_match_days(p, today) for p in pairs]),
        meetings_per_pair_month=_meetings_per_month(health, today),
        mentor_hours=mentor_hours(program_id),
        unmatched=unmatched_mentees(program_id, today, program.community.timezone),
        closures=tuple(sorted(closures.items(), key=lambda item: (-item[1], item[0].value))),
    )


def _cell(value) -> str:
    """A CSV cell that a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def _csv(columns: tuple[str, ...], rows: list[tuple]) -> str:
    """Write a header and rows as CSV text."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    writer.writerows([_cell(value) for value in row] for row in rows)
    return out.getvalue()


def _audit_export(program_id: int, actor: User, kind: str) -> None:
    """Record who exported what, refusing anyone but the program's coordinators."""
    program = services.get_program(program_id)
    if not services.is_program_coordinator(actor, program_id):
        raise NotAllowed("program coordinator")
    record_audit(actor.id, f"program.exported.{kind}", "program", program_id, program.community_id)
    db.session.commit()


def pairs_csv(program_id: int, actor: User) -> str:
    """Every match as CSV: names as first name and initial, no restricted field."""
    _audit_export(program_id, actor, "pairs")
    program = services.get_program(program_id)
    today = services.program_today(program)
    pairs = _matched_pairs(program_id)
    rows = []
    for h in health_of(pairs, program.meeting_cadence_days, today):
        pair, active = h.pair, h.pair.status == PairStatus.ACTIVE
        rows.append(
            (
                pair.id,
                pair.status.value,
                pair.mentor.user.display_name,
                pair.mentee.display_name,
                pair.mentee.grade,
                pair.started_on,
                pair.closed_on,
                pair.close_reason.value if pair.close_reason else "",
                pair.terms,
                h.meetings,
                h.minutes,
                h.last_met_on,
                h.days_since if active else "",
                ("yes" if h.overdue else "no") if active else "",
            )
        )
    return _csv(PAIR_COLUMNS, rows)


def mentors_csv(program_id: int, actor: User) -> str:
    """Every mentor's service hours as CSV."""
    _audit_export(program_id, actor, "mentors")
    rows = [
        (
            h.name,
            h.enrollment.status.value,
            "adult" if h.enrollment.grade is None else h.enrollment.grade,
            h.enrollment.active_count,
            round(h.meeting_minutes / 60, 1),
            round(h.event_minutes / 60, 1),
        )
        for h in mentor_hours(program_id)
    ]
    return _csv(MENTOR_COLUMNS, rows)
