"""With a worker on Redis the web only pushes a wake-up; with Redis away nothing is lost."""

from __future__ import annotations

import threading
import time
from collections import Counter

import pytest
from sqlalchemy import select

from neighborly.extensions import db
from neighborly.notifications.models import OutboxMessage
from neighborly.notifications.worker import run_worker
from tests.factories.accounts import UserFactory
from tests.notifications.servers import RedisServer, free_port, smtp_server, use_smtp


@pytest.fixture(scope="module")
def redis_server():
    """A redis-server of this module's own, stopped at the end."""
    server = RedisServer(free_port())  # our own redis-server, never the machine's
    server.start()
    yield server
    server.stop()


@pytest.fixture()
def with_worker(app, monkeypatch, redis_server):
    """The app configured for a worker woken through our Redis (no wake-up waiting at first)."""
    from redis import Redis

    monkeypatch.setitem(app.config, "REDIS_URL", redis_server.url)
    monkeypatch.setitem(app.config, "OUTBOX_DELIVERY", "redis")
    monkeypatch.setitem(app.config, "OUTBOX_QUEUE", "test-outbox")
    if redis_server.process is None:
        redis_server.start()
    Redis.from_url(redis_server.url).delete(
        "neighborly:test-outbox:wake", "neighborly:test-outbox:wake-pending"
    )
    return redis_server


def _ask_for_a_reset(client, address: str) -> tuple[int, float]:
    """Post the forgotten-password form as a browser would; the status and seconds taken."""
    started = time.monotonic()
    response = client.post("/account/forgot", data={"email": address})
    response.close()  # what a server does once the page is sent: runs the after-response work
    return response.status_code, time.monotonic() - started


def _waiting_wake_ups(redis_server) -> int:
    """How many wake-ups wait for the worker."""
    from redis import Redis

    return Redis.from_url(redis_server.url).llen("neighborly:test-outbox:wake")


def _unsent() -> list[OutboxMessage]:
    """Outbox rows not sent yet."""
    db.session.expire_all()
    return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.sent_at.is_(None))))


def test_with_a_worker_the_page_does_not_wait_for_a_slow_mail_server(
    app, client, monkeypatch, with_worker
):
    UserFactory(email="rosa@example.org")
    with smtp_server(delay=4.0) as (server, port):
        use_smtp(app, monkeypatch, port)

        status, seconds = _ask_for_a_reset(client, "rosa@example.org")

        assert status == 200 and seconds < 2.0  # the mail server takes 4 s to answer
        assert server.received == [] and _waiting_wake_ups(with_worker) == 1
        run_worker(burst=True)

    assert [mail["to"] for mail in server.received] == ["rosa@example.org"]
    assert _unsent() == [] and _waiting_wake_ups(with_worker) == 0


def test_posts_while_a_wake_up_waits_add_none_and_that_one_sends_all_their_messages(
    app, client, monkeypatch, with_worker
):
    for name in ("rosa", "sam", "ana"):
        UserFactory(email=f"{name}@example.org")
    with smtp_server() as (server, port):
        use_smtp(app, monkeypatch, port)

        for name in ("rosa", "sam"):
            assert _ask_for_a_reset(client, f"{name}@example.org")[0] == 200

        assert _waiting_wake_ups(with_worker) == 1  # the second POST found a wake-up waiting
        run_worker(burst=True)
        assert sorted(mail["to"] for mail in server.received) == [
            "rosa@example.org", "sam@example.org",
        ]  # fmt: skip

        assert _ask_for_a_reset(client, "ana@example.org")[0] == 200
        assert _waiting_wake_ups(with_worker) == 1  # the worker that ran cleared the mark
        run_worker(burst=True)

    assert len(server.received) == 3 and _unsent() == []


def test_with_redis_stopped_events_stay_in_the_outbox_and_go_when_it_returns(
    app, client, monkeypatch, with_worker
):
    UserFactory(email="rosa@example.org")
    UserFactory(email="sam@example.org")
    with smtp_server() as (server, port):
        use_smtp(app, monkeypatch, port)
        with_worker.stop()
        try:
            status, seconds = _ask_for_a_reset(client, "rosa@example.org")
            assert status == 200 and seconds < 5
            assert [row.to_address for row in _unsent()] == ["rosa@example.org"]
            assert server.received == []
        finally:
            with_worker.start()

        status, _seconds = _ask_for_a_reset(client, "sam@example.org")
        assert status == 200 and _waiting_wake_ups(with_worker) == 1
        run_worker(burst=True)

    arrived = Counter(mail["to"] for mail in server.received)
    assert arrived == {"rosa@example.org": 1, "sam@example.org": 1}
    assert _unsent() == []


def test_the_deliver_outbox_command_sends_what_is_due_once(app, monkeypatch):
    UserFactory(email="rosa@example.org")
    from neighborly.notifications.outbox import queue_email

    queue_email("rosa@example.org", "Hello", "Body")
    db.session.commit()
    with smtp_server() as (server, port):
        use_smtp(app, monkeypatch, port)
        first = app.test_cli_runner().invoke(args=["deliver-outbox"])
        second = app.test_cli_runner().invoke(args=["deliver-outbox"])

    assert "Sent 1 message(s)." in first.output and "Sent 0 message(s)." in second.output
    assert len(server.received) == 1


def test_a_wake_up_is_taken_once_and_the_next_post_wakes_the_worker_again(
    app, client, with_worker
):
    from neighborly.notifications.worker import take_wake_up

    for name in ("rosa", "sam"):
        UserFactory(email=f"{name}@example.org")
    with app.app_context():
        assert _ask_for_a_reset(client, "rosa@example.org")[0] == 200
        assert take_wake_up(1) is True
        assert _ask_for_a_reset(client, "sam@example.org")[0] == 200  # the mark was cleared
        assert take_wake_up(1) is True

        assert take_wake_up(1) is False  # nothing more: it waited a second and gave up
    assert _waiting_wake_ups(with_worker) == 0


def test_the_worker_outlives_redis_going_away_and_keeps_sweeping(app, monkeypatch, caplog):
    from neighborly.notifications import worker
    from neighborly.notifications.outbox import queue_email

    monkeypatch.setitem(app.config, "REDIS_URL", f"redis://127.0.0.1:{free_port()}/0")  # away
    monkeypatch.setitem(app.config, "OUTBOX_DELIVERY", "redis")
    monkeypatch.setitem(app.config, "OUTBOX_SWEEP_SECONDS", 1)
    monkeypatch.setattr(worker, "RECONNECT_SECONDS", 0.05)
    UserFactory(email="rosa@example.org")
    queue_email("rosa@example.org", "Hello", "Body")
    db.session.commit()
    stop, sweeps = threading.Event(), []
    sweep = worker.sweep_once

    def counted_sweep(app_):
        sweeps.append(sweep(app_))
        if len(sweeps) == 3:
            stop.set()
        return sweeps[-1]

    monkeypatch.setattr(worker, "sweep_once", counted_sweep)
    with smtp_server() as (server, port):
        use_smtp(app, monkeypatch, port)
        started = time.monotonic()

        worker.run_worker(stop=stop)  # returns once the third sweep has run

    assert sweeps == [1, 0, 0] and 1.5 < time.monotonic() - started < 10
    assert [mail["to"] for mail in server.received] == ["rosa@example.org"]
    assert "outbox worker lost Redis" in caplog.text
