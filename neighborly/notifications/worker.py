"""When the outbox is sent: after the response, by a worker woken through Redis, or by a sweep.

- No worker configured (OUTBOX_DELIVERY=inline): the web process sends right after the response
  has gone (response.call_on_close), never inside the request.
- OUTBOX_DELIVERY=redis: the web process only pushes a wake-up onto a Redis list after the
  response; `flask --app neighborly worker` waits on that list (BLPOP) and sends what is due when
  woken, and sweeps the outbox every OUTBOX_SWEEP_SECONDS, so events written while Redis was away
  go out all the same.
Either way a failure is logged (its type only, no address) and never reaches the person. The
outbox rows are the only state: a wake-up carries nothing, and a lost one delays, never loses.
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections.abc import Callable
from functools import cache

from flask import Flask, Response, current_app, g, request

from neighborly.extensions import db
from neighborly.notifications.outbox import error_words, send_all_due
from neighborly.notifications.services import SWEEP_SENDS_NEXT
from neighborly.transactions import commit_if_only_read

log = logging.getLogger(__name__)
RECONNECT_SECONDS = 2.0  # between attempts to reach Redis again after it went away
WAKE_PENDING_SECONDS = 60  # a lost wake-up stops holding back new ones after this
WAIT_SECONDS = 2  # the longest the worker waits on Redis before looking at the clock and stops
WORKER_MODES = ("redis", "rq")  # "rq": the name of this mode before the wake-up list replaced RQ


def register_after_response(app: Flask) -> None:
    """After each response that queued a message, deliver (or wake the worker) once it has gone.

    Every state change is a POST, so every POST asks too (one cheap claim query when nothing
    is due): a service that queues a message but forgets to say so is still delivered.
    """

    @app.after_request
    def _deliver_after_response(response: Response) -> Response:
        if g.pop("outbox_waiting", False) or request.method == "POST":
            real_app = current_app._get_current_object()  # type: ignore[attr-defined]
            response.call_on_close(lambda: deliver_in_background(real_app))
        return response


def deliver_in_background(app: Flask) -> None:
    """Outside any request: wake the worker or send; log failures without personal data."""
    with app.app_context():
        try:
            deliver_soon()
        except Exception as error:  # a delivery problem is never the person's problem
            log.error("outbox delivery after the response failed: %s", error_words(error))
        finally:
            db.session.remove()


def add_due_work(app: Flask, name: str, work: Callable[[], int]) -> None:
    """A domain's steps that fall due on their own (invitation rounds), taken by every sweep
    before the outbox is sent, so what they queue goes out in the same pass."""
    app.extensions.setdefault("neighborly_due_work", {})[name] = work


def worker_takes_due_work() -> bool:
    """Whether a worker woken through Redis takes the due steps, so a web request that made
    one due leaves it to the worker (woken once the response has gone)."""
    config = current_app.config
    return bool(config.get("REDIS_URL")) and config["OUTBOX_DELIVERY"] in WORKER_MODES


def deliver_soon() -> int:
    """Wake the worker when one is configured (0 sent here), else send what is due now."""
    if current_app.config["OUTBOX_DELIVERY"] in WORKER_MODES:
        wake_worker()
        return 0
    return send_all_due()


def _redis(timeout: float | None = 2.0):
    """A client for REDIS_URL that gives up quickly when Redis is away.

    One client (and its connection pool) per process, URL and timeout: a wake-up reuses an open
    connection instead of connecting afresh after every POST. redis-py starts a new pool in a
    forked child and reconnects by itself after Redis restarts.
    """
    return _client(current_app.config["REDIS_URL"], timeout)


@cache
def _client(url: str, timeout: float | None):
    """The process's Redis client for one URL and timeout."""
    from redis import Redis

    return Redis.from_url(url, socket_connect_timeout=timeout, socket_timeout=timeout)


def wake_worker() -> None:
    """Push a wake-up unless one is waiting and not taken yet; if Redis is away, the worker's
    sweep finds the messages later.

    The pending mark makes a busy minute cost one wake-up per batch the worker can take, not
    one per POST: the worker clears the mark before it claims anything, and this POST committed
    its messages before it looked at the mark, so a worker that has not cleared it yet will
    claim them. The mark expires by itself should its wake-up be lost.
    """
    try:
        connection = _redis()
        if connection.set(_pending_key(), "1", nx=True, ex=WAKE_PENDING_SECONDS):
            connection.rpush(_wake_key(), "1")
    except Exception as error:
        log.warning("outbox wake-up not sent (the sweep will send): %s", error_words(error))


def _pending_key() -> str:
    """The Redis key that says a wake-up waits for the worker."""
    return f"neighborly:{current_app.config['OUTBOX_QUEUE']}:wake-pending"


def _wake_key() -> str:
    """The Redis list the worker waits on."""
    return f"neighborly:{current_app.config['OUTBOX_QUEUE']}:wake"


def take_wake_up(wait: float) -> bool:
    """Wait up to `wait` seconds for a wake-up; when one came, clear the pending mark (and any
    wake-ups behind it: one pass sends for all of them) before the caller sends."""
    connection = _redis(timeout=WAIT_SECONDS + 3)  # a Redis that hangs is a Redis away
    if not connection.blpop([_wake_key()], timeout=max(1, round(wait))):
        return False
    connection.delete(_pending_key(), _wake_key())
    return True


def run_worker(burst: bool = False, stop: threading.Event | None = None) -> None:
    """Send when woken through Redis and sweep every OUTBOX_SWEEP_SECONDS, until SIGTERM or
    SIGINT (or `stop`); without Redis, only sweep. `burst`: take the waiting wake-ups, send
    what is due once, and return."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    use_redis = worker_takes_due_work()  # configured for a worker woken through Redis
    if burst:
        if use_redis:
            _clear_wake_ups(app)
        sweep_once(app)
        return
    stop = stop or _stop_on_signals()
    sweep_once(app)
    _serve(app, stop, use_redis)


def _serve(app: Flask, stop: threading.Event, use_redis: bool) -> None:
    """The worker's loop: wait for a wake-up (or the next sweep), send what is due, again.

    While Redis is away the loop sweeps on time and tries Redis again every RECONNECT_SECONDS;
    only a stop someone asked for ends it.
    """
    every = max(1, int(app.config["OUTBOX_SWEEP_SECONDS"]))
    next_sweep = time.monotonic() + every
    while not stop.is_set():
        woken = False
        if use_redis:
            woken = _wait_for_wake_up(app, stop, min(WAIT_SECONDS, every))
        else:
            stop.wait(max(0.0, min(WAIT_SECONDS, next_sweep - time.monotonic())))
        if woken or time.monotonic() >= next_sweep:
            sweep_once(app)
            next_sweep = time.monotonic() + every


def _wait_for_wake_up(app: Flask, stop: threading.Event, wait: float) -> bool:
    """One wait on the wake-up list; a Redis failure is logged and waited out, never raised."""
    with app.app_context():
        try:
            return take_wake_up(wait)
        except Exception as error:
            log.warning(
                "outbox worker lost Redis, sweeping until it is back: %s", error_words(error)
            )
    stop.wait(RECONNECT_SECONDS)
    return False


def _clear_wake_ups(app: Flask) -> None:
    """Drop waiting wake-ups and the pending mark (the sweep that follows sends for them)."""
    with app.app_context():
        try:
            _redis().delete(_pending_key(), _wake_key())
        except Exception as error:
            log.warning("outbox wake-ups not cleared: %s", error_words(error))


def _stop_on_signals() -> threading.Event:
    """An event set by SIGTERM or SIGINT, so a stop lets the current send finish first."""
    stop = threading.Event()
    if threading.current_thread() is threading.main_thread():
        for number in (signal.SIGTERM, signal.SIGINT):
            signal.signal(number, lambda *_: stop.set())
    return stop


def sweep_once(app: Flask) -> int:
    """Take the due steps, then send whatever is due, in its own app context; log failures."""
    with app.app_context():
        g.setdefault(SWEEP_SENDS_NEXT, True)  # the due steps leave their messages to this pass
        _take_due_work(app)
        try:
            sent = send_all_due()
            commit_if_only_read()  # a ROLLBACK would make psycopg forget its prepared statements
            return sent
        except Exception as error:
            log.error("outbox sweep failed: %s", error_words(error))
            return 0
        finally:
            db.session.remove()


def _take_due_work(app: Flask) -> None:
    """Each domain's due steps; one failing is logged and leaves the others and the outbox."""
    for name, work in app.extensions.get("neighborly_due_work", {}).items():
        try:
            work()
        except Exception as error:
            db.session.rollback()
            log.error("due %s failed in the worker: %s", name, error_words(error))
