"""Matching views: runs, proposals, approval, hand pairing and the do-not-pair list."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from neighborly.accounts.forms import ConfirmForm
from neighborly.errors import Conflict
from neighborly.mentoring import forms, policies, services, wording
from neighborly.mentoring.models import (
    PairStatus,
)
from neighborly.mentoring.views.common import bp, program_page
from neighborly.policy import policy


@bp.get("/mentoring/programs/<int:program_id>/matching")
@policy(policies.program_coordinator)
def matching(program_id: int):
    """Review the proposals with their reasons; approve, reject, or pair by hand."""
    found = services.get_program(program_id)
    run = services.latest_run(program_id)
    return program_page(
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
        run = services.run_matching(program_id, current_user)
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
        result = services.approve_all(program_id, current_user)
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
    pair = services.get_pairing(pair_id)
    back = redirect(url_for("mentoring.matching", program_id=pair.program_id))
    if not ConfirmForm().validate_on_submit():
        return back
    try:
        services.approve_pairing(pair_id, current_user)
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
    pair = services.get_pairing(pair_id)
    form = forms.RejectForm()
    if not form.validate_on_submit():
        flash(_("Please say briefly why you are turning this pair down."), "error")
    else:
        try:
            services.reject_pairing(pair_id, current_user, form.reason.data)
        except services.NotProposed:
            flash(_("This proposal was already decided or replaced."), "info")
        else:
            flash(_("Proposal turned down. It will not be proposed again."), "success")
    return redirect(url_for("mentoring.matching", program_id=pair.program_id))


def _people_choices(form, program_id: int) -> None:
    """Offer approved mentors and waiting mentees."""
    form.mentor_id.choices = [
        (e.id, f"{e.user.display_name} ({e.active_count}/{e.capacity})")
        for e in services.mentors_who_may_be_paired(program_id)
    ]
    form.mentee_id.choices = [
        (m.id, f"{m.display_name}, {wording.grade_label(m.grade)}")
        for m in services.mentees_who_may_be_paired(program_id)
    ]


@bp.route("/mentoring/programs/<int:program_id>/pair-by-hand", methods=["GET", "POST"])
@policy(policies.program_coordinator)
def hand_pair(program_id: int):
    """Pair a mentor and a mentee directly, after reading any warnings."""
    found = services.get_program(program_id)
    form = forms.HandPairForm()
    _people_choices(form, program_id)
    warnings: tuple[str, ...] = ()
    if form.validate_on_submit():
        try:
            pair = services.pair_by_hand(
                program_id,
                current_user,
                form.mentor_id.data,
                form.mentee_id.data,
                confirmed=form.confirmed.data,
            )
        except services.NeedsConfirmation as needs:
            warnings = needs.warnings
        except services.PairingForbidden as forbidden:
            form.mentor_id.errors.extend(str(wording.CONSTRAINT_LABELS[c]) for c in forbidden.codes)
        except (services.MentorFull, services.MentorNotApproved):
            form.mentor_id.errors.append(_("This mentor cannot take another mentee."))
        except services.MenteeTaken:
            form.mentee_id.errors.append(_("This mentee already has a mentor."))
        else:
            flash(_("Paired by hand."), "success")
            return redirect(url_for("mentoring.pair", pair_id=pair.id))
    status = 400 if form.errors or warnings else 200
    return program_page("hand_pair.html", found, status, form=form, warnings=warnings)


@bp.route("/mentoring/programs/<int:program_id>/do-not-pair", methods=["GET", "POST"])
@policy(policies.program_coordinator)
def do_not_pair(program_id: int):
    """The do-not-pair list."""
    found = services.get_program(program_id)
    form = forms.DoNotPairForm()
    form.mentor_id.choices = [(e.id, e.user.display_name) for e in services.mentors_of(program_id)]
    form.mentee_id.choices = [(m.id, m.display_name) for m in services.mentees_of(program_id)]
    if form.validate_on_submit():
        try:
            services.add_do_not_pair(
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
    return program_page(
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
    rule = services.get_do_not_pair(rule_id)
    if ConfirmForm().validate_on_submit():
        services.remove_do_not_pair(rule_id, current_user)
        flash(_("Removed from the do-not-pair list."), "success")
    return redirect(url_for("mentoring.do_not_pair", program_id=rule.program_id))
