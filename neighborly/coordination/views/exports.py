"""CSV exports of one community's requests, hours and people, for a period."""

from __future__ import annotations

from flask import Response, render_template, request, stream_with_context
from flask_login import current_user

from neighborly.accounts import policies
from neighborly.accounts.services import community_by_slug
from neighborly.coordination import exports as service
from neighborly.coordination.forms import PeriodForm
from neighborly.coordination.views.common import bp, period_from_query
from neighborly.errors import NotFound
from neighborly.policy import policy

YEAR = 365


@bp.get("/c/<slug>/coordinate/exports")
@policy(policies.coordinator_of_community)
def exports(slug: str):
    """Choose the days and download a CSV."""
    community = community_by_slug(slug)
    form = PeriodForm(request.args)
    period = period_from_query(form, community.timezone, YEAR)
    return render_template(
        "coordination/exports.html", community=community, form=form, period=period
    )


@bp.get("/c/<slug>/coordinate/exports/<kind>.csv")
@policy(policies.coordinator_of_community)
def export_csv(slug: str, kind: str):
    """One CSV, streamed; addresses only when asked for; every export audited."""
    if kind not in service.KINDS:
        raise NotFound(kind)
    community = community_by_slug(slug)
    form = PeriodForm(request.args)
    period = period_from_query(form, community.timezone, YEAR)
    addresses = kind == "requests" and request.args.get("addresses") == "yes"
    service.audit_export(current_user, community, kind, addresses)
    if kind == "requests":
        lines = service.requests_csv(community, period, addresses)
    elif kind == "hours":
        lines = service.hours_csv(community, period)
    else:
        lines = service.people_csv(community, period)
    name = f"{community.slug}-{kind}-{period.first.isoformat()}-{period.last.isoformat()}.csv"
    return Response(
        stream_with_context(lines),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
