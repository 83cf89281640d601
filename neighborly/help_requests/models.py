"""Help requests, the volunteers who take them, and what happened along the way."""

from __future__ import annotations

import enum
import functools
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
    UniqueConstraint,
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
        # The coordinator's open requests, oldest first, one keyset page at a time.
        Index(
            "ix_help_requests_community_status_created",
            "community_id",
            "status",
            "created_at",
            "id",
        ),
        # Near me's "you helped them before": read from the index alone, however long the
        # volunteer's history.
        Index(
            "ix_help_requests_volunteer_helped",
            "volunteer_id",
            "status",
            "requester_id",
            "completed_at",
        ),
        # A resident's own requests, newest first, one keyset page at a time.
        Index(
            "ix_help_requests_requester_community_created",
            "requester_id",
            "community_id",
            "created_at",
            "id",
        ),
        # One occurrence per series and day, however often generation runs.
        Index("uq_help_requests_series_date", "series_id", "occurrence_date", unique=True),
        # The invitation sweep reads open requests whose next round is due.
        Index("ix_help_requests_status_next_round", "status", "next_round_at"),
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
    needed_from: Mapped[datetime | None] = mapped_column(UTCDateTime())
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
    # Standing help: the series this request is one occurrence of, and its day.
    # No database foreign key: SQLite cannot add one to this existing table without a rebuild
    # that would cascade; series are ended, never deleted.
    series_id: Mapped[int | None] = mapped_column(Integer, index=True)
    occurrence_date: Mapped[date | None] = mapped_column(Date)
    # Invitations: rounds sent so far, when the next is due (None: nothing to send), and
    # when the coordinator was told nobody has said yes yet.
    invitation_round: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    next_round_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    nobody_yet_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    community: Mapped[Community] = relationship()
    requester: Mapped[User] = relationship(foreign_keys=[requester_id])
    volunteer: Mapped[User | None] = relationship(foreign_keys=[volunteer_id])
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    series: Mapped[RequestSeries | None] = relationship(
        primaryjoin="foreign(HelpRequest.series_id) == RequestSeries.id"
    )

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
    # Snow days: how many driveways they take that day, and how far they will walk.
    snow_capacity: Mapped[int] = mapped_column(Integer, default=3, server_default="3")
    walking_km: Mapped[float] = mapped_column(Float, default=1.0, server_default="1.0")
    accepting: Mapped[bool] = mapped_column(Boolean, default=True)  # False: paused, no invitations
    daily_invitations: Mapped[int] = mapped_column(Integer, default=3, server_default="3")
    # Fairness counters, raised only by a conditional update under the daily cap.
    invited_on: Mapped[date | None] = mapped_column(Date)  # community-local day
    invited_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    last_invited_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
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
        return categories_of(self.categories)

    @property
    def slot_set(self) -> frozenset[str]:
        """Weekly hourly slot codes ("tue-9") the volunteer is free."""
        return parse_codes(self.availability)


class InvitationStatus(enum.StrEnum):
    """Where one invitation stands."""

    INVITED = "invited"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    EXPIRED = "expired"
    LOST = "lost"  # another neighbour said yes first


class Invitation(db.Model):
    """A request offered to one ranked volunteer; never sent twice to the same person."""

    __tablename__ = "help_invitations"
    __table_args__ = (
        UniqueConstraint(
            "request_id", "volunteer_id", name="uq_help_invitations_request_volunteer"
        ),
        # The daily cap and rotation read one volunteer's invitations by time.
        Index("ix_help_invitations_volunteer_created", "volunteer_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(
        ForeignKey("communities.id", ondelete="CASCADE"), index=True
    )
    request_id: Mapped[int] = mapped_column(
        ForeignKey("help_requests.id", ondelete="CASCADE"), index=True
    )
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    round: Mapped[int] = mapped_column(Integer)
    score: Mapped[float] = mapped_column(Float, default=0.0)
    reasons: Mapped[str] = mapped_column(String(400), default="")  # codes, comma-separated
    status: Mapped[InvitationStatus] = mapped_column(
        str_enum(InvitationStatus, "help_invitation_status"), default=InvitationStatus.INVITED
    )
    decline_reason: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    request: Mapped[HelpRequest] = relationship()
    volunteer: Mapped[User] = relationship()


class SeriesKind(enum.StrEnum):
    """What makes a standing request come round again."""

    WEEKLY = "weekly"
    SNOW = "snow"


class SeriesStatus(enum.StrEnum):
    """Whether a series still makes occurrences."""

    ACTIVE = "active"
    PAUSED = "paused"
    ENDED = "ended"


class RequestSeries(db.Model):
    """A standing need: every Tuesday's bins, or every snowfall; it makes occurrences."""

    __tablename__ = "request_series"

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(
        ForeignKey("communities.id", ondelete="CASCADE"), index=True
    )
    requester_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[SeriesKind] = mapped_column(str_enum(SeriesKind, "help_series_kind"))
    status: Mapped[SeriesStatus] = mapped_column(
        str_enum(SeriesStatus, "help_series_status"), default=SeriesStatus.ACTIVE
    )
    category: Mapped[Category] = mapped_column(str_enum(Category, "help_category"))
    title: Mapped[str] = mapped_column(String(120))
    details: Mapped[str] = mapped_column(Text, default="")
    street_address: Mapped[str] = mapped_column(String(200))
    postal_code: Mapped[str] = mapped_column(String(12))
    lat: Mapped[float] = mapped_column(Float)
    lng: Mapped[float] = mapped_column(Float)
    cell: Mapped[int] = mapped_column(BigInteger)
    estimated_minutes: Mapped[int] = mapped_column(Integer, default=30)
    weekday: Mapped[int | None] = mapped_column(Integer)  # 0 = Monday (weekly series)
    start_minute: Mapped[int | None] = mapped_column(Integer)  # minutes after local midnight
    window_minutes: Mapped[int] = mapped_column(Integer, default=120)
    min_snow_inches: Mapped[float | None] = mapped_column(Float)  # snow series
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    # The regular helper: offered to one volunteer, agreed by both, with a named backup.
    regular_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    regular_since: Mapped[datetime | None] = mapped_column(UTCDateTime())
    offered_to_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    resident_agreed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    volunteer_agreed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    backup_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    community: Mapped[Community] = relationship()
    requester: Mapped[User] = relationship(foreign_keys=[requester_id])
    regular: Mapped[User | None] = relationship(foreign_keys=[regular_id])
    offered_to: Mapped[User | None] = relationship(foreign_keys=[offered_to_id])
    backup: Mapped[User | None] = relationship(foreign_keys=[backup_id])


class SeriesChange(db.Model):
    """One date of a series skipped, or moved to another start time."""

    __tablename__ = "request_series_changes"
    __table_args__ = (
        UniqueConstraint("series_id", "occurrence_date", name="uq_series_changes_series_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(
        ForeignKey("communities.id", ondelete="CASCADE"), index=True
    )
    series_id: Mapped[int] = mapped_column(ForeignKey("request_series.id", ondelete="CASCADE"))
    occurrence_date: Mapped[date] = mapped_column(Date)
    skipped: Mapped[bool] = mapped_column(Boolean, default=True)
    moved_to: Mapped[datetime | None] = mapped_column(UTCDateTime())  # a shifted start
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


@functools.lru_cache(maxsize=1024)
def categories_of(stored: str | None) -> frozenset[str]:
    """Category codes stored comma-separated ("errands,rides") as a set."""
    return frozenset(code for code in (stored or "").split(",") if code)
