"""Mentee views: restricted records entered by the program's coordinators."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from neighborly.mentoring import forms, policies, services
from neighborly.mentoring.views.common import bp, program_page
from neighborly.paging import cursor_arg
from neighborly.policy import policy


@bp.get("/mentoring/programs/<int:program_id>/mentees")
@policy(policies.program_coordinator)
def mentees(program_id: int):
    """The program's mentees by status."""
    found = services.get_program(program_id)
    mentees = services.mentee_page(
        program_id, after=cursor_arg("after"), before=cursor_arg("before")
    )
    total = services.program_counts(program_id)[1]
    return program_page("mentees.html", found, mentees=mentees, total=total)


def _mentee_draft(form: forms.MenteeForm) -> services.MenteeDraft:
    """Turn a valid mentee form into a draft."""
    return services.MenteeDraft(
        first_name=form.first_name.data,
        last_initial=form.last_initial.data,
        grade=int(form.grade.data),
        school=form.school.data,
        teacher=form.teacher.data or "",
        interests=frozenset(form.interests.data or ()),
        languages=frozenset(form.languages.data),
        needed_language=form.needed_language.data or None,
        slots=frozenset(form.availability.data),
        gender=form.gender.data or None,
        gender_preference=form.gender_preference.data or None,
        referral_reason=form.referral_reason.data or "",
        guardian_name=form.guardian_name.data,
        guardian_contact=form.guardian_contact.data,
        guardian_consent_on=form.guardian_consent_on.data,
        notes=form.notes.data or "",
    )


@bp.route("/mentoring/programs/<int:program_id>/mentees/new", methods=["GET", "POST"])
@policy(policies.program_coordinator)
def new_mentee(program_id: int):
    """Enter a child from the signed consent form."""
    found = services.get_program(program_id)
    form = forms.MenteeForm()
    form.set_schools(found)
    if form.validate_on_submit():
        added = services.add_mentee(program_id, current_user, _mentee_draft(form))
        flash(_("%(name)s is on the waiting list.", name=added.display_name), "success")
        return redirect(url_for("mentoring.mentees", program_id=program_id))
    return program_page("mentee_form.html", found, form=form, mentee=None)


@bp.get("/mentoring/mentees/<int:mentee_id>")
@policy(policies.mentee_coordinator)
def mentee(mentee_id: int):
    """A child's full record (every view is audited)."""
    record = services.view_mentee(mentee_id, current_user)
    return program_page(
        "mentee.html", record.program, mentee=record, history=services.pairings_of_mentee(mentee_id)
    )


@bp.route("/mentoring/mentees/<int:mentee_id>/edit", methods=["GET", "POST"])
@policy(policies.mentee_coordinator)
def edit_mentee(mentee_id: int):
    """Correct a child's record (every view is audited)."""
    record = services.view_mentee(mentee_id, current_user)
    form = forms.MenteeForm()
    form.set_schools(record.program)
    if request.method == "GET":
        form.fill_from(record)
    if form.validate_on_submit():
        services.update_mentee(mentee_id, current_user, _mentee_draft(form))
        flash(_("The record is saved."), "success")
        return redirect(url_for("mentoring.mentee", mentee_id=mentee_id))
    return program_page("mentee_form.html", record.program, form=form, mentee=record)
