"""Coordinators approving at the same instant can never overfill a mentor or double-pair a child.

Each thread signs in its own client and posts on its own connection (its own app context),
as in tests/help_requests/test_concurrency.py; the suite runs this on SQLite and PostgreSQL.
"""

from __future__ import annotations

import threading

from sqlalchemy import func, select

from neighborly.accounts.models import Role
from neighborly.audit import AuditEvent
from neighborly.extensions import db
from neighborly.mentoring.models import Mentee, MenteeStatus, MentorEnrollment, Pairing, PairStatus
from tests.factories.accounts import member
from tests.factories.mentoring import add_coordinator, mentee, mentor, program_run_by, proposal

THREADS = 12


def _approve_together(app, coordinators, pair_ids) -> list[int]:
    """Every coordinator presses Approve on one proposal each, all at once."""
    barrier = threading.Barrier(len(pair_ids))
    statuses: list[int] = []
    lock = threading.Lock()

    def press(session_id: str, pair_id: int) -> None:
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = session_id
        barrier.wait(timeout=30)
        response = client.post(f"/mentoring/pairs/{pair_id}/approve")
        with lock:
            statuses.append(response.status_code)

    threads = [
        threading.Thread(target=press, args=(coordinators[i % len(coordinators)], pid), daemon=True)
        for i, pid in enumerate(pair_ids)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "an approval hung"
    return statuses


def _coordinators(program, carmen, count: int = 3) -> list[str]:
    """Session ids of several coordinators of the program."""
    people = [carmen] + [member(program.community, Role.COORDINATOR) for _ in range(count - 1)]
    for person in people[1:]:
        add_coordinator(program, person)
    return [person.get_id() for person in people]


def _count(query) -> int:
    """Run a count query on fresh data."""
    db.session.expire_all()
    return db.session.scalar(query)


def test_simultaneous_approvals_fill_a_mentor_exactly_to_capacity(app):
    program, carmen = program_run_by(max_mentees_per_mentor=3)
    wolf = mentor(program, capacity=3)
    pair_ids = [proposal(wolf, mentee(program)).id for _ in range(THREADS)]
    sessions = _coordinators(program, carmen)

    statuses = _approve_together(app, sessions, pair_ids)

    assert statuses == [302] * THREADS
    active = _count(select(func.count()).where(Pairing.status == PairStatus.ACTIVE))
    assert active == 3
    assert db.session.get(MentorEnrollment, wolf.id).active_count == 3
    assert _count(select(func.count()).where(Mentee.status == MenteeStatus.PAIRED)) == 3
    assert _count(select(func.count()).where(Pairing.status == PairStatus.PROPOSED)) == THREADS - 3
    approved = select(func.count()).where(AuditEvent.action == "pairing.approved")
    assert _count(approved) == 3


def test_simultaneous_approvals_for_one_child_pair_them_once(app):
    program, carmen = program_run_by()
    child = mentee(program)
    wolves = [mentor(program, capacity=1) for _ in range(THREADS)]
    pair_ids = [proposal(wolf, child).id for wolf in wolves]
    sessions = _coordinators(program, carmen)

    _approve_together(app, sessions, pair_ids)

    active = _count(select(func.count()).where(Pairing.status == PairStatus.ACTIVE))
    seats = _count(select(func.sum(MentorEnrollment.active_count)))
    assert (active, seats) == (1, 1)
    assert db.session.get(Mentee, child.id).status == MenteeStatus.PAIRED
