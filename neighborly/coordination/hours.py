"""Hours of confirmed help: per volunteer, one volunteer's ledger, and the certificate."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from neighborly.accounts.models import Membership, Role, User
from neighborly.coordination.period import Period
from neighborly.errors import NotFound
from neighborly.extensions import db
from neighborly.help_requests.models import Category, HelpRequest, Status
from neighborly.paging import Key, Page, keyset_page

PAGE_SIZE = 25


def _confirmed(community_id: int, period: Period) -> list:
    """Confirmed help in this community whose work was done within the period."""
    return [
        HelpRequest.community_id == community_id,
        HelpRequest.status == Status.CONFIRMED,
        HelpRequest.completed_at >= period.start,
        HelpRequest.completed_at < period.end,
    ]


@dataclass(frozen=True)
class VolunteerHours:
    """One volunteer's confirmed help in the period."""

    user_id: int
    first_name: str
    last_name: str
    helps: int
    minutes: int
    neighbours: int

    @property
    def name(self) -> str:
        """First name and last initial."""
        return f"{self.first_name} {self.last_name[:1]}." if self.last_name else self.first_name


def hours_page(community_id: int, period: Period, after: int | None, before: int | None) -> Page:
    """Volunteers with confirmed help in the period, by name, with their totals."""
    statement = (
        select(
            User.id,
            User.first_name,
            User.last_name,
            func.count(HelpRequest.id),
            func.sum(HelpRequest.minutes_spent),
            func.count(func.distinct(HelpRequest.requester_id)),
        )
        .join(HelpRequest, HelpRequest.volunteer_id == User.id)
        .where(*_confirmed(community_id, period))
        .group_by(User.id, User.first_name, User.last_name)
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
    items = [VolunteerHours(r[0], r[1], r[2], int(r[3]), int(r[4] or 0), int(r[5])) for r in page]
    return Page(items, page.next_after, page.prev_before, page.first)


def community_minutes(community_id: int, period: Period) -> tuple[int, int]:
    """(confirmed helps, minutes) for the whole community in the period."""
    count, minutes = db.session.execute(
        select(func.count(HelpRequest.id), func.sum(HelpRequest.minutes_spent)).where(
            *_confirmed(community_id, period)
        )
    ).one()
    return int(count), int(minutes or 0)


@dataclass(frozen=True)
class LedgerLine:
    """One confirmed help: when, for whom, what, how long."""

    id: int
    completed_at: datetime
    category: Category
    title: str
    for_first: str
    for_last: str
    minutes: int

    @property
    def for_name(self) -> str:
        """First name and last initial of the neighbour helped."""
        return f"{self.for_first} {self.for_last[:1]}." if self.for_last else self.for_first


def volunteer_of(community_id: int, user_id: int) -> User:
    """A volunteer of this community, or NotFound."""
    user = db.session.scalar(
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(
            User.id == user_id,
            Membership.community_id == community_id,
            Membership.role == Role.VOLUNTEER,
        )
    )
    if user is None:
        raise NotFound(user_id)
    return user


def ledger_page(
    community_id: int, volunteer_id: int, period: Period, after: int | None, before: int | None
) -> Page:
    """One volunteer's confirmed help in the period, newest first."""
    asker = aliased(User)
    statement = (
        select(
            HelpRequest.id,
            HelpRequest.completed_at,
            HelpRequest.category,
            HelpRequest.title,
            asker.first_name,
            asker.last_name,
            HelpRequest.minutes_spent,
        )
        .join(asker, asker.id == HelpRequest.requester_id)
        .where(*_confirmed(community_id, period), HelpRequest.volunteer_id == volunteer_id)
    )
    keys = (Key(HelpRequest.completed_at, descending=True), Key(HelpRequest.id, descending=True))
    page = keyset_page(
        statement,
        keys,
        after=after,
        before=before,
        size=PAGE_SIZE,
        scalars=False,
        id_of=lambda row: row[0],
    )
    items = [LedgerLine(*row[:6], int(row[6] or 0)) for row in page]
    return Page(items, page.next_after, page.prev_before, page.first)


def volunteer_minutes(community_id: int, volunteer_id: int, period: Period) -> tuple[int, int]:
    """(confirmed helps, minutes) of one volunteer in the period: what a certificate says."""
    count, minutes = db.session.execute(
        select(func.count(HelpRequest.id), func.sum(HelpRequest.minutes_spent)).where(
            *_confirmed(community_id, period), HelpRequest.volunteer_id == volunteer_id
        )
    ).one()
    return int(count), int(minutes or 0)
