"""Trust and safety records: who blocked whom, and reports about a person or a request."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from neighborly.dbtypes import UTCDateTime, str_enum
from neighborly.extensions import db
from neighborly.timeutil import utcnow


class Block(db.Model):
    """One person never wants to be matched with, invited by, assigned to or messaged by
    another. It works both ways: neither is offered to the other."""

    __tablename__ = "blocks"
    __table_args__ = (UniqueConstraint("blocker_id", "blocked_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    blocker_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    blocked_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    community_id: Mapped[int | None] = mapped_column(
        ForeignKey("communities.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ReportStatus(enum.StrEnum):
    """Whether a coordinator has dealt with a report."""

    OPEN = "open"
    HANDLED = "handled"


class ReportOutcome(enum.StrEnum):
    """What the coordinator did about a report."""

    NO_ACTION = "no_action"
    SPOKE_WITH = "spoke_with"
    BLOCKED = "blocked"
    SUSPENDED = "suspended"


class Report(db.Model):
    """Someone's worry about a person or a request, for the community's coordinators."""

    __tablename__ = "reports"
    __table_args__ = (Index("ix_reports_community_status", "community_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    subject_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    request_id: Mapped[int | None] = mapped_column(
        ForeignKey("help_requests.id", ondelete="SET NULL")
    )
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[ReportStatus] = mapped_column(
        str_enum(ReportStatus, "report_status"), default=ReportStatus.OPEN
    )
    outcome: Mapped[ReportOutcome | None] = mapped_column(str_enum(ReportOutcome, "report_outcome"))
    outcome_notes: Mapped[str] = mapped_column(String(1000), default="")
    handled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    handled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
