"""Who may use account, community and admin views."""

from __future__ import annotations

from typing import Any

from flask import g
from flask_login import current_user
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
    return community_in_url(view_args.get("slug", ""))


def community_in_url(slug: str) -> Community:
    """The community in the URL, read at most once per web request (NotFound answers 404).

    A member's communities came with them when they were signed in (load_session_user), so
    theirs costs no statement; a policy that read it leaves it on `g` (one request only) for
    the view.
    """
    found = g.get("community_in_url")
    if found is None or found.slug != slug:
        found = membership_in(slug)
        found = g.community_in_url = found.community if found else _community_by_slug(slug)
    return found


def membership_in(slug: str, role: Role | None = None) -> Membership | None:
    """The signed-in person's membership (in `role`, if given) of the community with this
    slug, from the memberships loaded with them; None if they hold none."""
    if not current_user or not current_user.is_authenticated:
        return None
    for membership in current_user.memberships:
        if membership.community.slug == slug and role in (None, membership.role):
            return membership
    return None


def _community_by_slug(slug: str) -> Community:
    """One statement: the community with this slug, or 404."""
    community = db.session.scalar(select(Community).where(Community.slug == slug))
    if community is None:
        raise NotFound(slug)
    return community


def has_role(user: Any, community_id: int, role: Role) -> bool:
    """Whether a signed-in person holds a role in a community (from the memberships loaded
    with them at the start of the web request)."""
    return bool(user.is_authenticated and role in user.roles_in(community_id))


def coordinator_of_community(user: Any, view_args: dict[str, Any]) -> bool:
    """Coordinators of the community in the URL, and nobody else."""
    return has_role(user, community_from_args(view_args).id, Role.COORDINATOR)


def member_of_community(user: Any, view_args: dict[str, Any]) -> bool:
    """Anyone holding any role in the community in the URL."""
    community = community_from_args(view_args)
    return bool(user.is_authenticated and user.roles_in(community.id))
