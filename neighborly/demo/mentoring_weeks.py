"""The weeks of Wolves and Pups: meetings, check-ins, a Wolf Den, a match that ends."""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select

from neighborly.accounts.models import User
from neighborly.availability import DAY_NAMES, parse_slot
from neighborly.demo.accounts import Echo
from neighborly.demo.data.wolves import (
    ACTIVITIES,
    ANY_ACTIVITY,
    CHECK_IN_NOTES,
    CHECK_INS,
    CLOSE_NOTES,
    MEETING_MINUTES,
    MEETING_NOTES,
    OVERDUE_PAIRS,
    PLACES,
    PROGRAM_NAME,
    WOLF_DEN,
    WOLF_DEN_MINUTES,
    WOLF_DEN_PLACE,
    WOLF_DEN_WEEKDAY,
)
from neighborly.demo.mentoring_start import Clock, add_pup
from neighborly.demo.wolves import PupPlan, Setting, no_school
from neighborly.extensions import db
from neighborly.mentoring import reports, services
from neighborly.mentoring.models import (
    CheckInWith,
    CloseReason,
    EnrollmentStatus,
    MentorEnrollment,
    Pairing,
    PairStatus,
    Program,
)

# --------------------------------------------------------------------------- the weeks


@dataclass
class Done:
    """What the weeks since the staff meeting added."""

    meetings: int = 0
    check_ins: int = 0
    den_wolves: int = 0
    den_pups: int = 0


@dataclass(order=True)
class Step:
    """One thing that happens between the staff meeting and today, run in time order."""

    moment: datetime
    order: int
    action: Callable[[], None] = dataclasses.field(compare=False)


@dataclass(frozen=True)
class Pair:
    """What the weeks need to know about one active pair, read once.

    Every service commits, and a commit expires what the session has loaded; plain values
    keep the weeks from reloading each pair before every meeting.
    """

    id: int
    mentor_id: int
    mentee_id: int
    wolf: User
    wolf_name: str
    pup_name: str
    guardian_name: str
    teacher: str
    shared_slots: tuple[str, ...]
    shared_interests: tuple[str, ...]

    @classmethod
    def of(cls, pairing: Pairing) -> Pair:
        """The facts of one pairing (mentor, user and mentee loaded)."""
        mentor, mentee = pairing.mentor, pairing.mentee
        return cls(
            id=pairing.id,
            mentor_id=pairing.mentor_id,
            mentee_id=pairing.mentee_id,
            wolf=mentor.user,
            wolf_name=mentor.user.first_name,
            pup_name=mentee.first_name,
            guardian_name=mentee.guardian_name.split(" ", 1)[0],
            teacher=mentee.teacher or "the teacher",
            shared_slots=tuple(sorted(mentor.slot_set & mentee.slot_set)),
            shared_interests=tuple(sorted(mentor.interest_set & mentee.interest_set)),
        )


def tell_the_weeks(
    clock: Clock,
    program: Program,
    setting: Setting,
    pairings: list[Pairing],
    later: list[PupPlan],
    say: Echo,
) -> Done:
    """Weekly meetings, check-ins, a Wolf Den dinner, a closed match, referrals, a new run.

    Every pair meets at one weekly time both are free, skipping a week now and then but
    never the last one, except the pairs the story makes overdue. Steps run in time order,
    so each service sees the program as it was on that day.
    """
    done, steps = Done(), []
    coordinator, today, staff = setting.coordinator, clock.today, clock.staff_day
    program_id = program.id

    def add(moment: datetime, action: Callable[[], None]) -> None:
        steps.append(Step(moment, len(steps), action))

    kaylee = services.enrollment_for(setting.mentor, program_id).id
    pairs = [Pair.of(pairing) for pairing in pairings]
    theirs = next(p for p in pairs if p.mentor_id == kaylee)
    others = [p for p in pairs if p is not theirs]
    picked = clock.rng("weeks").sample(others, min(len(others), OVERDUE_PAIRS + 1))
    overdue, closing = picked[:OVERDUE_PAIRS], picked[OVERDUE_PAIRS:]
    closed_on = clock.days_ago(12)
    den_day = clock.school_day(_last_weekday(today - timedelta(days=13), WOLF_DEN_WEEKDAY))

    for pair in pairs:
        rng = clock.rng("pair", pair.mentee_id)
        slot = rng.choice(pair.shared_slots)
        when = f"{DAY_NAMES[parse_slot(slot).day]}s, 3:15 to 4:00 pm"
        add(
            clock.at(staff, 12, rng.randint(0, 50)),
            _plan_step(clock, pair, coordinator, when, rng.choice(PLACES)),
        )
        last = today - timedelta(days=1)
        if pair in overdue:
            last = today - timedelta(days=rng.randint(10, 16))
        elif pair in closing:
            last = closed_on - timedelta(days=1)
        days = _meeting_days(staff, last, parse_slot(slot).day)
        if pair not in overdue and pair not in closing:
            days = _with_make_up(days, clock)
        skip = 0.25 if pair is theirs else 0.12
        for number, day in enumerate(days):
            if number < len(days) - 1 and rng.random() < skip:
                continue
            by_wolf = pair is theirs or rng.random() < 0.92
            draft = _meeting(pair, day, rng, notes=by_wolf)
            actor = pair.wolf if by_wolf else coordinator
            add(clock.at(day, 16, 30), _meeting_step(clock, pair, actor, draft, done))
        if pair in closing:
            continue
        for who, chance, (early, late) in CHECK_INS:
            if not (pair is theirs and who != CheckInWith.MENTEE) and rng.random() >= chance:
                continue
            late = min(late, (today - staff).days - 1)
            day = max(clock.days_ago(rng.randint(min(early, late), late)), staff)
            note = rng.choice(CHECK_IN_NOTES[who]).format(
                wolf=pair.wolf_name,
                pup=pair.pup_name,
                guardian=pair.guardian_name,
                teacher=pair.teacher,
            )
            held = clock.at(day, 12 if who == CheckInWith.MENTEE else 19, 0)
            add(held, _check_in_step(clock, pair, coordinator, who, day, note, held, done))

    den = _den_step(clock, program_id, coordinator, pairs, theirs, den_day, done)
    add(clock.at(den_day, 19, 30), den)
    for pair in closing:
        add(clock.at(closed_on, 8, 30), _close_step(clock, pair, coordinator, closed_on))
    most = max(3, min(20, (today - staff).days - 1))
    for plan in later:
        rng = clock.rng("pup", plan.number)
        day = clock.days_ago(rng.randint(3, most))
        add(clock.at(day, 7, 20), _pup_step(clock, program_id, coordinator, plan, day, rng))
    add(clock.at(clock.days_ago(2), 15, 45), _run_step(clock, program_id, coordinator))

    steps.sort()
    for number, step in enumerate(steps, start=1):
        step.action()
        if number % 50 == 0 or number == len(steps):
            say(f"Writing the weeks of {PROGRAM_NAME} ... {number}/{len(steps)}")
    return done


def _last_weekday(day: date, weekday: int) -> date:
    """The latest `weekday` (0 = Monday) on or before `day`."""
    return day - timedelta(days=(day.weekday() - weekday) % 7)


def _meeting_days(staff_day: date, last: date, weekday: int) -> list[date]:
    """School days on the pair's weekday after the staff meeting, up to `last`."""
    day = staff_day + timedelta(days=(weekday - staff_day.weekday()) % 7 or 7)
    days = []
    while day <= last:
        if not no_school(day):
            days.append(day)
        day += timedelta(weeks=1)
    return days


def _with_make_up(days: list[date], clock: Clock) -> list[date]:
    """A pair on track meets again within the week: after a holiday, on another school day."""
    week = [clock.today - timedelta(days=n) for n in range(1, 8)]
    school = [day for day in week if not no_school(day)]
    if school and (not days or days[-1] < week[-1]):
        return [*days, school[0]]
    return days


def _meeting(pair: Pair, day: date, rng: random.Random, notes: bool) -> services.MeetingDraft:
    """What they did (mostly something they both like), and now and then a Wolf's note."""
    ideas = [activity for interest in pair.shared_interests for activity in ACTIVITIES[interest]]
    if not ideas or rng.random() < 0.2:
        ideas = list(ANY_ACTIVITY)
    note = ""
    if notes and rng.random() < 0.3:
        note = rng.choice(MEETING_NOTES).format(pup=pair.pup_name)
    return services.MeetingDraft(
        met_on=day, minutes=rng.choice(MEETING_MINUTES), activity=rng.choice(ideas), notes=note
    )


def _plan_step(clock: Clock, pair: Pair, coordinator: User, when: str, place: str):
    """At the staff meeting the coordinator says when and where the pair meets."""

    planned = clock.at(clock.staff_day, 12, 55)

    def step() -> None:
        services.set_meeting_plan(pair.id, coordinator, when, place, now=planned)

    return step


def _meeting_step(clock: Clock, pair: Pair, actor: User, draft: services.MeetingDraft, done: Done):
    """The Wolf (now and then the coordinator) logs a meeting that afternoon."""
    logged = clock.at(draft.met_on, 16, 30)

    def step() -> None:
        services.log_meeting(pair.id, actor, draft, now=logged)
        done.meetings += 1

    return step


def _check_in_step(
    clock: Clock,
    pair: Pair,
    coordinator: User,
    who: CheckInWith,
    day: date,
    note: str,
    held: datetime,
    done: Done,
):
    """The coordinator checks in with the Wolf, the Pup or the guardian."""

    def step() -> None:
        services.log_check_in(pair.id, coordinator, who, day, note, now=held)
        done.check_ins += 1

    return step


def _den_step(
    clock: Clock,
    program_id: int,
    coordinator: User,
    pairs: list[Pair],
    theirs: Pair,
    day: date,
    done: Done,
):
    """A Wolf Den dinner: most pairs come, the mentor account and her Pup among them."""
    rng = clock.rng("wolf-den")
    wolves, pups = set(), set()
    for pair in pairs:
        if pair is theirs or rng.random() < 0.75:
            wolves.add(pair.mentor_id)
            if pair is theirs or rng.random() < 0.9:
                pups.add(pair.mentee_id)
    planned, held = clock.at(day - timedelta(days=10), 9, 0), clock.at(day, 19, 30)

    def step() -> None:
        event = services.create_event(
            program_id,
            coordinator,
            services.EventDraft(WOLF_DEN, day, WOLF_DEN_MINUTES, WOLF_DEN_PLACE),
            now=planned,
        )
        services.record_attendance(event.id, coordinator, wolves, pups, now=held)
        done.den_wolves, done.den_pups = len(wolves), len(pups)

    return step


def _close_step(clock: Clock, pair: Pair, coordinator: User, day: date):
    """A family moves away: the match closes and the Pup leaves the program."""
    notes = CLOSE_NOTES.format(wolf=pair.wolf_name, pup=pair.pup_name)
    moved = clock.at(day, 8, 30)  # closed_on: its local day, `day`

    def step() -> None:
        services.close_pairing(
            pair.id, coordinator, CloseReason.MOVED, notes, mentee_leaves=True, now=moved
        )

    return step


def _pup_step(clock: Clock, program_id: int, coordinator: User, plan: PupPlan, day: date, rng):
    """A child referred since the activity day joins the waiting Pups."""

    def step() -> None:
        add_pup(clock, program_id, coordinator, plan, day, rng)

    return step


def _run_step(clock: Clock, program_id: int, coordinator: User):
    """Two days ago the coordinator ran matching again; its proposals wait for review."""
    ran = clock.at(clock.days_ago(2), 15, 45)

    def step() -> None:
        services.run_matching(program_id, coordinator, now=ran)

    return step


def say_where_things_stand(program: Program, mentor: User, say: Echo) -> None:
    """What the coordinator and the mentor account will find."""
    report = reports.program_report(program.id)
    proposals = services.pairings_of(program.id, PairStatus.PROPOSED)
    applied = db.session.scalar(
        select(func.count(MentorEnrollment.id)).where(
            MentorEnrollment.program_id == program.id,
            MentorEnrollment.status == EnrollmentStatus.APPLIED,
        )
    )
    say(
        f"{PROGRAM_NAME}: {report.active_pairs} active pairs ({report.overdue_pairs} overdue to "
        f"meet), {report.closed_pairs} closed, {len(proposals)} proposals to review, "
        f"{len(report.unmatched)} Pups waiting, {applied} applications to review."
    )
    enrollment = services.enrollment_for(mentor, program.id)
    pair = db.session.scalar(
        select(Pairing).where(
            Pairing.mentor_id == enrollment.id, Pairing.status == PairStatus.ACTIVE
        )
    )
    if pair is not None:
        meetings, events = reports.service_minutes([enrollment.id])[enrollment.id]
        say(
            f"{mentor.display_name} (the mentor account) mentors {pair.mentee.display_name}: "
            f"{(meetings + events) / 60:.1f} service hours so far."
        )
