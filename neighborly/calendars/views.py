"""The calendar pages: turn one's feed link on or off, read the feed, save one task."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from neighborly.calendars import policies, services
from neighborly.notifications.inbox import reader_timezone
from neighborly.notifications.services import absolute_url
from neighborly.policy import policy

bp = Blueprint("calendars", __name__)


def _calendar_response(body: bytes, filename: str) -> Response:
    """An .ics answer that no cache keeps."""
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.app_template_global()
def task_calendar_link(help_request: Any) -> str | None:
    """Where the helper or resident of an accepted task saves it to their calendar, or None."""
    if not services.may_save_task(help_request, current_user):
        return None
    return url_for("calendars.task", request_id=help_request.id)


@bp.get("/account/calendar")
@policy(policies.signed_in)
def account_calendar():
    """Whether the person's calendar link is on, and the buttons to make or stop one."""
    return render_template(
        "calendars/account.html",
        feed=services.feed_of(current_user),
        tz=reader_timezone(current_user),
    )


@bp.post("/account/calendar/link")
@policy(policies.signed_in)
def new_link():
    """Make a new secret link (any old one stops working) and show it this once."""
    token = services.start_feed(current_user)
    link = absolute_url("calendars.feed", token=token)
    return render_template(
        "calendars/account.html",
        feed=services.feed_of(current_user),
        new_link=link,
        tz=reader_timezone(current_user),
    )


@bp.post("/account/calendar/stop")
@policy(policies.signed_in)
def stop_link():
    """Turn the calendar link off."""
    if services.stop_feed(current_user):
        flash(
            _("Your calendar link is turned off. Calendars using it get nothing more."), "success"
        )
    return redirect(url_for("calendars.account_calendar"))


@bp.get("/calendar/<token>.ics")
@policy(policies.anyone_with_the_link)
def feed(token: str):
    """The personal feed behind a secret link (404 for an unknown or revoked one)."""
    return _calendar_response(services.personal_feed(token), "neighborly.ics")


@bp.get("/requests/<int:request_id>/calendar.ics")
@policy(policies.takes_part_in_task)
def task(request_id: int):
    """One accepted task as a calendar file."""
    return _calendar_response(
        services.task_file(request_id, current_user), f"request-{request_id}.ics"
    )
