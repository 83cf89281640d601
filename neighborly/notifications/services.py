"""Tell a person about an event: by email and/or text, in their language, as they chose.

The outbox (outbox.py) holds what is queued; channels.py sends it; worker.py decides when.
"""

from __future__ import annotations

import re
from contextlib import AbstractContextManager, nullcontext
from datetime import datetime
from typing import Any

from flask import current_app, g, has_request_context
from flask_babel import force_locale
from flask_babel import gettext as _
from jinja2 import TemplateNotFound

from neighborly.notifications.inbox import record_notice
from neighborly.notifications.links import absolute_url
from neighborly.notifications.models import OutboxMessage
from neighborly.notifications.outbox import (
    BATCH,
    queue_email,
    queue_text,
    send_due,
    want_delivery,
)
from neighborly.notifications.preferences import (
    Reach,
    channels_for,
    hold_until,
    is_essential,
    reach_of,
    reaches_of,
    unsubscribe_url_for,
)
from neighborly.timeutil import utcnow

__all__ = [
    "absolute_url",
    "deliver_pending",
    "event_kind",
    "notify",
    "queue_email",
    "queue_text",
    "reaches_for",
]
TEXT_LIMIT = 160
SWEEP_SENDS_NEXT = "outbox_sweep_sends_next"  # in `g`: a worker's sweep sends after its due steps


def notify(
    user: Any,
    subject: Any,
    template: str,
    now: datetime | None = None,
    reach: Reach | None = None,
    **context: Any,
) -> OutboxMessage | None:
    """Queue an event's email (and text, for people who agreed) in the person's own language.

    `subject` is a lazy string (lazy_gettext) so it is translated in the person's language.
    `reach` is the person's choices when the caller read them for a group (`reaches_for`).
    Returns the queued email, or None when the person gets none (no email, or they chose so).
    """
    kind = event_kind(template)
    record_notice(user, subject, kind, context, now=now)
    reach = _reach(user, kind) if reach is None or is_essential(kind) else reach
    channels = channels_for(user, kind, reach)
    with _request_for_email(), force_locale(_locale_of(user)):
        if channels.sms:
            _queue_text(user, template, kind, now, context, reach)
        if channels.email:
            return _queue_email(user, subject, template, kind, now, context, reach)
    return None


def _reach(user: Any, kind: str) -> Reach | None:
    """The person's choices for this kind in one statement; None when no choice applies."""
    user_id = getattr(user, "id", None)
    if is_essential(kind) or user_id is None:
        return None
    return reach_of(user_id, kind)


def reaches_for(user_ids: list[int], template: str) -> dict[int, Reach]:
    """The choices of several people about one event (its email template), in one statement,
    for `notify(..., reach=...)` when telling a group."""
    return reaches_of(user_ids, event_kind(template))


def _render(template: str, **context: Any) -> str:
    """A message template with only what it is given: a page's context (the person viewing it,
    their session, forms) has no place in a message to someone else."""
    return current_app.jinja_env.get_template(template).render(**context)


def event_kind(template: str) -> str:
    """The kind of event an email template tells about, e.g. "help_requests.accepted".

    Made from the template's path ("help_requests/email/accepted.txt"); preferences, in-app
    notices and quiet hours are keyed by this name.
    """
    path = template.removesuffix(".txt").replace("/email/", "/")
    return path.replace("/", ".")


def deliver_pending(limit: int = BATCH, now: datetime | None = None) -> int:
    """Send what is due now, stamped sent `now`; return how many went out.

    During a web request it sends nothing there: it asks for delivery after the response has
    gone (by the worker when one is configured), so SMTP never slows or fails a page. Within a
    worker's sweep it sends nothing either: the sweep sends everything once its due steps are
    taken (one claim for all of them).
    """
    if has_request_context():
        want_delivery()
        return 0
    if g.get(SWEEP_SENDS_NEXT):
        return 0
    return send_due(limit, now)


def _locale_of(user: Any) -> str:
    """The person's language, else the site's."""
    return getattr(user, "locale", None) or current_app.config["BABEL_DEFAULT_LOCALE"]


def _queue_email(user, subject, template, kind, now, context, reach=None) -> OutboxMessage:
    """Render and queue the email, with the unsubscribe footer when it is not essential."""
    body = _render(template, user=user, **context)
    user_id = getattr(user, "id", None)
    link = unsubscribe_url_for(user_id, kind, _locale_of(user))
    if link:
        body = "\n".join(
            (
                body.rstrip(),
                "",
                "-- ",
                _("Stop emails like this one (no sign-in needed): %(link)s", link=link),
                _("Choose what Neighborly sends you: %(link)s", link=_preferences_link()),
            )
        )
    later = None if is_essential(kind) else hold_until(user, kind, now or utcnow(), reach)
    return queue_email(
        user.email, str(subject), body, now=now, user_id=user_id, kind=kind, not_before=later
    )


def _queue_text(user, template, kind, now, context, reach=None) -> OutboxMessage | None:
    """Render and queue the short text for this event, if it has one."""
    try:
        body = _render(template.replace("/email/", "/sms/"), user=user, **context)
    except TemplateNotFound:
        return None
    text = re.sub(r"\s+", " ", body).strip()
    if len(text) > TEXT_LIMIT:
        text = text[: TEXT_LIMIT - 3].rstrip() + "..."
    later = hold_until(user, kind, now or utcnow(), reach)
    return queue_text(user.phone, text, now=now, user_id=user.id, kind=kind, not_before=later)


def _preferences_link() -> str:
    """Where a person chooses what they hear."""
    return absolute_url("notification_settings.preferences")


def _request_for_email() -> AbstractContextManager:
    """The current request, or outside one (commands, jobs) a stand-in at PUBLIC_URL.

    Rendering runs the app's template context processors and url_for, which need a request.
    """
    if has_request_context():
        return nullcontext()
    return current_app.test_request_context(base_url=current_app.config["PUBLIC_URL"])
