"""A program's long lists, one keyset page at a time: mentors, mentees and group events."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from neighborly.accounts.models import User
from neighborly.extensions import db
from neighborly.mentoring.models import GroupEvent, Mentee, MentorEnrollment
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
