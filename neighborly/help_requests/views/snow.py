"""Snow-day pages: declare, review and change the plan, send, the coverage board."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from neighborly.accounts.models import Community
from neighborly.accounts.services import community_by_slug
from neighborly.help_requests import policies
from neighborly.help_requests import snow_wording as words
from neighborly.help_requests.services import snow
from neighborly.help_requests.snow_forms import UNASSIGNED, ChangeLineForm, DeclareSnowDayForm
from neighborly.help_requests.snow_models import SnowEventStatus, SnowLine
from neighborly.help_requests.views.common import bp
from neighborly.policy import policy
from neighborly.records import load_record


def _page_arg(name: str) -> int | None:
    """A positive integer from the query string, or None for anything else."""
    value = request.args.get(name, "")
    return int(value) if value.isdigit() and 0 < int(value) < 2**31 else None


def _community_of(event):
    """The snow day's community."""
    return load_record(Community, event.community_id)


@bp.route("/c/<slug>/snow-days", methods=["GET", "POST"])
@policy(policies.coordinator_of_community)
def snow_days(slug: str):
    """Declare a snow day; the community's snow days, newest first."""
    community = community_by_slug(slug)
    form = DeclareSnowDayForm()
    if community.distance_unit == "mi":
        form.snowfall.label.text = _("Expected snowfall (inches)")
    else:
        form.snowfall.label.text = _("Expected snowfall (cm)")
    if form.validate_on_submit():
        draft = snow.SnowDayDraft(form.day.data, form.snowfall.data, form.deadline_hours.data)
        event = snow.declare_snow_day(community, current_user, draft)
        flash(_("The snow day is planned. Check the plan, change what you like, then send it."))
        return redirect(url_for("help_requests.snow_review", snow_day_id=event.id))
    events, before = snow.snow_days(community.id, _page_arg("before"))
    return render_template(
        "help_requests/snow/days.html",
        community=community,
        form=form,
        events=events,
        before=before,
        words=words,
    )


@bp.get("/snow-days/<int:snow_day_id>")
@policy(policies.coordinator_of_snow_event)
def snow_review(snow_day_id: int):
    """The plan, line by line, with a way to change each and to send."""
    event = snow.get_event(snow_day_id)
    rows, after = snow.lines(event, _page_arg("after"))
    return render_template(
        "help_requests/snow/review.html",
        event=event,
        community=_community_of(event),
        rows=rows,
        after=after,
        loads=snow.coverage(event),
        words=words,
        sent=event.status == SnowEventStatus.SENT,
    )


@bp.route("/snow-days/<int:snow_day_id>/lines/<int:snow_line_id>", methods=["GET", "POST"])
@policy(policies.coordinator_of_snow_event)
def snow_line(snow_day_id: int, snow_line_id: int):
    """Give one request to another volunteer with room, or leave it unassigned."""
    event = snow.get_event(snow_day_id)
    line = load_record(SnowLine, snow_line_id)
    if line.event_id != event.id:
        abort(404)
    community = _community_of(event)
    choices = snow.choices_for(line)
    form = ChangeLineForm()
    form.volunteer.choices = [
        (str(c.volunteer_id), _choice_label(c, community.distance_unit, line)) for c in choices
    ] + [(UNASSIGNED, _("Leave it unassigned"))]
    if request.method == "GET":
        form.volunteer.data = str(line.volunteer_id) if line.volunteer_id else UNASSIGNED
    if event.status == SnowEventStatus.REVIEW and form.validate_on_submit():
        chosen = None if form.volunteer.data == UNASSIGNED else int(form.volunteer.data)
        try:
            snow.change_line(line.id, current_user, chosen)
        except snow.NoRoom:
            form.volunteer.errors.append(_("That volunteer has no room left. Choose another."))
        else:
            flash(_("The plan is changed."), "success")
            return redirect(url_for("help_requests.snow_review", snow_day_id=event.id))
    return render_template(
        "help_requests/snow/line.html",
        event=event,
        line=line,
        community=community,
        form=form,
        words=words,
        sent=event.status == SnowEventStatus.SENT,
    )


def _choice_label(choice: snow.Choice, unit: str, line: SnowLine) -> str:
    """'Ben O., 0.3 mi away (room for 2)'; the volunteer who has it now says so."""
    far = words.distance_words(choice.distance_km, unit)
    if choice.volunteer_id == line.volunteer_id:
        return _("%(name)s, %(far)s away (has it now)", name=choice.name, far=far)
    room = choice.room
    return _(
        "%(name)s, %(far)s away (room for %(num)d)",
        name=choice.name,
        far=far,
        num=max(room, 0),
    )


@bp.post("/snow-days/<int:snow_day_id>/send")
@policy(policies.coordinator_of_snow_event)
def snow_send(snow_day_id: int):
    """Send the plan: the assignments become accepted requests; volunteers get their lists."""
    try:
        outcomes = snow.send_snow_day(snow_day_id, current_user)
    except snow.AlreadySent:
        flash(_("This snow day was sent already."), "info")
    else:
        sent = outcomes.get(snow.LineOutcome.SENT, 0)
        message = ngettext(
            "Sent. %(num)d request has a volunteer for the morning.",
            "Sent. %(num)d requests have a volunteer for the morning.",
            sent,
        )
        flash(message, "success")
    return redirect(url_for("help_requests.snow_board", snow_day_id=snow_day_id))


@bp.get("/snow-days/<int:snow_day_id>/board")
@policy(policies.coordinator_of_snow_event)
def snow_board(snow_day_id: int):
    """Covered, done, confirmed, nobody yet; time left; who nobody can reach and why."""
    event = snow.get_event(snow_day_id)
    show = request.args.get("show", "")
    show = show if show in (*snow.BOARD_STATES, "unreachable") else ""
    rows, after = snow.lines(event, _page_arg("after"), state=show or None)
    return render_template(
        "help_requests/snow/board.html",
        event=event,
        community=_community_of(event),
        counts=snow.coverage(event),
        rows=rows,
        after=after,
        show=show,
        words=words,
    )
