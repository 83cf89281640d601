"""Near me and the request page read each record once, and still name neighbours helped before."""

from __future__ import annotations

import re
from contextlib import contextmanager
from datetime import timedelta

from sqlalchemy import event, func, select

from neighborly.extensions import db
from neighborly.help_requests import services
from neighborly.help_requests.models import HelpRequest, Status
from neighborly.timeutil import local_time, utcnow
from tests.factories.accounts import CommunityFactory, UserFactory, resident
from tests.factories.help_requests import HelpRequestFactory, volunteer
from tests.help_requests.test_near_me_paging import _reference, _scatter, _walk


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


def _reading(statements: list[str], table: str) -> int:
    """How many statements select rows of this table (not counting subqueries; the signed-in
    person's statement starts with their unread count)."""
    unread_first = re.compile(rf"^SELECT \(SELECT count\(\*\) .*?\) AS \w+, {table}\.", re.S)
    return sum(
        1
        for s in statements
        if s.lstrip().startswith(f"SELECT {table}.") or unread_first.match(s.lstrip())
    )


def _helped(helper, rosa, community) -> None:
    """The helper finished one of Rosa's requests."""
    done = HelpRequestFactory(community=community, requester=rosa, title="Earlier")
    services.accept_request(done.id, helper)
    services.complete_request(done.id, helper, 20)


def test_near_me_takes_the_community_from_the_volunteer_and_reads_the_profile_once(
    client, login
):
    community = CommunityFactory(slug="proviso")
    helper = volunteer(community)
    rosa = resident(community, first_name="Rosa")
    _helped(helper, rosa, community)
    HelpRequestFactory(community=community, requester=rosa, title="Bins again")
    HelpRequestFactory(community=community, title="Someone else's steps")
    login(helper)
    db.session.close()  # as in production: the page starts with nothing read

    with _counting() as statements:
        page = client.get("/c/proviso/near-me").text

    assert "Bins again" in page and "Someone else&#39;s steps" in page
    assert f"you helped Rosa in {utcnow().astimezone().strftime('%B')}" in page
    assert page.count("you helped") == 1
    # The community came with the signed-in volunteer's memberships: no statement of its own.
    assert _reading(statements, "communities") == 0
    assert _reading(statements, "volunteer_profiles") == 1


def test_the_request_page_reads_the_request_its_asker_and_community_in_one_statement(client, login):
    community = CommunityFactory(slug="proviso")
    helper = volunteer(community)
    rosa = resident(community, first_name="Rosa")
    _helped(helper, rosa, community)
    asked = HelpRequestFactory(community=community, requester=rosa, title="Bins again").id
    login(helper)
    db.session.close()  # as in production: the page starts with nothing read

    with _counting() as statements:
        page = client.get(f"/requests/{asked}").text

    assert "Bins again" in page and "Why this suits you" in page
    assert f"you helped Rosa in {utcnow().astimezone().strftime('%B')}" in page
    assert _reading(statements, "help_requests") == 1
    assert _reading(statements, "communities") == 0
    assert _reading(statements, "users") == 1  # the signed-in person; the asker rides along
    assert _reading(statements, "volunteer_profiles") == 1
    # The header's unread count is read in the signed-in person's statement, not on its own.
    assert [s for s in statements if "FROM notifications" in s] == [
        s for s in statements if "FROM users" in s and "notifications" in s
    ]
    assert len([s for s in statements if "FROM notifications" in s]) == 1


def test_pages_of_near_me_add_up_to_the_full_ranking_with_neighbours_helped_before(app):
    community = CommunityFactory(slug="proviso")
    helper = volunteer(community, radius_km=2.0, categories="snow,bins")
    askers = [UserFactory() for _ in range(6)]
    for asker in askers[:3]:
        _helped(helper, asker, community)
    _scatter(community.id, [a.id for a in askers], 300, spread=0.03, seed=5)
    now = utcnow() + timedelta(minutes=1)
    last = db.session.execute(
        select(HelpRequest.requester_id, func.max(HelpRequest.completed_at))
        .where(HelpRequest.volunteer_id == helper.id, HelpRequest.status == Status.COMPLETED)
        .group_by(HelpRequest.requester_id)
    ).all()
    helped = {asker: local_time(when, community.timezone).date() for asker, when in last}
    assert len(helped) == 3

    pages = _walk(helper, community, now, size=20)

    expected = _reference(helper, community, now, helped=helped)
    assert [i for page in pages for i in page] == expected
    assert expected != _reference(helper, community, now)  # helping before changes the order
