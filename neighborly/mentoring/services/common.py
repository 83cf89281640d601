"""Shared pieces of the mentoring services: today's date where the program is, loaders."""

from __future__ import annotations

from datetime import date, datetime
from functools import cache

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import selectinload

from neighborly.accounts.models import User
from neighborly.errors import NotAllowed
from neighborly.extensions import db
from neighborly.mentoring.models import (
    MentorEnrollment,
    Pairing,
    PairStatus,
    Program,
    ProgramCoordinator,
)
from neighborly.records import load_record
from neighborly.timeutil import local_time, utcnow

HARD_CONSTRAINTS = frozenset({"requirements", "do_not_pair"})
WITH_PEOPLE = (
    selectinload(Pairing.mentor).selectinload(MentorEnrollment.user),
    selectinload(Pairing.mentee),
)


def local_today(timezone: str, now: datetime | None = None) -> date:
    """Today's date where the community is (at `now`, default: the clock)."""
    return local_time(now or utcnow(), timezone).date()


def program_today(program: Program, now: datetime | None = None) -> date:
    """Today in the program's community (at `now`, default: the clock)."""
    return local_today(program.community.timezone, now)


def is_program_coordinator(user: User, program_id: int) -> bool:
    """Whether a signed-in person coordinates this program (one query)."""
    if not user.is_authenticated:
        return False
    found = db.session.scalar(
        _coordinator_statement(), {"program_id": program_id, "user_id": user.id}
    )
    return found is not None


@cache
def _coordinator_statement():
    """The statement is_program_coordinator runs, built once (values bound per call)."""
    return select(ProgramCoordinator.id).where(
        ProgramCoordinator.program_id == bindparam("program_id"),
        ProgramCoordinator.user_id == bindparam("user_id"),
    )


def require_coordinator(user: User, program_id: int) -> None:
    """Raise NotAllowed unless the person coordinates the program."""
    if not is_program_coordinator(user, program_id):
        raise NotAllowed("program coordinator")


def get_program(program_id: int) -> Program:
    """Load a program or raise NotFound."""
    return load_record(Program, program_id)


def active_pairs(program_id: int) -> list[Pairing]:
    """A program's active pairings."""
    return list(
        db.session.scalars(
            select(Pairing).where(
                Pairing.program_id == program_id, Pairing.status == PairStatus.ACTIVE
            )
        )
    )


def supersede_proposals(
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


def get_pairing(pair_id: int) -> Pairing:
    """Load a pairing or raise NotFound."""
    return load_record(Pairing, pair_id, fresh=True)
