"""The inbox pages: the list of notices, opening one, marking all read."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from neighborly.notifications import inbox
from neighborly.paging import cursor_arg
from neighborly.policy import policy

bp = Blueprint("notifications", __name__)
bp.app_context_processor(inbox.inbox_helpers)


def signed_in(user: Any, view_args: dict[str, Any]) -> bool:
    """Any signed-in person (each sees only their own notices)."""
    return bool(user.is_authenticated)


def own_notice(user: Any, view_args: dict[str, Any]) -> bool:
    """The person the notice in the URL was written for (anyone else: 404)."""
    from neighborly.notifications.models import Notification
    from neighborly.records import load_record

    notice = load_record(Notification, view_args.get("notice_id"))
    return bool(user.is_authenticated and notice.user_id == user.id)


@bp.get("/notifications")
@policy(signed_in)
def index():
    """The person's notices, newest first, a page at a time."""
    page = inbox.notices_of(current_user, after=cursor_arg("after"), before=cursor_arg("before"))
    zone = inbox.reader_timezone(current_user)
    return render_template("notifications/index.html", page=page, tz=zone)


@bp.post("/notifications/<int:notice_id>/open")
@policy(own_notice)
def open_notice(notice_id: int):
    """Mark the notice read and go where it points."""
    target = inbox.open_notice(notice_id, current_user)
    return redirect(target or url_for("notifications.index"))


@bp.post("/notifications/read-all")
@policy(signed_in)
def read_all():
    """Mark every notice read."""
    inbox.mark_all_read(current_user)
    flash(_("All your notifications are marked as read."), "success")
    return redirect(url_for("notifications.index"))
