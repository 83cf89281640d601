"""Program pages: the list, a new program, settings, coordinators, next term."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from neighborly.accounts.services import community_by_slug
from neighborly.mentoring import forms, policies, reports, services
from neighborly.mentoring.models import (
    PairStatus,
)
from neighborly.mentoring.views.common import bp, program_page, related_resources
from neighborly.policy import policy


@bp.get("/c/<slug>/mentoring")
@policy(policies.member_of_community)
def programs(slug: str):
    """The community's mentoring programs: the ones you run, or the ones you can join."""
    community = community_by_slug(slug)
    coordinator = not services.may_apply(current_user, community.id)
    return render_template(
        "mentoring/programs.html",
        community=community,
        coordinator=coordinator,
        programs=(
            services.programs_coordinated(current_user, community.id)
            if coordinator
            else services.programs_in(community.id)
        ),
        enrollments=services.enrollments_of(current_user, community.id),
    )


def _program_draft(form: forms.ProgramForm) -> services.ProgramDraft:
    """Turn a valid program form into a draft."""
    return services.ProgramDraft(
        name=form.name.data,
        mentor_label=form.mentor_label.data,
        mentor_label_plural=form.mentor_label_plural.data,
        mentee_label=form.mentee_label.data,
        mentee_label_plural=form.mentee_label_plural.data,
        schools=form.school_list(),
        feeder_schools=form.feeder_pairs(),
        term_start=form.term_start.data,
        term_end=form.term_end.data,
        meeting_cadence_days=form.meeting_cadence_days.data,
        max_mentees_per_mentor=form.max_mentees_per_mentor.data,
        min_grade_gap=form.min_grade_gap.data,
        requires_guardian_consent=form.requires_guardian_consent.data,
        requires_training=form.requires_training.data,
        requires_background_check=form.requires_background_check.data,
    )


@bp.route("/c/<slug>/mentoring/new", methods=["GET", "POST"])
@policy(policies.coordinator_of_community)
def new_program(slug: str):
    """A community coordinator starts a program."""
    community = community_by_slug(slug)
    form = forms.ProgramForm()
    if form.validate_on_submit():
        try:
            created = services.create_program(community, current_user, _program_draft(form))
        except services.DuplicateName:
            form.name.errors.append(_("Another program here already has this name."))
        else:
            flash(
                _("%(name)s is ready. Next, invite mentors to apply.", name=created.name), "success"
            )
            return redirect(url_for("mentoring.program", program_id=created.id))
    return render_template(
        "mentoring/program_form.html", form=form, community=community, program=None
    )


@bp.get("/mentoring/programs/<int:program_id>")
@policy(policies.program_coordinator)
def program(program_id: int):
    """A program's overview for its coordinators."""
    found, figures = services.program_overview(program_id)
    return program_page(
        "program.html",
        found,
        figures=figures,
        health=reports.program_glance(found, services.program_today(found)),
        related=related_resources(),
    )


@bp.route("/mentoring/programs/<int:program_id>/settings", methods=["GET", "POST"])
@policy(policies.program_coordinator)
def settings(program_id: int):
    """Change a program's settings."""
    found = services.get_program(program_id)
    form = forms.ProgramForm()
    if request.method == "GET":
        form.fill_from(found)
    if form.validate_on_submit():
        try:
            services.update_program(program_id, current_user, _program_draft(form))
        except services.DuplicateName:
            form.name.errors.append(_("Another program here already has this name."))
        else:
            flash(_("The program's settings are saved."), "success")
            return redirect(url_for("mentoring.program", program_id=program_id))
    return render_template(
        "mentoring/program_form.html", form=form, community=found.community, program=found
    )


@bp.route("/mentoring/programs/<int:program_id>/coordinators", methods=["GET", "POST"])
@policy(policies.program_coordinator)
def coordinators(program_id: int):
    """See and add the program's coordinators."""
    found = services.get_program(program_id)
    form = forms.CoordinatorEmailForm()
    if form.validate_on_submit():
        try:
            added = services.add_program_coordinator(program_id, current_user, form.email.data)
        except services.NotACoordinator:
            form.email.errors.append(
                _(
                    "No coordinator of this community uses this email. A site administrator "
                    "can make them a coordinator first."
                )
            )
        else:
            flash(_("%(name)s now runs this program too.", name=added.display_name), "success")
            return redirect(url_for("mentoring.coordinators", program_id=program_id))
    return program_page(
        "coordinators.html", found, form=form, people=services.program_coordinators(program_id)
    )


@bp.route("/mentoring/programs/<int:program_id>/next-term", methods=["GET", "POST"])
@policy(policies.program_coordinator)
def next_term(program_id: int):
    """Start the next term: marked pairs continue, the others close."""
    found = services.get_program(program_id)
    form = forms.NextTermForm()
    if form.validate_on_submit():
        result = services.start_next_term(
            program_id,
            current_user,
            form.term_start.data,
            form.term_end.data,
        )
        flash(
            _(
                "The new term has started. Pairs continuing: %(kept)d. Pairs closed: %(closed)d.",
                kept=result.continued,
                closed=result.closed,
            ),
            "success",
        )
        return redirect(url_for("mentoring.pairs", program_id=program_id))
    return program_page(
        "next_term.html",
        found,
        form=form,
        pairs=services.pairings_of(program_id, PairStatus.ACTIVE),
    )
