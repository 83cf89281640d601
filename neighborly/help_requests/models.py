"""Help requests, the volunteers who take them, and what happened along the way."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from neighborly.accounts.models import Community, User
from neighborly.availability import parse_codes
from neighborly.dbtypes import UTCDateTime, str_enum
from neighborly.extensions import db
from neighborly.timeutil import utcnow


class Category(enum.StrEnum):
    """The kinds of small help neighbours ask for."""

    SNOW = "snow"
    BINS = "bins"
    ERRANDS = "errands"
    RIDE = "ride"
    YARD = "yard"
    REPAIR = "repair"
    VISIT = "visit"
    TECH = "tech"
    PETS = "pets"
    OTHER = "other"


class Urgency(enum.StrEnum):
    """How soon the help matters."""

    FLEXIBLE = "flexible"
    SOON = "soon"
    URGENT = "urgent"


class Status(enum.StrEnum):
    """Where a request is in its life."""

    OPEN = "open"
    ACCEPTED = "accepted"
    COMPLETED = "completed"
    CONFIRMED = "confirmed"
    CANCELLED = "cancelled"
    EXPIRED = "expired"


ACTIVE_STATUSES = (Status.ACCEPTED, Status.COMPLETED)


class HelpRequest(db.Model):
    """One neighbour's ask. The exact point and address are private; the cell is public."""

    __tablename__ = "help_requests"
    __table_args__ = (
        # Near me filters by community, status and the cells around the volunteer; the same
        # index serves the coordinator's (community, status) lists.
        Index("ix_help_requests_community_status_cell", "community_id", "status", "cell"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(ForeignKey("communities.id", ondelete="CASCADE"))
    requester_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    intake_notes: Mapped[str | None] = mapped_column(Text)
    category: Mapped[Category] = mapped_column(str_enum(Category, "help_category"))
    title: Mapped[str] = mapped_column(String(120))
    details: Mapped[str] = mapped_column(Text, default="")
    street_address: Mapped[str] = mapped_column(String(200))
    postal_code: Mapped[str] = mapped_column(String(12))
    lat: Mapped[float] = mapped_column(Float)
    lng: Mapped[float] = mapped_column(Float)
    cell: Mapped[int] = mapped_column(BigInteger)
    needed_by: Mapped[datetime | None] = mapped_column(UTCDateTime())
    estimated_minutes: Mapped[int] = mapped_column(Integer, default=30)
    urgency: Mapped[Urgency] = mapped_column(str_enum(Urgency, "help_urgency"))
    status: Mapped[Status] = mapped_column(str_enum(Status, "help_status"), default=Status.OPEN)
    volunteer_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    cancelled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    minutes_spent: Mapped[int | None] = mapped_column(Integer)
    thank_you_note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    community: Mapped[Community] = relationship()
    requester: Mapped[User] = relationship(foreign_keys=[requester_id])
    volunteer: Mapped[User | None] = relationship(foreign_keys=[volunteer_id])
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])

    @property
    def is_finished(self) -> bool:
        """Completed or confirmed: the help happened."""
        return self.status in (Status.COMPLETED, Status.CONFIRMED)


class Withdrawal(db.Model):
    """A volunteer stepped back from a request before finishing it."""

    __tablename__ = "help_withdrawals"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("help_requests.id", ondelete="CASCADE"), index=True
    )
    community_id: Mapped[int] = mapped_column(
        ForeignKey("communities.id", ondelete="CASCADE"), index=True
    )
    volunteer_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class NoShow(db.Model):
    """The neighbour (or a coordinator) said the help was not done after all."""

    __tablename__ = "help_no_shows"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("help_requests.id", ondelete="CASCADE"), index=True
    )
    community_id: Mapped[int] = mapped_column(
        ForeignKey("communities.id", ondelete="CASCADE"), index=True
    )
    volunteer_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    reported_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class VolunteerProfile(db.Model):
    """Where, what and when one volunteer helps in one community."""

    __tablename__ = "volunteer_profiles"
    __table_args__ = (
        Index("uq_volunteer_profiles_user_community", "user_id", "community_id", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    community_id: Mapped[int] = mapped_column(
        ForeignKey("communities.id", ondelete="CASCADE"), index=True
    )
    home_postal_code: Mapped[str] = mapped_column(String(12))
    home_lat: Mapped[float] = mapped_column(Float)
    home_lng: Mapped[float] = mapped_column(Float)
    radius_km: Mapped[float] = mapped_column(Float, default=3.0)
    categories: Mapped[str] = mapped_column(String(200), default="")
    availability: Mapped[str] = mapped_column(String(1000), default="")
    capacity: Mapped[int] = mapped_column(Integer, default=3)
    accepting: Mapped[bool] = mapped_column(Boolean, default=True)
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # What the coordinator checked when verifying; a revoked verification keeps its record.
    id_seen: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    references_checked: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    background_check_on: Mapped[date | None] = mapped_column(Date)
    verification_revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user: Mapped[User] = relationship(foreign_keys=[user_id])

    @property
    def category_set(self) -> frozenset[str]:
        """The categories this volunteer helps with."""
        return frozenset(code for code in self.categories.split(",") if code)

    @property
    def slot_set(self) -> frozenset[str]:
        """Weekly hourly slot codes ("tue-9") the volunteer is free."""
        return parse_codes(self.availability)
