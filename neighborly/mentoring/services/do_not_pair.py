"""The do-not-pair list a coordinator keeps for a program."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from neighborly.accounts.models import User
from neighborly.audit import record_audit
from neighborly.errors import Conflict, NotFound
from neighborly.extensions import db
from neighborly.mentoring.models import (
    DoNotPair,
    Mentee,
    MentorEnrollment,
)
from neighborly.mentoring.services.common import (
    get_program,
    require_coordinator,
    supersede_proposals,
)
from neighborly.mentoring.services.mentees import get_mentee
from neighborly.mentoring.services.mentors import get_enrollment
from neighborly.records import load_record
from neighborly.timeutil import utcnow


def add_do_not_pair(
    program_id: int,
    coordinator: User,
    mentor_id: int,
    mentee_id: int,
    reason: str,
    *,
    now: datetime | None = None,
) -> None:
    """Keep a mentor and a mentee apart in every future proposal."""
    require_coordinator(coordinator, program_id)
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
        created_at=now or utcnow(),
    )
    db.session.add(rule)
    try:
        db.session.flush()
    except IntegrityError as error:
        db.session.rollback()
        raise Conflict("already listed") from error
    supersede_proposals(program_id, mentee_id=mentee_id, mentor_id=mentor_id)
    record_audit(
        coordinator.id, "do_not_pair.added", "do_not_pair", rule.id, program.community_id, now=now
    )
    db.session.commit()


def get_do_not_pair(rule_id: int) -> DoNotPair:
    """Load a do-not-pair entry or raise NotFound."""
    return load_record(DoNotPair, rule_id)


def remove_do_not_pair(rule_id: int, coordinator: User, *, now: datetime | None = None) -> None:
    """Take a pair off the do-not-pair list."""
    rule = get_do_not_pair(rule_id)
    require_coordinator(coordinator, rule.program_id)
    db.session.delete(rule)
    record_audit(
        coordinator.id, "do_not_pair.removed", "do_not_pair", rule_id, rule.community_id, now=now
    )
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
