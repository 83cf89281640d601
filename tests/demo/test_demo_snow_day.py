"""The demo remembers one past snow day in Proviso, with its coverage board."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from neighborly.accounts.models import Community
from neighborly.demo import load_demo
from neighborly.extensions import db
from neighborly.help_requests.models import HelpRequest, Status
from neighborly.help_requests.snow_models import SnowEvent, SnowLine, SnowLoad
from neighborly.timeutil import utcnow


def _proviso() -> Community:
    return db.session.scalar(select(Community).where(Community.slug == "proviso"))


def test_proviso_has_one_past_snow_day_sent_and_mostly_cleared(app):
    load_demo(residents=60, volunteers=30, seed=2, mentoring=False)
    proviso = _proviso()
    (event,) = db.session.scalars(select(SnowEvent)).all()
    assert event.community_id == proviso.id and event.status == "sent"
    assert event.deadline < utcnow() - timedelta(days=10)
    statuses = dict(
        db.session.execute(
            select(HelpRequest.status, func.count(HelpRequest.id))
            .join(SnowLine, SnowLine.request_id == HelpRequest.id)
            .where(SnowLine.event_id == event.id)
            .group_by(HelpRequest.status)
        ).all()
    )
    assert sum(statuses.values()) >= 8
    assert statuses.get(Status.CONFIRMED, 0) + statuses.get(Status.COMPLETED, 0) >= 4
    assert Status.OPEN not in statuses and Status.ACCEPTED not in statuses  # all over
    assert all(load.taken <= load.capacity for load in db.session.scalars(select(SnowLoad)))

    load_demo(residents=60, volunteers=30, seed=2, mentoring=False)
    assert db.session.scalar(select(func.count(SnowEvent.id))) == 1


def test_the_proviso_coordinator_sees_the_snow_days_coverage_board(app):
    load_demo(residents=60, volunteers=30, seed=2, mentoring=False)
    event = db.session.scalar(select(SnowEvent))
    coordinator = event.declared_by
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = coordinator.get_id()
        session["_fresh"] = True
    days = client.get("/c/proviso/snow-days").text
    assert "6 inches" in days and "Sent; see the coverage board" in days
    board = client.get(f"/snow-days/{event.id}/board").text
    assert "Snow day coverage for" in board and "The deadline has passed." in board
    assert 'class="count-done">' in board and "Confirmed by the neighbour" in board
