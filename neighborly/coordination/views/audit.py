"""The audit log viewer: one community's events, filtered, paged, and as CSV."""

from __future__ import annotations

from datetime import date

from flask import Response, render_template, request, stream_with_context, url_for
from flask_login import current_user

from neighborly.accounts import policies
from neighborly.accounts.services import community_by_slug
from neighborly.coordination import audit_log
from neighborly.coordination.forms import AuditFilterForm
from neighborly.coordination.period import Period
from neighborly.coordination.views.common import bp
from neighborly.paging import cursor_arg
from neighborly.policy import policy


def _filters(form: AuditFilterForm, timezone: str) -> audit_log.AuditFilters:
    """The filters of a valid form, else none."""
    if not (request.args and form.validate()):
        return audit_log.AuditFilters()
    period = None
    if form.start.data or form.end.data:
        period = Period(
            form.start.data or date(2000, 1, 1), form.end.data or date(9000, 1, 1), timezone
        )
    return audit_log.AuditFilters(
        actor=form.actor.data or None,
        action=form.action.data or None,
        object_type=(form.object_type.data or "").strip() or None,
        object_id=form.object_id.data,
        period=period,
    )


@bp.get("/c/<slug>/coordinate/audit")
@policy(policies.coordinator_of_community)
def audit(slug: str):
    """Who did what in this community, newest first."""
    community = community_by_slug(slug)
    form = AuditFilterForm(request.args)
    filters = _filters(form, community.timezone)
    page = audit_log.audit_page(community.id, filters, cursor_arg("after"), cursor_arg("before"))
    args = {k: v for k, v in request.args.items() if k not in ("after", "before")}
    return render_template(
        "coordination/audit.html",
        community=community,
        form=form,
        page=page,
        csv_url=url_for("coordination.audit_csv", slug=slug, **args),
        first_url=url_for("coordination.audit", slug=slug, **args),
    )


@bp.get("/c/<slug>/coordinate/audit.csv")
@policy(policies.coordinator_of_community)
def audit_csv(slug: str):
    """The filtered log as CSV (the download is itself recorded)."""
    community = community_by_slug(slug)
    filters = _filters(AuditFilterForm(request.args), community.timezone)
    lines = audit_log.audit_csv(community, current_user, filters)
    return Response(
        stream_with_context(lines),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{community.slug}-audit.csv"'},
    )
