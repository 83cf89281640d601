"""Factories for mentoring: programs with coordinators, mentors, mentees and pairs.

Restricted mentee fields carry distinctive values so privacy tests can search page text
for them.
"""

from __future__ import annotations

from datetime import date, timedelta

import factory

from neighborly.accounts.models import Community, Role, User
from neighborly.extensions import db
from neighborly.mentoring.models import (
    EnrollmentStatus,
    Mentee,
    MenteeStatus,
    MentorEnrollment,
    Pairing,
    PairSource,
    PairStatus,
    Program,
    ProgramCoordinator,
)
from tests.factories.accounts import CommunityFactory, member
from tests.factories.base import BaseFactory

HIGH = "Algoma High School"
LAKEVIEW = "Lakeview Elementary"
NORTHSIDE = "Northside Elementary"


class ProgramFactory(BaseFactory):
    """Wolves and Pups in a fresh community, requirements on, weekly meetings."""

    class Meta:
        model = Program

    community = factory.SubFactory(CommunityFactory)
    name = factory.Sequence(lambda n: f"Wolves and Pups {n}")
    mentor_label, mentor_label_plural = "Wolf", "Wolves"
    mentee_label, mentee_label_plural = "Pup", "Pups"
    schools = f"{HIGH}\n{LAKEVIEW}\n{NORTHSIDE}"
    feeder_schools = f"{LAKEVIEW} > {HIGH}"
    term_start = factory.LazyFunction(lambda: date.today() - timedelta(days=60))
    term_end = factory.LazyFunction(lambda: date.today() + timedelta(days=120))
    meeting_cadence_days = 7
    max_mentees_per_mentor = 2
    min_grade_gap = 2
    requires_guardian_consent = True
    requires_training = True
    requires_background_check = True


def program_run_by(community: Community | None = None, **fields) -> tuple[Program, User]:
    """A program and a coordinator of its community who runs it."""
    community = community or CommunityFactory()
    program = ProgramFactory(community=community, **fields)
    coordinator = member(community, Role.COORDINATOR)
    add_coordinator(program, coordinator)
    return program, coordinator


class ProgramCoordinatorFactory(BaseFactory):
    """A coordinator of the program's community who runs the program."""

    class Meta:
        model = ProgramCoordinator
        exclude = ("program",)

    program = factory.SubFactory(ProgramFactory)
    program_id = factory.SelfAttribute("program.id")
    community_id = factory.SelfAttribute("program.community_id")
    user = factory.LazyAttribute(lambda o: member(o.program.community, Role.COORDINATOR))


def add_coordinator(program: Program, user: User) -> ProgramCoordinator:
    """Make a person one of the program's coordinators."""
    return ProgramCoordinatorFactory(program=program, user=user)


class MentorEnrollmentFactory(BaseFactory):
    """An approved grade-10 Wolf with every requirement done, free Tuesdays at 3."""

    class Meta:
        model = MentorEnrollment

    program = factory.SubFactory(ProgramFactory)
    community_id = factory.SelfAttribute("program.community_id")
    user = factory.LazyAttribute(lambda o: member(o.program.community, Role.VOLUNTEER))
    status = EnrollmentStatus.APPROVED
    grade = 10
    school = HIGH
    interests = "games,reading"
    languages = "en"
    availability = "tue-15"
    motivation = "I loved having a mentor when I was little."
    capacity = 1
    active_count = 0
    guardian_consent_on = factory.LazyFunction(lambda: date.today() - timedelta(days=30))
    training_completed_on = factory.LazyFunction(lambda: date.today() - timedelta(days=20))


def mentor(program: Program, **fields) -> MentorEnrollment:
    """An enrolled mentor of a program (a volunteer member of its community)."""
    return MentorEnrollmentFactory(program=program, **fields)


class MenteeFactory(BaseFactory):
    """A waiting third grader at the feeder school, with distinctive private details."""

    class Meta:
        model = Mentee

    program = factory.SubFactory(ProgramFactory)
    community_id = factory.SelfAttribute("program.community_id")
    status = MenteeStatus.WAITING
    first_name = factory.Sequence(lambda n: f"Pupname{n}")
    last_initial = "Q"
    grade = 3
    school = LAKEVIEW
    teacher = "Ms Okafor"
    interests = "games,reading"
    languages = "en"
    availability = "tue-15"
    referral_reason = factory.Sequence(lambda n: f"SAEBRS screening score {n} referral")
    guardian_name = factory.Sequence(lambda n: f"Guardian Tobiason {n}")
    guardian_contact = factory.Sequence(lambda n: f"920-555-{n:04d}")
    guardian_consent_on = factory.LazyFunction(lambda: date.today() - timedelta(days=40))
    notes = factory.Sequence(lambda n: f"Private note about home life {n}")


def mentee(program: Program, **fields) -> Mentee:
    """A mentee record in a program."""
    return MenteeFactory(program=program, **fields)


class PairingFactory(BaseFactory):
    """A proposed pair, as a matching run would leave it."""

    class Meta:
        model = Pairing
        exclude = ("enrollment", "child")

    enrollment = factory.SubFactory(MentorEnrollmentFactory)
    child = factory.SubFactory(MenteeFactory, program=factory.SelfAttribute("..enrollment.program"))
    program_id = factory.SelfAttribute("enrollment.program_id")
    community_id = factory.SelfAttribute("enrollment.community_id")
    mentor_id = factory.SelfAttribute("enrollment.id")
    mentee_id = factory.SelfAttribute("child.id")
    status = PairStatus.PROPOSED
    source = PairSource.MATCHING
    score = 2.0
    reasons = factory.LazyFunction(lambda: [["interests", ["games"]]])


class ActivePairFactory(PairingFactory):
    """An approved, active pair made by hand: the mentor's seat is taken, the mentee paired."""

    status = PairStatus.ACTIVE
    source = PairSource.HAND
    score = None
    started_on = factory.LazyFunction(lambda: date.today() - timedelta(days=3))

    @factory.post_generation
    def take_seat(pair: Pairing, create: bool, extracted, **kwargs) -> None:
        """Fill one of the mentor's seats and take the mentee out of the pool."""
        db.session.get(MentorEnrollment, pair.mentor_id).active_count += 1
        db.session.get(Mentee, pair.mentee_id).status = MenteeStatus.PAIRED
        if create:
            db.session.commit()


def active_pair(
    enrollment: MentorEnrollment, child: Mentee, started_on: date | None = None, **fields
) -> Pairing:
    """An approved, active pair (seat taken, mentee out of the pool)."""
    if started_on is not None:
        fields["started_on"] = started_on
    return ActivePairFactory(enrollment=enrollment, child=child, **fields)


def proposal(enrollment: MentorEnrollment, child: Mentee, score: float = 2.0) -> Pairing:
    """A proposed pair, as a matching run would leave it."""
    return PairingFactory(enrollment=enrollment, child=child, score=score)
