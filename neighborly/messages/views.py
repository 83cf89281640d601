"""Thread pages: read a request's or a pair's thread, write in it, hide a message."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from neighborly.errors import NotAllowed
from neighborly.extensions import limiter
from neighborly.limits import configured, counted_if_done, per_person
from neighborly.messages import policies, services
from neighborly.messages.forms import MessageForm
from neighborly.messages.models import ThreadKind
from neighborly.policy import policy

bp = Blueprint("messages", __name__)

_per_person = limiter.limit(
    configured("MESSAGE_LIMIT_PER_PERSON"), key_func=per_person, **counted_if_done
)
_per_address = limiter.limit(configured("MESSAGE_LIMIT_PER_ADDRESS"), **counted_if_done)


@bp.app_template_global()
def message_thread(kind: str, owner: Any, before: int | None = None):
    """The thread of a request or pair as the signed-in person may see it, or None."""
    return services.thread_for(ThreadKind(kind), owner, current_user, before=before)


@bp.app_template_global()
def message_form() -> MessageForm:
    """An empty message form for a thread include."""
    return MessageForm(formdata=None)


def _thread_page(kind: ThreadKind, object_id: int, form: MessageForm | None = None, status=200):
    """The whole thread on its own page, a page of messages at a time."""
    owner = services.thread_owner(kind, object_id)
    before = request.args.get("before", type=int)
    thread = services.thread_for(kind, owner, current_user, before=before if before else None)
    page = render_template(
        "messages/thread.html",
        kind=kind.value,
        owner=owner,
        thread=thread,
        thread_form=form or MessageForm(formdata=None),
        before=before,
    )
    return page, status


def _post(kind: ThreadKind, object_id: int, back: str):
    """Post the form's message, or show the thread again with the message beside the field."""
    form = MessageForm()
    if not form.validate_on_submit():
        return _thread_page(kind, object_id, form, status=400)
    try:
        services.post_message(kind, object_id, current_user, form.body.data)
    except NotAllowed:
        flash(_("This conversation is closed, so no new messages can be added."), "info")
    except services.EmptyMessage:
        form.body.errors.append(_("Please write a message."))
        return _thread_page(kind, object_id, form, status=400)
    else:
        flash(_("Your message is sent."), "success")
    return redirect(back)


@bp.get("/requests/<int:request_id>/messages")
@policy(policies.reads_request_thread)
def request_thread(request_id: int):
    """A request's thread."""
    return _thread_page(ThreadKind.REQUEST, request_id)


@bp.post("/requests/<int:request_id>/messages")
@policy(policies.reads_request_thread)
@_per_person
@_per_address
def post_request_message(request_id: int):
    """Write in a request's thread."""
    back = url_for("help_requests.detail", request_id=request_id) + "#thread"
    return _post(ThreadKind.REQUEST, request_id, back)


@bp.get("/mentoring/pairs/<int:pair_id>/messages")
@policy(policies.reads_pair_thread)
def pair_thread(pair_id: int):
    """A mentoring pair's thread: the mentor and the program's coordinators."""
    return _thread_page(ThreadKind.PAIR, pair_id)


@bp.post("/mentoring/pairs/<int:pair_id>/messages")
@policy(policies.reads_pair_thread)
@_per_person
@_per_address
def post_pair_message(pair_id: int):
    """Write in a pair's thread."""
    return _post(ThreadKind.PAIR, pair_id, url_for("messages.pair_thread", pair_id=pair_id))


@bp.post("/messages/<int:message_id>/hide")
@policy(policies.moderates_message_thread)
def hide(message_id: int):
    """A coordinator hides a message (kept, and audited)."""
    message = services.hide_message(message_id, current_user)
    flash(_("The message is hidden. Its text is kept for the record."), "success")
    if message.thread_kind == ThreadKind.REQUEST:
        target = url_for("help_requests.detail", request_id=message.thread_id)
    else:
        target = url_for("messages.pair_thread", pair_id=message.thread_id)
    return redirect(target + "#thread")
