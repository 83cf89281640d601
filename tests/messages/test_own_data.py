"""A person's notices, messages and calendar link go with their data: in the download, and
erased with the account."""

from __future__ import annotations

from sqlalchemy import func, select

from neighborly.calendars.models import CalendarFeed
from neighborly.calendars.services import start_feed
from neighborly.extensions import db
from neighborly.messages.models import Message
from neighborly.my_data.services import delete_my_account, export_my_data
from neighborly.notifications.inbox import record_notice
from neighborly.notifications.models import Notification
from tests.factories.accounts import DEFAULT_PASSWORD, CommunityFactory, resident
from tests.factories.help_requests import HelpRequestFactory


def _rosa_with_a_message(client, login):
    """Rosa has asked for help, written in its thread, had a notice and made a calendar link."""
    community = CommunityFactory()
    rosa = resident(community)
    request = HelpRequestFactory(community=community, requester=rosa)
    login(rosa)
    client.post(f"/requests/{request.id}/messages", data={"body": "The gate sticks"})
    record_notice(rosa, "A neighbour will help you", "help_requests.accepted", "/")
    db.session.commit()
    start_feed(rosa)
    return rosa


def test_the_download_holds_notices_and_messages_written(client, login):
    rosa = _rosa_with_a_message(client, login)
    data = export_my_data(rosa)
    assert [m["text"] for m in data["messages_written"]] == ["The gate sticks"]
    assert [n["title"] for n in data["notifications"]] == ["A neighbour will help you"]
    assert data["calendar_link_on"] is True


def test_deleting_the_account_erases_notices_messages_and_the_calendar_link(client, login):
    rosa = _rosa_with_a_message(client, login)
    delete_my_account(rosa, DEFAULT_PASSWORD)
    for model in (Notification, Message, CalendarFeed):
        assert db.session.scalar(select(func.count()).select_from(model)) == 0
