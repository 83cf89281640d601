"""What each person wants to hear, when, and what was already sent to them once."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from neighborly.dbtypes import UTCDateTime
from neighborly.extensions import db
from neighborly.timeutil import utcnow

QUIET_START_MINUTES = 21 * 60
QUIET_END_MINUTES = 8 * 60


class NotificationSettings(db.Model):
    """One person's quiet hours and whether they stopped all non-essential email."""

    __tablename__ = "notification_settings"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    # Minutes after local midnight; texts and non-urgent email wait from start until end.
    quiet_start: Mapped[int] = mapped_column(Integer, default=QUIET_START_MINUTES)
    quiet_end: Mapped[int] = mapped_column(Integer, default=QUIET_END_MINUTES)
    # None: the time zone of the person's community.
    timezone: Mapped[str | None] = mapped_column(String(64))
    no_email: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class NotificationPreference(db.Model):
    """For one kind of event (event_kind), which channels one person wants."""

    __tablename__ = "notification_preferences"
    __table_args__ = (UniqueConstraint("user_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(80))
    email: Mapped[bool] = mapped_column(Boolean, default=True)
    sms: Mapped[bool] = mapped_column(Boolean, default=True)


class SentOnce(db.Model):
    """A reminder or digest already sent: one per person, thing and day (the key decides)."""

    __tablename__ = "sent_once"
    __table_args__ = (UniqueConstraint("user_id", "kind", "thing", "on_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    # What it was about, e.g. "help_request:12" or "week".
    thing: Mapped[str] = mapped_column(String(60))
    on_date: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
