"""Who may use account, community and admin views."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from neighborly.accounts.models import Community, Membership, Role
from neighborly.errors import NotFound
from neighborly.extensions import db


def anyone(user: Any, view_args: dict[str, Any]) -> bool:
    """Open to everyone, signed in or not."""
    return True


def signed_in(user: Any, view_args: dict[str, Any]) -> bool:
    """Any signed-in person."""
    return bool(user.is_authenticated)


def signed_out(user: Any, view_args: dict[str, Any]) -> bool:
    """Pages for people who are not signed in (they are also fine for those who are)."""
    return True


def site_admin(user: Any, view_args: dict[str, Any]) -> bool:
    """Site administrators only."""
    return bool(user.is_authenticated and user.is_site_admin)


def community_from_args(view_args: dict[str, Any]) -> Community:
    """The community named by the URL's slug, or 404."""
    community = db.session.scalar(
        select(Community).where(Community.slug == view_args.get("slug", ""))
    )
    if community is None:
        raise NotFound()
    return community


def has_role(user: Any, community_id: int, role: Role) -> bool:
    """Whether a signed-in person holds a role in a community (one query)."""
    if not user.is_authenticated:
        return False
    found = db.session.scalar(
        select(Membership.id).where(
            Membership.user_id == user.id,
            Membership.community_id == community_id,
            Membership.role == role,
        )
    )
    return found is not None


def coordinator_of_community(user: Any, view_args: dict[str, Any]) -> bool:
    """Coordinators of the community in the URL, and nobody else."""
    return has_role(user, community_from_args(view_args).id, Role.COORDINATOR)


def member_of_community(user: Any, view_args: dict[str, Any]) -> bool:
    """Anyone holding any role in the community in the URL."""
    community = community_from_args(view_args)
    return bool(user.is_authenticated and user.roles_in(community.id))
