"""Applying to mentor is a conditional write: twin presses make one enrolment, never a 500."""

from __future__ import annotations

import threading

from sqlalchemy import func, select

from neighborly.accounts.models import Role
from neighborly.extensions import db
from neighborly.mentoring.models import EnrollmentStatus, MentorEnrollment
from tests.factories.accounts import member
from tests.factories.mentoring import program_run_by
from tests.mentoring.test_programs_and_enrollment import APPLICATION

PRESSES = 8


def _apply_together(app, session_id: str, program_id: int) -> list[int]:
    """The same person presses "Apply" in several tabs at the same instant."""
    barrier = threading.Barrier(PRESSES)
    statuses: list[int] = []
    lock = threading.Lock()

    def press() -> None:
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = session_id
        barrier.wait(timeout=30)
        try:
            status = client.post(f"/mentoring/programs/{program_id}/apply", data=APPLICATION)
            status = status.status_code
        except Exception:  # the test client re-raises what would have been a 500
            status = 500
        with lock:
            statuses.append(status)

    threads = [threading.Thread(target=press, daemon=True) for _ in range(PRESSES)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "an application hung"
    return statuses


def test_simultaneous_applications_make_one_enrolment_and_no_error(app):
    program, _carmen = program_run_by()
    kaylee = member(program.community, Role.VOLUNTEER)

    statuses = _apply_together(app, kaylee.get_id(), program.id)

    assert statuses == [302] * PRESSES, statuses
    db.session.expire_all()
    count = select(func.count()).where(MentorEnrollment.user_id == kaylee.id)
    assert db.session.scalar(count.select_from(MentorEnrollment)) == 1


def test_a_withdrawn_mentor_who_applies_again_is_waiting_for_screening(client, login):
    program, _carmen = program_run_by()
    kaylee = member(program.community, Role.VOLUNTEER)
    login(kaylee)
    client.post(f"/mentoring/programs/{program.id}/apply", data=APPLICATION)
    client.post(f"/mentoring/programs/{program.id}/withdraw")
    withdrawn = db.session.scalar(select(MentorEnrollment.status))
    client.post(f"/mentoring/programs/{program.id}/apply", data=APPLICATION)

    db.session.expire_all()
    assert withdrawn == EnrollmentStatus.WITHDRAWN
    assert db.session.scalar(select(MentorEnrollment.status)) == EnrollmentStatus.APPLIED
