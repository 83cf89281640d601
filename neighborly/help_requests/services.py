"""The help loop's rules: ask, match nearby, accept, complete, thank; address privacy."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func, or_, select, update

from neighborly.accounts.models import Community, Membership, Role, User
from neighborly.audit import AuditEvent, record_audit
from neighborly.availability import format_codes
from neighborly.errors import Conflict, DomainError, NotAllowed, NotFound
from neighborly.extensions import db
from neighborly.geo.cells import cell_centre, cell_of, cells_within, haversine_km
from neighborly.geo.geocoding import Geocoder, Place
from neighborly.help_requests import matching
from neighborly.help_requests.models import (
    Category,
    HelpRequest,
    Status,
    Urgency,
    VolunteerProfile,
    Withdrawal,
)
from neighborly.notifications.services import absolute_url, deliver_pending, notify
from neighborly.records import load_record
from neighborly.timeutil import local_time, utcnow

ADDRESS_VISIBLE_AFTER_COMPLETION = timedelta(days=3)
AGEING_AFTER = timedelta(hours=24)
# How often a volunteer may change where they help (home point or radius) in a rolling day.
AREA_CHANGES_PER_DAY = 3
AREA_CHANGE_WINDOW = timedelta(days=1)
AREA_CHANGED = "volunteer.area_changed"


class AlreadyTaken(Conflict):
    """Another volunteer accepted the request first."""


class NotOpen(Conflict):
    """The request is no longer in a state that allows this."""


class LocationNotFound(DomainError):
    """The address could not be placed on the map."""


class NeedsVerification(NotAllowed):
    """The community wants a coordinator to verify this volunteer first."""


class AtCapacity(Conflict):
    """The volunteer already has as many active requests as they offered."""


class TooManyAreaChanges(Conflict):
    """The volunteer already changed where they help as often as a day allows."""

    def __init__(self, field: str) -> None:
        super().__init__(field)
        self.field = field  # "home" or "radius": what the refused save tried to change


@dataclass(frozen=True)
class RequestDraft:
    """What a resident (or a coordinator on their behalf) types."""

    category: Category
    title: str
    details: str
    street_address: str
    postal_code: str
    needed_by: datetime | None
    estimated_minutes: int
    urgency: Urgency
    lat: float | None = None
    lng: float | None = None


@dataclass(frozen=True)
class PhoneInResident:
    """A resident without an account, as a coordinator takes it down on the phone."""

    first_name: str
    last_name: str
    phone: str
    notes: str = ""


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


# ---------------------------------------------------------------- location


def _geocoder() -> Geocoder:
    """The app's geocoder (built once, so its cache lasts)."""
    return current_app.extensions["geocoder"]


def locate(draft: RequestDraft) -> Place:
    """Place a request: typed coordinates win, else the configured geocoder."""
    if draft.lat is not None and draft.lng is not None:
        return Place(draft.lat, draft.lng, "exact")
    place = _geocoder().locate(draft.street_address, draft.postal_code)
    if place is None:
        raise LocationNotFound(draft.postal_code)
    return place


def public_point(request: HelpRequest) -> tuple[float, float]:
    """The centre of the request's ~500 m cell: what everyone else sees."""
    return cell_centre(request.cell)


# ---------------------------------------------------------------- asking


def _apply_draft(request: HelpRequest, draft: RequestDraft, place: Place) -> None:
    """Copy a draft and its located point onto a request."""
    request.category = draft.category
    request.title = draft.title.strip()
    request.details = draft.details.strip()
    request.street_address = draft.street_address.strip()
    request.postal_code = draft.postal_code.strip()
    request.needed_by = draft.needed_by
    request.estimated_minutes = draft.estimated_minutes
    request.urgency = draft.urgency
    request.lat, request.lng = place.lat, place.lng
    request.cell = cell_of(place.lat, place.lng)


def post_request(
    community: Community,
    requester: User,
    draft: RequestDraft,
    created_by: User | None = None,
    intake_notes: str | None = None,
    now: datetime | None = None,
) -> HelpRequest:
    """Open a new request for a resident."""
    now = now or utcnow()
    place = locate(draft)
    request = HelpRequest(
        created_at=now,
        updated_at=now,
        community_id=community.id,
        requester_id=requester.id,
        created_by_id=(created_by or requester).id,
        intake_notes=(intake_notes or "").strip() or None,
        status=Status.OPEN,
    )
    _apply_draft(request, draft, place)
    db.session.add(request)
    db.session.flush()
    record_audit(
        (created_by or requester).id,
        "request.created",
        "help_request",
        request.id,
        community.id,
        now=now,
    )
    db.session.commit()
    return request


def post_for_phone_in_resident(
    community: Community, coordinator: User, resident: PhoneInResident, draft: RequestDraft
) -> HelpRequest:
    """A coordinator posts for a resident who called; the same caller is the same person."""
    place = locate(draft)
    person = _phone_in_person(community, resident)
    request = HelpRequest(
        community_id=community.id,
        requester_id=person.id,
        created_by_id=coordinator.id,
        intake_notes=resident.notes.strip() or None,
        status=Status.OPEN,
    )
    _apply_draft(request, draft, place)
    db.session.add(request)
    db.session.flush()
    record_audit(
        coordinator.id, "request.created_by_phone", "help_request", request.id, community.id
    )
    db.session.commit()
    return request


def _phone_in_person(community: Community, resident: PhoneInResident) -> User:
    """Find the account-less resident with this phone in this community, or add them."""
    phone = resident.phone.strip()
    existing = db.session.scalar(
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(
            Membership.community_id == community.id,
            Membership.role == Role.RESIDENT,
            User.email.is_(None),
            User.phone == phone,
        )
        .limit(1)
    )
    if existing is not None:
        return existing
    person = User(
        email=None,
        password_hash=None,
        first_name=resident.first_name.strip(),
        last_name=resident.last_name.strip(),
        phone=phone,
    )
    db.session.add(person)
    db.session.add(Membership(user=person, community=community, role=Role.RESIDENT))
    db.session.flush()
    return person


def edit_request(request_id: int, actor: User, draft: RequestDraft) -> HelpRequest:
    """Change a request while it is still open."""
    request = get_request(request_id)
    _require_owner_or_coordinator(request, actor)
    if request.status != Status.OPEN:
        raise NotOpen(request_id)
    place = locate(draft)
    _apply_draft(request, draft, place)
    changed = db.session.execute(
        update(HelpRequest)
        .where(HelpRequest.id == request_id, HelpRequest.status == Status.OPEN)
        .values(
            category=request.category,
            title=request.title,
            details=request.details,
            street_address=request.street_address,
            postal_code=request.postal_code,
            needed_by=request.needed_by,
            estimated_minutes=request.estimated_minutes,
            urgency=request.urgency,
            lat=request.lat,
            lng=request.lng,
            cell=request.cell,
            updated_at=utcnow(),
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed != 1:
        db.session.rollback()
        raise NotOpen(request_id)
    record_audit(actor.id, "request.edited", "help_request", request_id, request.community_id)
    db.session.commit()
    return get_request(request_id)


def cancel_request(request_id: int, actor: User) -> None:
    """The resident or a coordinator calls off a request that is open or accepted."""
    request = get_request(request_id)
    _require_owner_or_coordinator(request, actor)
    _transition(request_id, (Status.OPEN, Status.ACCEPTED), Status.CANCELLED, cancelled_at=utcnow())
    record_audit(actor.id, "request.cancelled", "help_request", request_id, request.community_id)
    db.session.commit()


# ---------------------------------------------------------------- the transitions


def _transition(
    request_id: int, from_statuses, to_status: Status, *extra_where, now=None, **values
) -> None:
    """One conditional UPDATE; raise NotOpen when no row was in a starting status."""
    changed = db.session.execute(
        update(HelpRequest)
        .where(HelpRequest.id == request_id, HelpRequest.status.in_(from_statuses), *extra_where)
        .values(status=to_status, updated_at=now or utcnow(), **values)
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed != 1:
        db.session.rollback()
        raise NotOpen(request_id)


def _active_load(volunteer_id: int):
    """A scalar subquery: how many requests this volunteer holds right now."""
    return (
        select(func.count(HelpRequest.id))
        .where(HelpRequest.volunteer_id == volunteer_id, HelpRequest.status == Status.ACCEPTED)
        .scalar_subquery()
    )


def accept_request(request_id: int, volunteer: User, now: datetime | None = None) -> HelpRequest:
    """Give an open request to this volunteer; exactly one volunteer can win."""
    request = get_request(request_id)
    profile = _usable_profile(volunteer, request.community_id)
    _give_to(request, volunteer, profile, actor=volunteer, action="request.accepted", now=now)
    return get_request(request_id)


def assign_request(request_id: int, volunteer_id: int, coordinator: User) -> User:
    """A coordinator hands an open request to a volunteer, by the same atomic rule."""
    request = get_request(request_id)
    if not is_coordinator(coordinator, request.community_id):
        raise NotAllowed("coordinator")
    volunteer = db.session.get(User, volunteer_id)
    if volunteer is None:
        raise NotFound(volunteer_id)
    profile = _usable_profile(volunteer, request.community_id)
    _give_to(request, volunteer, profile, actor=coordinator, action="request.assigned")
    return volunteer


def _give_to(
    request: HelpRequest,
    volunteer: User,
    profile: VolunteerProfile,
    actor: User,
    action: str,
    now: datetime | None = None,
) -> None:
    """The conditional update that hands a request over, or explains why not."""
    now = now or utcnow()
    try:
        _transition(
            request.id,
            (Status.OPEN,),
            Status.ACCEPTED,
            _active_load(volunteer.id) < profile.capacity,
            volunteer_id=volunteer.id,
            accepted_at=now,
            now=now,
        )
    except NotOpen:
        if get_request(request.id).status == Status.OPEN:
            raise AtCapacity(volunteer.id) from None
        raise AlreadyTaken(request.id) from None
    record_audit(actor.id, action, "help_request", request.id, request.community_id, now=now)
    subject = _l("A neighbour will help you")
    _tell(request.requester, subject, "accepted", request, now=now, helper=volunteer)
    if actor.id != volunteer.id:
        _tell(volunteer, _l("A coordinator asked you to help"), "assigned", request, now=now)
    db.session.commit()
    deliver_pending()


def _tell(person: User, subject, template: str, request: HelpRequest, now=None, **context) -> None:
    """Queue one of the help loop's emails (with a link to the request) in this transaction."""
    link = absolute_url("help_requests.detail", request_id=request.id)
    template_name = f"help_requests/email/{template}.txt"
    notify(person, subject, template_name, now=now, request=request, link=link, **context)


def _usable_profile(volunteer: User, community_id: int) -> VolunteerProfile:
    """The volunteer's profile in this community, verified when the community asks for it."""
    if Role.VOLUNTEER not in volunteer.roles_in(community_id):
        raise NotAllowed("volunteer")
    profile = volunteer_profile(volunteer, community_id)
    if profile is None:
        raise NeedsVerification("profile")
    community = db.session.get(Community, community_id)
    if community.require_verified_volunteers and profile.verified_at is None:
        raise NeedsVerification("verified")
    return profile


def withdraw_request(request_id: int, volunteer: User, reason: str) -> None:
    """The accepted volunteer steps back before finishing; the request opens again."""
    request = get_request(request_id)
    _transition(
        request_id,
        (Status.ACCEPTED,),
        Status.OPEN,
        HelpRequest.volunteer_id == volunteer.id,
        volunteer_id=None,
        accepted_at=None,
    )
    db.session.add(
        Withdrawal(
            request_id=request_id,
            community_id=request.community_id,
            volunteer_id=volunteer.id,
            reason=reason.strip(),
        )
    )
    record_audit(
        volunteer.id, "request.withdrawn", "help_request", request_id, request.community_id
    )
    subject = _l("Your request is open again")
    _tell(request.requester, subject, "withdrawn", request, helper=volunteer)
    db.session.commit()
    deliver_pending()


def complete_request(
    request_id: int, volunteer: User, minutes: int, now: datetime | None = None
) -> None:
    """The accepted volunteer says it is done and how long it took."""
    now = now or utcnow()
    request = get_request(request_id)
    _transition(
        request_id,
        (Status.ACCEPTED,),
        Status.COMPLETED,
        HelpRequest.volunteer_id == volunteer.id,
        completed_at=now,
        minutes_spent=minutes,
        now=now,
    )
    record_audit(
        volunteer.id, "request.completed", "help_request", request_id, request.community_id, now=now
    )
    subject = _l("Did it go well?")
    _tell(request.requester, subject, "completed", request, now=now, helper=volunteer)
    db.session.commit()
    deliver_pending()


def confirm_request(
    request_id: int, actor: User, thank_you: str | None, now: datetime | None = None
) -> None:
    """The resident (or a coordinator) confirms the help happened, maybe with a thank-you."""
    now = now or utcnow()
    request = get_request(request_id)
    _require_owner_or_coordinator(request, actor)
    note = (thank_you or "").strip() or None
    _transition(
        request_id,
        (Status.COMPLETED,),
        Status.CONFIRMED,
        confirmed_at=now,
        thank_you_note=note,
        now=now,
    )
    record_audit(
        actor.id, "request.confirmed", "help_request", request_id, request.community_id, now=now
    )
    if request.volunteer is not None:
        subject = _l("Thank you from your neighbour")
        _tell(request.volunteer, subject, "thanked", request, now=now, note=note)
    db.session.commit()
    deliver_pending()


def expire_overdue(now: datetime | None = None) -> int:
    """Mark open requests whose time window has passed as expired."""
    now = now or utcnow()
    changed = db.session.execute(
        update(HelpRequest)
        .where(HelpRequest.status == Status.OPEN, HelpRequest.needed_by < now)
        .values(status=Status.EXPIRED, updated_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    return changed


# ---------------------------------------------------------------- who may see what


def get_request(request_id: int) -> HelpRequest:
    """Load a request or raise NotFound."""
    return load_record(HelpRequest, request_id, fresh=True)


def is_coordinator(user: User, community_id: int) -> bool:
    """Whether the person coordinates this community."""
    return user.is_authenticated and Role.COORDINATOR in user.roles_in(community_id)


def _require_owner_or_coordinator(request: HelpRequest, actor: User) -> None:
    """Only the resident who asked, or a coordinator of the community."""
    if actor.id != request.requester_id and not is_coordinator(actor, request.community_id):
        raise NotAllowed("owner")


def can_see_address(request: HelpRequest, user: User, now: datetime | None = None) -> bool:
    """The exact address: the resident, the accepted volunteer for a while, coordinators."""
    if not user.is_authenticated:
        return False
    if user.id == request.requester_id or is_coordinator(user, request.community_id):
        return True
    if user.id != request.volunteer_id:
        return False
    if request.status == Status.ACCEPTED:
        return True
    if request.status in (Status.COMPLETED, Status.CONFIRMED) and request.completed_at:
        return (now or utcnow()) <= request.completed_at + ADDRESS_VISIBLE_AFTER_COMPLETION
    return False


def reveal_address(request: HelpRequest, viewer: User) -> bool:
    """Decide whether this viewer sees the address now; audit every reveal to a helper."""
    if not can_see_address(request, viewer):
        return False
    if viewer.id != request.requester_id:
        record_audit(
            viewer.id, "request.address_revealed", "help_request", request.id, request.community_id
        )
        db.session.commit()
    return True


# ---------------------------------------------------------------- volunteers


def volunteer_profile(user: User, community_id: int) -> VolunteerProfile | None:
    """A volunteer's profile in one community, if they have one."""
    return db.session.scalar(
        select(VolunteerProfile).where(
            VolunteerProfile.user_id == user.id, VolunteerProfile.community_id == community_id
        )
    )


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
    home = _geocoder().locate("", draft.postal_code)
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
    """A coordinator vouches for a volunteer in their community."""
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
    db.session.commit()


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


# ---------------------------------------------------------------- people's pages


@dataclass(frozen=True)
class HelperSummary:
    """A volunteer's story so far in one community."""

    minutes: int
    finished: int
    neighbours: tuple[tuple[str, int], ...]  # (display name, times helped)
    thank_yous: tuple[tuple[str, str], ...]  # (display name, note)


def volunteer_summary(volunteer: User, community_id: int) -> HelperSummary:
    """Hours given and the neighbours this volunteer has helped."""
    finished = db.session.execute(
        select(HelpRequest, User)
        .join(User, User.id == HelpRequest.requester_id)
        .where(
            HelpRequest.volunteer_id == volunteer.id,
            HelpRequest.community_id == community_id,
            HelpRequest.status.in_((Status.COMPLETED, Status.CONFIRMED)),
        )
        .order_by(HelpRequest.completed_at.desc())
    ).all()
    counts: dict[str, int] = {}
    thanks: list[tuple[str, str]] = []
    for request, requester in finished:
        counts[requester.display_name] = counts.get(requester.display_name, 0) + 1
        if request.thank_you_note:
            thanks.append((requester.display_name, request.thank_you_note))
    return HelperSummary(
        minutes=sum(request.minutes_spent or 0 for request, _ in finished),
        finished=len(finished),
        neighbours=tuple(sorted(counts.items(), key=lambda item: (-item[1], item[0]))),
        thank_yous=tuple(thanks[:5]),
    )


def requests_of(requester: User, community_id: int) -> list[HelpRequest]:
    """A resident's own requests, newest first."""
    return list(
        db.session.scalars(
            select(HelpRequest)
            .where(
                HelpRequest.requester_id == requester.id, HelpRequest.community_id == community_id
            )
            .order_by(HelpRequest.created_at.desc())
        )
    )


def assigned_to(volunteer: User, community_id: int) -> list[HelpRequest]:
    """Requests this volunteer has accepted and not finished."""
    return list(
        db.session.scalars(
            select(HelpRequest)
            .where(
                HelpRequest.volunteer_id == volunteer.id,
                HelpRequest.community_id == community_id,
                HelpRequest.status == Status.ACCEPTED,
            )
            .order_by(HelpRequest.needed_by.is_(None), HelpRequest.needed_by)
        )
    )


def unclaimed(community_id: int, now: datetime | None = None) -> list[HelpRequest]:
    """Open requests, oldest first, for the coordinator's dispatch list."""
    return list(
        db.session.scalars(
            select(HelpRequest)
            .where(HelpRequest.community_id == community_id, HelpRequest.status == Status.OPEN)
            .order_by(HelpRequest.created_at)
        )
    )


def is_ageing(request: HelpRequest, now: datetime | None = None) -> bool:
    """Open for a day or more, or due within a day."""
    now = now or utcnow()
    due_soon = request.needed_by is not None and request.needed_by - now < AGEING_AFTER
    return now - request.created_at >= AGEING_AFTER or due_soon


def volunteers_for(request: HelpRequest) -> list[tuple[User, VolunteerProfile, float]]:
    """Verified volunteers who do this category, nearest first (for direct assignment).

    For coordinators only (the assign list on the request page): they see the exact address,
    so the distances here are from the exact point. Never show this list to a volunteer.
    """
    rows = db.session.execute(
        select(User, VolunteerProfile)
        .join(VolunteerProfile, VolunteerProfile.user_id == User.id)
        .where(
            VolunteerProfile.community_id == request.community_id, User.id != request.requester_id
        )
    ).all()
    needs_verification = request.community.require_verified_volunteers
    found = [
        (user, profile, haversine_km(profile.home_lat, profile.home_lng, request.lat, request.lng))
        for user, profile in rows
        if request.category.value in profile.category_set
        and (profile.verified_at is not None or not needs_verification)
    ]
    return sorted(found, key=lambda item: (item[2], item[0].id))


def volunteers_awaiting_verification(community_id: int) -> list[tuple[User, VolunteerProfile]]:
    """Profiles a coordinator has not verified yet."""
    return list(
        db.session.execute(
            select(User, VolunteerProfile)
            .join(VolunteerProfile, VolunteerProfile.user_id == User.id)
            .where(
                and_(
                    VolunteerProfile.community_id == community_id,
                    VolunteerProfile.verified_at.is_(None),
                )
            )
            .order_by(VolunteerProfile.created_at)
        ).all()
    )


@dataclass(frozen=True)
class RequestActions:
    """What one viewer may see and do on one request's page."""

    show_address: bool
    can_accept: bool
    can_complete: bool
    can_withdraw: bool
    can_confirm: bool
    can_edit: bool
    can_cancel: bool
    can_assign: bool


def actions_for(request: HelpRequest, viewer: User) -> RequestActions:
    """Decide the page's buttons for this viewer (and audit an address reveal)."""
    coordinator = is_coordinator(viewer, request.community_id)
    owner = viewer.id == request.requester_id
    helper = viewer.id == request.volunteer_id
    volunteer = Role.VOLUNTEER in viewer.roles_in(request.community_id)
    status = request.status
    return RequestActions(
        show_address=reveal_address(request, viewer),
        can_accept=status == Status.OPEN and volunteer and not owner,
        can_complete=status == Status.ACCEPTED and helper,
        can_withdraw=status == Status.ACCEPTED and helper,
        can_confirm=status == Status.COMPLETED and (owner or coordinator),
        can_edit=status == Status.OPEN and (owner or coordinator),
        can_cancel=status in (Status.OPEN, Status.ACCEPTED) and (owner or coordinator),
        can_assign=status == Status.OPEN and coordinator,
    )


def editable_request(request_id: int, editor: User) -> HelpRequest:
    """The open request this person may change (its asker or a coordinator), else NotAllowed."""
    request = get_request(request_id)
    mine = editor.id == request.requester_id or is_coordinator(editor, request.community_id)
    if request.status != Status.OPEN or not mine:
        raise NotAllowed("edit")
    return request
