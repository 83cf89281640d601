"""The console's figures, each one aggregate statement: nothing is counted in Python."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, or_, select

from neighborly.coordination.period import Period
from neighborly.coordination.sqlbits import percentiles, scalar_int, seconds_between
from neighborly.extensions import db
from neighborly.help_requests.models import HelpRequest, Status
from neighborly.help_requests.services import AGEING_AFTER
from neighborly.mentoring.models import Pairing, PairStatus

FINISHED = (Status.COMPLETED, Status.CONFIRMED)
REGULAR_TIMES = 3


@dataclass(frozen=True)
class Figures:
    """What the console's figures say for one community and period."""

    open_now: int
    ageing_now: int
    posted: int
    fulfilled: int
    accept_median_s: float | None
    accept_p90_s: float | None
    confirmed_minutes: int
    active_volunteers: int
    regular_pairs: int
    active_mentoring_pairs: int

    @property
    def fulfilled_share(self) -> float | None:
        """Share of the period's requests that were done (0..1), None without requests."""
        return self.fulfilled / self.posted if self.posted else None

    @property
    def confirmed_hours(self) -> float:
        """Confirmed help in hours, one decimal."""
        return round(self.confirmed_minutes / 60, 1)


def ageing_condition(now: datetime):
    """An open request that has waited a day or is due within a day (as `is_ageing`)."""
    return or_(
        HelpRequest.created_at <= now - AGEING_AFTER,
        HelpRequest.needed_by < now + AGEING_AFTER,
    )


def open_counts(community_id: int, now: datetime) -> tuple[int, int]:
    """(open requests, ageing open requests) right now, in one statement."""
    ageing = case((ageing_condition(now), 1), else_=0)
    row = db.session.execute(
        select(func.count(HelpRequest.id), func.coalesce(func.sum(ageing), 0)).where(
            HelpRequest.community_id == community_id, HelpRequest.status == Status.OPEN
        )
    ).one()
    return int(row[0]), int(row[1])


def posted_and_fulfilled(community_id: int, period: Period) -> tuple[int, int]:
    """Requests posted in the period (not cancelled) and how many of them were done."""
    done = case((HelpRequest.status.in_(FINISHED), 1), else_=0)
    row = db.session.execute(
        select(func.count(HelpRequest.id), func.coalesce(func.sum(done), 0)).where(
            HelpRequest.community_id == community_id,
            HelpRequest.created_at >= period.start,
            HelpRequest.created_at < period.end,
            HelpRequest.status != Status.CANCELLED,
        )
    ).one()
    return int(row[0]), int(row[1])


def time_to_accept(community_id: int, period: Period) -> tuple[float | None, float | None]:
    """Median and 90th percentile seconds from posting to a yes, for yeses in the period."""
    waited = seconds_between(HelpRequest.created_at, HelpRequest.accepted_at)
    where = [
        HelpRequest.community_id == community_id,
        HelpRequest.accepted_at >= period.start,
        HelpRequest.accepted_at < period.end,
    ]
    median, p90 = percentiles(waited, HelpRequest.__table__, where, (0.5, 0.9))
    return median, p90


def confirmed_minutes(community_id: int, period: Period) -> int:
    """Minutes of confirmed help done in the period."""
    return scalar_int(
        select(func.sum(HelpRequest.minutes_spent)).where(
            HelpRequest.community_id == community_id,
            HelpRequest.status == Status.CONFIRMED,
            HelpRequest.completed_at >= period.start,
            HelpRequest.completed_at < period.end,
        )
    )


def active_volunteers(community_id: int, period: Period) -> int:
    """Volunteers who said yes to at least one request in the period."""
    return scalar_int(
        select(func.count(func.distinct(HelpRequest.volunteer_id))).where(
            HelpRequest.community_id == community_id,
            HelpRequest.accepted_at >= period.start,
            HelpRequest.accepted_at < period.end,
        )
    )


def regular_pairs(community_id: int, until: datetime, since: datetime | None = None) -> int:
    """Neighbour-volunteer pairs with three or more finished helps (between the two times)."""
    conditions = [
        HelpRequest.community_id == community_id,
        HelpRequest.status.in_(FINISHED),
        HelpRequest.completed_at < until,
    ]
    if since is not None:
        conditions.append(HelpRequest.completed_at >= since)
    pairs = (
        select(HelpRequest.requester_id, HelpRequest.volunteer_id)
        .where(*conditions)
        .group_by(HelpRequest.requester_id, HelpRequest.volunteer_id)
        .having(func.count(HelpRequest.id) >= REGULAR_TIMES)
        .subquery()
    )
    return scalar_int(select(func.count()).select_from(pairs))


def active_mentoring_pairs(community_id: int) -> int:
    """Mentoring pairs meeting now."""
    return scalar_int(
        select(func.count(Pairing.id)).where(
            Pairing.community_id == community_id, Pairing.status == PairStatus.ACTIVE
        )
    )


def figures_for(community_id: int, period: Period, now: datetime) -> Figures:
    """Every figure on the console home, in a fixed number of statements."""
    open_now, ageing_now = open_counts(community_id, now)
    posted, fulfilled = posted_and_fulfilled(community_id, period)
    median, p90 = time_to_accept(community_id, period)
    return Figures(
        open_now=open_now,
        ageing_now=ageing_now,
        posted=posted,
        fulfilled=fulfilled,
        accept_median_s=median,
        accept_p90_s=p90,
        confirmed_minutes=confirmed_minutes(community_id, period),
        active_volunteers=active_volunteers(community_id, period),
        regular_pairs=regular_pairs(community_id, period.end),
        active_mentoring_pairs=active_mentoring_pairs(community_id),
    )
