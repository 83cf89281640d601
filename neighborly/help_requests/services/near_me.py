"""Near me: open requests ranked for one volunteer, from the cell only, never the exact point."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, or_, select

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
    reasons: tuple[str, ...]
    details: tuple[matching.Reason, ...]


FIRST_RING_CELLS = 9  # the volunteer's own cell and about its eight neighbours
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
    size: int = 50,
    after: int | None = None,
) -> Page:
    """Open requests inside the volunteer's radius and categories: nearest cells first.

    Ring search: the cells whose centre lies inside the circle, nearest first, are read a
    ring at a time (a ring never splits cells at the same distance). The order is the cell's
    distance, then the score, so once `size + 1` requests are in hand every unread cell is
    farther than all of them and the search stops: the work depends on the page size and the
    requests per cell, not on how many requests are open in the radius.
    """
    now = now or utcnow()
    profile = volunteer_profile(volunteer, community.id)
    if profile is None or not profile.category_set:
        return Page([])
    prefs = matching.VolunteerPrefs(
        lat=profile.home_lat,
        lng=profile.home_lng,
        radius_km=profile.radius_km,
        categories=profile.category_set,
        availability=profile.slot_set,
        helped_requesters=_helped_before(volunteer.id, community.timezone),
        time_zone=community.timezone,
    )
    cells = cells_by_distance(profile.home_lat, profile.home_lng, profile.radius_km)
    mark = _cursor(after, community.id) if after else None
    if mark is not None:
        mark_km = haversine_km(prefs.lat, prefs.lng, mark.lat, mark.lng)
        cells = [(km, cell) for km, cell in cells if km >= mark_km]
    rows: dict[int, Any] = {}
    ranked: list[matching.Ranked] = []
    start, ring = 0, FIRST_RING_CELLS
    while start < len(cells):
        stop = min(len(cells), start + ring)
        while stop < len(cells) and cells[stop][0] == cells[stop - 1][0]:
            stop += 1  # cells at one distance stay in one ring
        rows.update(_open_rows(profile, community.id, now, [c for _, c in cells[start:stop]]))
        start, ring = stop, ring * RING_GROWTH
        ranked = matching.nearest_first(
            (_candidate(row) for row in rows.values()), prefs, now, limit=size + 1, after=mark
        )
        if len(ranked) > size:
            break
    page = [_nearby_row(rows[r.request_id], r) for r in ranked[:size]]
    more = len(ranked) > size
    return Page(page, next_after=page[-1].request_id if more else None, first=mark is None)


def _cursor(request_id: int, community_id: int) -> matching.Candidate | None:
    """Where the previous page ended: its last request's public facts (whatever its status)."""
    row = db.session.execute(
        select(*_COLUMNS)
        .join(User, User.id == HelpRequest.requester_id)
        .where(HelpRequest.id == request_id, HelpRequest.community_id == community_id)
    ).first()
    return _candidate(row) if row is not None else None


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


def _open_rows(
    profile: VolunteerProfile, community_id: int, now: datetime, cells: list[int]
) -> dict[int, Any]:
    """One indexed query over one ring of cells, with the requester's name joined.

    It reads each request's cell, never its exact point.
    """
    rows = db.session.execute(
        select(*_COLUMNS)
        .join(User, User.id == HelpRequest.requester_id)
        .where(
            HelpRequest.status == Status.OPEN,
            HelpRequest.cell.in_(cells),
            HelpRequest.community_id == community_id,
            HelpRequest.category.in_(sorted(profile.category_set)),
            HelpRequest.requester_id != profile.user_id,
            or_(HelpRequest.needed_by.is_(None), HelpRequest.needed_by > now),
        )
    ).all()
    return {row.id: row for row in rows}


def _candidate(row) -> matching.Candidate:
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


def _nearby_row(row, ranked: matching.Ranked) -> NearbyRequest:
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
        reasons=ranked.reasons,
        details=ranked.details,
    )


def _helped_before(volunteer_id: int, timezone: str) -> dict[int, date]:
    """Requester id -> the last day (community time) this volunteer finished helping them."""
    rows = db.session.execute(
        select(HelpRequest.requester_id, func.max(HelpRequest.completed_at))
        .where(
            HelpRequest.volunteer_id == volunteer_id,
            HelpRequest.status.in_((Status.COMPLETED, Status.CONFIRMED)),
        )
        .group_by(HelpRequest.requester_id)
    ).all()
    return {
        requester_id: local_time(when, timezone).date()
        for requester_id, when in rows
        if when is not None
    }


def nearest_open(volunteer: User, community: Community) -> NearbyRequest | None:
    """The closest open request this volunteer could take next."""
    rows = near_me(volunteer, community)
    return min(rows, key=lambda row: (row.distance_km, row.request_id)) if rows else None
