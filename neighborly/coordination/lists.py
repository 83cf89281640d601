"""The coordinator's lists: filtered, searchable and keyset-paged, so a page's work depends on
the page size, never on how many rows the community has."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select

from neighborly.accounts.models import Membership, Role, User
from neighborly.coordination.period import Period
from neighborly.extensions import db
from neighborly.help_requests.models import Category, HelpRequest, Status, VolunteerProfile
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


@dataclass(frozen=True)
class PersonLine:
    """One member: first name and initial, roles here, and their volunteer profile if any."""

    id: int
    first_name: str
    last_name: str
    has_account: bool
    profile_id: int | None
    verified: bool
    postal_code: str | None
    active: bool = True
    roles: tuple[Role, ...] = ()

    @property
    def name(self) -> str:
        """First name and last initial."""
        return f"{self.first_name} {self.last_name[:1]}." if self.last_name else self.first_name


def people_page(
    community_id: int,
    role: Role | None,
    name: str | None,
    verified: bool | None,
    after: int | None,
    before: int | None,
) -> Page:
    """One page of the community's members by name, with their roles (two statements)."""
    belongs = select(Membership.id).where(
        Membership.user_id == User.id, Membership.community_id == community_id
    )
    if role is not None:
        belongs = belongs.where(Membership.role == role)
    statement = (
        select(
            User.id,
            User.first_name,
            User.last_name,
            User.email.is_not(None),
            VolunteerProfile.id,
            VolunteerProfile.verified_at.is_not(None),
            VolunteerProfile.home_postal_code,
            User.is_active_account,
        )
        .outerjoin(
            VolunteerProfile,
            (VolunteerProfile.user_id == User.id) & (VolunteerProfile.community_id == community_id),
        )
        .where(belongs.exists(), User.deleted_at.is_(None))
    )
    if name and name.strip():
        statement = statement.where(_name_matches(name))
    if verified is not None:
        found = VolunteerProfile.verified_at.is_not(None)
        statement = statement.where(
            found if verified else VolunteerProfile.id.is_not(None) & ~found
        )
    keys = (Key(User.last_name), Key(User.first_name), Key(User.id))
    page = keyset_page(
        statement,
        keys,
        after=after,
        before=before,
        size=PAGE_SIZE,
        scalars=False,
        id_of=lambda row: row[0],
    )
    ids = [row[0] for row in page.items]
    roles: dict[int, list[Role]] = {}
    if ids:
        for uid, held in db.session.execute(
            select(Membership.user_id, Membership.role)
            .where(Membership.community_id == community_id, Membership.user_id.in_(ids))
            .order_by(Membership.role)
        ):
            roles.setdefault(uid, []).append(Role(held))
    return Page(
        items=[
            PersonLine(
                *row[:3],
                bool(row[3]),
                row[4],
                bool(row[5]),
                row[6],
                bool(row[7]),
                tuple(roles.get(row[0], ())),
            )
            for row in page.items
        ],
        next_after=page.next_after,
        prev_before=page.prev_before,
        first=page.first,
    )
