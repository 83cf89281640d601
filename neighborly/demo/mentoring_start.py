"""The start of the Wolves and Pups term: the story's clock, the program, Wolves applying and
being screened, the first Pups entered from consent forms, and the staff meeting's matches.

Each step calls a mentoring service with the moment the story gives it (`now`).
"""

from __future__ import annotations

import dataclasses
import random
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from neighborly.accounts.models import Community, Membership, Role, User
from neighborly.demo.data.wolves import (
    APPLIED,
    APPROVED,
    CONSENT_IN,
    ELEMENTARY,
    HIGH_SCHOOL,
    MENTORING_HISTORY_DAYS,
    MIN_GRADE_GAP,
    MORE_TEEN_NAMES,
    MOST_PUPS,
    PROGRAM_NAME,
    REJECT_REASON,
    SHORTEST_HISTORY,
    WOLVES,
)
from neighborly.demo.people import email_name
from neighborly.demo.wolves import (
    MENTOR_PLAN,
    PupPlan,
    Setting,
    WolfPlan,
    gender_of,
    no_school,
    school_year,
    wolf_plan,
)
from neighborly.extensions import db
from neighborly.mentoring import services
from neighborly.mentoring.models import Pairing, PairStatus, Program
from neighborly.timeutil import utcnow

# --------------------------------------------------------------------------- the clock


class Clock:
    """Local days and wall-clock times in the community: the moments the story happens.

    Each step passes its moment to the service as `now`, so rows, audit events and emails
    are written at that moment, never re-dated afterwards.
    """

    def __init__(self, community: Community, seed: int) -> None:
        self.community = community
        self.seed = seed
        self.zone = ZoneInfo(community.timezone)
        self.started = utcnow()
        self.today = services.local_today(community.timezone)
        term_start, _term_end = school_year(self.today)
        history = (self.today - term_start).days - 10
        self.history = max(SHORTEST_HISTORY, min(MENTORING_HISTORY_DAYS, history))
        self.staff_day = self.school_day(self.today - timedelta(days=self.history))

    def rng(self, *parts: object) -> random.Random:
        """A random stream named by the seed and the parts."""
        return random.Random(":".join(str(p) for p in (self.seed, "wolves-and-pups", *parts)))

    def school_day(self, day: date, back: bool = True) -> date:
        """The nearest school day on or before (or after) `day`."""
        step = timedelta(days=-1 if back else 1)
        while no_school(day):
            day += step
        return day

    def days_ago(self, days: int) -> date:
        """The school day on or before `days` days ago."""
        return self.school_day(self.today - timedelta(days=days))

    def at(self, day: date, hour: int, minute: int = 0) -> datetime:
        """A local wall-clock time on a day, in UTC, and never after the load began."""
        moment = datetime.combine(day, time(hour, minute), tzinfo=self.zone).astimezone(UTC)
        return min(moment, self.started - timedelta(minutes=5))


# --------------------------------------------------------------------------- loading


def start_program(clock: Clock, coordinator: User) -> Program:
    """The coordinator opens the program about three weeks before the first matches."""
    term_start, term_end = school_year(clock.today)
    return services.create_program(
        clock.community,
        coordinator,
        services.ProgramDraft(
            name=PROGRAM_NAME,
            mentor_label="Wolf",
            mentor_label_plural="Wolves",
            mentee_label="Pup",
            mentee_label_plural="Pups",
            schools=(HIGH_SCHOOL, ELEMENTARY),
            feeder_schools=((ELEMENTARY, HIGH_SCHOOL),),
            term_start=term_start,
            term_end=term_end,
            meeting_cadence_days=7,
            max_mentees_per_mentor=MOST_PUPS,
            min_grade_gap=MIN_GRADE_GAP,
            requires_guardian_consent=True,
            requires_training=True,
            requires_background_check=True,
        ),
        now=clock.at(clock.school_day(clock.staff_day - timedelta(days=24)), 10, 15),
    )


def recruit(clock: Clock, setting: Setting) -> tuple[list[tuple[WolfPlan, User]], int]:
    """A person for each Wolf slot: the teen volunteers first, then mentor-only students.

    Mentor-only students get first names no other Wolf has while there are any left.
    """
    taken = {setting.mentor.first_name} | {user.first_name for user in setting.teens[:WOLVES]}
    names = list(dict.fromkeys(setting.first_names + MORE_TEEN_NAMES))
    clock.rng("recruit-names").shuffle(names)
    names = [n for n in names if n not in taken] + [n for n in names if n in taken]
    wolves, recruited = [], 0
    for slot in range(WOLVES):
        plan = wolf_plan(slot, setting.seed)
        if slot < len(setting.teens):
            wolves.append((plan, setting.teens[slot]))
            continue
        rng = clock.rng("recruit", slot)
        first_name = names[(slot - len(setting.teens)) % len(names)]
        last_name = rng.choice(setting.last_names)
        email = (
            f"{email_name(first_name)}.{email_name(last_name)}.w{slot:04d}@{setting.email_domain}"
        )
        user = db.session.scalar(select(User).where(User.email == email))
        if user is None:  # a run that stopped half-way may have made them
            joined = clock.at(clock.staff_day - timedelta(days=rng.randint(21, 40)), 19, 30)
            user = User(
                email=email,
                password_hash=setting.password_hash,
                first_name=first_name,
                last_name=last_name,
                locale="en",
                email_confirmed_at=joined,
                created_at=joined,
            )
            db.session.add(user)
            db.session.add(
                Membership(
                    user=user, community=clock.community, role=Role.VOLUNTEER, created_at=joined
                )
            )
            recruited += 1
        wolves.append((plan, user))
    db.session.commit()
    return wolves, recruited


def _application(plan: WolfPlan, user: User) -> services.MentorApplication:
    """What a Wolf tells the program."""
    gender = gender_of(user.first_name)
    return services.MentorApplication(
        grade=plan.grade,
        school=HIGH_SCHOOL,
        interests=plan.interests,
        languages=plan.languages | ({"es"} if user.locale == "es" else frozenset()),
        slots=plan.slots,
        gender=gender,
        gender_preference=gender if plan.same_gender else None,
        motivation=plan.motivation,
    )


def enrol(
    clock: Clock, program: Program, setting: Setting, wolves: list[tuple[WolfPlan, User]]
) -> None:
    """Wolves apply; consent forms come back; training night; the coordinator approves.

    Slots that applied in the last days wait for review (one has its consent form in).
    """
    staff, coordinator = clock.staff_day, setting.coordinator
    training_night = clock.school_day(staff - timedelta(days=7))
    approved = clock.at(clock.school_day(staff - timedelta(days=6), back=False), 7, 45)
    for plan, user in [(MENTOR_PLAN, setting.mentor), *wolves]:
        rng = clock.rng("wolf", plan.slot)
        recent = plan.status == APPLIED
        if recent:
            applied = clock.today - timedelta(days=rng.randint(2, 9))
        else:
            applied = staff - timedelta(days=rng.randint(12, 20))
        moment = clock.at(applied, rng.randint(15, 21), rng.choice((0, 20, 40)))
        enrollment = services.apply_to_mentor(
            program.id, user, _application(plan, user), now=moment
        )
        if recent and plan.slot != CONSENT_IN:
            continue
        consent = min(applied + timedelta(days=rng.randint(1, 4)), clock.today - timedelta(1))
        trained = training_night if plan.status == APPROVED else None
        services.record_screening(
            enrollment.id,
            coordinator,
            services.Screening(
                guardian_consent_on=consent,
                training_completed_on=trained,
                background_check_on=None,  # students: no background check
                capacity=plan.capacity,
            ),
            now=clock.at(max(consent, trained or consent), 20, 5),
        )
        if recent:
            continue
        services.approve_mentor(enrollment.id, coordinator, now=approved)


def add_first_pups(clock: Clock, program_id: int, coordinator: User, plans: list[PupPlan]):
    """Before the activity day the coordinator enters each child from the consent form."""
    for plan in plans:
        rng = clock.rng("pup", plan.number)
        day = clock.school_day(clock.staff_day - timedelta(days=rng.randint(4, 12)))
        add_pup(clock, program_id, coordinator, plan, day, rng)


def add_pup(
    clock: Clock,
    program_id: int,
    coordinator: User,
    plan: PupPlan,
    day: date,
    rng: random.Random,
) -> None:
    """One child entered on `day`; the guardian signed a few days before."""
    draft = dataclasses.replace(
        plan.draft, guardian_consent_on=day - timedelta(days=rng.randint(1, 6))
    )
    entered = clock.at(day, 7, rng.randint(20, 55))
    services.add_mentee(program_id, coordinator, draft, now=entered)


def make_matches(clock: Clock, program: Program, setting: Setting) -> list[Pairing]:
    """Matching after the activity day; two days later the staff meeting decides.

    One proposal is turned down with a reason; the others are approved. The mentor account
    (free three afternoons a week) always gets a proposal: there are more seats than Pups.
    """
    coordinator = setting.coordinator
    ran = clock.at(clock.school_day(clock.staff_day - timedelta(days=2)), 16, 10)
    services.run_matching(program.id, coordinator, now=ran)

    kaylee = services.enrollment_for(setting.mentor, program.id)
    proposals = services.pairings_of(program.id, PairStatus.PROPOSED)
    if not any(p.mentor_id == kaylee.id for p in proposals):
        raise RuntimeError("the demo's matching run proposed no Pup for the mentor account")
    others = [p for p in proposals if p.mentor_id != kaylee.id]  # best first
    meeting = clock.at(clock.staff_day, 7, 30)
    if len(others) > 3:
        services.reject_pairing(others[-1].id, coordinator, REJECT_REASON, now=meeting)
    db.session.commit()  # approve_all rolls back a proposal it cannot approve
    services.approve_all(program.id, coordinator, now=meeting)  # "You have a Pup" mails
    return services.pairings_of(program.id, PairStatus.ACTIVE)
