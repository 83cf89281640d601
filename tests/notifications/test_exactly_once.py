"""Each email leaves exactly once: through SMTP failures, beside a second sender, after a crash."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import timedelta

from sqlalchemy import select

from neighborly.extensions import db
from neighborly.notifications.models import OutboxMessage
from neighborly.notifications.outbox import _claim, send_due
from neighborly.notifications.services import deliver_pending
from neighborly.timeutil import utcnow
from tests.factories.accounts import UserFactory
from tests.factories.notifications import OutboxMessageFactory
from tests.notifications.servers import smtp_server, use_smtp


def _rows() -> list[OutboxMessage]:
    """Every outbox row as the database holds it now."""
    db.session.expire_all()
    return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_with_smtp_failing_twice_then_recovering_each_email_arrives_exactly_once(app, monkeypatch):
    start = utcnow()
    messages = [OutboxMessageFactory(next_attempt_at=start) for _ in range(3)]
    with smtp_server(failures=2) as (server, port):
        use_smtp(app, monkeypatch, port)
        clock, rounds = start, 0
        while any(row.sent_at is None for row in _rows()) and rounds < 6:
            deliver_pending(now=clock)
            clock += timedelta(minutes=5)
            rounds += 1

    arrived = Counter(mail["message_id"] for mail in server.received)
    assert server.refused == 2
    assert sorted(arrived) == sorted(f"<outbox-{m.id}@localhost>" for m in messages)
    assert set(arrived.values()) == {1}
    rows = _rows()
    assert all(row.sent_at is not None and row.claim_token is None for row in rows)
    assert sorted(row.attempts for row in rows) == [1, 2, 2]
    assert [row.last_error for row in rows if row.attempts == 2] == ["SMTPDataError 451"] * 2


def test_two_workers_on_one_outbox_send_every_message_once(app, monkeypatch):
    ids = [OutboxMessageFactory().id for _ in range(40)]
    db.session.commit()
    sent_by = Counter()

    def worker(name: str) -> None:
        with app.app_context():
            while (sent := send_due(limit=3)) > 0:
                sent_by[name] += sent
            db.session.remove()

    with smtp_server() as (server, port):
        use_smtp(app, monkeypatch, port)
        threads = [threading.Thread(target=worker, args=(name,)) for name in ("a", "b")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)

    arrived = Counter(mail["message_id"] for mail in server.received)
    assert len(arrived) == len(ids) and set(arrived.values()) == {1}
    assert sent_by["a"] + sent_by["b"] == len(ids)
    assert all(row.sent_at is not None and row.attempts == 1 for row in _rows())


def test_a_sender_that_dies_mid_job_holds_its_messages_only_until_its_lease_ends(app):
    start = utcnow()
    message = OutboxMessageFactory(next_attempt_at=start)
    db.session.commit()
    lease = timedelta(seconds=app.config["OUTBOX_LEASE_SECONDS"])
    _claim("dead-worker", 10, start)  # claimed, then the worker is killed before it sends

    assert send_due(now=start + lease - timedelta(seconds=1)) == 0
    assert send_due(now=start + lease + timedelta(seconds=1)) == 1
    assert send_due(now=start + 2 * lease + timedelta(seconds=1)) == 0
    (row,) = _rows()
    assert row.id == message.id and row.sent_at is not None and row.attempts == 2


def test_a_mail_server_that_is_down_never_turns_the_page_into_an_error(app, client, monkeypatch):
    UserFactory(email="rosa@example.org")
    use_smtp(app, monkeypatch, 1)  # nothing listens on port 1

    response = client.post("/account/forgot", data={"email": "rosa@example.org"})
    response.close()  # the server closes the response: delivery runs now, after the page went

    assert response.status_code == 200
    (row,) = _rows()
    assert row.to_address == "rosa@example.org" and row.sent_at is None
    assert row.attempts == 1 and row.last_error == "ConnectionRefusedError"


def test_the_page_is_answered_before_the_email_is_sent(app, client, monkeypatch):
    UserFactory(email="rosa@example.org")
    with smtp_server() as (server, port):
        use_smtp(app, monkeypatch, port)
        response = client.post("/account/forgot", data={"email": "rosa@example.org"})
        before_close = list(server.received)
        response.close()

    assert response.status_code == 200
    assert before_close == []
    assert [mail["to"] for mail in server.received] == ["rosa@example.org"]


def test_when_the_database_stays_away_the_messages_not_yet_tried_are_handed_back(
    app, monkeypatch
):
    import pytest
    from sqlalchemy.exc import OperationalError

    from neighborly.notifications import outbox

    start = utcnow()
    first, *rest = [OutboxMessageFactory(next_attempt_at=start) for _ in range(3)]
    db.session.commit()

    def database_gone(*args, **kwargs):
        raise OperationalError("UPDATE outbox_messages ...", {}, Exception("server closed"))

    monkeypatch.setattr(outbox, "_finish", database_gone)
    with pytest.raises(OperationalError):
        send_due(now=start)

    rows = {row.id: row for row in _rows()}
    # The first may have left: it stays claimed until its lease ends.
    assert rows[first.id].claim_token is not None and rows[first.id].attempts == 1
    # The others were never tried: due again at once, their attempt not counted.
    assert all(rows[m.id].claim_token is None and rows[m.id].attempts == 0 for m in rest)
