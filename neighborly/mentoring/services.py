"""Mentoring rules: programs, enrolment and screening, matching, approval, meetings, closure.

Capacity under concurrency: each mentor enrolment keeps `active_count`, raised only by
`UPDATE mentoring_mentors SET active_count = active_count + 1
 WHERE id = :mentor AND status = 'approved' AND active_count < capacity`
in the same transaction that moves the pairing from proposed to active. On PostgreSQL
(READ COMMITTED) the second of two concurrent UPDATEs waits for the first's row lock and
then re-checks its WHERE against the committed row, so it sees the raised count and
matches no row. On SQLite writers are serialised by the database lock. Either way, the
loser's rowcount is 0, it rolls back, and the mentor is never overfilled. (A guard such as
`INSERT ... WHERE (SELECT count(*) ...) < capacity` is *not* safe under READ COMMITTED:
both transactions count from snapshots that miss the other's uncommitted row.) Every
transition locks rows in the same order (pairing, mentor, mentee), so they cannot deadlock.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from neighborly.accounts.models import Community, Role, User
from neighborly.accounts.services import find_user_by_email
from neighborly.audit import record_audit
from neighborly.errors import Conflict, DomainError, NotAllowed, NotFound
from neighborly.extensions import db
from neighborly.mentoring import pairing
from neighborly.mentoring.models import (
    CheckIn,
    CheckInWith,
    CloseReason,
    DoNotPair,
    EnrollmentStatus,
    EventAttendance,
    GroupEvent,
    MatchingRun,
    Meeting,
    Mentee,
    MenteeStatus,
    MentorEnrollment,
    Pairing,
    PairSource,
    PairStatus,
    Program,
    ProgramCoordinator,
)
from neighborly.notifications.services import absolute_url, deliver_pending, notify
from neighborly.timeutil import local_time, utcnow

HARD_CONSTRAINTS = frozenset({"requirements", "do_not_pair"})
WITH_PEOPLE = (
    selectinload(Pairing.mentor).selectinload(MentorEnrollment.user),
    selectinload(Pairing.mentee),
)


class NotProposed(Conflict):
    """The proposal was already approved, rejected or replaced by a newer run."""


class MentorFull(Conflict):
    """The mentor already has as many mentees as they may."""


class MenteeTaken(Conflict):
    """The mentee is no longer waiting for a mentor."""


class NotActive(Conflict):
    """The pairing is not active (closed, or never approved)."""


class HasActivePairs(Conflict):
    """The mentor still has active pairings."""


class CapacityBelowActive(Conflict):
    """The new capacity is lower than the mentor's current number of mentees."""


class CapacityOutOfRange(DomainError):
    """A capacity below 1 or above the program's maximum mentees per mentor."""


class DuplicateName(Conflict):
    """Another program in the community already has this name."""


class NotACoordinator(DomainError):
    """No coordinator of the community has this email."""


class NotEligible(NotAllowed):
    """This person may not enrol as a mentor here."""


class MentorNotApproved(DomainError):
    """Only approved mentors can be paired."""


class PairingForbidden(DomainError):
    """A hard rule (requirements, do-not-pair list) forbids this pair; `codes` says which."""

    def __init__(self, codes: tuple[str, ...]) -> None:
        super().__init__(*codes)
        self.codes = codes


class NeedsConfirmation(DomainError):
    """A hand-made pair breaks soft constraints; the coordinator must confirm them."""

    def __init__(self, warnings: tuple[str, ...]) -> None:
        super().__init__(*warnings)
        self.warnings = warnings


class InvalidDate(DomainError):
    """A date outside what makes sense (in the future, or before the pair began)."""


# ---------------------------------------------------------------- time


def local_today(timezone: str) -> date:
    """Today's date where the community is."""
    return local_time(utcnow(), timezone).date()


def program_today(program: Program) -> date:
    """Today in the program's community."""
    return local_today(program.community.timezone)


# ---------------------------------------------------------------- programs and coordinators


@dataclass(frozen=True)
class ProgramDraft:
    """What a coordinator sets for a program."""

    name: str
    mentor_label: str
    mentor_label_plural: str
    mentee_label: str
    mentee_label_plural: str
    schools: tuple[str, ...]
    feeder_schools: tuple[tuple[str, str], ...]
    term_start: date
    term_end: date
    meeting_cadence_days: int
    max_mentees_per_mentor: int
    min_grade_gap: int
    requires_guardian_consent: bool
    requires_training: bool
    requires_background_check: bool


def is_program_coordinator(user: User, program_id: int) -> bool:
    """Whether a signed-in person coordinates this program (one query)."""
    if not user.is_authenticated:
        return False
    found = db.session.scalar(
        select(ProgramCoordinator.id).where(
            ProgramCoordinator.program_id == program_id, ProgramCoordinator.user_id == user.id
        )
    )
    return found is not None


def _require_coordinator(user: User, program_id: int) -> None:
    """Raise NotAllowed unless the person coordinates the program."""
    if not is_program_coordinator(user, program_id):
        raise NotAllowed("program coordinator")


def get_program(program_id: int) -> Program:
    """Load a program or raise NotFound."""
    program = db.session.get(Program, program_id)
    if program is None:
        raise NotFound(program_id)
    return program


def _apply_program(program: Program, draft: ProgramDraft) -> None:
    """Copy a draft onto a program."""
    program.name = draft.name.strip()
    program.mentor_label = draft.mentor_label.strip()
    program.mentor_label_plural = draft.mentor_label_plural.strip()
    program.mentee_label = draft.mentee_label.strip()
    program.mentee_label_plural = draft.mentee_label_plural.strip()
    program.schools = "\n".join(draft.schools)
    program.feeder_schools = "\n".join(f"{a} > {b}" for a, b in draft.feeder_schools)
    program.term_start, program.term_end = draft.term_start, draft.term_end
    program.meeting_cadence_days = draft.meeting_cadence_days
    program.max_mentees_per_mentor = draft.max_mentees_per_mentor
    program.min_grade_gap = draft.min_grade_gap
    program.requires_guardian_consent = draft.requires_guardian_consent
    program.requires_training = draft.requires_training
    program.requires_background_check = draft.requires_background_check


def _flush_or_duplicate() -> None:
    """Flush, turning a duplicate program name into DuplicateName."""
    try:
        db.session.flush()
    except IntegrityError as error:
        db.session.rollback()
        raise DuplicateName("name") from error


def create_program(community: Community, coordinator: User, draft: ProgramDraft) -> Program:
    """A community coordinator starts a program and becomes its first coordinator."""
    if Role.COORDINATOR not in coordinator.roles_in(community.id):
        raise NotAllowed("community coordinator")
    program = Program(community_id=community.id, created_by_id=coordinator.id)
    _apply_program(program, draft)
    db.session.add(program)
    _flush_or_duplicate()
    db.session.add(
        ProgramCoordinator(
            program_id=program.id, user_id=coordinator.id, added_by_id=coordinator.id
        )
    )
    record_audit(coordinator.id, "program.created", "program", program.id, community.id)
    db.session.commit()
    return program


def update_program(program_id: int, coordinator: User, draft: ProgramDraft) -> Program:
    """Change a program's settings."""
    _require_coordinator(coordinator, program_id)
    program = get_program(program_id)
    _apply_program(program, draft)
    _flush_or_duplicate()
    record_audit(coordinator.id, "program.updated", "program", program.id, program.community_id)
    db.session.commit()
    return program


def add_program_coordinator(program_id: int, actor: User, email: str) -> User:
    """Give another coordinator of the community access to this program."""
    _require_coordinator(actor, program_id)
    program = get_program(program_id)
    user = find_user_by_email(email)
    if user is None or Role.COORDINATOR not in user.roles_in(program.community_id):
        raise NotACoordinator(email)
    if not is_program_coordinator(user, program_id):
        db.session.add(
            ProgramCoordinator(program_id=program_id, user_id=user.id, added_by_id=actor.id)
        )
        record_audit(actor.id, "program.coordinator_added", "user", user.id, program.community_id)
        db.session.commit()
    return user


def program_coordinators(program_id: int) -> list[User]:
    """The people who run a program, by name."""
    return list(
        db.session.scalars(
            select(User)
            .join(ProgramCoordinator, ProgramCoordinator.user_id == User.id)
            .where(ProgramCoordinator.program_id == program_id)
            .order_by(User.first_name, User.id)
        )
    )


def programs_coordinated(user: User, community_id: int) -> list[Program]:
    """Programs in a community this person runs."""
    return list(
        db.session.scalars(
            select(Program)
            .join(ProgramCoordinator, ProgramCoordinator.program_id == Program.id)
            .where(Program.community_id == community_id, ProgramCoordinator.user_id == user.id)
            .order_by(Program.name)
        )
    )


def programs_in(community_id: int) -> list[Program]:
    """Every program in a community, by name."""
    return list(
        db.session.scalars(
            select(Program).where(Program.community_id == community_id).order_by(Program.name)
        )
    )


def enrollments_of(user: User, community_id: int) -> dict[int, MentorEnrollment]:
    """This person's mentor enrolments in a community, by program id."""
    rows = db.session.scalars(
        select(MentorEnrollment).where(
            MentorEnrollment.user_id == user.id, MentorEnrollment.community_id == community_id
        )
    )
    return {row.program_id: row for row in rows}


# ---------------------------------------------------------------- mentors


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
    program_id: int, user: User, application: MentorApplication
) -> MentorEnrollment:
    """Apply (or update an application) to mentor; a withdrawn or declined one re-applies."""
    program = get_program(program_id)
    if not may_apply(user, program.community_id):
        raise NotEligible("member")
    enrollment = enrollment_for(user, program_id) or MentorEnrollment(
        program_id=program_id,
        community_id=program.community_id,
        user_id=user.id,
        capacity=1,
        active_count=0,
    )
    if enrollment.status in (EnrollmentStatus.WITHDRAWN, EnrollmentStatus.DECLINED):
        enrollment.status = EnrollmentStatus.APPLIED
    _apply_application(enrollment, application)
    db.session.add(enrollment)
    db.session.flush()
    record_audit(
        user.id, "mentor.applied", "mentor_enrollment", enrollment.id, program.community_id
    )
    db.session.commit()
    return enrollment


def withdraw_enrollment(program_id: int, user: User) -> None:
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
    _supersede_proposals(program_id, mentor_id=enrollment.id)
    record_audit(
        user.id, "mentor.withdrew", "mentor_enrollment", enrollment.id, enrollment.community_id
    )
    db.session.commit()


def get_enrollment(enrollment_id: int) -> MentorEnrollment:
    """Load an enrolment or raise NotFound."""
    enrollment = db.session.get(MentorEnrollment, enrollment_id, populate_existing=True)
    if enrollment is None:
        raise NotFound(enrollment_id)
    return enrollment


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


def record_screening(enrollment_id: int, coordinator: User, screening: Screening) -> None:
    """Record consent, training and background check dates and the mentor's capacity."""
    enrollment = get_enrollment(enrollment_id)
    _require_coordinator(coordinator, enrollment.program_id)
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
    )
    db.session.commit()


def _decide(enrollment_id: int, coordinator: User, allowed: tuple, **values) -> MentorEnrollment:
    """Move an enrolment between statuses with one conditional UPDATE."""
    enrollment = get_enrollment(enrollment_id)
    _require_coordinator(coordinator, enrollment.program_id)
    changed = db.session.execute(
        update(MentorEnrollment)
        .where(
            MentorEnrollment.id == enrollment_id,
            MentorEnrollment.status.in_(allowed),
            MentorEnrollment.active_count == 0,
        )
        .values(decided_by_id=coordinator.id, decided_at=utcnow(), **values)
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed != 1:
        db.session.rollback()
        raise Conflict(enrollment_id)
    return enrollment


def approve_mentor(enrollment_id: int, coordinator: User) -> MentorEnrollment:
    """Accept an applicant as a mentor (they are proposed once requirements are complete)."""
    enrollment = _decide(
        enrollment_id, coordinator, (EnrollmentStatus.APPLIED,), status=EnrollmentStatus.APPROVED
    )
    record_audit(
        coordinator.id,
        "mentor.approved",
        "mentor_enrollment",
        enrollment_id,
        enrollment.community_id,
    )
    db.session.commit()
    return get_enrollment(enrollment_id)


def decline_mentor(enrollment_id: int, coordinator: User, reason: str) -> MentorEnrollment:
    """Decline an applicant (or an approved mentor without mentees), saying why."""
    enrollment = _decide(
        enrollment_id,
        coordinator,
        (EnrollmentStatus.APPLIED, EnrollmentStatus.APPROVED),
        status=EnrollmentStatus.DECLINED,
        decline_reason=reason.strip() or None,
    )
    _supersede_proposals(enrollment.program_id, mentor_id=enrollment_id)
    record_audit(
        coordinator.id,
        "mentor.declined",
        "mentor_enrollment",
        enrollment_id,
        enrollment.community_id,
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


# ---------------------------------------------------------------- mentees


@dataclass(frozen=True)
class MenteeDraft:
    """A child's record as a coordinator enters it from the guardian's consent form."""

    first_name: str
    last_initial: str
    grade: int
    school: str
    teacher: str
    interests: frozenset[str]
    languages: frozenset[str]
    needed_language: str | None
    slots: frozenset[str]
    gender: str | None
    gender_preference: str | None
    referral_reason: str
    guardian_name: str
    guardian_contact: str
    guardian_consent_on: date | None
    notes: str


def _apply_mentee(mentee: Mentee, draft: MenteeDraft) -> None:
    """Copy a draft onto a mentee record."""
    mentee.first_name = draft.first_name.strip()
    mentee.last_initial = draft.last_initial.strip()[:1].upper()
    mentee.grade = draft.grade
    mentee.school = draft.school.strip()
    mentee.teacher = draft.teacher.strip()
    mentee.interests = ",".join(sorted(draft.interests))
    mentee.languages = ",".join(sorted(draft.languages))
    mentee.needed_language = draft.needed_language or None
    mentee.availability = ",".join(sorted(draft.slots))
    mentee.gender = draft.gender or None
    mentee.gender_preference = draft.gender_preference or None
    mentee.referral_reason = draft.referral_reason.strip()
    mentee.guardian_name = draft.guardian_name.strip()
    mentee.guardian_contact = draft.guardian_contact.strip()
    mentee.guardian_consent_on = draft.guardian_consent_on
    mentee.notes = draft.notes.strip()


def add_mentee(program_id: int, coordinator: User, draft: MenteeDraft) -> Mentee:
    """A coordinator enters a child into the program's waiting pool."""
    _require_coordinator(coordinator, program_id)
    program = get_program(program_id)
    mentee = Mentee(
        program_id=program_id,
        community_id=program.community_id,
        status=MenteeStatus.WAITING,
        created_by_id=coordinator.id,
    )
    _apply_mentee(mentee, draft)
    db.session.add(mentee)
    db.session.flush()
    record_audit(coordinator.id, "mentee.added", "mentee", mentee.id, program.community_id)
    db.session.commit()
    return mentee


def get_mentee(mentee_id: int) -> Mentee:
    """Load a mentee record or raise NotFound (no audit: for internal use)."""
    mentee = db.session.get(Mentee, mentee_id, populate_existing=True)
    if mentee is None:
        raise NotFound(mentee_id)
    return mentee


def view_mentee(mentee_id: int, viewer: User) -> Mentee:
    """A coordinator opens a child's full record; every view is an audit event."""
    mentee = get_mentee(mentee_id)
    _require_coordinator(viewer, mentee.program_id)
    record_audit(viewer.id, "mentee.viewed", "mentee", mentee.id, mentee.community_id)
    db.session.commit()
    return mentee


def pairings_of_mentee(mentee_id: int) -> list[Pairing]:
    """A mentee's active and past matches, newest first."""
    return list(
        db.session.scalars(
            select(Pairing)
            .where(
                Pairing.mentee_id == mentee_id,
                Pairing.status.in_((PairStatus.ACTIVE, PairStatus.CLOSED)),
            )
            .order_by(Pairing.id.desc())
            .options(*WITH_PEOPLE)
        )
    )


def update_mentee(mentee_id: int, coordinator: User, draft: MenteeDraft) -> Mentee:
    """Correct a child's record."""
    mentee = get_mentee(mentee_id)
    _require_coordinator(coordinator, mentee.program_id)
    _apply_mentee(mentee, draft)
    record_audit(coordinator.id, "mentee.updated", "mentee", mentee.id, mentee.community_id)
    db.session.commit()
    return mentee


def mentees_of(program_id: int, status: MenteeStatus | None = None) -> list[Mentee]:
    """A program's mentees (optionally one status), by name."""
    query = select(Mentee).where(Mentee.program_id == program_id)
    if status is not None:
        query = query.where(Mentee.status == status)
    return list(db.session.scalars(query.order_by(Mentee.first_name, Mentee.id)))


# ---------------------------------------------------------------- matching


def _mentor_candidate(enrollment: MentorEnrollment, program: Program) -> pairing.MentorCandidate:
    """A mentor enrolment as the pairing sees it."""
    return pairing.MentorCandidate(
        id=enrollment.id,
        grade=enrollment.grade,
        school=enrollment.school or None,
        interests=enrollment.interest_set,
        languages=enrollment.language_set,
        slots=enrollment.slot_set,
        gender=enrollment.gender,
        gender_preference=enrollment.gender_preference,
        capacity=max(enrollment.capacity, enrollment.active_count),
        requirements_complete=not requirements_missing(enrollment, program),
    )


def _mentee_candidate(mentee: Mentee) -> pairing.MenteeCandidate:
    """A mentee record as the pairing sees it."""
    return pairing.MenteeCandidate(
        id=mentee.id,
        grade=mentee.grade,
        school=mentee.school or None,
        interests=mentee.interest_set,
        languages=mentee.language_set,
        needed_language=mentee.needed_language,
        slots=mentee.slot_set,
        gender=mentee.gender,
        gender_preference=mentee.gender_preference,
    )


def _do_not_pair(program_id: int, with_rejected: bool) -> frozenset[tuple[int, int]]:
    """The do-not-pair list; for runs also rejected proposals and matches closed as no fit."""
    pairs = set(
        tuple(row)
        for row in db.session.execute(
            select(DoNotPair.mentor_id, DoNotPair.mentee_id).where(
                DoNotPair.program_id == program_id
            )
        ).all()
    )
    if with_rejected:
        pairs |= set(
            tuple(row)
            for row in db.session.execute(
                select(Pairing.mentor_id, Pairing.mentee_id).where(
                    Pairing.program_id == program_id,
                    or_(
                        Pairing.status == PairStatus.REJECTED,
                        Pairing.close_reason == CloseReason.NOT_A_FIT,
                    ),
                )
            ).all()
        )
    return frozenset(pairs)


def _rules(
    program: Program, fixed: Iterable[tuple[int, int]] = (), with_rejected: bool = True
) -> pairing.PairingRules:
    """The program's pairing rules."""
    return pairing.PairingRules(
        min_grade_gap=program.min_grade_gap,
        do_not_pair=_do_not_pair(program.id, with_rejected),
        feeder_schools=program.feeder_pairs,
        fixed=tuple(fixed),
    )


def _approved_mentors(program_id: int) -> list[MentorEnrollment]:
    """Approved mentors of a program."""
    return list(
        db.session.scalars(
            select(MentorEnrollment).where(
                MentorEnrollment.program_id == program_id,
                MentorEnrollment.status == EnrollmentStatus.APPROVED,
            )
        )
    )


def _active_pairs(program_id: int) -> list[Pairing]:
    """A program's active pairings."""
    return list(
        db.session.scalars(
            select(Pairing).where(
                Pairing.program_id == program_id, Pairing.status == PairStatus.ACTIVE
            )
        )
    )


def _matching_input(program: Program) -> tuple[list, list, pairing.PairingRules]:
    """Approved mentors, waiting and actively paired mentees, and rules with active pairs fixed."""
    mentors = _approved_mentors(program.id)
    mentor_ids = {m.id for m in mentors}
    active = _active_pairs(program.id)
    fixed = [(p.mentor_id, p.mentee_id) for p in active if p.mentor_id in mentor_ids]
    fixed_mentees = {mentee_id for _, mentee_id in fixed}
    mentees = [
        m
        for m in mentees_of(program.id)
        if m.status == MenteeStatus.WAITING or m.id in fixed_mentees
    ]
    return (
        [_mentor_candidate(m, program) for m in mentors],
        [_mentee_candidate(m) for m in mentees],
        _rules(program, fixed),
    )


def _stored_reasons(reasons: Iterable[pairing.Reason]) -> list:
    """Reasons as JSON: [[criterion, [items]], ...]."""
    return [[reason.criterion, list(reason.items)] for reason in reasons]


def _supersede_proposals(
    program_id: int, mentee_id: int | None = None, mentor_id: int | None = None
) -> None:
    """Retire open proposals of a program, or only those of one mentee or one mentor."""
    query = update(Pairing).where(
        Pairing.program_id == program_id, Pairing.status == PairStatus.PROPOSED
    )
    if mentee_id is not None:
        query = query.where(Pairing.mentee_id == mentee_id)
    if mentor_id is not None:
        query = query.where(Pairing.mentor_id == mentor_id)
    db.session.execute(
        query.values(status=PairStatus.SUPERSEDED).execution_options(synchronize_session=False)
    )


def run_matching(program_id: int, coordinator: User) -> MatchingRun:
    """Propose pairs for every waiting mentee; earlier open proposals are replaced."""
    _require_coordinator(coordinator, program_id)
    program = get_program(program_id)
    mentors, mentees, rules = _matching_input(program)
    plan = pairing.propose_pairings(mentors, mentees, rules)
    _supersede_proposals(program_id)
    run = MatchingRun(
        program_id=program_id,
        community_id=program.community_id,
        run_by_id=coordinator.id,
        proposal_count=len(plan.proposals),
        total_score=plan.total_score,
        unmatched=[[u.mentee_id, u.blocked_by] for u in plan.unmatched],
    )
    db.session.add(run)
    db.session.flush()
    for proposal in plan.proposals:
        db.session.add(_proposal_row(program, run, coordinator, proposal, plan))
    record_audit(coordinator.id, "matching.run", "matching_run", run.id, program.community_id)
    db.session.commit()
    return run


def _proposal_row(program, run, coordinator, proposal, plan) -> Pairing:
    """A proposed Pairing from one of the plan's proposals."""
    alternatives = plan.alternatives.get(proposal.mentee_id, ())
    return Pairing(
        program_id=program.id,
        community_id=program.community_id,
        mentor_id=proposal.mentor_id,
        mentee_id=proposal.mentee_id,
        status=PairStatus.PROPOSED,
        source=PairSource.MATCHING,
        matching_run_id=run.id,
        score=proposal.score,
        reasons=_stored_reasons(proposal.reasons),
        alternatives=[[a.mentor_id, round(a.score, 3), a.has_room] for a in alternatives],
        warnings=[],
        proposed_by_id=coordinator.id,
    )


def latest_run(program_id: int) -> MatchingRun | None:
    """The program's most recent matching run."""
    return db.session.scalar(
        select(MatchingRun)
        .where(MatchingRun.program_id == program_id)
        .order_by(MatchingRun.id.desc())
        .limit(1)
    )


def pairings_of(program_id: int, status: PairStatus) -> list[Pairing]:
    """A program's pairings in one status, best score first, with mentor and mentee."""
    return list(
        db.session.scalars(
            select(Pairing)
            .join(Mentee, Mentee.id == Pairing.mentee_id)
            .where(Pairing.program_id == program_id, Pairing.status == status)
            .order_by(Pairing.score.desc(), Mentee.first_name, Pairing.id)
            .options(*WITH_PEOPLE)
        )
    )


def get_pairing(pair_id: int) -> Pairing:
    """Load a pairing or raise NotFound."""
    found = db.session.get(Pairing, pair_id, populate_existing=True)
    if found is None:
        raise NotFound(pair_id)
    return found


def _take_seat(mentor_id: int) -> None:
    """Raise the mentor's count only while below capacity, or raise MentorFull."""
    seated = db.session.execute(
        update(MentorEnrollment)
        .where(
            MentorEnrollment.id == mentor_id,
            MentorEnrollment.status == EnrollmentStatus.APPROVED,
            MentorEnrollment.active_count < MentorEnrollment.capacity,
        )
        .values(active_count=MentorEnrollment.active_count + 1)
        .execution_options(synchronize_session=False)
    ).rowcount
    if seated != 1:
        db.session.rollback()
        raise MentorFull(mentor_id)


def _take_mentee(mentee_id: int) -> None:
    """Move the mentee out of the waiting pool, or raise MenteeTaken."""
    taken = db.session.execute(
        update(Mentee)
        .where(Mentee.id == mentee_id, Mentee.status == MenteeStatus.WAITING)
        .values(status=MenteeStatus.PAIRED)
        .execution_options(synchronize_session=False)
    ).rowcount
    if taken != 1:
        db.session.rollback()
        raise MenteeTaken(mentee_id)


def approve_pairing(pair_id: int, coordinator: User) -> Pairing:
    """Make a proposal active: pairing, then mentor seat, then mentee, all or nothing."""
    proposal = get_pairing(pair_id)
    _require_coordinator(coordinator, proposal.program_id)
    today = program_today(proposal.program)
    changed = db.session.execute(
        update(Pairing)
        .where(Pairing.id == pair_id, Pairing.status == PairStatus.PROPOSED)
        .values(
            status=PairStatus.ACTIVE,
            decided_by_id=coordinator.id,
            decided_at=utcnow(),
            started_on=today,
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed != 1:
        db.session.rollback()
        raise NotProposed(pair_id)
    _take_seat(proposal.mentor_id)
    _take_mentee(proposal.mentee_id)
    record_audit(coordinator.id, "pairing.approved", "pairing", pair_id, proposal.community_id)
    _tell_mentor_about_pair(proposal)
    db.session.commit()
    deliver_pending()
    return get_pairing(pair_id)


def _tell_mentor_about_pair(pair: Pairing) -> None:
    """Queue the mentor's email: who their mentee is and where their page is."""
    link = absolute_url("mentoring.mentor_home", program_id=pair.program_id)
    subject = _l("You have a new %(label)s", label=pair.program.mentee_label)
    template = "mentoring/email/paired.txt"
    notify(pair.mentor.user, subject, template, pair=pair, program=pair.program, link=link)


@dataclass(frozen=True)
class ApproveAllResult:
    """How many proposals became pairs, and how many could not."""

    approved: int
    skipped: int


def approve_all(program_id: int, coordinator: User) -> ApproveAllResult:
    """Approve every open proposal, best first; each in its own transaction."""
    _require_coordinator(coordinator, program_id)
    approved = skipped = 0
    for proposal_id in [p.id for p in pairings_of(program_id, PairStatus.PROPOSED)]:
        try:
            approve_pairing(proposal_id, coordinator)
        except Conflict:
            skipped += 1
        else:
            approved += 1
    return ApproveAllResult(approved, skipped)


def reject_pairing(pair_id: int, coordinator: User, reason: str) -> None:
    """Turn a proposal down with a reason; later runs will not propose it again."""
    proposal = get_pairing(pair_id)
    _require_coordinator(coordinator, proposal.program_id)
    changed = db.session.execute(
        update(Pairing)
        .where(Pairing.id == pair_id, Pairing.status == PairStatus.PROPOSED)
        .values(
            status=PairStatus.REJECTED,
            reject_reason=reason.strip(),
            decided_by_id=coordinator.id,
            decided_at=utcnow(),
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed != 1:
        db.session.rollback()
        raise NotProposed(pair_id)
    record_audit(coordinator.id, "pairing.rejected", "pairing", pair_id, proposal.community_id)
    db.session.commit()


def _pair_people(
    program_id: int, mentor_id: int, mentee_id: int
) -> tuple[Program, MentorEnrollment, Mentee]:
    """The program, mentor and mentee of a hand-made pair, all of one program."""
    program, mentor, mentee = (
        get_program(program_id),
        get_enrollment(mentor_id),
        get_mentee(mentee_id),
    )
    if mentor.program_id != program_id or mentee.program_id != program_id:
        raise NotFound("pair")
    return program, mentor, mentee


def _check_free(mentor: MentorEnrollment, mentee: Mentee) -> None:
    """Early, friendly refusals (the conditional UPDATEs still decide under concurrency)."""
    if mentor.status != EnrollmentStatus.APPROVED:
        raise MentorNotApproved(mentor.id)
    if mentor.active_count >= mentor.capacity:
        raise MentorFull(mentor.id)
    if mentee.status != MenteeStatus.WAITING:
        raise MenteeTaken(mentee.id)


def pair_by_hand(
    program_id: int, coordinator: User, mentor_id: int, mentee_id: int, confirmed: bool = False
) -> Pairing:
    """Pair a mentor and mentee directly; soft constraints need `confirmed`, hard ones stop it."""
    _require_coordinator(coordinator, program_id)
    program, mentor, mentee = _pair_people(program_id, mentor_id, mentee_id)
    _check_free(mentor, mentee)
    people = (_mentor_candidate(mentor, program), _mentee_candidate(mentee))
    rules = _rules(program, with_rejected=False)
    broken = pairing.blocking_constraints(*people, rules)
    if hard := tuple(code for code in broken if code in HARD_CONSTRAINTS):
        raise PairingForbidden(hard)
    if broken and not confirmed:
        raise NeedsConfirmation(broken)
    pair = Pairing(
        program_id=program_id,
        community_id=program.community_id,
        mentor_id=mentor_id,
        mentee_id=mentee_id,
        status=PairStatus.ACTIVE,
        source=PairSource.HAND,
        reasons=_stored_reasons(pairing.score_pair(*people, rules).reasons),
        warnings=list(broken),
        proposed_by_id=coordinator.id,
        decided_by_id=coordinator.id,
        decided_at=utcnow(),
        started_on=program_today(program),
    )
    db.session.add(pair)
    db.session.flush()
    _take_seat(mentor_id)
    _take_mentee(mentee_id)
    _supersede_proposals(program_id, mentee_id=mentee_id)
    record_audit(coordinator.id, "pairing.made_by_hand", "pairing", pair.id, program.community_id)
    _tell_mentor_about_pair(pair)
    db.session.commit()
    deliver_pending()
    return pair


# ---------------------------------------------------------------- do-not-pair list


def add_do_not_pair(
    program_id: int, coordinator: User, mentor_id: int, mentee_id: int, reason: str
) -> None:
    """Keep a mentor and a mentee apart in every future proposal."""
    _require_coordinator(coordinator, program_id)
    program = get_program(program_id)
    if get_enrollment(mentor_id).program_id != program_id:
        raise NotFound(mentor_id)
    if get_mentee(mentee_id).program_id != program_id:
        raise NotFound(mentee_id)
    rule = DoNotPair(
        program_id=program_id,
        community_id=program.community_id,
        mentor_id=mentor_id,
        mentee_id=mentee_id,
        reason=reason.strip(),
        created_by_id=coordinator.id,
    )
    db.session.add(rule)
    try:
        db.session.flush()
    except IntegrityError as error:
        db.session.rollback()
        raise Conflict("already listed") from error
    _supersede_proposals(program_id, mentee_id=mentee_id, mentor_id=mentor_id)
    record_audit(coordinator.id, "do_not_pair.added", "do_not_pair", rule.id, program.community_id)
    db.session.commit()


def get_do_not_pair(rule_id: int) -> DoNotPair:
    """Load a do-not-pair entry or raise NotFound."""
    rule = db.session.get(DoNotPair, rule_id)
    if rule is None:
        raise NotFound(rule_id)
    return rule


def remove_do_not_pair(rule_id: int, coordinator: User) -> None:
    """Take a pair off the do-not-pair list."""
    rule = get_do_not_pair(rule_id)
    _require_coordinator(coordinator, rule.program_id)
    db.session.delete(rule)
    record_audit(coordinator.id, "do_not_pair.removed", "do_not_pair", rule_id, rule.community_id)
    db.session.commit()


def do_not_pair_of(program_id: int) -> list[tuple[DoNotPair, MentorEnrollment, Mentee]]:
    """The program's do-not-pair list with both people."""
    return list(
        db.session.execute(
            select(DoNotPair, MentorEnrollment, Mentee)
            .join(MentorEnrollment, MentorEnrollment.id == DoNotPair.mentor_id)
            .join(Mentee, Mentee.id == DoNotPair.mentee_id)
            .where(DoNotPair.program_id == program_id)
            .order_by(DoNotPair.id)
        ).all()
    )


# ---------------------------------------------------------------- pairs: meetings, check-ins


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


def _check_date(pair: Pairing, when: date) -> None:
    """Dates must fall between the pair's start and today."""
    if when > program_today(pair.program) or (pair.started_on and when < pair.started_on):
        raise InvalidDate(when)


def log_meeting(pair_id: int, actor: User, draft: MeetingDraft) -> Meeting:
    """The mentor or a coordinator logs a meeting of an active pair."""
    pair = _active_pair_for(pair_id, actor, mentor_may=True)
    _check_date(pair, draft.met_on)
    meeting = Meeting(
        pairing_id=pair.id,
        program_id=pair.program_id,
        community_id=pair.community_id,
        met_on=draft.met_on,
        minutes=draft.minutes,
        activity=draft.activity.strip(),
        notes=draft.notes.strip(),
        logged_by_id=actor.id,
    )
    db.session.add(meeting)
    db.session.flush()
    record_audit(actor.id, "meeting.logged", "meeting", meeting.id, pair.community_id)
    db.session.commit()
    return meeting


def set_meeting_plan(pair_id: int, coordinator: User, time: str, place: str) -> None:
    """Say when and where a pair usually meets (the mentor sees this)."""
    pair = _active_pair_for(pair_id, coordinator, mentor_may=False)
    pair.meeting_time, pair.meeting_place = time.strip(), place.strip()
    record_audit(coordinator.id, "pairing.plan_set", "pairing", pair.id, pair.community_id)
    db.session.commit()


def log_check_in(
    pair_id: int, coordinator: User, with_whom: CheckInWith, held_on: date, notes: str
) -> CheckIn:
    """A coordinator logs a check-in with the mentor, the mentee or the guardian."""
    pair = _active_pair_for(pair_id, coordinator, mentor_may=False)
    _check_date(pair, held_on)
    check_in = CheckIn(
        pairing_id=pair.id,
        program_id=pair.program_id,
        community_id=pair.community_id,
        with_whom=with_whom,
        held_on=held_on,
        notes=notes.strip(),
        coordinator_id=coordinator.id,
    )
    db.session.add(check_in)
    db.session.flush()
    record_audit(coordinator.id, "check_in.logged", "check_in", check_in.id, pair.community_id)
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
    _require_coordinator(coordinator, pair.program_id)
    record_audit(coordinator.id, "mentee.viewed", "mentee", pair.mentee_id, pair.community_id)
    db.session.commit()
    return pair


# ---------------------------------------------------------------- closure and renewal


def _close(pair: Pairing, actor: User, reason: CloseReason, notes: str, leaves: bool) -> bool:
    """Close one active pair inside the caller's transaction; False if it was not active."""
    changed = db.session.execute(
        update(Pairing)
        .where(Pairing.id == pair.id, Pairing.status == PairStatus.ACTIVE)
        .values(
            status=PairStatus.CLOSED,
            close_reason=reason,
            exit_notes=notes.strip(),
            closed_on=program_today(pair.program),
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
    record_audit(actor.id, f"pairing.closed.{reason.value}", "pairing", pair.id, pair.community_id)
    return True


def close_pairing(
    pair_id: int,
    coordinator: User,
    reason: CloseReason,
    exit_notes: str,
    mentee_leaves: bool = False,
) -> None:
    """End a match; the mentee goes back to the waiting pool unless they leave the program."""
    pair = _active_pair_for(pair_id, coordinator, mentor_may=False)
    if not _close(pair, coordinator, reason, exit_notes, mentee_leaves):
        db.session.rollback()
        raise NotActive(pair_id)
    db.session.commit()


def set_renewal(pair_id: int, coordinator: User, renew: bool) -> None:
    """Mark whether an active pair continues into the next term."""
    pair = _active_pair_for(pair_id, coordinator, mentor_may=False)
    pair.renew_next_term = renew
    action = "pairing.renewal_marked" if renew else "pairing.renewal_unmarked"
    record_audit(coordinator.id, action, "pairing", pair.id, pair.community_id)
    db.session.commit()


@dataclass(frozen=True)
class NextTermResult:
    """Pairs carried into the new term and pairs closed at the end of the old one."""

    continued: int
    closed: int


def start_next_term(program_id: int, coordinator: User, start: date, end: date) -> NextTermResult:
    """Move the program to a new term: marked pairs continue, the others close (year ended)."""
    _require_coordinator(coordinator, program_id)
    program = get_program(program_id)
    continued = closed = 0
    for pair in _active_pairs(program_id):
        if pair.renew_next_term:
            pair.terms += 1
            pair.renew_next_term = False
            continued += 1
        elif _close(pair, coordinator, CloseReason.SCHOOL_YEAR_ENDED, "", leaves=False):
            closed += 1
    program.term_start, program.term_end = start, end
    record_audit(coordinator.id, "program.next_term", "program", program.id, program.community_id)
    db.session.commit()
    return NextTermResult(continued, closed)


# ---------------------------------------------------------------- group events


@dataclass(frozen=True)
class EventDraft:
    """A group event such as a Wolf Den dinner."""

    name: str
    held_on: date
    minutes: int
    place: str


def create_event(program_id: int, coordinator: User, draft: EventDraft) -> GroupEvent:
    """Add a group event to a program."""
    _require_coordinator(coordinator, program_id)
    program = get_program(program_id)
    event = GroupEvent(
        program_id=program_id,
        community_id=program.community_id,
        name=draft.name.strip(),
        held_on=draft.held_on,
        minutes=draft.minutes,
        place=draft.place.strip(),
        created_by_id=coordinator.id,
    )
    db.session.add(event)
    db.session.flush()
    record_audit(coordinator.id, "event.created", "event", event.id, program.community_id)
    db.session.commit()
    return event


def get_event(event_id: int) -> GroupEvent:
    """Load an event or raise NotFound."""
    event = db.session.get(GroupEvent, event_id, populate_existing=True)
    if event is None:
        raise NotFound(event_id)
    return event


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


def record_attendance(
    event_id: int, coordinator: User, mentor_ids: set[int], mentee_ids: set[int]
) -> None:
    """Replace an event's attendance with these mentors and mentees (of its program only)."""
    event = get_event(event_id)
    _require_coordinator(coordinator, event.program_id)
    mentors = {m.id for m in mentors_of(event.program_id)} & mentor_ids
    mentees = {m.id for m in mentees_of(event.program_id)} & mentee_ids
    db.session.execute(
        EventAttendance.__table__.delete().where(EventAttendance.event_id == event_id)
    )
    db.session.add_all(EventAttendance(event_id=event_id, mentor_id=m) for m in sorted(mentors))
    db.session.add_all(EventAttendance(event_id=event_id, mentee_id=m) for m in sorted(mentees))
    record_audit(coordinator.id, "event.attendance", "event", event_id, event.community_id)
    db.session.commit()
