"""The coordinator's lists: filtered, searchable and keyset-paged, so a page's work depends on
the page size, never on how many rows the community has."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select

from neighborly.accounts.models import User
from neighborly.coordination.period import Period
from neighborly.help_requests.models import Category, HelpRequest, Status
from neighborly.paging import Key, Page, keyset_page

PAGE_SIZE = 25


@dataclass(frozen=True)
class RequestFilters:
    """What the requests list is narrowed to; None means any."""

    status: Status | None = None
    category: Category | None = None
    postal_code: str | None = None
    name: str | None = None
    period: Period | None = None


@dataclass(frozen=True)
class RequestLine:
    """One row of the requests list: no address, first names and initials only."""

    id: int
    title: str
    category: Category
    status: Status
    postal_code: str
    asker_first: str
    asker_last: str
    created_at: datetime

    @property
    def asker(self) -> str:
        """First name and last initial."""
        return f"{self.asker_first} {self.asker_last[:1]}." if self.asker_last else self.asker_first


def _name_matches(name: str):
    """The asker's first or last name starts with the words searched for (any case)."""
    pattern = name.strip().lower().replace("\\", "").replace("%", "").replace("_", "") + "%"
    return or_(func.lower(User.first_name).like(pattern), func.lower(User.last_name).like(pattern))


def requests_page(
    community_id: int, filters: RequestFilters, after: int | None, before: int | None
) -> Page:
    """One page of the community's requests, newest first."""
    statement = (
        select(
            HelpRequest.id,
            HelpRequest.title,
            HelpRequest.category,
            HelpRequest.status,
            HelpRequest.postal_code,
            User.first_name,
            User.last_name,
            HelpRequest.created_at,
        )
        .join(User, User.id == HelpRequest.requester_id)
        .where(HelpRequest.community_id == community_id)
    )
    if filters.status:
        statement = statement.where(HelpRequest.status == filters.status)
    if filters.category:
        statement = statement.where(HelpRequest.category == filters.category)
    if filters.postal_code:
        statement = statement.where(HelpRequest.postal_code == filters.postal_code)
    if filters.name and filters.name.strip():
        statement = statement.where(_name_matches(filters.name))
    if filters.period:
        statement = statement.where(
            HelpRequest.created_at >= filters.period.start,
            HelpRequest.created_at < filters.period.end,
        )
    keys = (Key(HelpRequest.created_at, descending=True), Key(HelpRequest.id, descending=True))
    page = keyset_page(
        statement,
        keys,
        after=after,
        before=before,
        size=PAGE_SIZE,
        scalars=False,
        id_of=lambda row: row.id,
    )
    return Page(
        items=[RequestLine(*row) for row in page.items],
        next_after=page.next_after,
        prev_before=page.prev_before,
        first=page.first,
    )
