"""Near me: open requests ranked for one volunteer, from the cell only, never the exact point."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import NamedTuple

from sqlalchemy import Select, bindparam, func, or_, select
from sqlalchemy.orm import aliased

from neighborly.accounts.blocking import not_blocked
from neighborly.accounts.models import Community, User
from neighborly.extensions import db
from neighborly.geo.cells import cell_centre, cells_by_distance, haversine_km
from neighborly.help_requests import matching
from neighborly.help_requests.models import (
    Category,
    HelpRequest,
    Status,
    Urgency,
    VolunteerProfile,
)
from neighborly.help_requests.services.common import volunteer_profile
from neighborly.paging import Page
from neighborly.timeutil import local_time, utcnow


@dataclass(frozen=True)
class NearbyRequest:
    """One row of a volunteer's Near-me list: only public facts."""

    request_id: int
    title: str
    category: Category
    urgency: Urgency
    needed_by: datetime | None
    estimated_minutes: int
    requester_name: str
    public_lat: float
    public_lng: float
    distance_km: float
    band: str
    details: tuple[matching.Reason, ...]

    @property
    def reasons(self) -> tuple[str, ...]:
        """The reasons in English words, worded when asked (the page words `details`)."""
        return tuple(matching.describe(reason) for reason in self.details)


# A page of Near me: the twenty best, then "More" (a list an older neighbour reads on a phone,
# not a wall of fifty cards).
NEAR_ME_PAGE_SIZE = 20
FIRST_RING_CELLS = 1  # the nearest cell (with any others at the same distance)
RING_GROWTH = 4  # each further ring reads at most four times as many cells


def near_me(
    volunteer: User, community: Community, now: datetime | None = None, limit: int = 50
) -> list[NearbyRequest]:
    """The first page of open requests near this volunteer, nearest first."""
    return near_me_page(volunteer, community, now=now, size=limit).items


def near_me_page(
    volunteer: User,
    community: Community,
    now: datetime | None = None,
    size: int = NEAR_ME_PAGE_SIZE,
    after: int | None = None,
    profile: VolunteerProfile | None = None,
) -> Page:
    """Open requests inside the volunteer's radius and categories: nearest cells first.

    Ring search: the cells whose centre lies inside the circle, nearest first, are read a
    ring at a time (a ring never splits cells at the same distance). The order is the cell's
    distance, then the score, so once `size + 1` requests are in hand every unread cell is
    farther than all of them and the search stops: the work depends on the page size and the
    requests per cell, not on how many requests are open in the radius. `profile` saves
    reading the volunteer's profile again when the caller holds it already.

    Whom the volunteer helped before is read beside each request (`_helped_column`), so
    `prefs.helped_requesters` is filled with the requesters of the rows read, the only ones
    matching asks about.
    """
    now = now or utcnow()
    if profile is None:
        profile = volunteer_profile(volunteer, community.id)
    if profile is None or not profile.category_set:
        return Page([])
    helped: dict[int, date] = {}
    prefs = matching.VolunteerPrefs(
        lat=profile.home_lat,
        lng=profile.home_lng,
        radius_km=profile.radius_km,
        categories=profile.category_set,
        availability=profile.slot_set,
        helped_requesters=helped,
        time_zone=community.timezone,
    )
    cells = cells_by_distance(profile.home_lat, profile.home_lng, profile.radius_km)
    mark = (
        _cursor(after, community.id, profile.user_id, helped, community.timezone) if after else None
    )
    if mark is not None:
        mark_km = haversine_km(prefs.lat, prefs.lng, mark.lat, mark.lng)
        cells = tuple((km, cell) for km, cell in cells if km >= mark_km)
    placed, rows = _ring_search(profile, community.id, prefs, helped, now, cells, size + 1, mark)
    page = [_nearby_row(rows[r.request_id], r) for r in placed[:size]]
    more = len(placed) > size
    return Page(page, next_after=page[-1].request_id if more else None, first=mark is None)


def _ring_search(
    profile: VolunteerProfile,
    community_id: int,
    prefs: matching.VolunteerPrefs,
    helped: dict[int, date],
    now: datetime,
    cells: tuple[tuple[float, int], ...],
    need: int,
    mark: matching.Candidate | None,
) -> tuple[list[matching.Ranked], dict[int, OpenRow]]:
    """The first `need` requests in Near-me order, reading rings of cells outwards.

    Each ring is one query; its size follows the requests per cell seen so far, so a busy
    neighbourhood is read a few cells at a time and an empty one in growing rings. Within a
    ring, cells are ranked one distance at a time and the search stops as soon as `need`
    requests are placed: every cell not yet ranked is farther than all of them. Each row's
    requester goes into `helped` (the dict `prefs` holds) before its ring is ranked.
    """
    placed: list[matching.Ranked] = []
    rows: dict[int, OpenRow] = {}
    start, ring, cells_read, rows_read = 0, FIRST_RING_CELLS, 0, 0
    while start < len(cells) and len(placed) < need:
        stop = _ring_end(cells, start, ring)
        by_cell: dict[int, list[OpenRow]] = {}
        for row in _open_rows(profile, community_id, now, [c for _, c in cells[start:stop]]):
            by_cell.setdefault(row.cell, []).append(row)
            rows[row.id] = row
            rows_read += 1
            if row.last_helped is not None:
                _note_helped(row, helped, prefs.time_zone)
        group = start
        while group < stop and len(placed) < need:
            end = _ring_end(cells, group, 1)  # the cells at one distance
            found = [
                _candidate(row) for _, cell in cells[group:end] for row in by_cell.get(cell, ())
            ]
            placed += matching.nearest_first(
                found, prefs, now, limit=need - len(placed), after=mark
            )
            group = end
        cells_read += stop - start
        start = stop
        missing = need - len(placed)
        ring = (
            max(1, min(ring * RING_GROWTH, math.ceil(1.5 * missing * cells_read / rows_read)))
            if rows_read
            else ring * RING_GROWTH
        )
    return placed, rows


def _ring_end(cells: tuple[tuple[float, int], ...], start: int, size: int) -> int:
    """Where a ring of about `size` cells from `start` ends, never splitting one distance."""
    stop = min(len(cells), start + size)
    while stop < len(cells) and cells[stop][0] == cells[stop - 1][0]:
        stop += 1
    return stop


def _cursor(
    request_id: int, community_id: int, volunteer_id: int, helped: dict[int, date], timezone: str
) -> matching.Candidate | None:
    """Where the previous page ended: its last request's public facts (whatever its status)."""
    row = db.session.execute(
        select(*_COLUMNS, _helped_column(volunteer_id))
        .join(User, User.id == HelpRequest.requester_id)
        .where(HelpRequest.id == request_id, HelpRequest.community_id == community_id)
    ).first()
    if row is None:
        return None
    mark = OpenRow._make(row)
    _note_helped(mark, helped, timezone)
    return _candidate(mark)


_COLUMNS = (
    HelpRequest.id,
    HelpRequest.category,
    HelpRequest.cell,
    HelpRequest.created_at,
    HelpRequest.needed_by,
    HelpRequest.requester_id,
    HelpRequest.title,
    HelpRequest.urgency,
    HelpRequest.estimated_minutes,
    User.first_name,
    User.last_name,
)


class OpenRow(NamedTuple):
    """One request as the ring query reads it: `_COLUMNS` and `last_helped`, in that order.

    A plain tuple: the ranking reads a dozen facts from each of a few hundred rows a page, and a
    tuple's fields cost a tenth of a database row's named lookups.
    """

    id: int
    category: Category
    cell: int
    created_at: datetime
    needed_by: datetime | None
    requester_id: int
    title: str
    urgency: Urgency
    estimated_minutes: int
    first_name: str
    last_name: str | None
    last_helped: datetime | None


def _open_rows(
    profile: VolunteerProfile, community_id: int, now: datetime, cells: list[int]
) -> list[OpenRow]:
    """One indexed query over one ring of cells, with the requester's name joined.

    It reads each request's cell, never its exact point.
    """
    result = db.session.connection().execute(  # Core rows: no ORM bookkeeping per row
        _open_rows_statement(),
        {
            "cells": cells,
            "community_id": community_id,
            "categories": sorted(profile.category_set),
            "volunteer_id": profile.user_id,
            "now": now,
        },
    )
    return list(map(OpenRow._make, result.all()))


@cache
def _open_rows_statement() -> Select:
    """The ring query, built once: every value that changes is a bound parameter."""
    volunteer_id = bindparam("volunteer_id")
    return (
        select(*_COLUMNS, _helped_column(volunteer_id))
        .join(User, User.id == HelpRequest.requester_id)
        .where(
            HelpRequest.status == Status.OPEN,
            HelpRequest.cell.in_(bindparam("cells", expanding=True)),
            HelpRequest.community_id == bindparam("community_id"),
            HelpRequest.category.in_(bindparam("categories", expanding=True)),
            HelpRequest.requester_id != volunteer_id,
            User.is_active_account.is_(True),  # a suspended asker's requests are hidden
            not_blocked(volunteer_id, HelpRequest.requester_id),
            or_(HelpRequest.needed_by.is_(None), HelpRequest.needed_by > bindparam("now")),
        )
    )


def _candidate(row: OpenRow) -> matching.Candidate:
    """The facts matching needs from one open-request row, placed at its cell's centre.

    Everything a volunteer observes before accepting (whether a request is listed, its
    order, its distance band and words) comes from `matching.nearest_first`, which sees only the
    cell centre: the exact point never leaves the database on this path (`_open_rows` does
    not select it). So all of it is a function of the volunteer's own settings, the
    request's cell and facts that are not places; two requests with the same facts in one
    cell look the same from every home point and radius. Moving one's home point (any
    number of times) and watching a request enter or leave the radius, change band or
    change place in the list can then only trilaterate the cell centre, which is public
    anyway: no estimate can beat the cell (tests/help_requests/test_location_attack.py).
    """
    public_lat, public_lng = cell_centre(row.cell)
    return matching.Candidate(
        request_id=row.id,
        category=str(row.category),
        lat=public_lat,
        lng=public_lng,
        created_at=row.created_at,
        requester_id=row.requester_id,
        requester_first_name=row.first_name,
        needed_by=row.needed_by,
    )


def _nearby_row(row: OpenRow, ranked: matching.Ranked) -> NearbyRequest:
    """Public facts for one ranked request."""
    public_lat, public_lng = cell_centre(row.cell)
    initial = f" {row.last_name[:1]}." if row.last_name else ""
    return NearbyRequest(
        request_id=row.id,
        title=row.title,
        category=row.category,
        urgency=row.urgency,
        needed_by=row.needed_by,
        estimated_minutes=row.estimated_minutes,
        requester_name=f"{row.first_name}{initial}",
        public_lat=public_lat,
        public_lng=public_lng,
        distance_km=ranked.distance_km,
        band=ranked.band,
        details=ranked.details,
    )


def _helped_column(volunteer_id):
    """The last time this volunteer finished helping a row's requester (None if never).

    A correlated subquery on the (volunteer, status, requester, completed) index: one probe
    per row read, in the same statement as the row.
    """
    helped = aliased(HelpRequest)
    return (
        select(func.max(helped.completed_at))
        .where(
            helped.volunteer_id == volunteer_id,
            helped.status.in_((Status.COMPLETED, Status.CONFIRMED)),
            helped.requester_id == HelpRequest.requester_id,
        )
        .scalar_subquery()
        .label("last_helped")
    )


def _note_helped(row: OpenRow, helped: dict[int, date], timezone: str) -> None:
    """Remember the day (community time) this volunteer last helped the row's requester."""
    if row.last_helped is not None and row.requester_id not in helped:
        helped[row.requester_id] = local_time(row.last_helped, timezone).date()


def nearest_open(volunteer: User, community: Community) -> NearbyRequest | None:
    """The closest open request this volunteer could take next."""
    rows = near_me(volunteer, community)
    return min(rows, key=lambda row: (row.distance_km, row.request_id)) if rows else None
