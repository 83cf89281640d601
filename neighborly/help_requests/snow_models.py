"""Snow days: the event a coordinator declares, its plan line per request, each helper's load."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from neighborly.accounts.models import User
from neighborly.dbtypes import UTCDateTime, str_enum
from neighborly.extensions import db
from neighborly.help_requests.models import HelpRequest
from neighborly.timeutil import utcnow


class SnowEventStatus(enum.StrEnum):
    """A snow day is reviewed before its assignments are sent."""

    REVIEW = "review"
    SENT = "sent"


class LineOutcome(enum.StrEnum):
    """What sending did with one line of the plan."""

    PLANNED = "planned"
    SENT = "sent"
    TAKEN_MEANWHILE = "taken_meanwhile"
    FULL = "full"
    UNASSIGNED = "unassigned"


class SnowEvent(db.Model):
    """A snow day a coordinator declared for a community."""

    __tablename__ = "snow_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(
        ForeignKey("communities.id", ondelete="CASCADE"), index=True
    )
    declared_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    day: Mapped[date] = mapped_column(Date)
    snowfall: Mapped[float] = mapped_column(Float)
    snowfall_unit: Mapped[str] = mapped_column(String(2))
    deadline: Mapped[datetime] = mapped_column(UTCDateTime())
    status: Mapped[SnowEventStatus] = mapped_column(
        str_enum(SnowEventStatus, "snow_event_status"), default=SnowEventStatus.REVIEW
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    declared_by: Mapped[User | None] = relationship()


class SnowLine(db.Model):
    """One request on a snow day: who the plan sends, how far, why; or why nobody."""

    __tablename__ = "snow_lines"
    __table_args__ = (Index("uq_snow_lines_event_request", "event_id", "request_id", unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(
        ForeignKey("communities.id", ondelete="CASCADE"), index=True
    )
    event_id: Mapped[int] = mapped_column(ForeignKey("snow_events.id", ondelete="CASCADE"))
    request_id: Mapped[int] = mapped_column(
        ForeignKey("help_requests.id", ondelete="CASCADE"), index=True
    )
    volunteer_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    distance_km: Mapped[float | None] = mapped_column(Float)
    reason: Mapped[str] = mapped_column(String(30), default="")
    capacity_left: Mapped[int] = mapped_column(Integer, default=0)
    nearby_volunteers: Mapped[int] = mapped_column(Integer, default=0)
    by_hand: Mapped[bool] = mapped_column(Boolean, default=False)
    outcome: Mapped[LineOutcome] = mapped_column(
        str_enum(LineOutcome, "snow_line_outcome"), default=LineOutcome.PLANNED
    )

    request: Mapped[HelpRequest] = relationship()
    volunteer: Mapped[User | None] = relationship()


class SnowLoad(db.Model):
    """How many of a snow day's requests one volunteer holds; the database keeps it in capacity."""

    __tablename__ = "snow_loads"
    __table_args__ = (
        Index("uq_snow_loads_event_volunteer", "event_id", "volunteer_id", unique=True),
        CheckConstraint("taken <= capacity", name="within_capacity"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(
        ForeignKey("communities.id", ondelete="CASCADE"), index=True
    )
    event_id: Mapped[int] = mapped_column(ForeignKey("snow_events.id", ondelete="CASCADE"))
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    capacity: Mapped[int] = mapped_column(Integer)
    taken: Mapped[int] = mapped_column(Integer, default=0)
