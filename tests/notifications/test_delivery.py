"""Delivery sends what waits in the outbox, marks it sent, and records failures."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from neighborly.extensions import db
from neighborly.notifications.models import OutboxMessage
from neighborly.notifications.services import deliver_pending, queue_email
from neighborly.timeutil import utcnow
from tests.factories.notifications import OutboxMessageFactory

MAX_ATTEMPTS = 5


def _reread(message_id: int) -> OutboxMessage:
    """One outbox row as the database holds it now."""
    db.session.expire_all()
    return db.session.get(OutboxMessage, message_id)


def test_delivery_sends_each_waiting_email_once_and_marks_it_sent(app, monkeypatch, tmp_path):
    mail_file = tmp_path / "outbox.log"
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "file")
    monkeypatch.setitem(app.config, "MAIL_FILE", str(mail_file))
    first = OutboxMessageFactory(to_address="rosa@example.org", subject="A neighbour will help")
    second = OutboxMessageFactory(to_address="sam@example.org", subject="Thank you")

    assert deliver_pending() == 2

    written = mail_file.read_text(encoding="utf-8")
    assert "To: rosa@example.org\nSubject: A neighbour will help" in written
    assert "To: sam@example.org\nSubject: Thank you" in written
    for message_id in (first.id, second.id):
        sent = _reread(message_id)
        assert sent.sent_at is not None and sent.attempts == 1 and sent.last_error is None

    assert deliver_pending() == 0
    assert mail_file.read_text(encoding="utf-8") == written


def test_delivery_sends_oldest_first_and_no_more_than_asked(app, monkeypatch, tmp_path):
    mail_file = tmp_path / "outbox.log"
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "file")
    monkeypatch.setitem(app.config, "MAIL_FILE", str(mail_file))
    older = OutboxMessageFactory(to_address="first@example.org")
    newer = OutboxMessageFactory(to_address="second@example.org")

    assert deliver_pending(limit=1) == 1

    assert _reread(older.id).sent_at is not None
    assert _reread(newer.id).sent_at is None
    assert "second@example.org" not in mail_file.read_text(encoding="utf-8")


def test_a_failed_send_waits_longer_each_time_and_is_given_up_after_the_fifth(app, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "smtp")
    monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")
    monkeypatch.setitem(app.config, "SMTP_PORT", 1)  # nothing listens there: refused at once
    start = utcnow()
    message = OutboxMessageFactory(to_address="rosa@example.org", next_attempt_at=start)

    waits, clock = [], start
    for _attempt in range(MAX_ATTEMPTS + 2):
        assert deliver_pending(now=clock) == 0
        row = _reread(message.id)
        waits.append(round((row.next_attempt_at - clock).total_seconds()))
        clock = row.next_attempt_at

    failed = _reread(message.id)
    assert failed.sent_at is None and failed.claim_token is None
    assert failed.attempts == MAX_ATTEMPTS
    assert failed.last_error == "ConnectionRefusedError"
    assert waits[:MAX_ATTEMPTS] == [60, 120, 240, 480, 960]


def test_a_retry_is_not_sent_before_its_time(app, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "smtp")
    monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")
    monkeypatch.setitem(app.config, "SMTP_PORT", 1)
    start = utcnow()
    message = OutboxMessageFactory(next_attempt_at=start)
    deliver_pending(now=start)
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "memory")

    assert deliver_pending(now=start + timedelta(seconds=59)) == 0
    assert deliver_pending(now=start + timedelta(seconds=60)) == 1
    assert _reread(message.id).attempts == 2


def test_the_send_mail_command_delivers_and_says_how_many_went_out(app):
    OutboxMessageFactory(to_address="rosa@example.org")

    result = app.test_cli_runner().invoke(args=["send-mail"])

    assert result.exit_code == 0, result.output
    assert "Sent 1 message(s)." in result.output
    unsent = select(OutboxMessage).where(OutboxMessage.sent_at.is_(None))
    db.session.expire_all()
    assert db.session.scalars(unsent).all() == []


class _RecordingSMTP:
    """Stands in for smtplib.SMTP and keeps what the sender asked of it."""

    sessions: list[dict] = []

    def __init__(self, host, port, timeout):
        self.seen = {"host": host, "port": port, "sent": []}
        _RecordingSMTP.sessions.append(self.seen)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def starttls(self, context=None):
        self.seen["tls_context"] = context

    def login(self, username, password):
        self.seen["login"] = username

    def send_message(self, email):
        self.seen["sent"].append(email["To"])


def test_smtp_mail_is_sent_only_over_tls_that_checks_the_servers_certificate(app, monkeypatch):
    import ssl

    from neighborly.notifications import channels

    monkeypatch.setattr(channels.smtplib, "SMTP", _RecordingSMTP)
    _RecordingSMTP.sessions.clear()
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "smtp")
    monkeypatch.setitem(app.config, "SMTP_HOST", "mail.example.org")
    OutboxMessageFactory(to_address="rosa@example.org")

    assert deliver_pending() == 1

    (session,) = _RecordingSMTP.sessions
    context = session["tls_context"]
    assert session["sent"] == ["rosa@example.org"]
    assert context is not None and context.verify_mode == ssl.CERT_REQUIRED
    assert context.check_hostname is True


def test_once_mail_goes_out_again_the_backlog_of_the_outage_is_due_at_once(app, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_BACKEND", "smtp")
    monkeypatch.setitem(app.config, "SMTP_HOST", "127.0.0.1")
    monkeypatch.setitem(app.config, "SMTP_PORT", 1)  # the mail server is down
    start = utcnow()
    waiting = [OutboxMessageFactory(next_attempt_at=start) for _ in range(3)]
    held_for_quiet_hours = OutboxMessageFactory(next_attempt_at=start + timedelta(hours=8))
    text_waiting = OutboxMessageFactory(
        channel="sms", to_address="+15555550100", next_attempt_at=start
    )
    monkeypatch.setitem(app.config, "SMS_BACKEND", "off")  # texts fail too
    assert deliver_pending(now=start) == 0

    monkeypatch.setitem(app.config, "MAIL_BACKEND", "memory")  # the mail server is back
    later = start + timedelta(seconds=5)
    fresh = OutboxMessageFactory(next_attempt_at=later)
    assert deliver_pending(now=later) == 1
    assert _reread(fresh.id).sent_at is not None

    assert deliver_pending(now=later) == 3
    assert all(_reread(message.id).sent_at is not None for message in waiting)
    assert _reread(held_for_quiet_hours.id).sent_at is None
    assert _reread(text_waiting.id).sent_at is None


def test_a_message_given_up_on_stays_given_up_when_mail_works_again(app, monkeypatch):
    start = utcnow()
    given_up = OutboxMessageFactory(
        next_attempt_at=start + timedelta(hours=1), attempts=MAX_ATTEMPTS,
        last_error="ConnectionRefusedError",
    )  # fmt: skip
    OutboxMessageFactory(next_attempt_at=start)

    assert deliver_pending(now=start) == 1
    assert deliver_pending(now=start) == 0
    assert _reread(given_up.id).sent_at is None


def test_an_email_queued_in_this_transaction_goes_out_with_the_next_delivery(app):
    queued = queue_email("rosa@example.org", "A neighbour will help", "Sam is coming.")

    assert deliver_pending() == 1

    sent = _reread(queued.id)
    assert sent.sent_at is not None and sent.claim_token is None and sent.attempts == 1
