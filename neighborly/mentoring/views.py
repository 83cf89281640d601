"""Mentoring programs: enrolment, screening, matching, pairs, meetings, events and reports."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from neighborly.accounts.forms import ConfirmForm
from neighborly.accounts.services import community_by_slug
from neighborly.errors import Conflict, NotAllowed, NotFound
from neighborly.mentoring import calendar, forms, policies, reports, services, wording
from neighborly.mentoring.models import (
    CheckInWith,
    CloseReason,
    EnrollmentStatus,
    MenteeStatus,
    PairStatus,
)
from neighborly.policy import policy
from neighborly.resources import services as resources
from neighborly.timeutil import utcnow

bp = Blueprint("mentoring", __name__)


@bp.context_processor
def _words() -> dict:
    """Labels and wording helpers for every mentoring template."""
    return {
        "day": wording.day_text,
        "grade_label": wording.grade_label,
        "slots_text": wording.slots_text,
        "reason_text": wording.reason_text,
        "interests_text": wording.interests_text,
        "languages_text": wording.languages_text,
        "labels": wording,
    }


def _call(action: Callable, *args: Any, **kwargs: Any) -> Any:
    """Run a service; unknown objects are 404, forbidden ones 403."""
    try:
        return action(*args, **kwargs)
    except NotFound:
        abort(404)
    except NotAllowed:
        abort(403)


def _program(program_id: int):
    """The program in the URL."""
    return _call(services.get_program, program_id)


def _related_resources() -> list:
    """Two or three published resources on mentoring and wellbeing for a program page."""
    return resources.related_resources(resources.topics_for_program(), limit=3)


def _page(template: str, program, status: int = 200, **context) -> tuple[str, int]:
    """Render a program page with the program in context."""
    return render_template(f"mentoring/{template}", program=program, **context), status


# ---------------------------------------------------------------- programs


@bp.get("/c/<slug>/mentoring")
@policy(policies.member_of_community)
def programs(slug: str):
    """The community's mentoring programs: the ones you run, or the ones you can join."""
    community = _call(community_by_slug, slug)
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
    community = _call(community_by_slug, slug)
    form = forms.ProgramForm()
    if form.validate_on_submit():
        try:
            created = _call(services.create_program, community, current_user, _program_draft(form))
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
    found = _program(program_id)
    return _page(
        "program.html",
        found,
        mentors=services.mentors_of(program_id),
        waiting=services.mentees_of(program_id, MenteeStatus.WAITING),
        proposals=services.pairings_of(program_id, PairStatus.PROPOSED),
        health=reports.program_health(program_id),
        related=_related_resources(),
    )


@bp.route("/mentoring/programs/<int:program_id>/settings", methods=["GET", "POST"])
@policy(policies.program_coordinator)
def settings(program_id: int):
    """Change a program's settings."""
    found = _program(program_id)
    form = forms.ProgramForm()
    if request.method == "GET":
        form.fill_from(found)
    if form.validate_on_submit():
        try:
            _call(services.update_program, program_id, current_user, _program_draft(form))
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
    found = _program(program_id)
    form = forms.CoordinatorEmailForm()
    if form.validate_on_submit():
        try:
            added = _call(
                services.add_program_coordinator, program_id, current_user, form.email.data
            )
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
    return _page(
        "coordinators.html", found, form=form, people=services.program_coordinators(program_id)
    )


@bp.route("/mentoring/programs/<int:program_id>/next-term", methods=["GET", "POST"])
@policy(policies.program_coordinator)
def next_term(program_id: int):
    """Start the next term: marked pairs continue, the others close."""
    found = _program(program_id)
    form = forms.NextTermForm()
    if form.validate_on_submit():
        result = _call(
            services.start_next_term,
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
    return _page(
        "next_term.html",
        found,
        form=form,
        pairs=services.pairings_of(program_id, PairStatus.ACTIVE),
    )


# ---------------------------------------------------------------- mentors


@bp.route("/mentoring/programs/<int:program_id>/apply", methods=["GET", "POST"])
@policy(policies.may_apply)
def apply(program_id: int):
    """Apply with your account to mentor in a program."""
    found = _program(program_id)
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
        _call(services.apply_to_mentor, program_id, current_user, application)
        flash(
            _("Thank you for applying! A coordinator will be in touch about the next steps."),
            "success",
        )
        return redirect(url_for("mentoring.mentor_home", program_id=program_id))
    return _page("apply.html", found, form=form, existing=existing)


def _mentor_page(found, meeting_forms: dict | None = None, status: int = 200):
    """Render the mentor's own page (each mentee shown is audited)."""
    page = _call(reports.mentor_page, found.id, current_user)
    today = services.program_today(found)
    meeting_forms = meeting_forms or {}
    for card in page.mentees:
        meeting_forms.setdefault(
            card.pair_id, forms.meeting_form(card.pair_id, met_on=today, formdata=None)
        )
    return _page(
        "mentor_home.html",
        found,
        status,
        page=page,
        upcoming=services.upcoming_events_for(page.enrollment, today),
        meeting_forms=meeting_forms,
        related=_related_resources(),
    )


@bp.get("/mentoring/programs/<int:program_id>/me")
@policy(policies.program_mentor)
def mentor_home(program_id: int):
    """A mentor's own page: status, their mentee, meetings and service hours."""
    return _mentor_page(_program(program_id))


@bp.post("/mentoring/programs/<int:program_id>/withdraw")
@policy(policies.program_mentor)
def withdraw(program_id: int):
    """A mentor steps back from the program."""
    if ConfirmForm().validate_on_submit():
        try:
            _call(services.withdraw_enrollment, program_id, current_user)
        except services.HasActivePairs:
            flash(_("Please talk to your coordinator first: you still have a mentee."), "error")
        else:
            flash(_("You have stepped back from the program. Thank you for your time."), "info")
    return redirect(url_for("mentoring.mentor_home", program_id=program_id))


@bp.get("/mentoring/programs/<int:program_id>/mentors")
@policy(policies.program_coordinator)
def mentors(program_id: int):
    """Every mentor application and its status."""
    found = _program(program_id)
    enrolled = services.mentors_of(program_id)
    return _page(
        "mentors.html",
        found,
        enrolled=enrolled,
        missing={e.id: services.requirements_missing(e, found) for e in enrolled},
    )


def _mentor_detail(enrollment_id: int, screening=None, decline=None, status: int = 200):
    """Render one mentor's application with the screening and decision forms."""
    enrollment = _call(services.get_enrollment, enrollment_id)
    found = enrollment.program
    if screening is None:
        screening = forms.ScreeningForm(obj=enrollment, formdata=None)
    screening.limit_capacity(found)
    return _page(
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
    form.limit_capacity(_call(services.get_enrollment, enrollment_id).program)
    if not form.validate_on_submit():
        return _mentor_detail(enrollment_id, screening=form, status=400)
    record = services.Screening(
        guardian_consent_on=form.guardian_consent_on.data,
        training_completed_on=form.training_completed_on.data,
        background_check_on=form.background_check_on.data,
        capacity=form.capacity.data,
    )
    try:
        _call(services.record_screening, enrollment_id, current_user, record)
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
            approved = _call(services.approve_mentor, enrollment_id, current_user)
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
        _call(services.decline_mentor, enrollment_id, current_user, form.reason.data or "")
    except Conflict:
        flash(_("Only applicants and mentors without a mentee can be declined."), "error")
    else:
        flash(_("The application is declined."), "info")
    return redirect(url_for("mentoring.mentor", enrollment_id=enrollment_id))


# ---------------------------------------------------------------- mentees


@bp.get("/mentoring/programs/<int:program_id>/mentees")
@policy(policies.program_coordinator)
def mentees(program_id: int):
    """The program's mentees by status."""
    found = _program(program_id)
    return _page("mentees.html", found, mentees=services.mentees_of(program_id))


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
    found = _program(program_id)
    form = forms.MenteeForm()
    form.set_schools(found)
    if form.validate_on_submit():
        added = _call(services.add_mentee, program_id, current_user, _mentee_draft(form))
        flash(_("%(name)s is on the waiting list.", name=added.display_name), "success")
        return redirect(url_for("mentoring.mentees", program_id=program_id))
    return _page("mentee_form.html", found, form=form, mentee=None)


@bp.get("/mentoring/mentees/<int:mentee_id>")
@policy(policies.mentee_coordinator)
def mentee(mentee_id: int):
    """A child's full record (every view is audited)."""
    record = _call(services.view_mentee, mentee_id, current_user)
    return _page(
        "mentee.html", record.program, mentee=record, history=services.pairings_of_mentee(mentee_id)
    )


@bp.route("/mentoring/mentees/<int:mentee_id>/edit", methods=["GET", "POST"])
@policy(policies.mentee_coordinator)
def edit_mentee(mentee_id: int):
    """Correct a child's record (every view is audited)."""
    record = _call(services.view_mentee, mentee_id, current_user)
    form = forms.MenteeForm()
    form.set_schools(record.program)
    if request.method == "GET":
        form.fill_from(record)
    if form.validate_on_submit():
        _call(services.update_mentee, mentee_id, current_user, _mentee_draft(form))
        flash(_("The record is saved."), "success")
        return redirect(url_for("mentoring.mentee", mentee_id=mentee_id))
    return _page("mentee_form.html", record.program, form=form, mentee=record)


# ---------------------------------------------------------------- matching


@bp.get("/mentoring/programs/<int:program_id>/matching")
@policy(policies.program_coordinator)
def matching(program_id: int):
    """Review the proposals with their reasons; approve, reject, or pair by hand."""
    found = _program(program_id)
    run = services.latest_run(program_id)
    return _page(
        "matching.html",
        found,
        run=run,
        proposals=services.pairings_of(program_id, PairStatus.PROPOSED),
        mentor_names={e.id: e.user.display_name for e in services.mentors_of(program_id)},
        mentees={m.id: m for m in services.mentees_of(program_id)},
        reject_form=forms.RejectForm(formdata=None),
    )


@bp.post("/mentoring/programs/<int:program_id>/matching/run")
@policy(policies.program_coordinator)
def run_matching(program_id: int):
    """Run the pairing and show the proposals."""
    if ConfirmForm().validate_on_submit():
        run = _call(services.run_matching, program_id, current_user)
        flash(
            ngettext(
                "%(num)d pair proposed. Please review it.",
                "%(num)d pairs proposed. Please review each one.",
                run.proposal_count,
            ),
            "success",
        )
    return redirect(url_for("mentoring.matching", program_id=program_id))


@bp.post("/mentoring/programs/<int:program_id>/matching/approve-all")
@policy(policies.program_coordinator)
def approve_all(program_id: int):
    """Approve every open proposal."""
    if ConfirmForm().validate_on_submit():
        result = _call(services.approve_all, program_id, current_user)
        flash(
            ngettext("%(num)d pair approved.", "%(num)d pairs approved.", result.approved),
            "success",
        )
        if result.skipped:
            flash(
                ngettext(
                    "%(num)d could not be approved because a mentor was full or a mentee "
                    "was already paired.",
                    "%(num)d could not be approved because a mentor was full or a mentee "
                    "was already paired.",
                    result.skipped,
                ),
                "info",
            )
    return redirect(url_for("mentoring.matching", program_id=program_id))


@bp.post("/mentoring/pairs/<int:pair_id>/approve")
@policy(policies.pair_coordinator)
def approve_pair(pair_id: int):
    """Approve one proposal: exactly the mentor's capacity can win."""
    pair = _call(services.get_pairing, pair_id)
    back = redirect(url_for("mentoring.matching", program_id=pair.program_id))
    if not ConfirmForm().validate_on_submit():
        return back
    try:
        _call(services.approve_pairing, pair_id, current_user)
    except services.MentorFull:
        flash(
            _(
                "%(name)s already has as many mentees as they may.",
                name=pair.mentor.user.display_name,
            ),
            "error",
        )
    except services.MenteeTaken:
        flash(_("%(name)s already has a mentor.", name=pair.mentee.display_name), "info")
    except services.NotProposed:
        flash(_("This proposal was already decided or replaced."), "info")
    else:
        flash(
            _(
                "%(mentor)s and %(mentee)s are paired.",
                mentor=pair.mentor.user.display_name,
                mentee=pair.mentee.display_name,
            ),
            "success",
        )
    return back


@bp.post("/mentoring/pairs/<int:pair_id>/reject")
@policy(policies.pair_coordinator)
def reject_pair(pair_id: int):
    """Turn a proposal down with a reason."""
    pair = _call(services.get_pairing, pair_id)
    form = forms.RejectForm()
    if not form.validate_on_submit():
        flash(_("Please say briefly why you are turning this pair down."), "error")
    else:
        try:
            _call(services.reject_pairing, pair_id, current_user, form.reason.data)
        except services.NotProposed:
            flash(_("This proposal was already decided or replaced."), "info")
        else:
            flash(_("Proposal turned down. It will not be proposed again."), "success")
    return redirect(url_for("mentoring.matching", program_id=pair.program_id))


def _people_choices(form, program_id: int) -> None:
    """Offer approved mentors and waiting mentees."""
    form.mentor_id.choices = [
        (e.id, f"{e.user.display_name} ({e.active_count}/{e.capacity})")
        for e in services.mentors_of(program_id)
        if e.status == EnrollmentStatus.APPROVED
    ]
    form.mentee_id.choices = [
        (m.id, f"{m.display_name}, {forms.grade_label(m.grade)}")
        for m in services.mentees_of(program_id, MenteeStatus.WAITING)
    ]


@bp.route("/mentoring/programs/<int:program_id>/pair-by-hand", methods=["GET", "POST"])
@policy(policies.program_coordinator)
def hand_pair(program_id: int):
    """Pair a mentor and a mentee directly, after reading any warnings."""
    found = _program(program_id)
    form = forms.HandPairForm()
    _people_choices(form, program_id)
    warnings: tuple[str, ...] = ()
    if form.validate_on_submit():
        try:
            pair = _call(
                services.pair_by_hand,
                program_id,
                current_user,
                form.mentor_id.data,
                form.mentee_id.data,
                confirmed=form.confirmed.data,
            )
        except services.NeedsConfirmation as needs:
            warnings = needs.warnings
        except services.PairingForbidden as forbidden:
            form.mentor_id.errors.extend(str(forms.CONSTRAINT_LABELS[c]) for c in forbidden.codes)
        except (services.MentorFull, services.MentorNotApproved):
            form.mentor_id.errors.append(_("This mentor cannot take another mentee."))
        except services.MenteeTaken:
            form.mentee_id.errors.append(_("This mentee already has a mentor."))
        else:
            flash(_("Paired by hand."), "success")
            return redirect(url_for("mentoring.pair", pair_id=pair.id))
    status = 400 if form.errors or warnings else 200
    return _page("hand_pair.html", found, status, form=form, warnings=warnings)


@bp.route("/mentoring/programs/<int:program_id>/do-not-pair", methods=["GET", "POST"])
@policy(policies.program_coordinator)
def do_not_pair(program_id: int):
    """The do-not-pair list."""
    found = _program(program_id)
    form = forms.DoNotPairForm()
    form.mentor_id.choices = [(e.id, e.user.display_name) for e in services.mentors_of(program_id)]
    form.mentee_id.choices = [(m.id, m.display_name) for m in services.mentees_of(program_id)]
    if form.validate_on_submit():
        try:
            _call(
                services.add_do_not_pair,
                program_id,
                current_user,
                form.mentor_id.data,
                form.mentee_id.data,
                form.reason.data,
            )
        except Conflict:
            form.mentee_id.errors.append(_("These two are already on the list."))
        else:
            flash(_("They will not be proposed together."), "success")
            return redirect(url_for("mentoring.do_not_pair", program_id=program_id))
    return _page(
        "do_not_pair.html",
        found,
        400 if form.errors else 200,
        form=form,
        rules=services.do_not_pair_of(program_id),
    )


@bp.post("/mentoring/do-not-pair/<int:rule_id>/remove")
@policy(policies.rule_coordinator)
def remove_do_not_pair(rule_id: int):
    """Take a pair off the do-not-pair list."""
    rule = _call(services.get_do_not_pair, rule_id)
    if ConfirmForm().validate_on_submit():
        _call(services.remove_do_not_pair, rule_id, current_user)
        flash(_("Removed from the do-not-pair list."), "success")
    return redirect(url_for("mentoring.do_not_pair", program_id=rule.program_id))


# ---------------------------------------------------------------- pairs


@bp.get("/mentoring/programs/<int:program_id>/pairs")
@policy(policies.program_coordinator)
def pairs(program_id: int):
    """Active pairs and their health, most overdue first."""
    found = _program(program_id)
    return _page("pairs.html", found, health=reports.program_health(program_id))


def _pair_page(pair_id: int, status: int = 200, **bound):
    """Render a pair's page for a coordinator (audited: it shows the child's record)."""
    pair = _call(services.view_pair, pair_id, current_user)
    today = services.program_today(pair.program)
    page_forms = {
        "meeting_form": forms.meeting_form(pair_id, met_on=today, formdata=None),
        "plan_form": forms.MeetingPlanForm(obj=pair, formdata=None),
        "check_in_form": forms.CheckInForm(held_on=today, formdata=None),
        "close_form": forms.CloseForm(formdata=None),
        **bound,
    }
    return _page(
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
        _call(
            services.set_meeting_plan,
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
    pair = _call(services.get_pairing, pair_id)
    by_mentor = services.is_pair_mentor(current_user, pair)
    form = forms.meeting_form(pair_id)
    if form.validate_on_submit():
        draft = services.MeetingDraft(
            form.met_on.data, form.minutes.data, form.activity.data, form.notes.data or ""
        )
        try:
            _call(services.log_meeting, pair_id, current_user, draft)
        except services.InvalidDate:
            form.met_on.errors.append(_("Enter a date between the start of the pair and today."))
        except services.NotActive:
            flash(_("This pair is no longer active."), "info")
            return _after_meeting(pair, by_mentor)
        else:
            flash(_("Meeting logged. Thank you!"), "success")
            return _after_meeting(pair, by_mentor)
    if by_mentor:
        return _mentor_page(pair.program, {pair_id: form}, status=400)
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
            _call(
                services.log_check_in,
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
        _call(
            services.close_pairing,
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
            _call(services.set_renewal, pair_id, current_user, form.renew.data == "yes")
        except services.NotActive:
            flash(_("This pair is no longer active."), "info")
        else:
            flash(_("Saved."), "success")
    return redirect(url_for("mentoring.pair", pair_id=pair_id))


# ---------------------------------------------------------------- events


@bp.route("/mentoring/programs/<int:program_id>/events", methods=["GET", "POST"])
@policy(policies.program_coordinator)
def events(program_id: int):
    """Group events such as Wolf Den dinners."""
    found = _program(program_id)
    form = forms.EventForm()
    if request.method == "GET":
        form.held_on.data = services.program_today(found)
    if form.validate_on_submit():
        draft = services.EventDraft(
            form.name.data, form.held_on.data, form.minutes.data, form.place.data or ""
        )
        created = _call(services.create_event, program_id, current_user, draft)
        flash(_("Event added. Now tick who came."), "success")
        return redirect(url_for("mentoring.event", event_id=created.id))
    return _page(
        "events.html",
        found,
        400 if form.errors else 200,
        form=form,
        events=services.events_of(program_id),
    )


@bp.route("/mentoring/events/<int:event_id>", methods=["GET", "POST"])
@policy(policies.event_coordinator)
def event(event_id: int):
    """Who came to an event."""
    found = _call(services.get_event, event_id)
    program = _program(found.program_id)
    came_mentors, came_mentees = services.attendance_of(event_id)
    form = forms.AttendanceForm()
    form.mentors.choices = [
        (e.id, e.user.display_name)
        for e in services.mentors_of(program.id)
        if e.status == EnrollmentStatus.APPROVED or e.id in came_mentors
    ]
    form.mentees.choices = [(m.id, m.display_name) for m in services.mentees_of(program.id)]
    if request.method == "GET":
        form.mentors.data, form.mentees.data = sorted(came_mentors), sorted(came_mentees)
    if form.validate_on_submit():
        _call(
            services.record_attendance,
            event_id,
            current_user,
            set(form.mentors.data or ()),
            set(form.mentees.data or ()),
        )
        flash(_("Attendance saved."), "success")
        return redirect(url_for("mentoring.events", program_id=program.id))
    return _page("event.html", program, form=form, event=found)


# ---------------------------------------------------------------- reports


@bp.get("/mentoring/programs/<int:program_id>/reports")
@policy(policies.program_coordinator)
def report(program_id: int):
    """The program's figures."""
    found = _program(program_id)
    return _page("reports.html", found, report=reports.program_report(program_id))


def _csv_response(text: str, filename: str) -> Response:
    """A CSV download."""
    return Response(
        text,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@bp.get("/mentoring/programs/<int:program_id>/reports/pairs.csv")
@policy(policies.program_coordinator)
def pairs_csv(program_id: int):
    """Every match as CSV (no restricted fields)."""
    text = _call(reports.pairs_csv, program_id, current_user)
    return _csv_response(text, f"program-{program_id}-pairs.csv")


@bp.get("/mentoring/programs/<int:program_id>/reports/mentors.csv")
@policy(policies.program_coordinator)
def mentors_csv(program_id: int):
    """Every mentor's service hours as CSV."""
    text = _call(reports.mentors_csv, program_id, current_user)
    return _csv_response(text, f"program-{program_id}-mentors.csv")


@bp.get("/mentoring/events/<int:event_id>/calendar.ics")
@policy(policies.event_mentor_or_coordinator)
def event_calendar(event_id: int):
    """The event as a calendar file, for a mentor's or coordinator's own calendar."""
    found = _call(services.get_event, event_id)
    entry = calendar.CalendarEvent(
        uid=f"mentoring-event-{found.id}@{request.host.split(':')[0]}",
        name=found.name,
        program=_program(found.program_id).name,
        held_on=found.held_on,
        place=found.place,
        url=url_for("mentoring.mentor_home", program_id=found.program_id, _external=True),
    )
    body = calendar.event_calendar(entry, utcnow())
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = f'attachment; filename="event-{found.id}.ics"'
    return response
