"""Whom a round may invite: volunteers read from the nearest band outwards, then ranked.

`pick_invitees` reads the volunteers who could be invited (usable profiles, never invited to
this request, not blocked, suspended or with recent no-shows) band by band around the
request's public point, and lets the pure `matching.pick_invitees` rank them; a band is enough
once `matching.settled` proves nobody farther could be chosen.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import cache

from sqlalchemy import Select, and_, bindparam, func, not_, or_, select

from neighborly.accounts.blocking import not_blocked
from neighborly.accounts.models import Community, Membership, Role, User
from neighborly.availability import parse_codes
from neighborly.extensions import db
from neighborly.geo.cells import bounding_box, cell_centre
from neighborly.help_requests import matching
from neighborly.help_requests.models import (
    HelpRequest,
    Invitation,
    NoShow,
    Status,
    VolunteerProfile,
    categories_of,
)
from neighborly.timeutil import local_time

NO_SHOW_WINDOW = timedelta(days=90)  # no-shows this recent count against automatic invitations
NO_SHOW_LIMIT = 2  # this many recent no-shows and the platform stops inviting the volunteer
Box = tuple[float, float, float, float]  # south, west, north, east
# Invitees are read from the nearest of these bands outwards, then from everywhere (km).
INVITEE_BANDS_KM = (2.0, 5.0, 15.0)


def _candidate(request: HelpRequest) -> matching.Candidate:
    """The request as matching sees it: at its public cell centre, with its window."""
    lat, lng = cell_centre(request.cell)
    return matching.Candidate(
        request_id=request.id,
        category=request.category.value,
        lat=lat,
        lng=lng,
        created_at=request.created_at,
        requester_id=request.requester_id,
        requester_first_name=request.requester.first_name,
        needed_by=request.needed_by,
        needed_from=request.needed_from,
    )


def pick_invitees(request: HelpRequest, now: datetime, limit: int) -> list[matching.Invitee]:
    """The best `limit` volunteers, read from the nearest band outwards.

    A band is enough once nobody outside it could be chosen (matching.settled), so a busy
    community costs the volunteers near the request, not all of them; the last pass reads
    everyone, and the result is always the one reading everyone gives. When the first band
    is not enough, one count says which farther rings hold anyone who could be invited: empty
    rings are not read, and when none holds anyone (a night when every volunteer nearby has
    had their invitations for the day) the search ends there.
    """
    candidate = _candidate(request)
    helped_by = _helpers_of(request.requester_id, request.community)
    bands: list[tuple[float | None, Box | None]] = [
        (km, box)
        for km in INVITEE_BANDS_KM
        if (box := bounding_box(candidate.lat, candidate.lng, km)) is not None
    ]
    bands.append((None, None))  # everyone
    helpers: list[matching.Helper] = []
    inner: Box | None = None
    waiting: list[int] | None = None  # volunteers in each band not read yet, once counted
    for index, (km, box) in enumerate(bands):
        if waiting is None or waiting[index]:
            helpers += _helpers(request, now, helped_by, box, inner)  # only the new ring
        chosen = matching.pick_invitees(candidate, helpers, now, limit)
        if km is None or matching.settled(chosen, limit, km):
            return chosen
        if waiting is None:
            waiting = _rings_waiting(request, now, helped_by, box, [b for _, b in bands])
            if not any(waiting[index + 1 :]):
                return chosen  # nobody farther could be invited at all
        inner = box
    return []


def _rings_waiting(
    request: HelpRequest,
    now: datetime,
    helped_by: dict[int, date],
    read: Box | None,
    boxes: list[Box | None],
) -> list[int]:
    """At most how many volunteers who could be invited live in each band's ring outside
    `read` (one count over the profiles; None is everyone): a ring counted 0 holds nobody to
    read. Those who helped before were read already."""
    values = _invitable_values(request, now) | {"helped": list(helped_by)}
    values |= _box_values("read", read)
    for index, box in enumerate(boxes):
        values |= _box_values(f"box{index}", box)
    statement = _rings_statement(
        _verified_only(request), tuple(box is not None for box in boxes), read is not None
    )
    within = list(db.session.execute(statement, values).one())
    # The boxes are nested, so each ring holds what its box holds beyond the box inside it.
    return [count - (within[i - 1] if i else 0) for i, count in enumerate(within)]


def _helpers(
    request: HelpRequest,
    now: datetime,
    helped_by: dict[int, date],
    box: Box | None = None,
    read_before: Box | None = None,
) -> list[matching.Helper]:
    """Volunteers who could be invited: usable profiles, never invited to this request.

    The database drops what matching would drop anyway (paused, at today's cap, another
    category, not a volunteer), and only the columns matching reads are loaded. With a box,
    only volunteers living inside it, plus everyone who helped this neighbour before; with
    `read_before` (the last box read), only those not read then.
    """
    values = _invitable_values(request, now) | {"helped": list(helped_by)}
    values |= _box_values("box", box) | _box_values("read", read_before)
    statement = _helpers_statement(
        _verified_only(request), box is not None, read_before is not None
    )
    rows = db.session.execute(statement, values).all()
    timezone, today = request.community.timezone, values["today"]
    return [
        matching.Helper(
            volunteer_id=row.user_id,
            lat=row.home_lat,
            lng=row.home_lng,
            radius_km=row.radius_km,
            categories=categories_of(row.categories),
            availability=parse_codes(row.availability),
            time_zone=timezone,
            helped_on=helped_by.get(row.user_id),
            last_invited_at=row.last_invited_at,
            invitations_today=row.invited_count if row.invited_on == today else 0,
            daily_cap=row.daily_invitations,
        )
        for row in rows
    ]


@cache
def _helpers_statement(verified_only: bool, boxed: bool, ring: bool) -> Select:
    """The volunteers' query for one shape of band, built once: every value is a parameter."""
    profile = VolunteerProfile
    conditions = _invitable(verified_only)
    helped = profile.user_id.in_(bindparam("helped", expanding=True))
    if boxed:
        conditions.append(or_(_lives_in("box"), helped))
    if ring:
        conditions.append(and_(not_(_lives_in("read")), not_(helped)))
    return select(
        profile.user_id, profile.home_lat, profile.home_lng, profile.radius_km,
        profile.categories, profile.availability, profile.last_invited_at,
        profile.invited_on, profile.invited_count, profile.daily_invitations,
    ).where(*conditions)  # fmt: skip


@cache
def _rings_statement(verified_only: bool, boxed: tuple[bool, ...], read: bool) -> Select:
    """The count of volunteers in each box (False: everyone) whose own profile lets them be
    invited, built once.

    An upper bound: who is a volunteer with an active account, already asked, blocked or
    missing too often is left to the reading, so the count reads the profiles alone. It only
    has to say which rings hold nobody, and a ring it counts empty is empty.
    """
    profile = VolunteerProfile
    conditions = _profile_allows(verified_only)
    conditions.append(not_(profile.user_id.in_(bindparam("helped", expanding=True))))
    if read:
        conditions.append(not_(_lives_in("read")))
    counts = [
        func.count().filter(_lives_in(f"box{index}")) if has_box else func.count()
        for index, has_box in enumerate(boxed)
    ]
    return select(*counts).where(*conditions)


def _lives_in(name: str):
    """SQL: the volunteer's home lies inside the box given as the `name_*` parameters."""
    profile = VolunteerProfile
    return and_(
        profile.home_lat.between(bindparam(f"{name}_south"), bindparam(f"{name}_north")),
        profile.home_lng.between(bindparam(f"{name}_west"), bindparam(f"{name}_east")),
    )


def _box_values(name: str, box: Box | None) -> dict[str, float]:
    """The `name_*` parameters of a (south, west, north, east) box; none without a box."""
    if box is None:
        return {}
    names = (f"{name}_south", f"{name}_west", f"{name}_north", f"{name}_east")
    return dict(zip(names, box, strict=True))


def _verified_only(request: HelpRequest) -> bool:
    """Whether the request's community invites verified volunteers only."""
    return bool(request.community.require_verified_volunteers)


def _invitable_values(request: HelpRequest, now: datetime) -> dict[str, object]:
    """The parameters of `_invitable` for one request at one moment."""
    community = request.community
    return {
        "community_id": community.id,
        "requester_id": request.requester_id,
        "request_id": request.id,
        "today": local_time(now, community.timezone).date(),
        "no_shows_since": now - NO_SHOW_WINDOW,
        # Stored as "errands,rides": the commas around both sides make a whole-code match.
        "category": f",{request.category.value},",
    }


def _profile_allows(verified_only: bool) -> list:
    """Conditions on the VolunteerProfile row alone for volunteers a request may invite
    (parameters: `_invitable_values`)."""
    profile = VolunteerProfile
    conditions = [
        profile.community_id == bindparam("community_id"),
        profile.user_id != bindparam("requester_id"),
        profile.accepting.is_(True),
        room_today(bindparam("today")),
        ("," + profile.categories + ",").contains(bindparam("category")),
    ]
    if verified_only:
        conditions.append(profile.verified_at.is_not(None))
    return conditions


def _invitable(verified_only: bool) -> list:
    """Conditions on VolunteerProfile for volunteers a request may invite (parameters:
    `_invitable_values`)."""
    profile = VolunteerProfile
    community_id, requester_id = bindparam("community_id"), bindparam("requester_id")
    asked = select(Invitation.volunteer_id).where(Invitation.request_id == bindparam("request_id"))
    no_shows = (
        select(NoShow.volunteer_id)
        .where(
            NoShow.community_id == community_id,
            NoShow.volunteer_id.is_not(None),
            NoShow.created_at >= bindparam("no_shows_since"),
        )
        .group_by(NoShow.volunteer_id)
        .having(func.count(NoShow.id) >= NO_SHOW_LIMIT)
    )
    active = select(User.id).where(User.is_active_account.is_(True))
    volunteers = select(Membership.user_id).where(
        Membership.community_id == community_id, Membership.role == Role.VOLUNTEER
    )
    return [
        *_profile_allows(verified_only),
        profile.user_id.in_(volunteers),
        profile.user_id.not_in(asked),
        profile.user_id.in_(active),
        profile.user_id.not_in(no_shows),
        not_blocked(profile.user_id, requester_id),
    ]


def _helpers_of(requester_id: int, community: Community) -> dict:
    """Volunteer id -> the last day they finished helping this requester (one query)."""
    rows = db.session.execute(
        select(HelpRequest.volunteer_id, func.max(HelpRequest.completed_at))
        .where(
            HelpRequest.requester_id == requester_id,
            HelpRequest.community_id == community.id,
            HelpRequest.status.in_((Status.COMPLETED, Status.CONFIRMED)),
        )
        .group_by(HelpRequest.volunteer_id)
    ).all()
    return {
        volunteer_id: local_time(when, community.timezone).date()
        for volunteer_id, when in rows
        if volunteer_id is not None and when is not None
    }


def room_today(today):
    """SQL: the volunteer may get another invitation today (a date or a bound parameter)
    under their own cap."""
    profile = VolunteerProfile
    return or_(
        profile.invited_on.is_(None),
        profile.invited_on != today,
        profile.invited_count < profile.daily_invitations,
    )
