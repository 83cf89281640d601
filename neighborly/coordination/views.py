"""The coordinator's side of a community."""

from __future__ import annotations

from flask import Blueprint, render_template

from neighborly.accounts import policies
from neighborly.accounts.services import community_by_slug, members_of
from neighborly.policy import policy
from neighborly.resources import services as resources

bp = Blueprint("coordination", __name__)


@bp.get("/c/<slug>/coordinate")
@policy(policies.coordinator_of_community)
def dashboard(slug: str):
    """A coordinator's overview of their own community."""
    community = community_by_slug(slug)
    members = members_of(community)
    related = resources.related_resources(resources.topics_for_coordinators(), limit=3)
    return render_template(
        "coordination/dashboard.html", community=community, members=members, related=related
    )
