"""Who may use the help-request views (finer rules live in the services)."""

from __future__ import annotations

from typing import Any

from neighborly.accounts.models import Role
from neighborly.accounts.policies import coordinator_of_community, has_role, member_of_community
from neighborly.help_requests.models import HelpRequest, Invitation, RequestSeries
from neighborly.records import load_record

__all__ = ["coordinator_of_community", "member_of_community"]


def _request_community_id(view_args: dict[str, Any]) -> int:
    """The community of the request in the URL, or 404."""
    request = load_record(HelpRequest, view_args.get("request_id"))
    return request.community_id


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
    """Volunteers of the community in the URL."""
    from neighborly.accounts.policies import community_from_args

    return has_role(user, community_from_args(view_args).id, Role.VOLUNTEER)


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
