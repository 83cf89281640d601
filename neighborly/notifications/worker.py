"""When the outbox is sent: after the response, by an RQ worker on Redis, or by a sweep.

- No worker configured (OUTBOX_DELIVERY=inline): the web process sends right after the response
  has gone (response.call_on_close), never inside the request.
- OUTBOX_DELIVERY=rq: the web process only enqueues a wake-up job on Redis after the response;
  `flask --app neighborly worker` runs the jobs, and sweeps the outbox every
  OUTBOX_SWEEP_SECONDS, so events written while Redis was away go out when the worker runs.
Either way a failure is logged (its type only, no address) and never reaches the person.
"""

from __future__ import annotations

import logging
import threading
import time
from functools import cache

from flask import Flask, Response, current_app, g, request

from neighborly.extensions import db
from neighborly.notifications.outbox import error_words, send_all_due

log = logging.getLogger(__name__)
JOB = "neighborly.notifications.worker.deliver_job"
RECONNECT_SECONDS = 2.0  # between attempts to reach Redis again after it went away
WAKE_PENDING_SECONDS = 60  # a lost wake-up job stops holding back new ones after this


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


def deliver_soon() -> int:
    """Wake the worker when one is configured (0 sent here), else send what is due now."""
    if current_app.config["OUTBOX_DELIVERY"] == "rq":
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


def _queue(connection):
    """The RQ queue the outbox's wake-up jobs go to."""
    from rq import Queue

    return Queue(current_app.config["OUTBOX_QUEUE"], connection=connection)


def wake_worker() -> None:
    """Enqueue a wake-up job unless one is queued and not started yet; if Redis is away, the
    worker's sweep finds the messages later.

    The pending mark makes a busy minute cost one job per batch the worker can take, not one
    per POST: the job clears the mark before it claims anything, and this POST committed its
    messages before it looked at the mark, so a job that has not cleared it yet will claim
    them. The mark expires by itself should its job be lost.
    """
    try:
        connection = _redis()
        if not connection.set(_pending_key(), "1", nx=True, ex=WAKE_PENDING_SECONDS):
            return
        _queue(connection).enqueue(JOB, result_ttl=0, failure_ttl=86_400, job_timeout=600)
    except Exception as error:
        log.warning("outbox wake-up not enqueued (the sweep will send): %s", error_words(error))


def _pending_key() -> str:
    """The Redis key that says a wake-up job waits on the outbox queue."""
    return f"neighborly:{current_app.config['OUTBOX_QUEUE']}:wake-pending"


def deliver_job() -> int:
    """The RQ job: clear the pending mark, then send everything due (it runs inside the worker
    command's app context)."""
    try:
        _redis().delete(_pending_key())
    except Exception as error:  # the mark expires by itself; sending matters more
        log.warning("outbox wake-up mark not cleared: %s", error_words(error))
    try:
        return send_all_due()
    finally:
        db.session.remove()


def run_worker(burst: bool = False) -> None:
    """Run RQ jobs on Redis with a sweeping thread beside; without Redis, sweep in a loop."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    use_rq = bool(app.config.get("REDIS_URL")) and app.config["OUTBOX_DELIVERY"] == "rq"
    sweep_once(app)
    if burst:
        if use_rq:
            _rq_worker().work(burst=True, logging_level="WARNING")
        sweep_once(app)
        return
    if not use_rq:
        _sweep_forever(app, threading.Event())
        return
    stop = threading.Event()
    sweeper = threading.Thread(
        target=_sweep_forever, args=(app, stop), name="outbox-sweeper", daemon=True
    )
    sweeper.start()
    try:
        _work_until_stopped()
    finally:
        stop.set()


def _work_until_stopped() -> None:
    """Run RQ jobs until a clean stop (SIGTERM, SIGINT); while Redis is away, reconnect.

    RQ's worker quits when its Redis connection breaks (it logs "found an unhandled exception,
    quitting" and returns, or raises while it registers); only a stop someone asked for ends
    this loop. The sweeper thread goes on sending meanwhile, so a Redis restart costs
    wake-ups, never the worker.
    """
    while True:
        try:
            worker = _rq_worker()  # RQ may already talk to Redis here
            worker.work(logging_level="WARNING")
        except Exception as error:
            log.warning(
                "outbox worker lost Redis, sweeping until it is back: %s", error_words(error)
            )
        else:
            if getattr(worker, "_stop_requested", True):  # RQ's flag for SIGTERM / SIGINT
                return
            log.warning("outbox worker lost Redis, sweeping until it is back")
        time.sleep(RECONNECT_SECONDS)


def _rq_worker():
    """A worker that runs jobs in this process (inside this app context), on the outbox queue."""
    from rq import SimpleWorker

    connection = _redis(timeout=None)
    return SimpleWorker([_queue(connection)], connection=connection)


def sweep_once(app: Flask) -> int:
    """Send whatever is due, in its own app context; log failures."""
    with app.app_context():
        try:
            return send_all_due()
        except Exception as error:
            log.error("outbox sweep failed: %s", error_words(error))
            return 0
        finally:
            db.session.remove()


def _sweep_forever(app: Flask, stop: threading.Event) -> None:
    """Sweep every OUTBOX_SWEEP_SECONDS until stopped."""
    every = max(1, int(app.config["OUTBOX_SWEEP_SECONDS"]))
    while not stop.wait(every):
        started = time.monotonic()
        sweep_once(app)
        log.debug("outbox sweep took %.2f s", time.monotonic() - started)
