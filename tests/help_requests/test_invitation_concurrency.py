"""Twenty invited volunteers press "Yes, I'll do it" at the same instant: exactly one helps."""

from __future__ import annotations

import threading

from sqlalchemy import select

from neighborly.extensions import db
from neighborly.help_requests import services
from neighborly.help_requests.models import HelpRequest, Invitation, InvitationStatus, Status
from neighborly.timeutil import utcnow
from tests.factories.accounts import CommunityFactory
from tests.factories.help_requests import open_request, volunteer

THREADS = 20


def test_twenty_simultaneous_yes_answers_give_exactly_one_helper(app):
    community = CommunityFactory(invitations_per_round=THREADS)
    volunteers = [volunteer(community) for _ in range(THREADS)]
    req = open_request(community, utcnow())
    db.session.commit()
    services.send_invitations(now=utcnow())
    invitations = {
        i.volunteer_id: i.id
        for i in db.session.scalars(select(Invitation).where(Invitation.request_id == req.id))
    }
    assert len(invitations) == THREADS
    barrier = threading.Barrier(THREADS)
    results: list[tuple[int, int, str]] = []
    lock = threading.Lock()

    def press(user_id: str, volunteer_id: int) -> None:
        client = app.test_client()  # its own request context, session and connection
        with client.session_transaction() as session:
            session["_user_id"] = user_id
        barrier.wait(timeout=30)
        response = client.post(f"/invitations/{invitations[volunteer_id]}/yes")
        with lock:
            results.append((volunteer_id, response.status_code, response.headers["Location"]))

    threads = [
        threading.Thread(target=press, args=(v.get_id(), v.id), daemon=True) for v in volunteers
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "an answer hung"

    assert len(results) == THREADS and all(code == 302 for _, code, _ in results), results
    winners = [vid for vid, _, where in results if where.endswith(f"/requests/{req.id}")]
    assert len(winners) == 1
    db.session.expire_all()
    stored = db.session.get(HelpRequest, req.id)
    assert stored.status == Status.ACCEPTED and stored.volunteer_id == winners[0]
    statuses = {
        i.volunteer_id: i.status
        for i in db.session.scalars(select(Invitation).where(Invitation.request_id == req.id))
    }
    assert statuses[winners[0]] == InvitationStatus.ACCEPTED
    assert {s for vid, s in statuses.items() if vid != winners[0]} == {InvitationStatus.LOST}


def test_a_round_skips_volunteers_another_round_is_inviting_and_never_waits(app, is_postgres):
    import pytest
    from sqlalchemy import text

    from tests.factories.help_requests import MAYWOOD

    if not is_postgres:
        pytest.skip("row locks are PostgreSQL's; SQLite has one writer at a time")
    now = utcnow()
    community = CommunityFactory(invitations_per_round=2)
    nearest, *others = [
        volunteer(community, home_lat=MAYWOOD[0] + n * 0.0001, home_lng=MAYWOOD[1])
        for n in range(4)
    ]
    request = open_request(community, now)
    db.session.commit()

    with db.engine.connect() as other_round:  # another round holds the nearest volunteer
        other_round.execute(text("SET lock_timeout = '5s'"))
        other_round.execute(
            text("SELECT id FROM volunteer_profiles WHERE user_id = :id FOR UPDATE"),
            {"id": nearest.id},
        )
        db.session.execute(text("SET LOCAL lock_timeout = '2s'"))  # a wait would fail the test
        assert services.send_invitations(now=now) == 1
        other_round.rollback()

    invited = set(db.session.scalars(select(Invitation.volunteer_id)
                                     .where(Invitation.request_id == request.id)))  # fmt: skip
    assert len(invited) == 2 and nearest.id not in invited
