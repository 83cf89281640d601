"""Who may use the help-request views (finer rules live in the services)."""

from __future__ import annotations

from typing import Any

from flask import g

from neighborly.accounts.models import Role
from neighborly.accounts.policies import (
    community_in_url,
    coordinator_of_community,
    has_role,
    member_of_community,
    membership_in,
)
from neighborly.help_requests.models import HelpRequest, Invitation, RequestSeries
from neighborly.help_requests.services.common import request_with_people
from neighborly.records import load_record

__all__ = ["community_in_url", "coordinator_of_community", "member_of_community"]


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


def volunteer_of_community(user: Any, view_args: dict[str, Any]) -> bool:
    """Volunteers of the community in the URL (from the memberships loaded with the person;
    a missing community still answers 404)."""
    slug = view_args.get("slug", "")
    community_in_url(slug)
    return membership_in(slug, Role.VOLUNTEER) is not None


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
