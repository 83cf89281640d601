"""The audit log: who did what to which object, written with the change it records."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from neighborly.audit import AuditEvent, record_audit
from neighborly.extensions import db
from tests.factories.accounts import CommunityFactory, UserFactory


def _events() -> list[AuditEvent]:
    """Every audit event the database holds, oldest first."""
    db.session.expire_all()
    return list(db.session.scalars(select(AuditEvent).order_by(AuditEvent.id)))


def test_an_event_is_kept_with_who_did_what_to_which_object_where_and_when(app):
    carmen = UserFactory()
    proviso = CommunityFactory()

    record_audit(carmen.id, "request.assigned", "help_request", 42, proviso.id)
    db.session.commit()

    (event,) = _events()
    assert (event.actor_id, event.action) == (carmen.id, "request.assigned")
    assert (event.object_type, event.object_id, event.community_id) == (
        "help_request",
        42,
        proviso.id,
    )
    assert event.created_at is not None


def test_an_event_belongs_to_the_callers_transaction_and_goes_if_it_is_rolled_back(app):
    carmen = UserFactory()

    record_audit(carmen.id, "request.assigned", "help_request", 42)
    db.session.rollback()

    assert _events() == []


def test_a_system_event_has_no_actor_and_no_community(app):
    record_audit(None, "requests.expired")
    db.session.commit()

    (event,) = _events()
    assert (event.actor_id, event.community_id, event.object_type) == (None, None, None)


def test_an_event_can_be_stamped_with_the_time_the_story_says(app):
    told_at = datetime(2026, 1, 12, 15, 30, tzinfo=UTC)

    record_audit(None, "meeting.logged", now=told_at)
    db.session.commit()

    (event,) = _events()
    assert event.created_at == told_at
