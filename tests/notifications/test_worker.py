"""With a worker on Redis the web only enqueues; with Redis away nothing is lost."""

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
    """The app configured for an RQ worker on our Redis (its queue emptied first)."""
    from redis import Redis

    monkeypatch.setitem(app.config, "REDIS_URL", redis_server.url)
    monkeypatch.setitem(app.config, "OUTBOX_DELIVERY", "rq")
    monkeypatch.setitem(app.config, "OUTBOX_QUEUE", "test-outbox")
    if redis_server.process is None:
        redis_server.start()
    Redis.from_url(redis_server.url).delete(
        "rq:queue:test-outbox", "neighborly:test-outbox:wake-pending"
    )
    return redis_server


def _ask_for_a_reset(client, address: str) -> tuple[int, float]:
    """Post the forgotten-password form as a browser would; the status and seconds taken."""
    started = time.monotonic()
    response = client.post("/account/forgot", data={"email": address})
    response.close()  # what a server does once the page is sent: runs the after-response work
    return response.status_code, time.monotonic() - started


def _queued_jobs(redis_server) -> int:
    """How many wake-up jobs wait on the queue."""
    from redis import Redis

    return Redis.from_url(redis_server.url).llen("rq:queue:test-outbox")


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
        assert server.received == [] and _queued_jobs(with_worker) == 1
        run_worker(burst=True)

    assert [mail["to"] for mail in server.received] == ["rosa@example.org"]
    assert _unsent() == [] and _queued_jobs(with_worker) == 0


def test_posts_while_a_wake_up_waits_add_no_job_and_that_job_sends_all_their_messages(
    app, client, monkeypatch, with_worker
):
    for name in ("rosa", "sam", "ana"):
        UserFactory(email=f"{name}@example.org")
    with smtp_server() as (server, port):
        use_smtp(app, monkeypatch, port)

        for name in ("rosa", "sam"):
            assert _ask_for_a_reset(client, f"{name}@example.org")[0] == 200

        assert _queued_jobs(with_worker) == 1  # the second POST found a wake-up waiting
        run_worker(burst=True)
        assert sorted(mail["to"] for mail in server.received) == [
            "rosa@example.org", "sam@example.org",
        ]  # fmt: skip

        assert _ask_for_a_reset(client, "ana@example.org")[0] == 200
        assert _queued_jobs(with_worker) == 1  # the job that ran cleared the mark
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
        assert status == 200 and _queued_jobs(with_worker) == 1
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


def test_the_worker_outlives_redis_going_away_and_keeps_sweeping(app, monkeypatch, redis_server):
    from redis.exceptions import ConnectionError as RedisConnectionError

    from neighborly.notifications import worker

    monkeypatch.setitem(app.config, "REDIS_URL", redis_server.url)
    monkeypatch.setitem(app.config, "OUTBOX_DELIVERY", "rq")
    monkeypatch.setattr(worker, "RECONNECT_SECONDS", 0.01)
    sweeper_alive: list[bool] = []

    class RedisThatGoesAway:
        """RQ's worker as it behaves when its Redis restarts: it raises while registering or
        logs "quitting" and returns; it returns after a stop was asked for (SIGTERM)."""

        def __init__(self) -> None:
            if len(sweeper_alive) == 1:  # a new worker asks Redis its version before working
                sweeper_alive.append(None)
                raise RedisConnectionError("Error 111 connecting. Connection refused.")
            self._stop_requested = False

        def work(self, logging_level: str) -> None:
            sweeper_alive.append(
                any(t.name == "outbox-sweeper" and t.is_alive() for t in threading.enumerate())
            )
            if len(sweeper_alive) == 1:
                raise RedisConnectionError("Error 111 connecting. Connection refused.")
            self._stop_requested = len(sweeper_alive) == 4

    monkeypatch.setattr(worker, "_rq_worker", RedisThatGoesAway)

    run_worker()

    assert sweeper_alive == [True, None, True, True]
