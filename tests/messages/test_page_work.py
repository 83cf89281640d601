"""The inbox and a thread do the same work whatever their length: a fixed number of statements."""

from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import event, insert

from neighborly.extensions import db
from neighborly.messages.models import Message, ThreadKind
from neighborly.notifications.models import Notification
from neighborly.timeutil import utcnow
from tests.factories.accounts import CommunityFactory, resident
from tests.factories.help_requests import HelpRequestFactory, volunteer


@contextmanager
def _counting():
    """Collect every SQL statement sent while inside."""
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def _statements(client, url: str) -> int:
    """How many statements one page costs."""
    with _counting() as statements:
        assert client.get(url).status_code == 200
    return len(statements)


def test_the_inbox_costs_the_same_with_30_or_3000_notices(client, login):
    rosa = resident(CommunityFactory())
    login(rosa)
    rows = [
        {
            "user_id": rosa.id,
            "kind": "help_requests.accepted",
            "title": f"N{n}",
            "link": "/",
            "created_at": utcnow(),
        }
        for n in range(3000)
    ]
    db.session.execute(insert(Notification), rows[:30])
    db.session.commit()
    small = _statements(client, "/notifications")
    db.session.execute(insert(Notification), rows[30:])
    db.session.commit()
    assert _statements(client, "/notifications") == small


def test_a_request_page_costs_the_same_with_a_few_or_many_messages(client, login):
    community = CommunityFactory()
    rosa, sam = resident(community), volunteer(community)
    request = HelpRequestFactory(community=community, requester=rosa)
    login(rosa)

    def add(count: int, author_id: int) -> None:
        db.session.execute(
            insert(Message),
            [
                {
                    "thread_kind": ThreadKind.REQUEST,
                    "thread_id": request.id,
                    "community_id": community.id,
                    "author_id": author_id,
                    "body": f"m{n}",
                    "created_at": utcnow(),
                }
                for n in range(count)
            ],
        )
        db.session.commit()

    add(5, rosa.id)
    add(5, sam.id)
    small = _statements(client, f"/requests/{request.id}")
    add(500, sam.id)
    add(500, rosa.id)
    assert _statements(client, f"/requests/{request.id}") == small
