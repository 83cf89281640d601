"""The outbox: queue in the caller's transaction; claim, send and mark sent exactly once.

A sender claims due rows with one conditional UPDATE (a fresh claim token and a lease), commits,
sends each through its channel, and marks it sent with an UPDATE that names its claim. Two
senders never claim one row (on PostgreSQL the candidates are picked FOR UPDATE SKIP LOCKED and
the UPDATE re-checks its WHERE; SQLite serialises writers). A sender that dies mid-job holds its
rows only until the lease ends; a failed send waits 1, 2, 4 ... times the base delay and is given
up after OUTBOX_MAX_ATTEMPTS, its last error kept (an error's type and code, never an address).
Once a channel delivers again, the messages of that channel still waiting out a back-off are due
at once: a mail server back after an outage gets the backlog within one sweep, not an hour later.
"""

from __future__ import annotations

import logging
import secrets
import smtplib
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from flask import current_app, g, has_request_context
from sqlalchemy import Integer, bindparam, or_, select, update

from neighborly.extensions import db
from neighborly.notifications import channels
from neighborly.notifications.models import OutboxMessage
from neighborly.timeutil import utcnow

log = logging.getLogger(__name__)
BATCH = 100
LONGEST_WAIT = timedelta(days=1)
# Seconds between tries of a sent mark while the database restarts: a mark given up on leaves
# the message claimed until its lease ends, and a sent one may then go out a second time.
RETRY_WAITS = (0.5, 1.0, 2.0, 4.0)
# The outbox table: a sender's statements are Core statements on it (no ORM bookkeeping, and
# no entity is ever loaded), each built once with bound values.
OUTBOX = OutboxMessage.__table__
# What a sender needs of each message it claims.
CLAIMED_COLUMNS = (
    OUTBOX.c.id,
    OUTBOX.c.channel,
    OUTBOX.c.to_address,
    OUTBOX.c.subject,
    OUTBOX.c.body,
    OUTBOX.c.user_id,
    OUTBOX.c.kind,
    OUTBOX.c.attempts,
)


def queue_email(
    to_address: str,
    subject: str,
    body: str,
    now: datetime | None = None,
    *,
    user_id: int | None = None,
    kind: str | None = None,
    not_before: datetime | None = None,
) -> OutboxMessage:
    """Add an email to the outbox in the caller's transaction."""
    return _queue("email", to_address, subject, body, now, user_id, kind, not_before)


def queue_text(
    to_number: str,
    body: str,
    now: datetime | None = None,
    *,
    user_id: int | None = None,
    kind: str | None = None,
    not_before: datetime | None = None,
) -> OutboxMessage:
    """Add a text message to the outbox in the caller's transaction."""
    return _queue("sms", to_number, "", body, now, user_id, kind, not_before)


def _queue(channel, to, subject, body, now, user_id, kind, not_before) -> OutboxMessage:
    """One outbox row, due at `not_before` (quiet hours) or at once."""
    created = now or utcnow()
    message = OutboxMessage(
        channel=channel,
        to_address=to,
        subject=subject[:200],
        body=body,
        user_id=user_id,
        kind=kind,
        created_at=created,
        next_attempt_at=max(created, not_before or created),
    )
    db.session.add(message)
    want_delivery()
    return message


def want_delivery() -> None:
    """During a web request: ask for delivery once the response has gone (see delivery.py)."""
    if has_request_context():
        g.outbox_waiting = True


def send_due(limit: int = BATCH, now: datetime | None = None) -> int:
    """Claim up to `limit` due messages, send each once; return how many went out.

    `now` is the clock (a fixed one in tests, the story's time in the demo): it decides what is
    due and is stamped as sent_at.
    """
    sent, _released = _send_batch(limit, now or utcnow())
    return sent


def send_all_due(now: datetime | None = None, limit: int = BATCH) -> int:
    """Send batches until nothing due is left (or a batch sends nothing); return the total."""
    total = 0
    while True:
        sent, released = _send_batch(limit, now or utcnow())
        total += sent
        if sent < limit and not released:
            return total


def _send_batch(limit: int, clock: datetime) -> tuple[int, int]:
    """Claim and send one batch; (how many went out, how many waiting messages were released)."""
    token = secrets.token_hex(16)
    envelopes = _claim(token, limit, clock)
    delivered_channels: set[str] = set()
    sent = released = 0
    for index, claimed in enumerate(envelopes):
        channel = claimed[0].channel
        try:
            went, freed = _send_one(
                claimed, token, clock, release=channel not in delivered_channels
            )
        except Exception:  # the database stayed away: hand back what this batch did not try
            _unclaim([envelope.id for envelope, _ in envelopes[index + 1 :]], token)
            raise
        released += freed
        if went:
            sent += 1
            delivered_channels.add(channel)
    return sent, released


def _release_waiting(channel: str, clock: datetime) -> int:
    """Make the channel's failed messages that wait out a back-off due now; return how many.

    Runs in the caller's transaction (with the sent mark that proved the channel works).
    """
    values = {
        "of_channel": channel,
        "clock": clock,
        "max_attempts": current_app.config["OUTBOX_MAX_ATTEMPTS"],
    }
    return db.session.execute(_release_statement(), values).rowcount


@cache
def _release_statement():
    """The statement _release_waiting runs, built once (values bound per call)."""
    clock = bindparam("clock", type_=OUTBOX.c.next_attempt_at.type)
    return (
        update(OUTBOX)
        .where(
            OUTBOX.c.channel == bindparam("of_channel"),
            OUTBOX.c.sent_at.is_(None),
            OUTBOX.c.last_error.is_not(None),
            OUTBOX.c.claim_token.is_(None),
            OUTBOX.c.attempts < bindparam("max_attempts", type_=Integer),
            OUTBOX.c.next_attempt_at > clock,
        )
        .values(next_attempt_at=clock)
    )


def _claim(token: str, limit: int, clock: datetime) -> list[tuple[channels.Envelope, int]]:
    """Take due, unclaimed (or lease-expired) rows for this token in one committed UPDATE.

    The UPDATE returns what it claimed, so claiming is one statement and one commit.
    """
    config = current_app.config
    values = {
        "token": token,
        "limit": limit,
        "clock": clock,
        "lease": clock + timedelta(seconds=config["OUTBOX_LEASE_SECONDS"]),
        "max_attempts": config["OUTBOX_MAX_ATTEMPTS"],
    }
    try:
        statement = _claim_statement(db.session.get_bind().dialect.name)
        rows = db.session.execute(statement, values).all()
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return [(_envelope(row), row.attempts) for row in sorted(rows, key=lambda row: row.id)]


@cache
def _claim_statement(dialect: str):
    """The claiming UPDATE ... RETURNING for one database, built once (values bound per call).

    On PostgreSQL the candidates are picked FOR UPDATE SKIP LOCKED in a materialised CTE: it
    is evaluated once (a LIMIT inside UPDATE ... IN (...) may be evaluated more than once by
    the planner), and other senders skip the rows it locked; the UPDATE re-checks that each
    row is still due. SQLite takes the write lock before it reads anything.
    """
    clock = bindparam("clock", type_=OUTBOX.c.next_attempt_at.type)
    free = or_(OUTBOX.c.claimed_until.is_(None), OUTBOX.c.claimed_until < clock)
    due = (
        OUTBOX.c.sent_at.is_(None),
        OUTBOX.c.attempts < bindparam("max_attempts", type_=Integer),
        OUTBOX.c.next_attempt_at <= clock,
        free,
    )
    candidates = (
        select(OUTBOX.c.id)
        .where(*due)
        .order_by(OUTBOX.c.id)
        .limit(bindparam("limit", type_=Integer))
        .with_for_update(skip_locked=True)
    )
    if dialect == "postgresql":
        chosen = candidates.cte("chosen").prefix_with("MATERIALIZED")
        picked = OUTBOX.c.id == chosen.c.id
    else:
        picked = OUTBOX.c.id.in_(candidates.scalar_subquery())
    return (
        update(OUTBOX)
        .where(picked, *due)
        .values(
            claim_token=bindparam("token"),
            claimed_until=bindparam("lease", type_=OUTBOX.c.claimed_until.type),
            attempts=OUTBOX.c.attempts + 1,
        )
        .returning(*CLAIMED_COLUMNS)
    )


def _envelope(row: Any) -> channels.Envelope:
    """Plain values of a claimed row, with its unsubscribe link when it has one."""
    from neighborly.notifications.preferences import unsubscribe_url_for

    return channels.Envelope(
        id=row.id,
        channel=row.channel,
        to_address=row.to_address,
        subject=row.subject,
        body=row.body,
        unsubscribe_url=unsubscribe_url_for(row.user_id, row.kind)
        if row.channel == "email"
        else None,
    )


def _send_one(
    claimed: tuple[channels.Envelope, int], token: str, clock: datetime, release: bool
) -> tuple[int, int]:
    """Send one claimed message and record what happened, only while the claim is ours.

    Returns (1 if it went out, how many waiting messages were released). With `release`, a
    message that went out also makes its channel's messages waiting out a back-off due now,
    in the transaction of its sent mark: the first delivery of a batch proves the channel works.
    """
    envelope, attempts = claimed
    try:
        channels.send(envelope, current_app.config)
    except Exception as error:  # any failure of one message must not stop the others
        _finish(envelope.id, token, _retry_values(attempts, error, clock))
        log.warning("outbox message %s not sent: %s", envelope.id, error_words(error))
        return 0, 0
    after = (lambda: _release_waiting(envelope.channel, clock)) if release else None
    return _finish(envelope.id, token, {"sent_at": clock}, after)


def _retry_values(attempts: int, error: Exception, clock: datetime) -> dict[str, Any]:
    """Release the claim, keep the error, wait longer after each failure."""
    return {"last_error": error_words(error), "next_attempt_at": clock + backoff(attempts)}


def backoff(attempts: int) -> timedelta:
    """How long to wait after the n-th failed attempt: base, 2x base, 4x base ... at most a day."""
    base = timedelta(seconds=current_app.config["OUTBOX_RETRY_BASE_SECONDS"])
    return min(base * 2 ** max(attempts - 1, 0), LONGEST_WAIT)


def _finish(
    message_id: int, token: str, values: dict[str, Any], also: Callable[[], int] | None = None
) -> tuple[int, int]:
    """Mark a claimed row sent (or released) by an UPDATE naming the claim.

    `also` is a statement to run in the same transaction. Returns (1 if the row was ours and
    is now sent, else 0; what `also` returned, or 0).
    """
    statement = _finish_statement(tuple(sorted(values)))
    bound = {f"new_{name}": value for name, value in values.items()}
    bound.update(message_id=message_id, token=token)

    def mark() -> tuple[int, int]:
        changed = db.session.execute(statement, bound).rowcount
        return changed, also() if also is not None else 0

    changed, extra = _retrying(mark)
    if changed != 1:
        log.warning("outbox message %s: claim lost before it was recorded", message_id)
    return (1 if changed == 1 and "sent_at" in values else 0), extra


@cache
def _finish_statement(names: tuple[str, ...]):
    """The UPDATE that releases a claim and sets these columns, built once per set of names."""
    new_values = {name: bindparam(f"new_{name}", type_=OUTBOX.c[name].type) for name in names}
    return (
        update(OUTBOX)
        .where(
            OUTBOX.c.id == bindparam("message_id"),
            OUTBOX.c.claim_token == bindparam("token"),
        )
        .values(claim_token=None, claimed_until=None, **new_values)
    )


def _unclaim(message_ids: list[int], token: str) -> None:
    """Best effort: give back claimed rows never tried, so they need not wait out the lease."""
    if not message_ids:
        return
    try:
        db.session.execute(
            update(OUTBOX)
            .where(OUTBOX.c.id.in_(message_ids), OUTBOX.c.claim_token == token)
            .values(claim_token=None, claimed_until=None, attempts=OUTBOX.c.attempts - 1)
        )
        db.session.commit()
    except Exception as error:  # still away: the lease hands them back later
        db.session.rollback()
        log.warning("outbox claims kept until their lease ends: %s", error_words(error))


def _retrying(statement: Callable[[], Any], waits: tuple[float, ...] = RETRY_WAITS) -> Any:
    """Run and commit one statement, trying again while the database restarts (up to ~8 s)."""
    for wait in (*waits, None):
        try:
            result = statement()
            db.session.commit()
            return result
        except Exception:
            db.session.rollback()
            if wait is None:
                raise
            time.sleep(wait)
    return 0


def error_words(error: BaseException) -> str:
    """An error as a type and code only: a provider's text may quote an address."""
    if isinstance(error, smtplib.SMTPResponseException):
        return f"{type(error).__name__} {error.smtp_code}"
    if isinstance(error, channels.DeliveryError):
        return f"{type(error).__name__}: {str(error)[:200]}"
    return type(error).__name__
