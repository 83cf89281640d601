"""`flask --app neighborly ...` commands."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_migrate import upgrade

from neighborly.extensions import db


@click.command("setup")
@with_appcontext
def setup_command() -> None:
    """Create or upgrade the database schema by applying every migration."""
    from neighborly.resources.library import load_starting_library

    click.echo("Applying migrations ...")
    upgrade()
    click.echo(f"Belonging resources: {load_starting_library()} added from the starting library.")
    click.echo(f"Database ready: {db.engine.url.render_as_string(hide_password=True)}")


@click.command("demo")
@click.option("--residents", default=120, show_default=True, help="Demo residents to create.")
@click.option("--volunteers", default=60, show_default=True, help="Demo volunteers to create.")
@click.option("--seed", default=7, show_default=True, help="Random seed for repeatable data.")
@with_appcontext
def demo_command(residents: int, volunteers: int, seed: int) -> None:
    """Load demo communities, one account per role, residents and volunteers."""
    from neighborly.demo import STEPS, load_demo

    if current_app.config.get("SESSION_COOKIE_SECURE"):
        raise click.ClickException("Demo data is not loaded in production.")

    backend = current_app.config["MAIL_BACKEND"]
    current_app.config["MAIL_BACKEND"] = "memory"  # demo addresses (.example) get no real mail
    try:
        with click.progressbar(length=STEPS, label="Loading the demo") as bar:
            accounts = load_demo(
                residents=residents,
                volunteers=volunteers,
                seed=seed,
                echo=click.echo,
                advance=lambda: bar.update(1),
            )
    finally:
        current_app.config["MAIL_BACKEND"] = backend
    click.echo("\nDemo accounts:")
    show = current_app.config.get("SHOW_DEMO_PASSWORDS", False)
    for role, email, password in accounts:
        shown = password if show else "(hidden outside development)"
        click.echo(f"  {role:<12} {email:<40} {shown}")


@click.command("create-admin")
@click.option("--email", prompt=True)
@click.option("--first-name", prompt=True)
@click.option("--last-name", prompt=True)
@click.password_option()
@with_appcontext
def create_admin_command(email: str, first_name: str, last_name: str, password: str) -> None:
    """Create a confirmed site administrator account."""
    from neighborly.accounts.services import Registration, create_confirmed_user

    create_confirmed_user(
        Registration(email=email, password=password, first_name=first_name, last_name=last_name),
        is_site_admin=True,
    )
    db.session.commit()
    click.echo("Site administrator created.")


@click.command("send-mail")
@with_appcontext
def send_mail_command() -> None:
    """Deliver email waiting in the outbox."""
    from neighborly.notifications.services import deliver_pending

    click.echo(f"Sent {deliver_pending()} message(s).")


@click.command("expire-requests")
@with_appcontext
def expire_requests_command() -> None:
    """Mark open requests whose time window has passed as expired (run it hourly)."""
    from neighborly.help_requests.services import expire_overdue

    click.echo(f"Expired {expire_overdue()} request(s).")


@click.command("send-reminders")
@with_appcontext
def send_reminders_command() -> None:
    """Remind helpers of tomorrow's tasks and mentors of pairs overdue to meet (run it every
    few minutes or each evening; a second run sends nothing)."""
    from neighborly.help_requests.services.reminders import send_task_reminders
    from neighborly.mentoring.reminders import send_meeting_reminders
    from neighborly.notifications.worker import deliver_soon

    click.echo(f"Queued {send_task_reminders()} task reminder(s).")
    click.echo(f"Queued {send_meeting_reminders()} mentoring reminder(s).")
    deliver_soon()


@click.command("send-digest")
@with_appcontext
def send_digest_command() -> None:
    """Send volunteers their weekly digest (once a week per person, however often it runs)."""
    from neighborly.help_requests.services.reminders import send_weekly_digest
    from neighborly.notifications.worker import deliver_soon

    click.echo(f"Queued {send_weekly_digest()} digest(s).")
    deliver_soon()


@click.command("send-invitations")
@with_appcontext
def send_invitations_command() -> None:
    """Invite volunteers for requests whose next round is due (safe to run every minute)."""
    from neighborly.help_requests.services import send_invitations

    click.echo(f"Moved {send_invitations()} request(s) along.")


@click.command("generate-occurrences")
@click.option("--weeks", default=3, show_default=True, help="How many weeks ahead.")
@with_appcontext
def generate_occurrences_command(weeks: int) -> None:
    """Make standing requests' occurrences for the coming weeks (idempotent; run daily)."""
    from neighborly.help_requests.services import generate_occurrences

    click.echo(f"Made {generate_occurrences(weeks=weeks)} occurrence(s).")


commands = [
    send_reminders_command,
    send_digest_command,
    setup_command,
    demo_command,
    create_admin_command,
    send_mail_command,
    expire_requests_command,
    send_invitations_command,
    generate_occurrences_command,
]
