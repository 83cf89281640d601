"""Two dozen volunteers pressing Accept at the same instant: exactly one wins."""

from __future__ import annotations

import threading

from sqlalchemy import func, select

from neighborly.audit import AuditEvent
from neighborly.extensions import db
from neighborly.help_requests.models import HelpRequest, Status
from tests.factories.accounts import CommunityFactory
from tests.factories.help_requests import HelpRequestFactory, volunteer

THREADS = 24


def _press_accept_together(app, volunteers, request_id) -> list[tuple[int, int, str]]:
    """Each thread signs in its own volunteer and POSTs Accept on its own connection."""
    barrier = threading.Barrier(len(volunteers))
    results: list[tuple[int, int, str]] = []
    lock = threading.Lock()

    def press(user_id: str, volunteer_id: int) -> None:
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = user_id
        barrier.wait(timeout=30)
        response = client.post(f"/requests/{request_id}/accept")
        with lock:
            results.append(
                (volunteer_id, response.status_code, response.headers.get("Location", ""))
            )

    threads = [
        threading.Thread(target=press, args=(v.get_id(), v.id), daemon=True) for v in volunteers
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a request hung"
    return results


def test_many_simultaneous_accepts_yield_exactly_one_winner(app):
    community = CommunityFactory(slug="proviso")
    volunteers = [volunteer(community) for _ in range(THREADS)]
    req = HelpRequestFactory(community=community)
    db.session.commit()

    results = _press_accept_together(app, volunteers, req.id)

    assert len(results) == THREADS
    assert all(status == 302 for _, status, _ in results), results
    winners = [vid for vid, _, location in results if location.endswith(f"/requests/{req.id}")]
    losers = [vid for vid, _, location in results if "taken=" in location]
    assert len(winners) == 1 and len(losers) == THREADS - 1
    db.session.expire_all()
    stored = db.session.get(HelpRequest, req.id)
    assert stored.status == Status.ACCEPTED and stored.volunteer_id == winners[0]
    accepted_events = db.session.scalar(
        select(func.count(AuditEvent.id)).where(AuditEvent.action == "request.accepted")
    )
    assert accepted_events == 1
