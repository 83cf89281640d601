"""Hours of confirmed help: the community's ledger, one volunteer's, and a certificate."""

from __future__ import annotations

from flask import render_template, request, url_for
from flask_login import current_user

from neighborly.accounts import policies
from neighborly.accounts.services import community_by_slug
from neighborly.coordination import hours as service
from neighborly.coordination.forms import PeriodForm
from neighborly.coordination.views.common import bp, period_from_query
from neighborly.paging import cursor_arg
from neighborly.policy import policy
from neighborly.timeutil import utcnow

YEAR = 365


@bp.get("/c/<slug>/coordinate/hours")
@policy(policies.coordinator_of_community)
def hours(slug: str):
    """Confirmed hours per volunteer and for the whole community."""
    community = community_by_slug(slug)
    form = PeriodForm(request.args)
    period = period_from_query(form, community.timezone, YEAR)
    page = service.hours_page(community.id, period, cursor_arg("after"), cursor_arg("before"))
    return render_template(
        "coordination/hours.html",
        community=community,
        form=form,
        period=period,
        page=page,
        total=service.community_minutes(community.id, period),
        first_url=url_for("coordination.hours", slug=slug, **_period_args(period)),
    )


@bp.get("/c/<slug>/coordinate/hours/<int:user_id>")
@policy(policies.coordinator_of_community)
def ledger(slug: str, user_id: int):
    """One volunteer's confirmed help: who, for whom, when, how long."""
    community = community_by_slug(slug)
    volunteer = service.volunteer_of(community.id, user_id)
    form = PeriodForm(request.args)
    period = period_from_query(form, community.timezone, YEAR)
    page = service.ledger_page(
        community.id, volunteer.id, period, cursor_arg("after"), cursor_arg("before")
    )
    return render_template(
        "coordination/ledger.html",
        community=community,
        volunteer=volunteer,
        form=form,
        period=period,
        page=page,
        total=service.volunteer_minutes(community.id, volunteer.id, period),
        period_args=_period_args(period),
        first_url=url_for(
            "coordination.ledger", slug=slug, user_id=user_id, **_period_args(period)
        ),
    )


@bp.get("/c/<slug>/coordinate/hours/<int:user_id>/certificate")
@policy(policies.coordinator_of_community)
def certificate(slug: str, user_id: int):
    """A printable certificate of exactly the confirmed hours in the period."""
    community = community_by_slug(slug)
    volunteer = service.volunteer_of(community.id, user_id)
    form = PeriodForm(request.args)
    period = period_from_query(form, community.timezone, YEAR)
    helps, minutes = service.volunteer_minutes(community.id, volunteer.id, period)
    return render_template(
        "coordination/certificate.html",
        community=community,
        volunteer=volunteer,
        coordinator=current_user,
        period=period,
        helps=helps,
        minutes=minutes,
        issued=utcnow(),
    )


def _period_args(period) -> dict[str, str]:
    """The period as query arguments."""
    return {"start": period.first.isoformat(), "end": period.last.isoformat()}
