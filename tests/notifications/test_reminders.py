"""Reminders and digests: sent once however often the commands run; not to who stopped them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from neighborly.extensions import db
from neighborly.help_requests import services
from neighborly.help_requests.models import Status
from neighborly.help_requests.services.reminders import send_task_reminders, send_weekly_digest
from neighborly.notifications.models import OutboxMessage
from neighborly.notifications.preferences import unsubscribe
from tests.factories.accounts import CommunityFactory
from tests.factories.help_requests import HelpRequestFactory, volunteer

CHICAGO = ZoneInfo("America/Chicago")


def _at(hour: int, day: int = 3) -> datetime:
    """A fixed moment, Chicago time, as UTC."""
    return datetime(2026, 12, day, hour, tzinfo=CHICAGO).astimezone(UTC)


def _mail(kind: str) -> list[OutboxMessage]:
    """The outbox's emails of one kind."""
    db.session.expire_all()
    query = select(OutboxMessage).where(OutboxMessage.kind == kind).order_by(OutboxMessage.id)
    return list(db.session.scalars(query))


def _open_requests_near(community, count: int, asked: datetime) -> None:
    """Open requests in the volunteers' area, asked at one moment."""
    for number in range(count):
        HelpRequestFactory(
            community=community,
            title=f"Bins to the curb {number}",
            created_at=asked,
            needed_by=asked + timedelta(days=10),
        )


def test_the_weekly_digest_counts_neighbours_near_and_lists_the_top_few_once(app):
    community = CommunityFactory(timezone="America/Chicago")
    helper = volunteer(community)
    _open_requests_near(community, 9, asked=_at(9, day=1))

    assert send_weekly_digest(now=_at(17, day=3)) == 1
    assert send_weekly_digest(now=_at(18, day=3)) == 0  # the same week: nothing more

    (digest,) = _mail("help_requests.digest")
    assert digest.to_address == helper.email
    assert "9 neighbours near you asked for help this week." in digest.body
    assert digest.body.count("- Bins to the curb") == 3
    assert "Stop emails like this one" in digest.body
    assert "Elmwood" not in digest.body  # no street address


def test_an_unsubscribed_volunteer_gets_no_digest(app, client):
    community = CommunityFactory()
    helper = volunteer(community)
    _open_requests_near(community, 2, asked=_at(9, day=1))
    send_weekly_digest(now=_at(17, day=3))
    (first,) = _mail("help_requests.digest")
    link = first.body.split("Stop emails like this one (no sign-in needed): ")[1].split()[0]
    path = link.removeprefix("http://localhost")

    page = client.get(path)
    done = client.post(path)

    assert "Stop these emails" in page.text and "Done: no more of these emails" in done.text
    _open_requests_near(community, 2, asked=_at(9, day=8))
    assert send_weekly_digest(now=_at(17, day=10)) == 0
    assert [m.to_address for m in _mail("help_requests.digest")] == [helper.email]


def test_a_person_who_stopped_all_email_gets_no_digest_but_still_gets_a_password_reset(app):
    from neighborly.accounts.services import request_password_reset

    community = CommunityFactory()
    helper = volunteer(community)
    _open_requests_near(community, 2, asked=_at(9, day=1))
    unsubscribe(helper.id, "*")

    send_weekly_digest(now=_at(17, day=3))
    request_password_reset(helper.email)

    assert _mail("help_requests.digest") == []
    assert [m.to_address for m in _mail("accounts.reset")] == [helper.email]


def test_the_helper_is_reminded_the_evening_before_once(app):
    community = CommunityFactory(timezone="America/Chicago")
    helper = volunteer(community)
    tomorrow = HelpRequestFactory(community=community, needed_by=_at(10, day=4))
    later = HelpRequestFactory(community=community, needed_by=_at(10, day=5))
    for request in (tomorrow, later):
        services.accept_request(request.id, helper, now=_at(9))

    assert send_task_reminders(now=_at(18)) == 1
    assert send_task_reminders(now=_at(19)) == 0

    (reminder,) = _mail("help_requests.reminder")
    assert reminder.to_address == helper.email
    assert f"/requests/{tomorrow.id}" in reminder.body
    assert tomorrow.street_address not in reminder.body


def test_the_commands_run_twice_send_once(app):
    community = CommunityFactory(timezone="America/Chicago")
    helper = volunteer(community)
    now = datetime.now(UTC)
    task = HelpRequestFactory(community=community)
    services.accept_request(task.id, helper)
    task.needed_by = (now.astimezone(CHICAGO) + timedelta(days=1)).astimezone(UTC)
    HelpRequestFactory(community=community, status=Status.OPEN, created_at=now)
    db.session.commit()
    runner = app.test_cli_runner()

    outputs = [runner.invoke(args=[name]).output for name in ("send-digest", "send-digest")]
    reminders = [runner.invoke(args=["send-reminders"]).output for _ in range(2)]

    assert outputs == ["Queued 1 digest(s).\n", "Queued 0 digest(s).\n"]
    assert reminders[1] == "Queued 0 task reminder(s).\nQueued 0 mentoring reminder(s).\n"
    assert len(_mail("help_requests.digest")) == 1
    assert len(_mail("help_requests.reminder")) == int(reminders[0].split()[1])
