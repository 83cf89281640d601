"""A program's long lists, one keyset page at a time: mentors, mentees and group events."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import joinedload, selectinload

from neighborly.accounts.models import User
from neighborly.errors import NotFound
from neighborly.extensions import db
from neighborly.mentoring.models import (
    EnrollmentStatus,
    GroupEvent,
    Mentee,
    MenteeStatus,
    MentorEnrollment,
    Pairing,
    PairStatus,
    Program,
)
from neighborly.paging import PAGE_SIZE, Key, Page, keyset_page


def mentor_page(
    program_id: int, after: int | None = None, before: int | None = None, size: int = PAGE_SIZE
) -> Page:
    """One page of a program's mentor applications by status then name, people loaded."""
    return keyset_page(
        select(MentorEnrollment)
        .join(User, User.id == MentorEnrollment.user_id)
        .options(selectinload(MentorEnrollment.user))
        .where(MentorEnrollment.program_id == program_id),
        (Key(MentorEnrollment.status), Key(User.first_name), Key(MentorEnrollment.id)),
        after=after,
        before=before,
        size=size,
    )


def mentee_page(
    program_id: int, after: int | None = None, before: int | None = None, size: int = PAGE_SIZE
) -> Page:
    """One page of a program's mentees by name."""
    return keyset_page(
        select(Mentee).where(Mentee.program_id == program_id),
        (Key(Mentee.first_name), Key(Mentee.id)),
        after=after,
        before=before,
        size=size,
    )


def event_page(
    program_id: int, after: int | None = None, before: int | None = None, size: int = PAGE_SIZE
) -> Page:
    """One page of a program's group events, newest first."""
    return keyset_page(
        select(GroupEvent).where(GroupEvent.program_id == program_id),
        (Key(GroupEvent.held_on, descending=True), Key(GroupEvent.id, descending=True)),
        after=after,
        before=before,
        size=size,
    )


@dataclass(frozen=True)
class ProgramFigures:
    """The numbers on a program's overview."""

    applied: int
    approved: int
    waiting: int
    proposed: int


def program_figures(program_id: int) -> ProgramFigures:
    """Applications to review, approved mentors, waiting mentees, proposals (one statement)."""

    def count(model, status_column, status) -> Any:
        return (
            select(func.count(model.id))
            .where(model.program_id == program_id, status_column == status)
            .scalar_subquery()
        )

    row = db.session.execute(
        select(
            count(MentorEnrollment, MentorEnrollment.status, EnrollmentStatus.APPLIED),
            count(MentorEnrollment, MentorEnrollment.status, EnrollmentStatus.APPROVED),
            count(Mentee, Mentee.status, MenteeStatus.WAITING),
            count(Pairing, Pairing.status, PairStatus.PROPOSED),
        )
    ).one()
    return ProgramFigures(*(int(value) for value in row))


def program_overview(program_id: int) -> tuple[Program, ProgramFigures]:
    """A program with its community, and its overview's figures (one statement), or NotFound."""
    row = db.session.execute(_overview_statement(), {"program_id": program_id}).one_or_none()
    if row is None:
        raise NotFound(program_id)
    program, *figures = row
    return program, ProgramFigures(*(int(value) for value in figures))


@cache
def _overview_statement():
    """The statement program_overview runs, built once (the program's id is bound per call)."""

    def count(model, status_column, status) -> Any:
        return (
            select(func.count(model.id))
            .where(model.program_id == Program.id, status_column == status)
            .correlate(Program)
            .scalar_subquery()
        )

    return (
        select(
            Program,
            count(MentorEnrollment, MentorEnrollment.status, EnrollmentStatus.APPLIED),
            count(MentorEnrollment, MentorEnrollment.status, EnrollmentStatus.APPROVED),
            count(Mentee, Mentee.status, MenteeStatus.WAITING),
            count(Pairing, Pairing.status, PairStatus.PROPOSED),
        )
        .options(joinedload(Program.community))
        .where(Program.id == bindparam("program_id"))
    )


def program_counts(program_id: int) -> tuple[int, int]:
    """How many mentor applications and mentees a program has (one statement)."""
    mentors = (
        select(func.count(MentorEnrollment.id))
        .where(MentorEnrollment.program_id == program_id)
        .scalar_subquery()
    )
    mentees = select(func.count(Mentee.id)).where(Mentee.program_id == program_id).scalar_subquery()
    counted = db.session.execute(select(mentors, mentees)).one()
    return int(counted[0]), int(counted[1])
