"""Communities: the list, a community's page, joining, and the site admin's pages."""

from __future__ import annotations

from flask import (
    flash,
    redirect,
    render_template,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from neighborly.accounts import policies, services
from neighborly.accounts.forms import (
    CommunityForm,
    CoordinatorForm,
    JoinForm,
)
from neighborly.accounts.models import Role
from neighborly.accounts.views.common import bp
from neighborly.errors import Conflict, NotFound
from neighborly.paging import cursor_arg
from neighborly.policy import policy


@bp.get("/communities")
@policy(policies.anyone)
def communities():
    """Every community on Neighborly."""
    return render_template(
        "accounts/communities.html",
        communities=services.community_page(after=cursor_arg("after"), before=cursor_arg("before")),
    )


@bp.route("/c/<slug>", methods=["GET"])
@policy(policies.anyone)
def community(slug: str):
    """A community's front page."""
    community = _community_or_404(slug)
    roles = current_user.roles_in(community.id) if current_user.is_authenticated else set()
    return render_template(
        "accounts/community.html", community=community, roles=roles, form=JoinForm()
    )


@bp.post("/c/<slug>/join")
@policy(policies.signed_in)
def join(slug: str):
    """Join a community (as a resident unless the form says volunteer), then choose a path."""
    community = _community_or_404(slug)
    form = JoinForm()
    if form.validate_on_submit():
        role = Role(form.role.data)
        services.grant_role(current_user, current_user, community, role)
        flash(_("Welcome to %(name)s!", name=community.name), "success")
        return redirect(url_for("accounts.first_steps", slug=slug))
    return redirect(url_for("accounts.community", slug=slug))


@bp.get("/c/<slug>/start")
@policy(policies.member_of_community)
def first_steps(slug: str):
    """Right after joining: what brings you here? Each answer leads to its form."""
    return render_template("accounts/first_steps.html", community=_community_or_404(slug))


@bp.route("/admin/communities", methods=["GET", "POST"])
@policy(policies.site_admin)
def admin_communities():
    """Site admins list and open communities."""
    form = CommunityForm()
    if form.validate_on_submit():
        try:
            created = services.create_community(
                current_user,
                form.name.data,
                form.slug.data,
                form.timezone.data,
                (form.centre_lat.data, form.centre_lng.data),
                form.postal_codes.data or "",
            )
        except Conflict:
            form.slug.errors.append(_("Another community already uses this web name."))
        else:
            flash(_("%(name)s is open.", name=created.name), "success")
            return redirect(url_for("accounts.admin_communities"))
    return render_template(
        "accounts/admin_communities.html",
        form=form,
        communities=services.community_page(after=cursor_arg("after"), before=cursor_arg("before")),
    )


@bp.route("/admin/communities/<slug>/coordinators", methods=["GET", "POST"])
@policy(policies.site_admin)
def admin_coordinators(slug: str):
    """Site admins name a community's coordinators."""
    community = _community_or_404(slug)
    form = CoordinatorForm()
    if form.validate_on_submit():
        try:
            user = services.name_coordinator(current_user, community, form.email.data)
        except NotFound:
            form.email.errors.append(_("No account uses this email. Ask them to register first."))
        else:
            flash(
                _(
                    "%(community)s is now coordinated by %(name)s",
                    name=user.display_name,
                    community=community.name,
                ),
                "success",
            )
            return redirect(url_for("accounts.admin_coordinators", slug=slug))
    coordinators = services.coordinators_of(community)
    return render_template(
        "accounts/admin_coordinators.html",
        form=form,
        community=community,
        coordinators=coordinators,
    )


def _community_or_404(slug: str):
    """Load a community by slug (NotFound answers 404)."""
    return services.community_by_slug(slug)
