"""The belonging-resource library: resources, topics and neighbours' suggestions.

Resources are site-wide, not per community: every community reads the same curated
library, and coordinators of any community curate it (see policies.py).
"""

from __future__ import annotations

import enum
from datetime import datetime
from urllib.parse import urlsplit

from sqlalchemy import (
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    event,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from neighborly.accounts.models import User
from neighborly.dbtypes import UTCDateTime, str_enum
from neighborly.extensions import db
from neighborly.resources import search
from neighborly.timeutil import utcnow

SAFE_LINK_SCHEMES = ("http", "https")


def is_safe_link(url: str) -> bool:
    """Whether a link is a plain http(s) web address (never javascript:, data: and the like)."""
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in url):
        return False
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme.lower() in SAFE_LINK_SCHEMES and bool(parts.hostname)


class ResourceKind(enum.StrEnum):
    """What sort of thing a resource is."""

    STORY_ORIGINAL = "story_original"
    STORY_AUDIO = "story_audio"
    GUIDE = "guide"
    TOOL = "tool"
    DATA = "data"


class SuggestionStatus(enum.StrEnum):
    """Where a neighbour's suggestion is in the coordinators' review."""

    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


resource_topics = Table(
    "resource_topics",
    db.metadata,
    Column(
        "resource_id",
        ForeignKey("resources.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("topic_id", ForeignKey("topics.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Topic(db.Model):
    """A theme with its own page (e.g. Social Connection)."""

    __tablename__ = "topics"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(String(400), default="")
    position: Mapped[int] = mapped_column(Integer, default=0)


class Resource(db.Model):
    """One curated story, guide, tool or data set. `url` is None until a real link is known."""

    __tablename__ = "resources"
    __table_args__ = (Index("ix_resources_published_featured", "published", "featured"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stable name of a starting-library item, so loading the library twice adds nothing.
    library_key: Mapped[str | None] = mapped_column(String(60), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    url: Mapped[str | None] = mapped_column(String(500))
    summary: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[ResourceKind] = mapped_column(str_enum(ResourceKind, "resource_kind"))
    source: Mapped[str] = mapped_column(String(200), default="")
    language: Mapped[str] = mapped_column(String(8), default="en")
    featured: Mapped[bool] = mapped_column(Boolean, default=False)
    published: Mapped[bool] = mapped_column(Boolean, default=False)
    # How many times "Open" was followed: one aggregate number, nothing about who.
    clicks: Mapped[int] = mapped_column(Integer, default=0)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    topics: Mapped[list[Topic]] = relationship(
        secondary=resource_topics, order_by=Topic.position, lazy="selectin"
    )


class ResourceSuggestion(db.Model):
    """A resource a signed-in neighbour proposed, waiting for a coordinator's review."""

    __tablename__ = "resource_suggestions"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    url: Mapped[str | None] = mapped_column(String(500))
    summary: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(200), default="")
    topic_slugs: Mapped[str] = mapped_column(String(400), default="")
    status: Mapped[SuggestionStatus] = mapped_column(
        str_enum(SuggestionStatus, "suggestion_status"),
        default=SuggestionStatus.PENDING,
        index=True,
    )
    suggested_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    reject_reason: Mapped[str | None] = mapped_column(String(300))
    resource_id: Mapped[int | None] = mapped_column(ForeignKey("resources.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    suggested_by: Mapped[User | None] = relationship(foreign_keys=[suggested_by_id], lazy="joined")

    @property
    def topic_slug_list(self) -> list[str]:
        """The suggested topics' slugs."""
        return [slug for slug in self.topic_slugs.split(",") if slug]


def _install_search_after_create(target: Table, connection, **kw) -> None:
    """`db.create_all()` also builds the full-text search structures."""
    search.install_search(connection)


def _drop_search_before_drop(target: Table, connection, **kw) -> None:
    """`db.drop_all()` also removes the full-text search structures."""
    search.drop_search(connection)


event.listen(Resource.__table__, "after_create", _install_search_after_create)
event.listen(Resource.__table__, "before_drop", _drop_search_before_drop)
