"""Programs and their coordinators."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from neighborly.accounts.models import Community, Role, User
from neighborly.accounts.services import find_user_by_email
from neighborly.audit import record_audit
from neighborly.errors import NotAllowed
from neighborly.extensions import db
from neighborly.mentoring.errors import DuplicateName, NotACoordinator
from neighborly.mentoring.models import (
    MentorEnrollment,
    Program,
    ProgramCoordinator,
)
from neighborly.mentoring.services.common import (
    get_program,
    is_program_coordinator,
    require_coordinator,
)
from neighborly.timeutil import utcnow


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


def create_program(
    community: Community, coordinator: User, draft: ProgramDraft, *, now: datetime | None = None
) -> Program:
    """A community coordinator starts a program and becomes its first coordinator."""
    if Role.COORDINATOR not in coordinator.roles_in(community.id):
        raise NotAllowed("community coordinator")
    now = now or utcnow()
    program = Program(community_id=community.id, created_by_id=coordinator.id, created_at=now)
    _apply_program(program, draft)
    db.session.add(program)
    _flush_or_duplicate()
    db.session.add(
        ProgramCoordinator(
            program_id=program.id,
            community_id=community.id,
            user_id=coordinator.id,
            added_by_id=coordinator.id,
            created_at=now,
        )
    )
    record_audit(coordinator.id, "program.created", "program", program.id, community.id, now=now)
    db.session.commit()
    return program


def update_program(
    program_id: int, coordinator: User, draft: ProgramDraft, *, now: datetime | None = None
) -> Program:
    """Change a program's settings."""
    require_coordinator(coordinator, program_id)
    program = get_program(program_id)
    _apply_program(program, draft)
    _flush_or_duplicate()
    record_audit(
        coordinator.id, "program.updated", "program", program.id, program.community_id, now=now
    )
    db.session.commit()
    return program


def add_program_coordinator(
    program_id: int, actor: User, email: str, *, now: datetime | None = None
) -> User:
    """Give another coordinator of the community access to this program."""
    require_coordinator(actor, program_id)
    program = get_program(program_id)
    user = find_user_by_email(email)
    if user is None or Role.COORDINATOR not in user.roles_in(program.community_id):
        raise NotACoordinator(email)
    if not is_program_coordinator(user, program_id):
        now = now or utcnow()
        db.session.add(
            ProgramCoordinator(
                program_id=program_id,
                community_id=program.community_id,
                user_id=user.id,
                added_by_id=actor.id,
                created_at=now,
            )
        )
        record_audit(
            actor.id,
            "program.coordinator_added",
            "user",
            user.id,
            program.community_id,
            now=now,
        )
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
