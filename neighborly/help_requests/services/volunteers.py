"""Volunteer profiles: where, what and when one helps; verification; limited area changes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from neighborly.accounts.models import Community, Membership, Role, User
from neighborly.audit import AuditEvent, record_audit
from neighborly.availability import format_codes
from neighborly.errors import NotAllowed, NotFound
from neighborly.extensions import db
from neighborly.geo.geocoding import Place
from neighborly.help_requests.errors import LocationNotFound, TooManyAreaChanges
from neighborly.help_requests.models import (
    VolunteerProfile,
)
from neighborly.help_requests.services.common import (
    geocoder,
    is_coordinator,
    volunteer_profile,
)
from neighborly.notifications.services import absolute_url, notify
from neighborly.timeutil import utcnow

AREA_CHANGES_PER_DAY = 3


AREA_CHANGE_WINDOW = timedelta(days=1)


AREA_CHANGED = "volunteer.area_changed"


@dataclass(frozen=True)
class ProfileDraft:
    """What a volunteer says about where, what and when they help."""

    postal_code: str
    radius_km: float
    categories: frozenset[str]
    slots: frozenset[str]  # hourly slot codes such as "tue-9"
    capacity: int
    lat: float | None = None
    lng: float | None = None
    snow_capacity: int = 3
    walking_km: float = 1.0
    daily_invitations: int = 3
    paused: bool = False


def save_volunteer_profile(
    user: User, community: Community, draft: ProfileDraft, now: datetime | None = None
) -> VolunteerProfile:
    """Create or update the volunteer's profile (home point from the postal code or typed).

    Changing where one helps (the home point or the radius) is limited to
    AREA_CHANGES_PER_DAY in a rolling day, each change audited; over the limit the whole
    save is refused with TooManyAreaChanges and nothing changes. Near me shows only what the
    request's cell allows whatever the home point (see `_candidate`); the limit is a second
    wall, so probing one's own point cannot even be attempted at speed.
    """
    now = now or utcnow()
    home = _home_point(draft)
    profile = volunteer_profile(user, community.id)
    changed = _area_change(profile, home, draft.radius_km) if profile is not None else None
    if changed is not None:
        _claim_area_change(profile, changed, now)
    if profile is None:
        profile = VolunteerProfile(user_id=user.id, community_id=community.id, created_at=now)
    profile.home_postal_code = draft.postal_code.strip()
    profile.home_lat, profile.home_lng = home.lat, home.lng
    profile.radius_km = draft.radius_km
    profile.categories = ",".join(sorted(draft.categories))
    profile.availability = format_codes(draft.slots)
    profile.capacity = draft.capacity
    profile.snow_capacity = draft.snow_capacity
    profile.walking_km = draft.walking_km
    profile.daily_invitations = draft.daily_invitations
    profile.accepting = not draft.paused
    db.session.add(profile)
    if Role.VOLUNTEER not in user.roles_in(community.id):
        db.session.add(
            Membership(user=user, community=community, role=Role.VOLUNTEER, created_at=now)
        )
    db.session.flush()
    record_audit(
        user.id, "volunteer.profile_saved", "volunteer_profile", profile.id, community.id, now=now
    )
    if changed is not None:
        record_audit(user.id, AREA_CHANGED, "volunteer_profile", profile.id, community.id, now=now)
    db.session.commit()
    return profile


def _home_point(draft: ProfileDraft) -> Place:
    """The typed home point, else the postal code's centre; LocationNotFound if neither."""
    if draft.lat is not None and draft.lng is not None:
        return Place(draft.lat, draft.lng, "exact")
    home = geocoder().locate("", draft.postal_code)
    if home is None:
        raise LocationNotFound(draft.postal_code)
    return home


def _area_change(profile: VolunteerProfile, home: Place, radius_km: float) -> str | None:
    """What a save would change about where one helps: "home", "radius" or None."""
    if (home.lat, home.lng) != (profile.home_lat, profile.home_lng):
        return "home"
    return "radius" if radius_km != profile.radius_km else None


def _claim_area_change(profile: VolunteerProfile, field: str, now: datetime) -> None:
    """Take one of today's area changes, or roll back and raise TooManyAreaChanges.

    The no-op UPDATE first locks the profile's row (PostgreSQL) or the database (SQLite),
    so a second save of the same profile waits here until the first commits; the count
    that follows is a new statement, so it sees the first save's audit event and two
    simultaneous saves can never both take the last change.
    """
    db.session.execute(
        update(VolunteerProfile)
        .where(VolunteerProfile.id == profile.id)
        .values(radius_km=VolunteerProfile.radius_km)
        .execution_options(synchronize_session=False)
    )
    used = db.session.scalar(
        select(func.count(AuditEvent.id)).where(
            AuditEvent.action == AREA_CHANGED,
            AuditEvent.object_type == "volunteer_profile",
            AuditEvent.object_id == profile.id,
            AuditEvent.created_at > now - AREA_CHANGE_WINDOW,
        )
    )
    if used >= AREA_CHANGES_PER_DAY:
        db.session.rollback()
        raise TooManyAreaChanges(field)


def verify_volunteer(profile_id: int, coordinator: User, now: datetime | None = None) -> None:
    """A coordinator vouches for a volunteer in their community; the volunteer is told."""
    profile = db.session.get(VolunteerProfile, profile_id)
    if profile is None:
        raise NotFound(profile_id)
    if not is_coordinator(coordinator, profile.community_id):
        raise NotAllowed("coordinator")
    profile.verified_at = now or utcnow()
    profile.verified_by_id = coordinator.id
    record_audit(
        coordinator.id,
        "volunteer.verified",
        "volunteer_profile",
        profile.id,
        profile.community_id,
        now=profile.verified_at,
    )
    community = db.session.get(Community, profile.community_id)
    notify(
        profile.user,
        _l("You are verified: you can take requests now"),
        "help_requests/email/verified.txt",
        now=profile.verified_at,
        community=community.name,
        link=absolute_url("help_requests.near_me", slug=community.slug),
    )
    db.session.commit()
