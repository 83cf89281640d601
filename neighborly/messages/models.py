"""Messages in a thread: a help request's or a mentoring pair's, never a private channel."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from neighborly.accounts.models import User
from neighborly.dbtypes import UTCDateTime, str_enum
from neighborly.extensions import db
from neighborly.timeutil import utcnow

MAX_LENGTH = 1000


class ThreadKind(enum.StrEnum):
    """What a thread belongs to."""

    REQUEST = "request"
    PAIR = "pair"


class Message(db.Model):
    """One plain-text message; a coordinator may hide it, and the text is kept."""

    __tablename__ = "messages"
    __table_args__ = (Index("ix_messages_thread", "thread_kind", "thread_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    thread_kind: Mapped[ThreadKind] = mapped_column(str_enum(ThreadKind, "thread_kind"))
    thread_id: Mapped[int] = mapped_column(Integer)
    community_id: Mapped[int] = mapped_column(
        ForeignKey("communities.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
