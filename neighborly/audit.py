"""The audit log every domain writes to. Ground floor: it imports no domain."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from neighborly.dbtypes import UTCDateTime
from neighborly.extensions import db
from neighborly.timeutil import utcnow


class AuditEvent(db.Model):
    """Who did what to which object, and when. Never carries personal data."""

    __tablename__ = "audit_events"
    __table_args__ = (Index("ix_audit_events_object", "object_type", "object_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    community_id: Mapped[int | None] = mapped_column(
        ForeignKey("communities.id", ondelete="SET NULL"), index=True
    )
    action: Mapped[str] = mapped_column(String(64), index=True)
    object_type: Mapped[str | None] = mapped_column(String(40))
    object_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)


def record_audit(
    actor_id: int | None,
    action: str,
    object_type: str | None = None,
    object_id: int | None = None,
    community_id: int | None = None,
    now: datetime | None = None,
) -> AuditEvent:
    """Add an audit event to the current transaction, stamped `now` (default: the clock)."""
    event = AuditEvent(
        actor_id=actor_id,
        action=action,
        object_type=object_type,
        object_id=object_id,
        community_id=community_id,
        created_at=now or utcnow(),
    )
    db.session.add(event)
    return event
