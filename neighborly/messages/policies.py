"""Who may use the thread views: deny by default; a refused thread answers 404."""

from __future__ import annotations

from typing import Any

from neighborly.messages import services
from neighborly.messages.models import ThreadKind


def reads_request_thread(user: Any, view_args: dict[str, Any]) -> bool:
    """The request's resident, accepted helper and community coordinators."""
    return services.access_to(ThreadKind.REQUEST, view_args.get("request_id") or 0, user).read


def reads_pair_thread(user: Any, view_args: dict[str, Any]) -> bool:
    """The pair's mentor and the program's coordinators."""
    return services.access_to(ThreadKind.PAIR, view_args.get("pair_id") or 0, user).read


def moderates_message_thread(user: Any, view_args: dict[str, Any]) -> bool:
    """Coordinators of the thread the message in the URL belongs to."""
    kind, object_id = services.message_thread_of(view_args.get("message_id") or 0)
    return services.access_to(kind, object_id, user).moderate
