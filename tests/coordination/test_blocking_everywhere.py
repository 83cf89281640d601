"""A blocked pair never meets again: invitations, regulars, snow days, accepting, messages."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from neighborly.accounts.blocking import block, is_blocked
from neighborly.accounts.models import Role
from neighborly.extensions import db
from neighborly.help_requests import services
from neighborly.help_requests.models import (
    Category,
    HelpRequest,
    Invitation,
    NoShow,
    Status,
)
from neighborly.help_requests.services import snow
from neighborly.help_requests.snow_models import SnowLine
from neighborly.messages.models import Message
from tests.factories.accounts import CommunityFactory, member, resident
from tests.factories.help_requests import (
    MAYWOOD,
    HelpRequestFactory,
    open_request,
    volunteer,
)
from tests.help_requests.test_standing_help import BINS_OUT, _helped_twice, _occurrences

NOW = datetime(2026, 1, 13, 15, 0, tzinfo=UTC)  # a Tuesday, 9 am in Maywood


def _no_show(community, helper, days_ago: int) -> None:
    request = HelpRequestFactory(community=community, next_round_at=None)
    db.session.add(
        NoShow(
            request_id=request.id, community_id=community.id, volunteer_id=helper.id,
            created_at=NOW - timedelta(days=days_ago),
        )
    )


def test_invitations_skip_blocked_suspended_and_recently_absent_volunteers(app):
    community = CommunityFactory(invitations_per_round=10)
    asker = resident(community)
    good, blocked, blocker, suspended, absent, once, long_ago = (
        volunteer(community, home_lat=MAYWOOD[0] + i * 0.00002) for i in range(7)
    )
    suspended.is_active_account = False
    _no_show(community, absent, 10)
    _no_show(community, absent, 40)
    _no_show(community, once, 5)  # one no-show: still asked
    _no_show(community, long_ago, 100)
    _no_show(community, long_ago, 200)  # both older than 90 days: still asked
    db.session.commit()
    block(asker, blocked.id, community.id, now=NOW)
    block(blocker, asker.id, community.id, now=NOW)
    request = open_request(community, NOW, requester=asker)
    db.session.commit()

    services.send_invitations(now=NOW)

    asked = select(Invitation.volunteer_id).where(Invitation.request_id == request.id)
    invited = set(db.session.scalars(asked))
    assert invited == {good.id, once.id, long_ago.id}


def test_a_blocked_volunteer_is_never_made_regular_or_backup_and_a_block_stops_the_next_week(app):
    community = CommunityFactory(invitations_per_round=5)
    asker = resident(community)
    regular, blocked_regular, blocked_backup = (volunteer(community) for _ in range(3))
    other = volunteer(community)
    _helped_twice(community, asker, regular)
    _helped_twice(community, asker, blocked_regular)
    HelpRequestFactory(
        community=community, requester=asker, category=Category.SNOW, status=Status.CONFIRMED,
        volunteer=blocked_backup, completed_at=NOW - timedelta(days=30), next_round_at=None,
    )
    db.session.commit()
    block(asker, blocked_regular.id, community.id, now=NOW)
    block(blocked_backup, asker.id, community.id, now=NOW)
    series = services.create_series(community, asker, BINS_OUT, now=NOW)

    assert not services.can_become_regular(series, blocked_regular.id)
    assert [u.id for u in services.regular_candidates(series)] == [regular.id]
    services.agree_regular(series.id, asker, regular.id, now=NOW)
    services.agree_regular(series.id, regular, regular.id, now=NOW)
    series = services.get_series(series.id)
    assert blocked_backup.id not in {u.id for u in services.backup_choices(series)}
    assert series.backup_id != blocked_backup.id

    block(asker, regular.id, community.id, now=NOW)  # the regular is blocked after agreeing
    services.send_invitations(now=NOW)

    first = _occurrences(series.id)[0]
    assert first.status == Status.OPEN and first.volunteer_id is None
    asked = set(
        db.session.scalars(select(Invitation.volunteer_id).where(Invitation.request_id == first.id))
    )
    assert regular.id not in asked and other.id in asked


def test_a_snow_day_never_plans_or_offers_a_blocked_pair(app):
    community = CommunityFactory(slug="proviso", distance_unit="mi")
    coordinator = member(community, Role.COORDINATOR)
    ana = volunteer(community, snow_capacity=3, walking_km=1.0)
    ben = volunteer(community, snow_capacity=3, walking_km=1.0, home_lat=MAYWOOD[0] + 0.004)
    steps = HelpRequestFactory(community=community, title="Clear the front steps")
    drive = HelpRequestFactory(community=community, title="Shovel the driveway")
    db.session.commit()
    block(steps.requester, ana.id, community.id)  # Ana is nearer; only steps' resident blocks

    event = snow.declare_snow_day(community, coordinator, snow.SnowDayDraft(date.today(), 3))

    lines = {line.request_id: line for line in db.session.scalars(select(SnowLine))}
    assert lines[steps.id].volunteer_id == ben.id
    assert lines[drive.id].volunteer_id == ana.id
    assert [c.volunteer_id for c in snow.choices_for(lines[steps.id])] == [ben.id]
    assert {c.volunteer_id for c in snow.choices_for(lines[drive.id])} == {ana.id, ben.id}
    try:
        snow.change_line(lines[steps.id].id, coordinator, ana.id)
    except snow.NoRoom:
        pass
    else:  # pragma: no cover - the change must be refused
        raise AssertionError("a blocked volunteer was given the line by hand")
    assert db.session.get(SnowLine, lines[steps.id].id).volunteer_id == ben.id
    assert event.id


def test_a_blocked_volunteer_pressing_accept_hears_only_that_it_is_not_available(client, login):
    community = CommunityFactory(slug="proviso")
    helper = volunteer(community)
    asker = resident(community)
    request = HelpRequestFactory(community=community, requester=asker, title="Bins please")
    db.session.commit()
    block(asker, helper.id, community.id)
    login(helper)

    page = client.post(f"/requests/{request.id}/accept", follow_redirects=True)

    assert "This request is no longer available." in page.text
    assert "block" not in page.text.lower().replace("blocks", "")
    stored = db.session.get(HelpRequest, request.id)
    assert stored.status == Status.OPEN and stored.volunteer_id is None


def test_in_a_request_thread_a_blocked_pair_cannot_post_but_a_coordinator_can(client, login):
    community = CommunityFactory(slug="proviso")
    helper = volunteer(community)
    asker = resident(community)
    coordinator = member(community, Role.COORDINATOR)
    request = HelpRequestFactory(
        community=community, requester=asker, volunteer=helper, status=Status.ACCEPTED,
        accepted_at=NOW,
    )
    db.session.commit()
    login(helper)
    client.post(f"/requests/{request.id}/messages", data={"body": "On my way"})
    assert db.session.scalar(select(Message.body)) == "On my way"

    block(asker, helper.id, community.id)
    for person in (helper, asker):
        login(person)
        client.post(f"/requests/{request.id}/messages", data={"body": "Hello again"})
    login(coordinator)
    client.post(f"/requests/{request.id}/messages", data={"body": "A coordinator here"})

    bodies = db.session.scalars(select(Message.body).order_by(Message.id)).all()
    assert bodies == ["On my way", "A coordinator here"]


def test_a_person_sees_whom_they_blocked_and_can_unblock_them(client, login):
    community = CommunityFactory(slug="proviso")
    asker = resident(community)
    helper = volunteer(community)
    helper.first_name, helper.last_name = "Oscar", "Grant"
    stranger = resident(community)
    db.session.commit()
    block(asker, helper.id, community.id)
    login(asker)

    assert "/account/blocked" in client.get("/account/profile").text
    page = client.get("/account/blocked").text
    assert "Oscar G." in page and helper.email not in page

    login(stranger)  # somebody else cannot take the block back
    assert client.post(f"/account/blocked/{helper.id}/unblock").status_code == 404
    assert is_blocked(asker.id, helper.id)
    assert "You have not blocked anyone." in client.get("/account/blocked").text

    login(asker)
    page = client.post(f"/account/blocked/{helper.id}/unblock", follow_redirects=True)
    assert "Unblocked." in page.text and "You have not blocked anyone." in page.text
    assert not is_blocked(asker.id, helper.id)


def test_the_blocked_list_needs_signing_in(client):
    assert client.get("/account/blocked").status_code in (302, 401)
