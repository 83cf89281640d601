"""The request page's previews: what neighbours see of a request, and why it suits a volunteer.

Both derive from the request's public cell only, never its exact point: the asker learns how
many volunteers reach the area (counted from the cell centre), and a volunteer reads the same
reasons Near me gives (matching measures from the cell centre too).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache

from sqlalchemy import Select, bindparam, func, select

from neighborly.accounts.models import User
from neighborly.availability import parse_codes
from neighborly.extensions import db
from neighborly.geo.cells import cell_centre, haversine_km
from neighborly.help_requests import matching
from neighborly.help_requests.models import HelpRequest, Status, VolunteerProfile, categories_of
from neighborly.timeutil import local_time, utcnow

WIDEST_RADIUS_KM = 50.0  # the volunteer profile form's largest distance
KM_PER_DEGREE_LAT = 111.0  # a little under the true 111.2, so the box never cuts too close


@dataclass(frozen=True)
class NeighbourView:
    """What a neighbour who helps sees of a request before anyone takes it."""

    title: str
    category: str
    postal_code: str
    volunteers_nearby: int


def neighbour_view(request: HelpRequest) -> NeighbourView:
    """The request as neighbours see it, and how many volunteers who do this kind of help reach
    its area (one query, bounded to a box around the cell; distances from the cell centre)."""
    lat, lng = cell_centre(request.cell)
    box = WIDEST_RADIUS_KM / KM_PER_DEGREE_LAT
    rows = db.session.execute(
        select(
            VolunteerProfile.home_lat,
            VolunteerProfile.home_lng,
            VolunteerProfile.radius_km,
            VolunteerProfile.categories,
        ).where(
            VolunteerProfile.community_id == request.community_id,
            VolunteerProfile.user_id != request.requester_id,
            VolunteerProfile.accepting.is_(True),
            VolunteerProfile.home_lat.between(lat - box, lat + box),
        )
    ).all()
    category = request.category.value
    count = sum(
        1
        for row in rows
        if category in row.categories.split(",")
        and haversine_km(row.home_lat, row.home_lng, lat, lng) <= row.radius_km
    )
    return NeighbourView(request.title, category, request.postal_code, count)


def why_it_suits(
    request: HelpRequest, volunteer: User, now: datetime | None = None
) -> matching.Ranked | None:
    """Near me's reasons for this one open request and this volunteer, or None when it is
    outside their distance or kinds of help (or they have no profile)."""
    if request.status != Status.OPEN or request.requester_id == volunteer.id:
        return None
    prefs = _volunteer_prefs(request, volunteer)
    if prefs is None:
        return None
    public_lat, public_lng = cell_centre(request.cell)
    candidate = matching.Candidate(
        request_id=request.id,
        category=request.category.value,
        lat=public_lat,
        lng=public_lng,
        created_at=request.created_at,
        requester_id=request.requester_id,
        requester_first_name=request.requester.first_name,
        needed_by=request.needed_by,
    )
    ranked = matching.rank([candidate], prefs, now or utcnow(), limit=1)
    return ranked[0] if ranked else None


def _volunteer_prefs(request: HelpRequest, volunteer: User) -> matching.VolunteerPrefs | None:
    """The volunteer's matching settings in the request's community (one statement reads the
    five profile columns matching needs and when they last helped this asker); None without
    a profile or kinds of help."""
    found = db.session.execute(
        _suits_statement(),
        {
            "volunteer_id": volunteer.id,
            "requester_id": request.requester_id,
            "community_id": request.community_id,
        },
    ).first()
    categories = categories_of(found.categories) if found is not None else frozenset()
    if not categories:
        return None
    timezone = request.community.timezone
    last_helped = found.last_helped
    helped = {request.requester_id: local_time(last_helped, timezone).date()} if last_helped else {}
    return matching.VolunteerPrefs(
        lat=found.home_lat,
        lng=found.home_lng,
        radius_km=found.radius_km,
        categories=categories,
        availability=parse_codes(found.availability),
        helped_requesters=helped,
        time_zone=timezone,
    )


@cache
def _suits_statement() -> Select:
    """The volunteer's matching settings and when they last helped this asker, built once
    (every value that changes is a bound parameter)."""
    volunteer_id = bindparam("volunteer_id")
    last_helped = (
        select(func.max(HelpRequest.completed_at))
        .where(
            HelpRequest.volunteer_id == volunteer_id,
            HelpRequest.requester_id == bindparam("requester_id"),
            HelpRequest.status.in_((Status.COMPLETED, Status.CONFIRMED)),
        )
        .scalar_subquery()
        .label("last_helped")
    )
    return select(
        VolunteerProfile.home_lat,
        VolunteerProfile.home_lng,
        VolunteerProfile.radius_km,
        VolunteerProfile.categories,
        VolunteerProfile.availability,
        last_helped,
    ).where(
        VolunteerProfile.user_id == volunteer_id,
        VolunteerProfile.community_id == bindparam("community_id"),
    )
