"""`flask --app neighborly deliver-outbox` (for cron) and `worker` (woken through Redis)."""

from __future__ import annotations

import click
from flask.cli import with_appcontext


@click.command("deliver-outbox")
@with_appcontext
def deliver_outbox_command() -> None:
    """Send every email and text that is due (safe beside a worker: rows are claimed)."""
    from neighborly.notifications.outbox import send_all_due

    click.echo(f"Sent {send_all_due()} message(s).")


@click.command("worker")
@click.option("--burst", is_flag=True, help="Take the due steps, send what is due once, stop.")
@with_appcontext
def worker_command(burst: bool) -> None:
    """Deliver the outbox: when woken through Redis (REDIS_URL) and on a periodic sweep."""
    from neighborly.notifications.worker import run_worker
    from neighborly.warm import settle_garbage_collector

    click.echo("Outbox worker running." if not burst else "Outbox worker: one pass.")
    if not burst:
        settle_garbage_collector()  # a long-lived process, like a web worker
    run_worker(burst=burst)


commands = [deliver_outbox_command, worker_command]
