"""Connection metrics month by month: are neighbours and volunteers coming back to each other?

Every series is one statement: the month boundaries are computed here (in the community's time
zone) and each month is a CASE column, so the same SQL runs on PostgreSQL and SQLite.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import and_, case, func, or_, select

from neighborly.coordination.figures import FINISHED, REGULAR_TIMES
from neighborly.coordination.period import Period, months_between
from neighborly.extensions import db
from neighborly.help_requests.models import HelpRequest, Status
from neighborly.mentoring.models import Pairing, PairStatus

SIX_MONTHS = timedelta(days=183)


@dataclass(frozen=True)
class Month:
    """One calendar month: its first day and its UTC bounds."""

    first: date
    start: datetime
    end: datetime


@dataclass(frozen=True)
class Connections:
    """Month-by-month connection figures for one community."""

    months: tuple[Month, ...]
    new_pairs: tuple[int, ...]
    regular_pairs: tuple[int, ...]
    helps: tuple[int, ...]
    thank_yous: tuple[int, ...]
    hours: tuple[float, ...]
    long_mentoring_pairs: tuple[int, ...]


def months_of(period: Period) -> tuple[Month, ...]:
    """The calendar months the period touches, with their UTC bounds."""
    zone = ZoneInfo(period.timezone)
    firsts = months_between(period.first, period.last)
    bounds = [
        datetime.combine(day, time(), tzinfo=zone).astimezone(UTC)
        for day in [*firsts, (firsts[-1] + timedelta(days=32)).replace(day=1)]
    ]
    return tuple(Month(firsts[i], bounds[i], bounds[i + 1]) for i in range(len(firsts)))


def _per_month(value, months: tuple[Month, ...], where: list, weight=1, source=None) -> tuple:
    """How many rows (or how much `weight`) fall in each month, as one statement."""
    columns = [
        func.coalesce(func.sum(case((and_(value >= m.start, value < m.end), weight), else_=0)), 0)
        for m in months
    ]
    statement = select(*columns).where(*where)
    if source is not None:
        statement = statement.select_from(source)
    return tuple(db.session.execute(statement).one())


def _until_month_end(value, months: tuple[Month, ...], source) -> tuple[int, ...]:
    """How many rows of `source` have `value` before each month's end (a running total)."""
    columns = [func.coalesce(func.sum(case((value < m.end, 1), else_=0)), 0) for m in months]
    return tuple(int(v) for v in db.session.execute(select(*columns).select_from(source)).one())


def _pairs(community_id: int):
    """Each neighbour-volunteer pair's first help and the moment it became regular."""
    ranked = (
        select(
            HelpRequest.requester_id,
            HelpRequest.volunteer_id,
            HelpRequest.completed_at,
            func.row_number()
            .over(
                partition_by=(HelpRequest.requester_id, HelpRequest.volunteer_id),
                order_by=(HelpRequest.completed_at, HelpRequest.id),
            )
            .label("nth"),
        )
        .where(HelpRequest.community_id == community_id, HelpRequest.status.in_(FINISHED))
        .subquery()
    )
    return ranked


def connections_for(community_id: int, period: Period, today: date) -> Connections:
    """Connection figures per month of the period, in a fixed number of statements."""
    months = months_of(period)
    ranked = _pairs(community_id)
    firsts = select(ranked.c.completed_at.label("at")).where(ranked.c.nth == 1).subquery()
    thirds = (
        select(ranked.c.completed_at.label("at")).where(ranked.c.nth == REGULAR_TIMES).subquery()
    )
    new_pairs = _per_month(firsts.c.at, months, [], source=firsts)
    mine = HelpRequest.community_id == community_id
    helps = _per_month(HelpRequest.completed_at, months, [mine, HelpRequest.status.in_(FINISHED)])
    confirmed = [mine, HelpRequest.status == Status.CONFIRMED]
    minutes = _per_month(HelpRequest.completed_at, months, confirmed, HelpRequest.minutes_spent)
    thanks = _per_month(
        HelpRequest.confirmed_at, months, [*confirmed, HelpRequest.thank_you_note.is_not(None)]
    )
    return Connections(
        months=months,
        new_pairs=tuple(int(v) for v in new_pairs),
        regular_pairs=_until_month_end(thirds.c.at, months, thirds),
        helps=tuple(int(v) for v in helps),
        thank_yous=tuple(int(v) for v in thanks),
        hours=tuple(round(int(v) / 60, 1) for v in minutes),
        long_mentoring_pairs=_long_pairs(community_id, months, today),
    )


def _long_pairs(community_id: int, months: tuple[Month, ...], today: date) -> tuple[int, ...]:
    """Mentoring pairs that had been meeting six months or more at each month's end."""
    columns = []
    for m in months:
        last_day = min((m.first + timedelta(days=32)).replace(day=1) - timedelta(days=1), today)
        meeting = and_(
            Pairing.started_on <= last_day - SIX_MONTHS,
            or_(Pairing.closed_on.is_(None), Pairing.closed_on > last_day),
        )
        columns.append(func.coalesce(func.sum(case((meeting, 1), else_=0)), 0))
    rows = db.session.execute(
        select(*columns).where(
            Pairing.community_id == community_id,
            Pairing.status.in_((PairStatus.ACTIVE, PairStatus.CLOSED)),
            Pairing.started_on.is_not(None),
        )
    ).one()
    return tuple(int(v) for v in rows)
