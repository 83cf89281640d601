"""Pair views: the pair page, meeting plans, meetings, check-ins, closure and renewal."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from neighborly.mentoring import forms, policies, reports, services
from neighborly.mentoring.models import (
    CheckInWith,
    CloseReason,
)
from neighborly.mentoring.views.common import bp, mentor_page, program_page
from neighborly.policy import policy


@bp.get("/mentoring/programs/<int:program_id>/pairs")
@policy(policies.program_coordinator)
def pairs(program_id: int):
    """Active pairs and their health, most overdue first."""
    found = services.get_program(program_id)
    return program_page("pairs.html", found, health=reports.program_health(program_id))


def _pair_page(pair_id: int, status: int = 200, **bound):
    """Render a pair's page for a coordinator (audited: it shows the child's record)."""
    pair = services.view_pair(pair_id, current_user)
    today = services.program_today(pair.program)
    page_forms = {
        "meeting_form": forms.meeting_form(pair_id, met_on=today, formdata=None),
        "plan_form": forms.MeetingPlanForm(obj=pair, formdata=None),
        "check_in_form": forms.CheckInForm(held_on=today, formdata=None),
        "close_form": forms.CloseForm(formdata=None),
        **bound,
    }
    return program_page(
        "pair.html",
        pair.program,
        status,
        pair=pair,
        health=reports.pair_health(pair),
        meetings=services.meetings_of(pair_id),
        check_ins=services.check_ins_of(pair_id),
        renew_form=forms.RenewForm(renew="no" if pair.renew_next_term else "yes", formdata=None),
        **page_forms,
    )


@bp.get("/mentoring/pairs/<int:pair_id>")
@policy(policies.pair_coordinator)
def pair(pair_id: int):
    """One pair: health, meetings, check-ins, plan, renewal and closure."""
    return _pair_page(pair_id)


@bp.post("/mentoring/pairs/<int:pair_id>/plan")
@policy(policies.pair_coordinator)
def meeting_plan(pair_id: int):
    """Set when and where the pair meets."""
    form = forms.MeetingPlanForm()
    if not form.validate_on_submit():
        return _pair_page(pair_id, 400, plan_form=form)
    try:
        services.set_meeting_plan(
            pair_id,
            current_user,
            form.meeting_time.data or "",
            form.meeting_place.data or "",
        )
    except services.NotActive:
        flash(_("This pair is no longer active."), "info")
    else:
        flash(_("Meeting time and place saved."), "success")
    return redirect(url_for("mentoring.pair", pair_id=pair_id))


@bp.post("/mentoring/pairs/<int:pair_id>/meetings")
@policy(policies.pair_mentor_or_coordinator)
def log_meeting(pair_id: int):
    """The mentor or a coordinator logs a meeting."""
    pair = services.get_pairing(pair_id)
    by_mentor = services.is_pair_mentor(current_user, pair)
    form = forms.meeting_form(pair_id)
    if form.validate_on_submit():
        draft = services.MeetingDraft(
            form.met_on.data, form.minutes.data, form.activity.data, form.notes.data or ""
        )
        try:
            services.log_meeting(pair_id, current_user, draft)
        except services.InvalidDate:
            form.met_on.errors.append(_("Enter a date between the start of the pair and today."))
        except services.NotActive:
            flash(_("This pair is no longer active."), "info")
            return _after_meeting(pair, by_mentor)
        else:
            flash(_("Meeting logged. Thank you!"), "success")
            return _after_meeting(pair, by_mentor)
    if by_mentor:
        return mentor_page(pair.program, {pair_id: form}, status=400)
    return _pair_page(pair_id, 400, meeting_form=form)


def _after_meeting(pair, by_mentor: bool):
    """Back to the mentor's page or the pair's page."""
    if by_mentor:
        return redirect(url_for("mentoring.mentor_home", program_id=pair.program_id))
    return redirect(url_for("mentoring.pair", pair_id=pair.id))


@bp.post("/mentoring/pairs/<int:pair_id>/check-ins")
@policy(policies.pair_coordinator)
def log_check_in(pair_id: int):
    """Log a check-in with the mentor, mentee or guardian."""
    form = forms.CheckInForm()
    if form.validate_on_submit():
        try:
            services.log_check_in(
                pair_id,
                current_user,
                CheckInWith(form.with_whom.data),
                form.held_on.data,
                form.check_in_notes.data or "",
            )
        except services.InvalidDate:
            form.held_on.errors.append(_("Enter a date between the start of the pair and today."))
        except services.NotActive:
            flash(_("This pair is no longer active."), "info")
            return redirect(url_for("mentoring.pair", pair_id=pair_id))
        else:
            flash(_("Check-in logged."), "success")
            return redirect(url_for("mentoring.pair", pair_id=pair_id))
    return _pair_page(pair_id, 400, check_in_form=form)


@bp.post("/mentoring/pairs/<int:pair_id>/close")
@policy(policies.pair_coordinator)
def close_pair(pair_id: int):
    """End a match with a reason; the mentee returns to the waiting list."""
    form = forms.CloseForm()
    if not form.validate_on_submit():
        return _pair_page(pair_id, 400, close_form=form)
    try:
        services.close_pairing(
            pair_id,
            current_user,
            CloseReason(form.reason.data),
            form.exit_notes.data or "",
            form.mentee_leaves.data,
        )
    except services.NotActive:
        flash(_("This pair was already closed."), "info")
    else:
        flash(_("The match is closed. Thank you for closing it with care."), "success")
    return redirect(url_for("mentoring.pair", pair_id=pair_id))


@bp.post("/mentoring/pairs/<int:pair_id>/renew")
@policy(policies.pair_coordinator)
def renew_pair(pair_id: int):
    """Mark (or unmark) a pair to continue into the next term."""
    form = forms.RenewForm()
    if form.validate_on_submit():
        try:
            services.set_renewal(pair_id, current_user, form.renew.data == "yes")
        except services.NotActive:
            flash(_("This pair is no longer active."), "info")
        else:
            flash(_("Saved."), "success")
    return redirect(url_for("mentoring.pair", pair_id=pair_id))
