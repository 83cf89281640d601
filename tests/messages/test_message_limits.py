"""Writing in a thread is rate limited per person; a refused form does not count."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from neighborly import create_app
from neighborly.extensions import db, limiter
from neighborly.messages.models import Message
from tests.conftest import IsolatedClient, make_test_config
from tests.factories.accounts import CommunityFactory, resident
from tests.factories.help_requests import HelpRequestFactory


@pytest.fixture(autouse=True)
def _shared_limiter_restored():
    """Put the shared Limiter's switches and storage back after a limited app used it."""
    saved = dict(vars(limiter))
    yield
    vars(limiter).clear()
    vars(limiter).update(saved)


def test_a_person_writing_too_many_messages_is_slowed_down(app, database_url):
    limited = create_app(
        make_test_config(
            database_url, RATELIMIT_ENABLED=True, MESSAGE_LIMIT_PER_PERSON="3 per hour"
        )
    )
    limited.test_client_class = IsolatedClient
    with limited.app_context():
        rosa = resident(CommunityFactory())
        request = HelpRequestFactory(community=rosa.memberships[0].community, requester=rosa)
        client = limited.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = rosa.get_id()
        url = f"/requests/{request.id}/messages"
        refused = client.post(url, data={"body": ""}).status_code
        statuses = [client.post(url, data={"body": f"Note {n}"}).status_code for n in range(4)]
        db.session.expire_all()
        written = db.session.scalar(select(func.count(Message.id)))
    assert refused == 400
    assert statuses == [302, 302, 302, 429]
    assert written == 3
