"""Group event views: the event list and attendance."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from neighborly.mentoring import forms, policies, services
from neighborly.mentoring.views.common import bp, program_page
from neighborly.paging import cursor_arg
from neighborly.policy import policy


@bp.route("/mentoring/programs/<int:program_id>/events", methods=["GET", "POST"])
@policy(policies.program_coordinator)
def events(program_id: int):
    """Group events such as Wolf Den dinners."""
    found = services.get_program(program_id)
    form = forms.EventForm()
    if request.method == "GET":
        form.held_on.data = services.program_today(found)
    if form.validate_on_submit():
        draft = services.EventDraft(
            form.name.data, form.held_on.data, form.minutes.data, form.place.data or ""
        )
        created = services.create_event(program_id, current_user, draft)
        flash(_("Event added. Now tick who came."), "success")
        return redirect(url_for("mentoring.event", event_id=created.id))
    return program_page(
        "events.html",
        found,
        400 if form.errors else 200,
        form=form,
        events=services.event_page(
            program_id, after=cursor_arg("after"), before=cursor_arg("before")
        ),
    )


@bp.route("/mentoring/events/<int:event_id>", methods=["GET", "POST"])
@policy(policies.event_coordinator)
def event(event_id: int):
    """Who came to an event."""
    found = services.get_event(event_id)
    program = services.get_program(found.program_id)
    came_mentors, came_mentees = services.attendance_of(event_id)
    form = forms.AttendanceForm()
    form.mentors.choices = [
        (e.id, e.user.display_name)
        for e in services.mentors_who_may_attend(program.id, came_mentors)
    ]
    form.mentees.choices = [(m.id, m.display_name) for m in services.mentees_of(program.id)]
    if request.method == "GET":
        form.mentors.data, form.mentees.data = sorted(came_mentors), sorted(came_mentees)
    if form.validate_on_submit():
        services.record_attendance(
            event_id,
            current_user,
            set(form.mentors.data or ()),
            set(form.mentees.data or ()),
        )
        flash(_("Attendance saved."), "success")
        return redirect(url_for("mentoring.events", program_id=program.id))
    return program_page("event.html", program, form=form, event=found)
