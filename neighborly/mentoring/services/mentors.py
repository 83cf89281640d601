"""Mentor applications, screening and decisions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from neighborly.accounts.models import Role, User
from neighborly.audit import record_audit
from neighborly.errors import Conflict, NotFound
from neighborly.extensions import db
from neighborly.mentoring.errors import (
    CapacityBelowActive,
    CapacityOutOfRange,
    HasActivePairs,
    NotEligible,
)
from neighborly.mentoring.models import (
    EnrollmentStatus,
    MentorEnrollment,
    Program,
)
from neighborly.mentoring.services.common import (
    get_program,
    require_coordinator,
    supersede_proposals,
)
from neighborly.records import load_record
from neighborly.timeutil import utcnow


@dataclass(frozen=True)
class MentorApplication:
    """What a would-be mentor tells the program about themselves."""

    grade: int | None
    school: str
    interests: frozenset[str]
    languages: frozenset[str]
    slots: frozenset[str]
    gender: str | None
    gender_preference: str | None
    motivation: str


@dataclass(frozen=True)
class Screening:
    """What a coordinator records about a mentor: consent, training, check, capacity."""

    guardian_consent_on: date | None
    training_completed_on: date | None
    background_check_on: date | None
    capacity: int


def may_apply(user: User, community_id: int) -> bool:
    """Members may apply to mentor; coordinators may not (they screen and approve)."""
    roles = user.roles_in(community_id) if user.is_authenticated else set()
    return bool(roles) and Role.COORDINATOR not in roles


def enrollment_for(user: User, program_id: int) -> MentorEnrollment | None:
    """This person's enrolment in a program, if any."""
    return db.session.scalar(
        select(MentorEnrollment).where(
            MentorEnrollment.program_id == program_id, MentorEnrollment.user_id == user.id
        )
    )


def _apply_application(enrollment: MentorEnrollment, application: MentorApplication) -> None:
    """Copy an application onto an enrolment."""
    enrollment.grade = application.grade
    enrollment.school = application.school.strip()
    enrollment.interests = ",".join(sorted(application.interests))
    enrollment.languages = ",".join(sorted(application.languages))
    enrollment.availability = ",".join(sorted(application.slots))
    enrollment.gender = application.gender or None
    enrollment.gender_preference = application.gender_preference or None
    enrollment.motivation = application.motivation.strip()


def apply_to_mentor(
    program_id: int, user: User, application: MentorApplication, *, now: datetime | None = None
) -> MentorEnrollment:
    """Apply (or update an application) to mentor; a withdrawn or declined one re-applies."""
    program = get_program(program_id)
    if not may_apply(user, program.community_id):
        raise NotEligible("member")
    now = now or utcnow()
    enrollment = enrollment_for(user, program_id) or _first_enrollment(program, user, now)
    _reopen(enrollment)
    _apply_application(enrollment, application)
    db.session.flush()
    record_audit(
        user.id, "mentor.applied", "mentor_enrollment", enrollment.id, program.community_id, now=now
    )
    db.session.commit()
    return enrollment


def _first_enrollment(program: Program, user: User, now: datetime) -> MentorEnrollment:
    """Insert this person's enrolment; if a twin request inserted it first, use that one."""
    program_id, community_id = program.id, program.community_id
    enrollment = MentorEnrollment(
        program_id=program_id,
        community_id=community_id,
        user_id=user.id,
        capacity=1,
        active_count=0,
        status=EnrollmentStatus.APPLIED,
        created_at=now,
    )
    db.session.add(enrollment)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()  # nothing else is pending yet: only reads came before
        found = enrollment_for(user, program_id)
        if found is None:
            raise
        return found
    return enrollment


def _reopen(enrollment: MentorEnrollment) -> None:
    """Withdrawn or declined -> applied, as one conditional update (no read-then-write)."""
    db.session.execute(
        update(MentorEnrollment)
        .where(
            MentorEnrollment.id == enrollment.id,
            MentorEnrollment.status.in_((EnrollmentStatus.WITHDRAWN, EnrollmentStatus.DECLINED)),
        )
        .values(status=EnrollmentStatus.APPLIED)
        .execution_options(synchronize_session="fetch")
    )


def withdraw_enrollment(program_id: int, user: User, *, now: datetime | None = None) -> None:
    """A mentor steps back from a program; not while they still have a mentee."""
    enrollment = enrollment_for(user, program_id)
    if enrollment is None:
        raise NotFound(program_id)
    changed = db.session.execute(
        update(MentorEnrollment)
        .where(
            MentorEnrollment.id == enrollment.id,
            MentorEnrollment.status.in_((EnrollmentStatus.APPLIED, EnrollmentStatus.APPROVED)),
            MentorEnrollment.active_count == 0,
        )
        .values(status=EnrollmentStatus.WITHDRAWN)
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed != 1:
        db.session.rollback()
        raise HasActivePairs(enrollment.id)
    supersede_proposals(program_id, mentor_id=enrollment.id)
    record_audit(
        user.id,
        "mentor.withdrew",
        "mentor_enrollment",
        enrollment.id,
        enrollment.community_id,
        now=now,
    )
    db.session.commit()


def get_enrollment(enrollment_id: int) -> MentorEnrollment:
    """Load an enrolment or raise NotFound."""
    return load_record(MentorEnrollment, enrollment_id, fresh=True)


def requirements_missing(enrollment: MentorEnrollment, program: Program) -> tuple[str, ...]:
    """Which of the program's requirements this mentor has not completed yet."""
    adult = enrollment.is_adult
    checks = (
        (
            "guardian_consent",
            program.requires_guardian_consent and not adult,
            enrollment.guardian_consent_on,
        ),
        ("training", program.requires_training, enrollment.training_completed_on),
        (
            "background_check",
            program.requires_background_check and adult,
            enrollment.background_check_on,
        ),
    )
    return tuple(code for code, required, done_on in checks if required and done_on is None)


def record_screening(
    enrollment_id: int, coordinator: User, screening: Screening, *, now: datetime | None = None
) -> None:
    """Record consent, training and background check dates and the mentor's capacity."""
    enrollment = get_enrollment(enrollment_id)
    require_coordinator(coordinator, enrollment.program_id)
    if not 1 <= screening.capacity <= enrollment.program.max_mentees_per_mentor:
        raise CapacityOutOfRange(screening.capacity)
    changed = db.session.execute(
        update(MentorEnrollment)
        .where(
            MentorEnrollment.id == enrollment_id,
            MentorEnrollment.active_count <= screening.capacity,
        )
        .values(
            guardian_consent_on=screening.guardian_consent_on,
            training_completed_on=screening.training_completed_on,
            background_check_on=screening.background_check_on,
            capacity=screening.capacity,
            screened_by_id=coordinator.id,
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed != 1:
        db.session.rollback()
        raise CapacityBelowActive(enrollment_id)
    record_audit(
        coordinator.id,
        "mentor.screened",
        "mentor_enrollment",
        enrollment_id,
        enrollment.community_id,
        now=now,
    )
    db.session.commit()


def _decide(
    enrollment_id: int, coordinator: User, allowed: tuple, now: datetime, **values
) -> MentorEnrollment:
    """Move an enrolment between statuses with one conditional UPDATE."""
    enrollment = get_enrollment(enrollment_id)
    require_coordinator(coordinator, enrollment.program_id)
    changed = db.session.execute(
        update(MentorEnrollment)
        .where(
            MentorEnrollment.id == enrollment_id,
            MentorEnrollment.status.in_(allowed),
            MentorEnrollment.active_count == 0,
        )
        .values(decided_by_id=coordinator.id, decided_at=now, **values)
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed != 1:
        db.session.rollback()
        raise Conflict(enrollment_id)
    return enrollment


def approve_mentor(
    enrollment_id: int, coordinator: User, *, now: datetime | None = None
) -> MentorEnrollment:
    """Accept an applicant as a mentor (they are proposed once requirements are complete)."""
    now = now or utcnow()
    enrollment = _decide(
        enrollment_id,
        coordinator,
        (EnrollmentStatus.APPLIED,),
        now,
        status=EnrollmentStatus.APPROVED,
    )
    record_audit(
        coordinator.id,
        "mentor.approved",
        "mentor_enrollment",
        enrollment_id,
        enrollment.community_id,
        now=now,
    )
    db.session.commit()
    return get_enrollment(enrollment_id)


def decline_mentor(
    enrollment_id: int, coordinator: User, reason: str, *, now: datetime | None = None
) -> MentorEnrollment:
    """Decline an applicant (or an approved mentor without mentees), saying why."""
    now = now or utcnow()
    enrollment = _decide(
        enrollment_id,
        coordinator,
        (EnrollmentStatus.APPLIED, EnrollmentStatus.APPROVED),
        now,
        status=EnrollmentStatus.DECLINED,
        decline_reason=reason.strip() or None,
    )
    supersede_proposals(enrollment.program_id, mentor_id=enrollment_id)
    record_audit(
        coordinator.id,
        "mentor.declined",
        "mentor_enrollment",
        enrollment_id,
        enrollment.community_id,
        now=now,
    )
    db.session.commit()
    return get_enrollment(enrollment_id)


def mentors_of(program_id: int) -> list[MentorEnrollment]:
    """Every enrolment in a program with its person, newest applications first."""
    return list(
        db.session.scalars(
            select(MentorEnrollment)
            .join(User, User.id == MentorEnrollment.user_id)
            .where(MentorEnrollment.program_id == program_id)
            .order_by(MentorEnrollment.status, User.first_name, MentorEnrollment.id)
            .options(selectinload(MentorEnrollment.user))
        )
    )
