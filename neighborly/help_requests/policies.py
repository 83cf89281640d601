"""Who may use the help-request views (finer rules live in the services)."""

from __future__ import annotations

from typing import Any

from flask import g
from sqlalchemy import and_, select

from neighborly.accounts.models import Community, Membership, Role
from neighborly.accounts.policies import coordinator_of_community, has_role, member_of_community
from neighborly.accounts.services import community_by_slug
from neighborly.errors import NotFound
from neighborly.extensions import db
from neighborly.help_requests.models import HelpRequest, Invitation, RequestSeries
from neighborly.help_requests.services.common import request_with_people
from neighborly.records import load_record

__all__ = ["coordinator_of_community", "member_of_community"]


def request_in_url(request_id: int | None) -> HelpRequest:
    """The request in the URL with its community and asker, read once per web request.

    The policy reads it; the view then takes the same record instead of reading it again
    (`g` lives for one request only, so nobody else ever sees it).
    """
    found = g.get("request_in_url")
    if found is None or found.id != request_id:
        found = g.request_in_url = request_with_people(request_id)
    return found


def _request_community_id(view_args: dict[str, Any]) -> int:
    """The community of the request in the URL, or 404."""
    return request_in_url(view_args.get("request_id")).community_id


def member_of_request_community(user: Any, view_args: dict[str, Any]) -> bool:
    """Anyone holding a role in the request's community."""
    community_id = _request_community_id(view_args)
    return bool(user.is_authenticated and user.roles_in(community_id))


def volunteer_of_request_community(user: Any, view_args: dict[str, Any]) -> bool:
    """Volunteers of the request's community."""
    return has_role(user, _request_community_id(view_args), Role.VOLUNTEER)


def coordinator_of_request_community(user: Any, view_args: dict[str, Any]) -> bool:
    """Coordinators of the request's community."""
    return has_role(user, _request_community_id(view_args), Role.COORDINATOR)


def community_in_url(slug: str) -> Community:
    """The community in the URL, read once per web request (NotFound answers 404).

    A policy that read it already leaves it on `g` (one request only) for the view.
    """
    found = g.get("community_in_url")
    if found is None or found.slug != slug:
        found = g.community_in_url = community_by_slug(slug)
    return found


def volunteer_of_community(user: Any, view_args: dict[str, Any]) -> bool:
    """Volunteers of the community in the URL (the community and the role in one statement)."""
    slug = view_args.get("slug", "")
    if not user.is_authenticated:
        community_in_url(slug)  # a missing community still answers 404
        return False
    found = db.session.execute(
        select(Community, Membership.id)
        .outerjoin(
            Membership,
            and_(
                Membership.community_id == Community.id,
                Membership.user_id == user.id,
                Membership.role == Role.VOLUNTEER,
            ),
        )
        .where(Community.slug == slug)
    ).first()
    if found is None:
        raise NotFound(slug)
    g.community_in_url, membership_id = found
    return membership_id is not None


def accepted_volunteer_of_request(user: Any, view_args: dict[str, Any]) -> bool:
    """The volunteer who accepted the request in the URL (while it is theirs)."""
    request = load_record(HelpRequest, view_args.get("request_id"))
    return bool(user.is_authenticated and request.volunteer_id == user.id)


def coordinator_of_snow_event(user: Any, view_args: dict[str, Any]) -> bool:
    """Coordinators of the community whose snow day is in the URL."""
    from neighborly.help_requests.snow_models import SnowEvent

    event = load_record(SnowEvent, view_args.get("snow_day_id"))
    return has_role(user, event.community_id, Role.COORDINATOR)


def invitee(user: Any, view_args: dict[str, Any]) -> bool:
    """Only the volunteer an invitation was sent to (anyone else gets a 404)."""
    invitation = load_record(Invitation, view_args.get("invitation_id"))
    return bool(user.is_authenticated and invitation.volunteer_id == user.id)


def member_of_series_community(user: Any, view_args: dict[str, Any]) -> bool:
    """Anyone holding a role in the series' community (the services check who exactly)."""
    series = load_record(RequestSeries, view_args.get("series_id"))
    return bool(user.is_authenticated and user.roles_in(series.community_id))
