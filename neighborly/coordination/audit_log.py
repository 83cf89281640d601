"""The audit log of one community, filtered and paged, and as CSV (itself an audited export)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from neighborly.accounts.models import Community, User
from neighborly.audit import AuditEvent, record_audit
from neighborly.coordination.exports import csv_lines, stream_rows
from neighborly.coordination.period import Period
from neighborly.extensions import db
from neighborly.paging import Key, Page, keyset_page
from neighborly.timeutil import local_time

PAGE_SIZE = 50


@dataclass(frozen=True)
class AuditFilters:
    """What the log is narrowed to; None means any."""

    actor: str | None = None
    action: str | None = None
    object_type: str | None = None
    object_id: int | None = None
    period: Period | None = None


@dataclass(frozen=True)
class AuditLine:
    """One event: when, who, what, on which object."""

    id: int
    created_at: datetime
    actor_first: str | None
    actor_last: str | None
    action: str
    object_type: str | None
    object_id: int | None

    @property
    def actor(self) -> str:
        """First name and last initial, or empty for the system."""
        if self.actor_first is None:
            return ""
        return f"{self.actor_first} {self.actor_last[:1]}." if self.actor_last else self.actor_first


def _statement(community_id: int, filters: AuditFilters):
    """The community's events matching the filters, with the actor's name."""
    statement = (
        select(
            AuditEvent.id,
            AuditEvent.created_at,
            User.first_name,
            User.last_name,
            AuditEvent.action,
            AuditEvent.object_type,
            AuditEvent.object_id,
        )
        .outerjoin(User, User.id == AuditEvent.actor_id)
        .where(AuditEvent.community_id == community_id)
    )
    if filters.actor and filters.actor.strip():
        words = filters.actor.strip().lower().replace("%", "").replace("_", "") + "%"
        statement = statement.where(
            (func.lower(User.first_name).like(words)) | (func.lower(User.last_name).like(words))
        )
    if filters.action and filters.action.strip():
        prefix = filters.action.strip().lower().replace("%", "").replace("_", r"\_")
        statement = statement.where(AuditEvent.action.like(prefix + "%", escape="\\"))
    if filters.object_type:
        statement = statement.where(AuditEvent.object_type == filters.object_type)
    if filters.object_id is not None:
        statement = statement.where(AuditEvent.object_id == filters.object_id)
    if filters.period:
        statement = statement.where(
            AuditEvent.created_at >= filters.period.start,
            AuditEvent.created_at < filters.period.end,
        )
    return statement


def audit_page(
    community_id: int, filters: AuditFilters, after: int | None, before: int | None
) -> Page:
    """One page of the log, newest first."""
    keys = (Key(AuditEvent.created_at, descending=True), Key(AuditEvent.id, descending=True))
    page = keyset_page(
        _statement(community_id, filters),
        keys,
        after=after,
        before=before,
        size=PAGE_SIZE,
        scalars=False,
        id_of=lambda row: row[0],
    )
    return Page([AuditLine(*row) for row in page], page.next_after, page.prev_before, page.first)


def audit_csv(community: Community, actor: User, filters: AuditFilters) -> Iterator[str]:
    """The filtered log as CSV, newest first; the export itself is recorded."""
    record_audit(actor.id, "export.audit", "community", community.id, community.id)
    db.session.commit()
    statement = _statement(community.id, filters).order_by(
        AuditEvent.created_at.desc(), AuditEvent.id.desc()
    )
    header = ("event_id", "when", "actor", "action", "object_type", "object_id")
    rows = (
        (
            line.id,
            local_time(line.created_at, community.timezone).isoformat(timespec="seconds"),
            line.actor,
            line.action,
            line.object_type or "",
            line.object_id or "",
        )
        for line in (AuditLine(*row) for row in stream_rows(statement))
    )
    return csv_lines(header, rows)
