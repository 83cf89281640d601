"""Mentor views: applying, the mentor's own page, screening and decisions."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from neighborly.accounts.forms import ConfirmForm
from neighborly.errors import Conflict
from neighborly.mentoring import forms, policies, services
from neighborly.mentoring.views.common import bp, mentor_page, program_page
from neighborly.paging import cursor_arg
from neighborly.policy import policy


@bp.route("/mentoring/programs/<int:program_id>/apply", methods=["GET", "POST"])
@policy(policies.may_apply)
def apply(program_id: int):
    """Apply with your account to mentor in a program."""
    found = services.get_program(program_id)
    existing = services.enrollment_for(current_user, program_id)
    form = forms.MentorApplicationForm()
    form.set_schools(found)
    if request.method == "GET" and existing is not None:
        form.fill_from(existing)
    if form.validate_on_submit():
        application = services.MentorApplication(
            grade=form.grade_value(),
            school=form.school.data,
            interests=frozenset(form.interests.data or ()),
            languages=frozenset(form.languages.data),
            slots=frozenset(form.availability.data),
            gender=form.gender.data or None,
            gender_preference=form.gender_preference.data or None,
            motivation=form.motivation.data,
        )
        services.apply_to_mentor(program_id, current_user, application)
        flash(
            _("Thank you for applying! A coordinator will be in touch about the next steps."),
            "success",
        )
        return redirect(url_for("mentoring.mentor_home", program_id=program_id))
    return program_page("apply.html", found, form=form, existing=existing)


@bp.get("/mentoring/programs/<int:program_id>/me")
@policy(policies.program_mentor)
def mentor_home(program_id: int):
    """A mentor's own page: status, their mentee, meetings and service hours."""
    return mentor_page(services.get_program(program_id))


@bp.post("/mentoring/programs/<int:program_id>/withdraw")
@policy(policies.program_mentor)
def withdraw(program_id: int):
    """A mentor steps back from the program."""
    if ConfirmForm().validate_on_submit():
        try:
            services.withdraw_enrollment(program_id, current_user)
        except services.HasActivePairs:
            flash(_("Please talk to your coordinator first: you still have a mentee."), "error")
        else:
            flash(_("You have stepped back from the program. Thank you for your time."), "info")
    return redirect(url_for("mentoring.mentor_home", program_id=program_id))


@bp.get("/mentoring/programs/<int:program_id>/mentors")
@policy(policies.program_coordinator)
def mentors(program_id: int):
    """Every mentor application and its status."""
    found = services.get_program(program_id)
    enrolled = services.mentor_page(
        program_id, after=cursor_arg("after"), before=cursor_arg("before")
    )
    return program_page(
        "mentors.html",
        found,
        enrolled=enrolled,
        total=services.program_counts(program_id)[0],
        missing={e.id: services.requirements_missing(e, found) for e in enrolled},
    )


def _mentor_detail(enrollment_id: int, screening=None, decline=None, status: int = 200):
    """Render one mentor's application with the screening and decision forms."""
    enrollment = services.get_enrollment(enrollment_id)
    found = enrollment.program
    if screening is None:
        screening = forms.ScreeningForm(obj=enrollment, formdata=None)
    screening.limit_capacity(found)
    return program_page(
        "mentor.html",
        found,
        status,
        enrollment=enrollment,
        missing=services.requirements_missing(enrollment, found),
        screening=screening,
        decline=decline or forms.DeclineForm(formdata=None),
    )


@bp.get("/mentoring/mentors/<int:enrollment_id>")
@policy(policies.enrollment_coordinator)
def mentor(enrollment_id: int):
    """One mentor's application and screening."""
    return _mentor_detail(enrollment_id)


@bp.post("/mentoring/mentors/<int:enrollment_id>/screening")
@policy(policies.enrollment_coordinator)
def screening(enrollment_id: int):
    """Record consent, training, background check and capacity."""
    form = forms.ScreeningForm()
    form.limit_capacity(services.get_enrollment(enrollment_id).program)
    if not form.validate_on_submit():
        return _mentor_detail(enrollment_id, screening=form, status=400)
    record = services.Screening(
        guardian_consent_on=form.guardian_consent_on.data,
        training_completed_on=form.training_completed_on.data,
        background_check_on=form.background_check_on.data,
        capacity=form.capacity.data,
    )
    try:
        services.record_screening(enrollment_id, current_user, record)
    except services.CapacityBelowActive:
        form.capacity.errors.append(_("This mentor already has more mentees than that."))
        return _mentor_detail(enrollment_id, screening=form, status=400)
    flash(_("Screening saved."), "success")
    return redirect(url_for("mentoring.mentor", enrollment_id=enrollment_id))


@bp.post("/mentoring/mentors/<int:enrollment_id>/approve")
@policy(policies.enrollment_coordinator)
def approve_mentor(enrollment_id: int):
    """Approve an applicant."""
    if ConfirmForm().validate_on_submit():
        try:
            approved = services.approve_mentor(enrollment_id, current_user)
        except Conflict:
            flash(_("This application was already decided."), "info")
        else:
            flash(_("%(name)s is approved.", name=approved.user.display_name), "success")
    return redirect(url_for("mentoring.mentor", enrollment_id=enrollment_id))


@bp.post("/mentoring/mentors/<int:enrollment_id>/decline")
@policy(policies.enrollment_coordinator)
def decline_mentor(enrollment_id: int):
    """Decline an applicant."""
    form = forms.DeclineForm()
    if not form.validate_on_submit():
        return _mentor_detail(enrollment_id, decline=form, status=400)
    try:
        services.decline_mentor(enrollment_id, current_user, form.reason.data or "")
    except Conflict:
        flash(_("Only applicants and mentors without a mentee can be declined."), "error")
    else:
        flash(_("The application is declined."), "info")
    return redirect(url_for("mentoring.mentor", enrollment_id=enrollment_id))
