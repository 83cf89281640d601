"""Near me: open requests ranked for one volunteer, from the cell only, never the exact point."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, or_, select

from neighborly.accounts.blocking import not_blocked
from neighborly.accounts.models import Community, User
from neighborly.extensions import db
from neighborly.geo.cells import cell_centre, cells_within
from neighborly.help_requests import matching
from neighborly.help_requests.models import (
    Category,
    HelpRequest,
    Status,
    Urgency,
    VolunteerProfile,
)
from neighborly.help_requests.services.common import volunteer_profile
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


def near_me(
    volunteer: User, community: Community, now: datetime | None = None, limit: int = 50
) -> list[NearbyRequest]:
    """Open requests inside the volunteer's radius and categories, best first (two queries)."""
    now = now or utcnow()
    profile = volunteer_profile(volunteer, community.id)
    if profile is None or not profile.category_set:
        return []
    rows = _open_rows(profile, community.id, now)
    prefs = matching.VolunteerPrefs(
        lat=profile.home_lat,
        lng=profile.home_lng,
        radius_km=profile.radius_km,
        categories=profile.category_set,
        availability=profile.slot_set,
        helped_requesters=_helped_before(volunteer.id, community.timezone),
        time_zone=community.timezone,
    )
    ranked = matching.rank((_candidate(row) for row in rows.values()), prefs, now, limit=limit)
    return [_nearby_row(rows[r.request_id], r) for r in ranked]


def _open_rows(profile: VolunteerProfile, community_id: int, now: datetime) -> dict:
    """One indexed query over the cells that touch the volunteer's circle.

    It reads each request's cell, never its exact point: a cell whose centre is inside the
    circle touches it, so these cells hold every request `matching.rank` will keep.
    """
    cells = cells_within(profile.home_lat, profile.home_lng, profile.radius_km)
    rows = db.session.execute(
        select(
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
        .join(User, User.id == HelpRequest.requester_id)
        .where(
            HelpRequest.status == Status.OPEN,
            HelpRequest.cell.in_(cells),
            HelpRequest.community_id == community_id,
            HelpRequest.category.in_(sorted(profile.category_set)),
            HelpRequest.requester_id != profile.user_id,
            User.is_active_account.is_(True),  # a suspended asker's requests are hidden
            not_blocked(profile.user_id, HelpRequest.requester_id),
            or_(HelpRequest.needed_by.is_(None), HelpRequest.needed_by > now),
        )
    ).all()
    return {row.id: row for row in rows}


def _candidate(row) -> matching.Candidate:
    """The facts matching needs from one open-request row, placed at its cell's centre.

    Everything a volunteer observes before accepting (whether a request is listed, its
    order, its distance band and words) comes from `matching.rank`, and rank sees only the
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
