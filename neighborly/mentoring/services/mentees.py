"""Mentees: restricted records entered by coordinators from consent forms."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from neighborly.accounts.models import User
from neighborly.audit import record_audit
from neighborly.extensions import db
from neighborly.mentoring.models import (
    Mentee,
    MenteeStatus,
    Pairing,
    PairStatus,
)
from neighborly.mentoring.services.common import WITH_PEOPLE, get_program, require_coordinator
from neighborly.records import load_record
from neighborly.timeutil import utcnow


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


def add_mentee(
    program_id: int, coordinator: User, draft: MenteeDraft, *, now: datetime | None = None
) -> Mentee:
    """A coordinator enters a child into the program's waiting pool."""
    require_coordinator(coordinator, program_id)
    program = get_program(program_id)
    now = now or utcnow()
    mentee = Mentee(
        program_id=program_id,
        community_id=program.community_id,
        status=MenteeStatus.WAITING,
        created_by_id=coordinator.id,
        created_at=now,
    )
    _apply_mentee(mentee, draft)
    db.session.add(mentee)
    db.session.flush()
    record_audit(coordinator.id, "mentee.added", "mentee", mentee.id, program.community_id, now=now)
    db.session.commit()
    return mentee


def get_mentee(mentee_id: int) -> Mentee:
    """Load a mentee record or raise NotFound (no audit: for internal use)."""
    return load_record(Mentee, mentee_id, fresh=True)


def view_mentee(mentee_id: int, viewer: User) -> Mentee:
    """A coordinator opens a child's full record; every view is an audit event."""
    mentee = get_mentee(mentee_id)
    require_coordinator(viewer, mentee.program_id)
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


def update_mentee(
    mentee_id: int, coordinator: User, draft: MenteeDraft, *, now: datetime | None = None
) -> Mentee:
    """Correct a child's record."""
    mentee = get_mentee(mentee_id)
    require_coordinator(coordinator, mentee.program_id)
    _apply_mentee(mentee, draft)
    record_audit(
        coordinator.id, "mentee.updated", "mentee", mentee.id, mentee.community_id, now=now
    )
    db.session.commit()
    return mentee


def mentees_of(program_id: int, status: MenteeStatus | None = None) -> list[Mentee]:
    """A program's mentees (optionally one status), by name."""
    query = select(Mentee).where(Mentee.program_id == program_id)
    if status is not None:
        query = query.where(Mentee.status == status)
    return list(db.session.scalars(query.order_by(Mentee.first_name, Mentee.id)))
