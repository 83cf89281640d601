"""Trust and safety: anyone reports or blocks; coordinators handle the queue and suspend."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from neighborly.accounts import policies
from neighborly.accounts.blocking import block
from neighborly.accounts.safety_models import ReportOutcome, ReportStatus
from neighborly.accounts.services import community_by_slug
from neighborly.coordination import safety
from neighborly.coordination.forms import OUTCOME_LABELS, ButtonForm, HandleReportForm, ReportForm
from neighborly.coordination.views.common import bp
from neighborly.errors import Conflict
from neighborly.help_requests import policies as help_policies
from neighborly.help_requests.services.not_done import report_not_done
from neighborly.paging import cursor_arg
from neighborly.policy import policy


@bp.route("/c/<slug>/report/person/<int:user_id>", methods=["GET", "POST"])
@policy(policies.member_of_community)
def report_person(slug: str, user_id: int):
    """Tell the coordinators about a person (and maybe block them)."""
    community = community_by_slug(slug)
    subject = safety.member_of(community.id, user_id)
    return _report(community, subject_id=subject.id, about=subject.display_name)


@bp.route("/c/<slug>/report/request/<int:request_id>", methods=["GET", "POST"])
@policy(policies.member_of_community)
def report_request(slug: str, request_id: int):
    """Tell the coordinators about a request."""
    community = community_by_slug(slug)
    found = safety.request_in(community.id, request_id)
    return _report(community, request_id=found.id, about=found.title)


def _report(community, about: str, subject_id: int | None = None, request_id: int | None = None):
    """The report form and what happens when it is sent."""
    form = ReportForm()
    if form.validate_on_submit():
        report = safety.file_report(
            community, current_user, form.reason.data, subject_id=subject_id, request_id=request_id
        )
        if form.block.data and report.subject_id and report.subject_id != current_user.id:
            block(current_user, report.subject_id, community.id)
        flash(_("Thank you for telling us. A coordinator will look at it soon."), "success")
        return redirect(url_for("accounts.community", slug=community.slug))
    return render_template(
        "coordination/report.html",
        community=community,
        form=form,
        about=about,
        can_block=subject_id is not None or request_id is not None,
    )


@bp.get("/c/<slug>/coordinate/reports")
@policy(policies.coordinator_of_community)
def reports(slug: str):
    """The reports queue: open ones oldest first; handled ones with their outcome."""
    community = community_by_slug(slug)
    status = ReportStatus.HANDLED if request.args.get("status") == "handled" else ReportStatus.OPEN
    page = safety.reports_page(community.id, status, cursor_arg("after"), cursor_arg("before"))
    return render_template(
        "coordination/reports.html",
        community=community,
        page=page,
        status=status,
        form=HandleReportForm(),
        outcome_labels=OUTCOME_LABELS,
        first_url=url_for("coordination.reports", slug=slug, status=status.value),
    )


@bp.post("/c/<slug>/coordinate/reports/<int:report_id>")
@policy(policies.coordinator_of_community)
def handle_report(slug: str, report_id: int):
    """Close a report with what the coordinator did."""
    community = community_by_slug(slug)
    form = HandleReportForm()
    if not form.validate_on_submit():
        flash(_("Choose what you did."), "error")
        return redirect(url_for("coordination.reports", slug=slug))
    try:
        safety.handle_report(
            community,
            report_id,
            current_user,
            ReportOutcome(form.outcome.data),
            form.notes.data or "",
        )
    except Conflict:
        flash(_("Another coordinator already handled this report."), "info")
    else:
        flash(_("The report is handled."), "success")
    return redirect(url_for("coordination.reports", slug=slug))


@bp.post("/c/<slug>/coordinate/people/<int:user_id>/suspend")
@policy(policies.coordinator_of_community)
def suspend(slug: str, user_id: int):
    """Suspend an account: signed out, cannot sign in, open requests hidden."""
    community = community_by_slug(slug)
    if ButtonForm().validate_on_submit():
        try:
            safety.suspend(community, user_id, current_user)
        except Conflict:
            flash(_("You cannot suspend yourself."), "error")
        else:
            flash(_("The account is suspended."), "success")
    return redirect(url_for("coordination.people", slug=slug))


@bp.post("/c/<slug>/coordinate/people/<int:user_id>/restore")
@policy(policies.coordinator_of_community)
def restore(slug: str, user_id: int):
    """Lift a suspension."""
    community = community_by_slug(slug)
    if ButtonForm().validate_on_submit():
        safety.restore(community, user_id, current_user)
        flash(_("The account can be used again."), "success")
    return redirect(url_for("coordination.people", slug=slug))


@bp.post("/requests/<int:request_id>/not-done")
@policy(help_policies.member_of_request_community)
def not_done(request_id: int):
    """The neighbour says the help was not done: the request opens again; a no-show is noted."""
    if ButtonForm().validate_on_submit():
        report_not_done(request_id, current_user)
        flash(_("We are sorry. Your request is open again and a coordinator can see it."), "info")
    return redirect(url_for("help_requests.detail", request_id=request_id))
