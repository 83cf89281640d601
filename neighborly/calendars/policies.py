"""Who may use the calendar views: deny by default; a refused task answers 404."""

from __future__ import annotations

from typing import Any

from neighborly.calendars import services
from neighborly.help_requests.models import HelpRequest
from neighborly.records import load_record


def anyone_with_the_link(user: Any, view_args: dict[str, Any]) -> bool:
    """The feed: whoever holds its secret link (the view answers 404 for a wrong one)."""
    return True


def signed_in(user: Any, view_args: dict[str, Any]) -> bool:
    """Any signed-in person, for their own calendar link."""
    return bool(user.is_authenticated)


def takes_part_in_task(user: Any, view_args: dict[str, Any]) -> bool:
    """The helper and the resident of the accepted request in the URL."""
    request = load_record(HelpRequest, view_args.get("request_id"))
    return services.may_save_task(request, user)
