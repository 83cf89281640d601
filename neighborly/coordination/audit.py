"""The audit-event helper every domain uses."""

from __future__ import annotations

from neighborly.coordination.models import AuditEvent
from neighborly.extensions import db


def record_audit(
    actor_id: int | None,
    action: str,
    object_type: str | None = None,
    object_id: int | None = None,
    community_id: int | None = None,
) -> AuditEvent:
    """Add an audit event to the current transaction; the caller commits."""
    event = AuditEvent(
        actor_id=actor_id,
        action=action,
        object_type=object_type,
        object_id=object_id,
        community_id=community_id,
    )
    db.session.add(event)
    return event
