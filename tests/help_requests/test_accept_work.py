"""Accepting does the same work whoever takes part: a fixed number of statements, delivery included.

The count covers the POST and the outbox delivery the server runs once the response has gone,
so a statement added to the accept path (or one per membership, choice or held request) shows.
"""

from __future__ import annotations

from contextlib import contextmanager

from sqlalchemy import event, func, select

from neighborly.audit import AuditEvent
from neighborly.extensions import db
from neighborly.help_requests.models import HelpRequest, Status
from neighborly.notifications.models import Notification, OutboxMessage
from neighborly.notifications.preference_models import NotificationSettings
from tests.clocks import midday_zone
from tests.factories.accounts import CommunityFactory, MembershipFactory, resident
from tests.factories.help_requests import HelpRequestFactory, volunteer

# The session's person with their roles, the policy's request with its asker (the service
# takes it from the session), the volunteer's role and profile, the conditional UPDATE, the
# audit, inbox and outbox rows, the asker's choices (the commit keeps the person loaded: no
# second read); then the claim, the sent mark and the release of the channel's waiting
# messages. (Production adds the two-step sign-in check.)
ACCEPT_STATEMENTS = 11


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


def _accept(client, request_id: int) -> int:
    """Statements for one accept, from a fresh session as a request has, delivery included."""
    db.session.remove()
    with _counting() as statements:
        response = client.post(f"/requests/{request_id}/accept")
        response.close()  # what a server does once the page is sent: delivery runs now
    assert response.status_code == 302
    assert response.location.endswith(f"/requests/{request_id}")
    return len(statements)


def test_accepting_costs_the_same_for_a_plain_asker_and_one_with_choices(client, login):
    community, other = CommunityFactory(timezone=midday_zone()), CommunityFactory()
    sam = volunteer(community, capacity=5)
    plain = resident(community)
    busy = resident(community)
    MembershipFactory(user=busy, community=other)
    db.session.add(NotificationSettings(user_id=busy.id, quiet_start=0, quiet_end=0))
    first = HelpRequestFactory(community=community, requester=plain)
    second = HelpRequestFactory(community=community, requester=busy)
    first_id, second_id, sam_id = first.id, second.id, sam.id
    db.session.commit()
    login(sam)

    counts = [_accept(client, first_id), _accept(client, second_id)]

    assert counts == [ACCEPT_STATEMENTS, ACCEPT_STATEMENTS]
    held = select(func.count()).where(
        HelpRequest.volunteer_id == sam_id, HelpRequest.status == Status.ACCEPTED
    )
    assert db.session.scalar(held) == 2
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) >= 2
    assert db.session.scalar(select(func.count()).select_from(Notification)) == 2
    sent = select(func.count()).where(OutboxMessage.sent_at.is_not(None))
    assert db.session.scalar(sent) == 2
