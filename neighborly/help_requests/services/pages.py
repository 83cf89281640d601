"""What people's pages show: their requests and helping, coordinators' lists, the buttons."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, func, select
from sqlalchemy.orm import joinedload

from neighborly.accounts.models import Role, User
from neighborly.errors import NotAllowed
from neighborly.extensions import db
from neighborly.geo.cells import haversine_km
from neighborly.help_requests.models import (
    HelpRequest,
    Status,
    VolunteerProfile,
)
from neighborly.help_requests.services.access import reveal_address
from neighborly.help_requests.services.common import get_request, is_coordinator
from neighborly.paging import PAGE_SIZE, Key, Page, keyset_page
from neighborly.timeutil import utcnow

AGEING_AFTER = timedelta(hours=24)


@dataclass(frozen=True)
class HelperSummary:
    """A volunteer's story so far in one community."""

    minutes: int
    finished: int
    neighbours: tuple[tuple[str, int], ...]  # (display name, times helped)
    thank_yous: tuple[tuple[str, str], ...]  # (display name, note)


NEIGHBOURS_SHOWN = 20
THANK_YOUS_SHOWN = 5


def volunteer_summary(volunteer: User, community_id: int) -> HelperSummary:
    """Hours given and the neighbours this volunteer has helped (three bounded queries)."""
    done = (
        HelpRequest.volunteer_id == volunteer.id,
        HelpRequest.community_id == community_id,
        HelpRequest.status.in_((Status.COMPLETED, Status.CONFIRMED)),
    )
    minutes, finished = db.session.execute(
        select(func.coalesce(func.sum(HelpRequest.minutes_spent), 0), func.count()).where(*done)
    ).one()
    times = func.count().label("times")
    neighbours = db.session.execute(
        select(User, times)
        .join(HelpRequest, HelpRequest.requester_id == User.id)
        .where(*done)
        .group_by(User.id)
        .order_by(times.desc(), User.first_name, User.last_name, User.id)
        .limit(NEIGHBOURS_SHOWN)
    ).all()
    thanks = db.session.execute(
        select(User, HelpRequest.thank_you_note)
        .join(HelpRequest, HelpRequest.requester_id == User.id)
        .where(*done, HelpRequest.thank_you_note.is_not(None), HelpRequest.thank_you_note != "")
        .order_by(HelpRequest.completed_at.desc(), HelpRequest.id.desc())
        .limit(THANK_YOUS_SHOWN)
    ).all()
    counts: dict[str, int] = {}
    for user, count in neighbours:
        counts[user.display_name] = counts.get(user.display_name, 0) + count
    return HelperSummary(
        minutes=int(minutes),
        finished=int(finished),
        neighbours=tuple(sorted(counts.items(), key=lambda item: (-item[1], item[0]))),
        thank_yous=tuple((user.display_name, note) for user, note in thanks),
    )


def requests_of(
    requester: User,
    community_id: int,
    after: int | None = None,
    before: int | None = None,
    size: int = PAGE_SIZE,
) -> Page:
    """A resident's own one-off requests, newest first, one page with their helpers loaded.

    Standing requests show as their series instead.
    """
    return keyset_page(
        select(HelpRequest)
        .options(joinedload(HelpRequest.volunteer))
        .where(
            HelpRequest.requester_id == requester.id,
            HelpRequest.community_id == community_id,
            HelpRequest.series_id.is_(None),
        ),
        (Key(HelpRequest.created_at, descending=True), Key(HelpRequest.id, descending=True)),
        after=after,
        before=before,
        size=size,
    )


def assigned_to(volunteer: User, community_id: int, limit: int = PAGE_SIZE) -> list[HelpRequest]:
    """Requests this volunteer has accepted and not finished (capacity keeps it short)."""
    return list(
        db.session.scalars(
            select(HelpRequest)
            .options(joinedload(HelpRequest.requester))
            .where(
                HelpRequest.volunteer_id == volunteer.id,
                HelpRequest.community_id == community_id,
                HelpRequest.status == Status.ACCEPTED,
            )
            .order_by(HelpRequest.needed_by.is_(None), HelpRequest.needed_by, HelpRequest.id)
            .limit(limit)
        )
    )


def unclaimed(
    community_id: int,
    now: datetime | None = None,
    after: int | None = None,
    before: int | None = None,
    size: int = PAGE_SIZE,
) -> Page:
    """Open requests, oldest first, for the coordinator's dispatch list: one page, askers loaded."""
    return keyset_page(
        select(HelpRequest)
        .options(joinedload(HelpRequest.requester))
        .where(HelpRequest.community_id == community_id, HelpRequest.status == Status.OPEN),
        (Key(HelpRequest.created_at), Key(HelpRequest.id)),
        after=after,
        before=before,
        size=size,
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


def volunteers_awaiting_verification(
    community_id: int, limit: int = PAGE_SIZE
) -> list[tuple[User, VolunteerProfile]]:
    """Profiles a coordinator has not verified yet, the longest waiting first (at most `limit`)."""
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
            .order_by(VolunteerProfile.created_at, VolunteerProfile.id)
            .limit(limit)
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
    can_ask_again: bool = False


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
        can_ask_again=status == Status.EXPIRED and owner,
    )


def editable_request(request_id: int, editor: User) -> HelpRequest:
    """The open request this person may change (its asker or a coordinator), else NotAllowed."""
    request = get_request(request_id)
    mine = editor.id == request.requester_id or is_coordinator(editor, request.community_id)
    if request.status != Status.OPEN or not mine:
        raise NotAllowed("edit")
    return request
