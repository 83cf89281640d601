"""Who may use the notifications pages."""

from __future__ import annotations

from typing import Any


def signed_in(user: Any, view_args: dict[str, Any]) -> bool:
    """Anyone signed in (their own preferences)."""
    return bool(user and user.is_authenticated)


def holder_of_link(user: Any, view_args: dict[str, Any]) -> bool:
    """Anyone with the link: the signed token in it is the permission (checked by the view)."""
    return True
