"""Queue email in the outbox and deliver it through the configured backend."""

from __future__ import annotations

import smtplib
import ssl
import sys
from contextlib import AbstractContextManager, nullcontext
from datetime import datetime
from email.message import EmailMessage
from typing import Any
from urllib.parse import urlsplit

from flask import current_app, has_request_context, render_template
from flask_babel import force_locale
from sqlalchemy import select

from neighborly.extensions import db
from neighborly.notifications.inbox import record_notice
from neighborly.notifications.models import OutboxMessage
from neighborly.timeutil import utcnow


def queue_email(
    to_address: str, subject: str, body: str, now: datetime | None = None
) -> OutboxMessage:
    """Add an email to the outbox in the caller's transaction."""
    message = OutboxMessage(
        to_address=to_address, subject=subject, body=body, created_at=now or utcnow()
    )
    db.session.add(message)
    return message


def notify(
    user: Any, subject: Any, template: str, now: datetime | None = None, **context: Any
) -> OutboxMessage | None:
    """Queue an email to a person in their own language; people without email are skipped.

    `subject` is a lazy string (lazy_gettext) so it is translated in the person's language.
    """
    record_notice(user, subject, event_kind(template), context, now=now)
    if not getattr(user, "email", None):
        return None
    locale = user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]
    with _request_for_email(), force_locale(locale):
        body = render_template(template, user=user, **context)
        return queue_email(user.email, str(subject), body, now=now)


def event_kind(template: str) -> str:
    """The kind of event an email template tells about, e.g. "help_requests.accepted".

    Made from the template's path ("help_requests/email/accepted.txt"); preferences, in-app
    notices and quiet hours are keyed by this name.
    """
    path = template.removesuffix(".txt").replace("/email/", "/")
    return path.replace("/", ".")


def _request_for_email() -> AbstractContextManager:
    """The current request, or outside one (commands, jobs) a stand-in at PUBLIC_URL.

    Rendering runs the app's template context processors and url_for, which need a request.
    """
    if has_request_context():
        return nullcontext()
    return current_app.test_request_context(base_url=current_app.config["PUBLIC_URL"])


def absolute_url(endpoint: str, **values: Any) -> str:
    """A full link for an email, always at PUBLIC_URL, never at the request's Host header."""
    public = urlsplit(current_app.config["PUBLIC_URL"])
    adapter = current_app.url_map.bind(
        public.netloc, script_name=public.path or "/", url_scheme=public.scheme or "https"
    )
    return adapter.build(endpoint, values, force_external=True)


def deliver_pending(limit: int = 100, now: datetime | None = None) -> int:
    """Send unsent outbox messages, stamped sent `now` (default: the clock); return how many."""
    pending = db.session.scalars(
        select(OutboxMessage)
        .where(OutboxMessage.sent_at.is_(None), OutboxMessage.attempts < 5)
        .order_by(OutboxMessage.id)
        .limit(limit)
    ).all()
    sent = 0
    for message in pending:
        sent += _try_send(message, now)
    db.session.commit()
    return sent


def _try_send(message: OutboxMessage, now: datetime | None = None) -> int:
    """Send one message, recording success or the error."""
    message.attempts += 1
    try:
        _backend()(message)
    except (OSError, smtplib.SMTPException) as error:
        message.last_error = type(error).__name__
        return 0
    message.sent_at = now or utcnow()
    return 1


def _backend():
    """The send function the configuration names."""
    return {
        "console": _send_to_console,
        "file": _send_to_file,
        "memory": lambda message: None,
        "smtp": _send_by_smtp,
    }[current_app.config["MAIL_BACKEND"]]


def _as_text(message: OutboxMessage) -> str:
    """Render a message the way a console or file shows it."""
    return f"To: {message.to_address}\nSubject: {message.subject}\n\n{message.body}\n{'-' * 60}\n"


def _send_to_console(message: OutboxMessage) -> None:
    """Development: print the email."""
    sys.stdout.write(_as_text(message))
    sys.stdout.flush()


def _send_to_file(message: OutboxMessage) -> None:
    """Development: append the email to a file."""
    with open(current_app.config["MAIL_FILE"], "a", encoding="utf-8") as handle:
        handle.write(_as_text(message))


def _send_by_smtp(message: OutboxMessage) -> None:
    """Production: send through the configured SMTP server."""
    config = current_app.config
    email = EmailMessage()
    email["From"] = config["MAIL_FROM"]
    email["To"] = message.to_address
    email["Subject"] = message.subject
    email.set_content(message.body)
    with smtplib.SMTP(config["SMTP_HOST"], config["SMTP_PORT"], timeout=10) as server:
        server.starttls(context=ssl.create_default_context())  # the server's certificate is checked
        if config["SMTP_USERNAME"]:
            server.login(config["SMTP_USERNAME"], config["SMTP_PASSWORD"])
        server.send_message(email)
