"""Standing requests: set one up, see its next dates, skip or shift a week, a regular helper."""

from __future__ import annotations

from datetime import time

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from neighborly.errors import NotFound
from neighborly.help_requests import policies, services
from neighborly.help_requests.forms import (
    SERIES_KIND_LABELS,
    PersonChoiceForm,
    SeriesForm,
    ShiftForm,
    SkipForm,
    local_to_utc,
)
from neighborly.help_requests.models import Category, SeriesKind, SeriesStatus
from neighborly.help_requests.views.common import bp, load_community
from neighborly.policy import policy


def _choices(people) -> list[SelectChoice]:
    """People as choices of a select, by name."""
    return [SelectChoice(person.id, person.display_name) for person in people]


def _series_draft(form: SeriesForm) -> services.SeriesDraft:
    """Turn a valid series form into a draft."""
    weekly = form.kind.data == "weekly"
    start: time | None = form.start_time.data
    return services.SeriesDraft(
        kind=SeriesKind(form.kind.data),
        category=Category(form.category.data),
        title=form.title.data,
        details=form.details.data or "",
        street_address=form.street_address.data,
        postal_code=form.postal_code.data,
        estimated_minutes=form.estimated_minutes.data,
        weekday=int(form.weekday.data) if weekly else None,
        start_minute=start.hour * 60 + start.minute if weekly and start else None,
        window_minutes=form.window_hours.data * 60,
        min_snow_inches=None if weekly else form.min_snow_inches.data,
    )


@bp.route("/c/<slug>/standing/new", methods=["GET", "POST"])
@policy(policies.member_of_community)
def series_new(slug: str):
    """A resident sets up help that comes round again."""
    community = load_community(slug)
    form = SeriesForm()
    if form.validate_on_submit() and form.fits(community.postal_code_list):
        try:
            series = services.create_series(community, current_user, _series_draft(form))
        except services.LocationNotFound:
            form.postal_code.errors.append(_("We could not find this ZIP code."))
        else:
            flash(_("Your standing request is set up. Here are its next dates."), "success")
            return redirect(url_for("help_requests.series_detail", series_id=series.id))
    return render_template(
        "help_requests/series_new.html", form=form, community=community, kinds=SERIES_KIND_LABELS
    )


def _viewable(series_id: int):
    """The series, if this person may see it (else 404 like a missing one)."""
    series = services.get_series(series_id)
    if not services.may_view(series, current_user):
        raise NotFound(series_id)
    return series


@bp.get("/standing/<int:series_id>")
@policy(policies.member_of_series_community)
def series_detail(series_id: int):
    """One standing request as one thing: its rule, next dates, regular helper."""
    series = _viewable(series_id)
    manager = current_user.id == series.requester_id or services.is_coordinator(
        current_user, series.community_id
    )
    candidates = PersonChoiceForm(prefix="regular")
    candidates.person_id.choices = _choices(services.regular_candidates(series))
    backups = PersonChoiceForm(prefix="backup")
    backups.person_id.choices = _choices(services.backup_choices(series))
    return render_template(
        "help_requests/series_detail.html",
        series=series,
        upcoming=services.upcoming(series),
        manager=manager,
        can_join=services.can_become_regular(series, current_user.id),
        candidates=candidates,
        backups=backups,
        skip_form=SkipForm(),
        shift_form=ShiftForm(),
    )


def _back(series_id: int):
    """Back to the series page."""
    return redirect(url_for("help_requests.series_detail", series_id=series_id))


@bp.post("/standing/<int:series_id>/skip")
@policy(policies.member_of_series_community)
def series_skip(series_id: int):
    """Skip one date."""
    form = SkipForm()
    if not form.validate_on_submit():
        flash(_("Choose a date to skip."), "error")
        return _back(series_id)
    services.skip_date(series_id, current_user, form.on.data)
    flash(_("That date is skipped. Nobody will be asked for it."), "success")
    return _back(series_id)


@bp.post("/standing/<int:series_id>/shift")
@policy(policies.member_of_series_community)
def series_shift(series_id: int):
    """Move one date to another day and time."""
    form = ShiftForm()
    series = services.get_series(series_id)
    if not form.validate_on_submit():
        flash(_("Choose the date and the new day and time."), "error")
        return _back(series_id)
    new_start = local_to_utc(form.new_start.data, series.community.timezone)
    services.shift_date(series_id, current_user, form.on.data, new_start)
    flash(_("That date is moved."), "success")
    return _back(series_id)


def _set_status(series_id: int, status: SeriesStatus, message: str):
    """Pause, resume or end a standing request, then say so."""
    services.set_series_status(series_id, current_user, status)
    flash(message, "success")
    return _back(series_id)


@bp.post("/standing/<int:series_id>/pause")
@policy(policies.member_of_series_community)
def series_pause(series_id: int):
    """Pause: nobody is asked until it resumes."""
    message = _("Paused. Nobody will be asked until you resume it.")
    return _set_status(series_id, SeriesStatus.PAUSED, message)


@bp.post("/standing/<int:series_id>/resume")
@policy(policies.member_of_series_community)
def series_resume(series_id: int):
    """Resume a paused standing request."""
    return _set_status(series_id, SeriesStatus.ACTIVE, _("Resumed. The next dates are back."))


@bp.post("/standing/<int:series_id>/end")
@policy(policies.member_of_series_community)
def series_end(series_id: int):
    """End a standing request for good."""
    message = _("Ended. Thank you, and thanks to everyone who helped.")
    return _set_status(series_id, SeriesStatus.ENDED, message)


@bp.post("/standing/<int:series_id>/regular")
@policy(policies.member_of_series_community)
def series_regular(series_id: int):
    """Say yes to a regular helper (the resident names one; a volunteer offers themself)."""
    series = services.get_series(series_id)
    volunteer_id = current_user.id
    if current_user.id == series.requester_id or services.is_coordinator(
        current_user, series.community_id
    ):
        form = PersonChoiceForm(prefix="regular")
        form.person_id.choices = _choices(services.regular_candidates(series))
        if not form.validate_on_submit():
            flash(_("Choose a helper from the list."), "error")
            return _back(series_id)
        volunteer_id = form.person_id.data
    try:
        both = services.agree_regular(series_id, current_user, volunteer_id)
    except services.NotOpen:
        flash(_("This can no longer be made regular."), "info")
        return _back(series_id)
    if both:
        flash(_("You both said yes: it is regular now."), "success")
    else:
        flash(_("Thank you. We have asked the other side; it starts once they say yes."), "success")
    return _back(series_id)


@bp.post("/standing/<int:series_id>/regular/end")
@policy(policies.member_of_series_community)
def series_regular_end(series_id: int):
    """End a regular arrangement, kindly, at any time."""
    services.end_regular(series_id, current_user)
    flash(_("The regular arrangement has ended. Thank you both."), "success")
    if current_user.id == services.get_series(series_id).requester_id:
        return _back(series_id)
    slug = services.get_series(series_id).community.slug
    return redirect(url_for("help_requests.volunteer_home", slug=slug))


@bp.post("/standing/<int:series_id>/backup")
@policy(policies.member_of_series_community)
def series_backup(series_id: int):
    """Name the backup helper."""
    form = PersonChoiceForm(prefix="backup")
    form.person_id.choices = _choices(services.backup_choices(services.get_series(series_id)))
    if not form.validate_on_submit():
        flash(_("Choose a helper from the list."), "error")
        return _back(series_id)
    try:
        services.set_backup(series_id, current_user, form.person_id.data)
    except services.NotOpen:
        flash(_("Choose a helper from the list."), "error")
    else:
        flash(_("The backup helper is saved."), "success")
    return _back(series_id)


@bp.post("/requests/<int:request_id>/not-this-week")
@policy(policies.volunteer_of_request_community)
def not_this_week(request_id: int):
    """The regular helper cannot come this time; the backup is asked."""
    try:
        services.not_this_week(request_id, current_user)
    except services.NotOpen:
        flash(_("This week is not yours to hand back."), "info")
    else:
        flash(_("Thanks for letting us know. We have asked your backup."), "success")
    return redirect(url_for("help_requests.detail", request_id=request_id))
