"""What the help services share: loading a request, who coordinates, places, telling people."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache

from flask import current_app
from sqlalchemy import and_, bindparam, exists, select, update
from sqlalchemy.orm import joinedload

from neighborly.accounts.models import Community, Membership, Role, User
from neighborly.errors import NotAllowed, NotFound
from neighborly.extensions import db
from neighborly.geo.cells import cell_centre
from neighborly.geo.geocoding import Geocoder, Place
from neighborly.help_requests.errors import LocationNotFound, NeedsVerification, NotOpen
from neighborly.help_requests.models import (
    Category,
    HelpRequest,
    Status,
    Urgency,
    VolunteerProfile,
)
from neighborly.notifications.services import absolute_url, notify
from neighborly.records import load_record
from neighborly.timeutil import utcnow


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
    needed_from: datetime | None = None  # the window's start; None: from now


def geocoder() -> Geocoder:
    """The app's geocoder (built once, so its cache lasts)."""
    return current_app.extensions["geocoder"]


def locate(draft: RequestDraft) -> Place:
    """Place a request: typed coordinates win, else the configured geocoder."""
    if draft.lat is not None and draft.lng is not None:
        return Place(draft.lat, draft.lng, "exact")
    place = geocoder().locate(draft.street_address, draft.postal_code)
    if place is None:
        raise LocationNotFound(draft.postal_code)
    return place


def public_point(request: HelpRequest) -> tuple[float, float]:
    """The centre of the request's ~500 m cell: what everyone else sees."""
    return cell_centre(request.cell)


def transition(
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


def tell(person: User, subject, template: str, request: HelpRequest, now=None, **context) -> None:
    """Queue one of the help loop's emails (with a link to the request) in this transaction."""
    link = absolute_url("help_requests.detail", request_id=request.id)
    template_name = f"help_requests/email/{template}.txt"
    notify(person, subject, template_name, now=now, request=request, link=link, **context)


def usable_profile(volunteer: User, community_id: int) -> VolunteerProfile:
    """The volunteer's profile in this community, verified when the community asks for it.

    One statement reads the three facts: the volunteer role, the profile, and whether the
    community asks for verified volunteers.
    """
    row = db.session.execute(
        _usable_profile_statement(), {"user_id": volunteer.id, "community_id": community_id}
    ).one_or_none()
    if row is None or not row[0]:
        raise NotAllowed("volunteer")
    _is_volunteer, verified_only, profile = row
    if profile is None:
        raise NeedsVerification("profile")
    if verified_only and profile.verified_at is None:
        raise NeedsVerification("verified")
    return profile


@cache
def _usable_profile_statement():
    """The statement usable_profile runs, built once (its values are bound at each call)."""
    user_id, community_id = bindparam("user_id"), bindparam("community_id")
    is_volunteer = exists().where(
        Membership.user_id == user_id,
        Membership.community_id == community_id,
        Membership.role == Role.VOLUNTEER,
    )
    return (
        select(is_volunteer, Community.require_verified_volunteers, VolunteerProfile)
        .select_from(Community)
        .outerjoin(
            VolunteerProfile,
            and_(
                VolunteerProfile.community_id == Community.id,
                VolunteerProfile.user_id == user_id,
            ),
        )
        .where(Community.id == community_id)
    )


def get_request(request_id: int) -> HelpRequest:
    """Load a request or raise NotFound."""
    return load_record(HelpRequest, request_id, fresh=True)


_WITH_ASKER = (joinedload(HelpRequest.requester),)


def request_with_people(request_id: int | None) -> HelpRequest:
    """A request with its asker, read in one statement (none when already read).

    The policy check reads it first; the page then finds it in the session instead of reading
    it again. Its community is not read again either: whoever a policy lets in holds a role
    there, and the signed-in person's communities were read with them, so `request.community`
    is found in the session.
    """
    found = db.session.get(HelpRequest, request_id or 0, options=_WITH_ASKER)
    if found is None:
        raise NotFound(request_id)
    return found


def is_coordinator(user: User, community_id: int) -> bool:
    """Whether the person coordinates this community."""
    return user.is_authenticated and Role.COORDINATOR in user.roles_in(community_id)


def require_owner_or_coordinator(request: HelpRequest, actor: User) -> None:
    """Only the resident who asked, or a coordinator of the community."""
    if actor.id != request.requester_id and not is_coordinator(actor, request.community_id):
        raise NotAllowed("owner")


def volunteer_profile(user: User, community_id: int) -> VolunteerProfile | None:
    """A volunteer's profile in one community, if they have one."""
    return db.session.scalar(
        select(VolunteerProfile).where(
            VolunteerProfile.user_id == user.id, VolunteerProfile.community_id == community_id
        )
    )
