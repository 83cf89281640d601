"""The coordinator's console: what needs them, the figures, the lists and the exports."""

from __future__ import annotations

from datetime import date

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from neighborly.accounts import policies
from neighborly.accounts.models import Role
from neighborly.accounts.services import community_by_slug
from neighborly.coordination import lists
from neighborly.coordination.forms import (
    PeopleFilterForm,
    PeriodForm,
    RequestFilterForm,
    RevokeForm,
    VerifyForm,
)
from neighborly.coordination.home import connections_page, console_home
from neighborly.coordination.period import Period
from neighborly.coordination.views.common import bp, period_from_query
from neighborly.errors import NotFound
from neighborly.extensions import db
from neighborly.help_requests.models import Category, Status, VolunteerProfile
from neighborly.help_requests.services import verification as verification_service
from neighborly.paging import cursor_arg
from neighborly.policy import policy
from neighborly.resources import services as resources


@bp.get("/c/<slug>/coordinate")
@policy(policies.coordinator_of_community)
def dashboard(slug: str):
    """A coordinator's morning: what needs them, then how the community is doing."""
    community = community_by_slug(slug)
    form = PeriodForm(request.args)
    period = period_from_query(form, community.timezone)
    home = console_home(community, period)
    related = resources.related_resources(resources.topics_for_coordinators(), limit=3)
    return render_template(
        "coordination/dashboard.html", community=community, form=form, home=home, related=related
    )


@bp.route("/c/<slug>/coordinate/volunteers/<int:profile_id>", methods=["GET", "POST"])
@policy(policies.coordinator_of_community)
def verification(slug: str, profile_id: int):
    """What a volunteer told us, and verifying them with a record of what was checked."""
    community = community_by_slug(slug)
    profile = volunteer_in(community, profile_id)
    form = VerifyForm()
    if form.validate_on_submit():
        checks = verification_service.Checks(
            bool(form.id_seen.data),
            bool(form.references_checked.data),
            form.background_check_on.data,
        )
        verification_service.verify_with_checks(profile.id, current_user, checks)
        flash(_("%(name)s is verified.", name=profile.user.display_name), "success")
        return redirect(url_for("coordination.dashboard", slug=slug))
    return render_template(
        "coordination/verification.html",
        community=community,
        profile=profile,
        form=form,
        revoke_form=RevokeForm(),
    )


@bp.post("/c/<slug>/coordinate/volunteers/<int:profile_id>/revoke")
@policy(policies.coordinator_of_community)
def revoke(slug: str, profile_id: int):
    """Take a volunteer's verification back."""
    community = community_by_slug(slug)
    profile = volunteer_in(community, profile_id)
    if RevokeForm().validate_on_submit():
        verification_service.revoke_verification(profile.id, current_user)
        flash(_("%(name)s is no longer verified.", name=profile.user.display_name), "success")
    return redirect(url_for("coordination.verification", slug=slug, profile_id=profile_id))


def volunteer_in(community, profile_id: int):
    """A volunteer profile of this community, or 404 (never another community's)."""
    profile = db.session.get(VolunteerProfile, profile_id)
    if profile is None or profile.community_id != community.id:
        raise NotFound(profile_id)
    return profile


@bp.get("/c/<slug>/coordinate/connections")
@policy(policies.coordinator_of_community)
def connections(slug: str):
    """Whether the community is becoming more connected, month by month, as charts and tables."""
    community = community_by_slug(slug)
    form = PeriodForm(request.args)
    period = period_from_query(form, community.timezone, default_days=365)
    found = connections_page(community, period)
    return render_template(
        "coordination/connections.html", community=community, form=form, page=found
    )


def request_filters(form: RequestFilterForm, timezone: str) -> lists.RequestFilters:
    """The filters of a valid form, else none."""
    if not (request.args and form.validate()):
        return lists.RequestFilters()
    period = None
    if form.start.data or form.end.data:
        first = form.start.data or date(2000, 1, 1)
        period = Period(first, form.end.data or date(9000, 1, 1), timezone)
    return lists.RequestFilters(
        status=Status(form.status.data) if (form.status.data or "").strip() else None,
        category=Category(form.category.data) if (form.category.data or "").strip() else None,
        postal_code=(form.postal_code.data or "").strip() or None,
        name=form.name.data or None,
        period=period,
    )


@bp.get("/c/<slug>/coordinate/all-requests")
@policy(policies.coordinator_of_community)
def requests_list(slug: str):
    """Every request of the community, filtered and paged."""
    community = community_by_slug(slug)
    form = RequestFilterForm(request.args)
    filters = request_filters(form, community.timezone)
    page = lists.requests_page(community.id, filters, cursor_arg("after"), cursor_arg("before"))
    return render_template(
        "coordination/requests.html",
        community=community,
        form=form,
        page=page,
        first_url=url_for("coordination.requests_list", slug=slug),
    )


@bp.get("/c/<slug>/coordinate/people")
@policy(policies.coordinator_of_community)
def people(slug: str):
    """Members and volunteers, by name, filtered and paged."""
    community = community_by_slug(slug)
    form = PeopleFilterForm(request.args)
    valid = bool(request.args) and form.validate()
    role = Role(form.role.data) if valid and (form.role.data or "").strip() else None
    verified = {"yes": True, "no": False}.get(form.verified.data or "") if valid else None
    page = lists.people_page(
        community.id,
        role,
        form.name.data if valid else None,
        verified,
        cursor_arg("after"),
        cursor_arg("before"),
    )
    return render_template(
        "coordination/people.html",
        community=community,
        form=form,
        page=page,
        first_url=url_for("coordination.people", slug=slug),
    )
