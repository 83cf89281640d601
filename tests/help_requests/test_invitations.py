"""The platform asks nearby volunteers itself: rounds, answers, fairness and escalation."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from neighborly.accounts.models import Role
from neighborly.errors import NotFound
from neighborly.extensions import db
from neighborly.help_requests import services
from neighborly.help_requests.models import (
    HelpRequest,
    Invitation,
    InvitationStatus,
    Status,
)
from neighborly.notifications.models import OutboxMessage
from neighborly.timeutil import utcnow
from tests.factories.accounts import CommunityFactory, member, resident
from tests.factories.help_requests import MAYWOOD, open_request, volunteer

NOW = datetime(2026, 1, 13, 15, 0, tzinfo=UTC)  # a Tuesday, 9 am in Maywood


def _invited(request_id: int) -> list[Invitation]:
    return list(
        db.session.scalars(
            select(Invitation).where(Invitation.request_id == request_id).order_by(Invitation.id)
        )
    )


def _helpers(community, count: int, **fields):
    """Volunteers at nearly the same spot (a few metres apart), nearest first."""
    return [
        volunteer(community, home_lat=MAYWOOD[0] + i * 0.00002, home_lng=MAYWOOD[1], **fields)
        for i in range(count)
    ]


def test_a_new_request_invites_the_round_size_and_emails_each_volunteer(app):
    community = CommunityFactory(invitations_per_round=3)
    helpers = _helpers(community, 5)
    req = open_request(community, NOW)
    db.session.commit()

    assert services.send_invitations(now=NOW) == 1

    invited = _invited(req.id)
    assert len(invited) == 3
    assert {i.status for i in invited} == {InvitationStatus.INVITED}
    assert all(i.round == 1 and i.score > 0 and i.reasons for i in invited)
    emails = db.session.scalars(select(OutboxMessage.to_address)).all()
    invited_ids = {i.volunteer_id for i in invited}
    assert sorted(emails) == sorted(h.email for h in helpers if h.id in invited_ids)
    # Idempotent: the same minute again sends nothing more.
    assert services.send_invitations(now=NOW) == 0
    assert len(_invited(req.id)) == 3


def test_a_declined_invitation_is_never_sent_again(app):
    community = CommunityFactory(invitations_per_round=1)
    first, second = _helpers(community, 2)
    req = open_request(community, NOW)
    db.session.commit()
    services.send_invitations(now=NOW)
    invitation = _invited(req.id)[0]
    assert invitation.volunteer_id == first.id

    services.say_no(invitation.id, first, "Away this week", now=NOW + timedelta(minutes=5))
    for hours in (1, 30, 60, 90):
        services.send_invitations(now=NOW + timedelta(hours=hours))

    invited = _invited(req.id)
    assert [i.volunteer_id for i in invited] == [first.id, second.id]
    declined = db.session.get(Invitation, invitation.id)
    assert declined.status == InvitationStatus.DECLINED
    assert declined.decline_reason == "Away this week"


def test_everyone_saying_no_moves_the_next_round_forward(app):
    community = CommunityFactory(invitations_per_round=1)
    first, second = _helpers(community, 2)
    req = open_request(community, NOW)
    db.session.commit()
    services.send_invitations(now=NOW)
    services.say_no(_invited(req.id)[0].id, first, None, now=NOW + timedelta(minutes=1))

    assert services.send_invitations(now=NOW + timedelta(minutes=2)) == 1
    assert [i.volunteer_id for i in _invited(req.id)] == [first.id, second.id]


def test_no_volunteer_gets_more_than_their_daily_cap(app):
    community = CommunityFactory(invitations_per_round=5)
    capped = _helpers(community, 1, daily_invitations=2)[0]
    others = _helpers(community, 2, daily_invitations=100)
    requests = [open_request(community, NOW) for _ in range(6)]
    db.session.commit()

    services.send_invitations(now=NOW)

    per_person = Counter(db.session.scalars(select(Invitation.volunteer_id)).all())
    assert per_person[capped.id] == 2
    assert per_person[others[0].id] == per_person[others[1].id] == 6
    # The next day the count starts again (old requests' second round and new ones alike).
    for _ in range(3):
        open_request(community, NOW + timedelta(days=1))
    db.session.commit()
    services.send_invitations(now=NOW + timedelta(days=1))
    next_day = db.session.scalar(
        select(func.count(Invitation.id)).where(
            Invitation.volunteer_id == capped.id,
            Invitation.created_at >= NOW + timedelta(days=1),
        )
    )
    assert next_day == 2
    assert len(requests) == 6


def test_a_paused_volunteer_gets_no_invitations(app):
    community = CommunityFactory(invitations_per_round=5)
    paused = _helpers(community, 1, accepting=False)[0]
    active = _helpers(community, 1)[0]
    req = open_request(community, NOW)
    db.session.commit()

    services.send_invitations(now=NOW)

    assert [i.volunteer_id for i in _invited(req.id)] == [active.id]
    assert paused.id not in {i.volunteer_id for i in _invited(req.id)}


def test_rotation_spreads_fifty_similar_requests_over_near_equal_volunteers(app):
    community = CommunityFactory(invitations_per_round=2)
    helpers = _helpers(community, 10, daily_invitations=100)
    for minute in range(50):
        open_request(community, NOW + timedelta(minutes=minute))
    db.session.commit()

    for minute in range(50):
        services.send_invitations(now=NOW + timedelta(minutes=minute))

    per_person = Counter(db.session.scalars(select(Invitation.volunteer_id)).all())
    assert sum(per_person.values()) == 100
    # Without rotation the two nearest would get all 100; with it all ten share them evenly.
    assert set(per_person) == {h.id for h in helpers}
    assert max(per_person.values()) - min(per_person.values()) <= 1


def test_the_continuity_bonus_still_puts_a_past_helper_first(app):
    community = CommunityFactory(invitations_per_round=1)
    near, farther = (
        _helpers(community, 1)[0],
        volunteer(community, home_lat=MAYWOOD[0] + 0.01, home_lng=MAYWOOD[1]),
    )
    asker = resident(community)
    open_request(
        community,
        NOW - timedelta(days=30),
        requester=asker,
        status=Status.CONFIRMED,
        volunteer=farther,
        completed_at=NOW - timedelta(days=29),
        next_round_at=None,
    )
    req = open_request(community, NOW, requester=asker)
    db.session.commit()

    services.send_invitations(now=NOW)

    invitation = _invited(req.id)[0]
    assert invitation.volunteer_id == farther.id and "helped_before" in invitation.reasons
    assert near.id != invitation.volunteer_id


def test_after_two_unanswered_rounds_the_coordinator_and_resident_are_told(app, client, login):
    community = CommunityFactory(invitations_per_round=1, invitation_wait_soon_minutes=60)
    _helpers(community, 3)
    coordinator = member(community, Role.COORDINATOR)
    req = open_request(community, NOW, needed_by=NOW + timedelta(days=3))
    db.session.commit()

    services.send_invitations(now=NOW)
    services.send_invitations(now=NOW + timedelta(minutes=59))
    assert db.session.get(HelpRequest, req.id).invitation_round == 1
    services.send_invitations(now=NOW + timedelta(minutes=61))
    assert db.session.get(HelpRequest, req.id).nobody_yet_at is None
    services.send_invitations(now=NOW + timedelta(minutes=122))

    stored = db.session.get(HelpRequest, req.id)
    assert stored.nobody_yet_at == NOW + timedelta(minutes=122)
    assert stored.status == Status.OPEN and len(_invited(req.id)) == 2
    told = db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.to_address == req.requester.email)
    ).all()
    assert [m.subject for m in told] == ["Nobody has said yes yet"]
    login(coordinator)
    page = client.get(f"/c/{community.slug}/coordinate/requests")
    assert "Nobody has said yes yet" in page.text
    # Nothing more happens on later sweeps.
    assert services.send_invitations(now=NOW + timedelta(days=1)) == 0


def test_a_round_never_waits_past_the_window(app):
    community = CommunityFactory(invitations_per_round=1)
    _helpers(community, 3)
    req = open_request(community, NOW, needed_by=NOW + timedelta(hours=3))
    db.session.commit()
    services.send_invitations(now=NOW)
    assert db.session.get(HelpRequest, req.id).next_round_at == NOW + timedelta(hours=1)


def test_saying_yes_takes_the_request_and_a_late_yes_is_told_kindly(app):
    community = CommunityFactory(invitations_per_round=2)
    first, second = _helpers(community, 2)
    req = open_request(community, NOW)
    # Near me reads the real clock, so the next nearest request is due after today.
    other = open_request(community, NOW, needed_by=utcnow() + timedelta(days=5))
    db.session.commit()
    services.send_invitations(now=NOW)
    by_person = {i.volunteer_id: i for i in _invited(req.id)}

    won = services.say_yes(by_person[second.id].id, second, now=NOW)
    late = services.say_yes(by_person[first.id].id, first, now=NOW)

    assert won.won and not late.won
    assert late.next_nearest is not None and late.next_nearest.request_id == other.id
    assert db.session.get(HelpRequest, req.id).volunteer_id == second.id
    statuses = {i.volunteer_id: i.status for i in _invited(req.id)}
    assert statuses == {second.id: InvitationStatus.ACCEPTED, first.id: InvitationStatus.LOST}


def test_someone_elses_invitation_is_not_found(app):
    community = CommunityFactory()
    first, second = _helpers(community, 2)
    req = open_request(community, NOW)
    db.session.commit()
    services.send_invitations(now=NOW)
    mine = next(i for i in _invited(req.id) if i.volunteer_id == first.id)
    with pytest.raises(NotFound):
        services.say_yes(mine.id, second, now=NOW)
    assert db.session.get(HelpRequest, req.id).status == Status.OPEN


def test_the_invitation_page_says_yes_or_not_this_time(app, client, login):
    community = CommunityFactory(slug="proviso", invitations_per_round=2)
    first, second = _helpers(community, 2)
    req = open_request(community, utcnow(), needed_by=utcnow() + timedelta(days=1))
    db.session.commit()
    services.send_invitations(now=utcnow())
    by_person = {i.volunteer_id: i.id for i in _invited(req.id)}

    login(first)
    page = client.get(f"/invitations/{by_person[first.id]}")
    assert "Yes, I'll do it" in page.text and "Not this time" in page.text
    assert req.street_address not in page.text
    page = client.post(
        f"/invitations/{by_person[first.id]}/no", data={"reason": "At work"}, follow_redirects=True
    )
    assert "We will ask someone else." in page.text
    assert client.get(f"/invitations/{by_person[second.id]}").status_code == 404

    login(second)
    client.post(f"/invitations/{by_person[second.id]}/yes")
    assert db.session.get(HelpRequest, req.id).volunteer_id == second.id
    login(first)
    page = client.post(f"/invitations/{by_person[first.id]}/yes", follow_redirects=True)
    assert "You have already answered" not in page.text
    assert db.session.get(HelpRequest, req.id).volunteer_id == second.id


def test_a_late_yes_is_told_another_neighbour_just_took_it(app, client, login):
    community = CommunityFactory(slug="proviso", invitations_per_round=2)
    first, second = _helpers(community, 2)
    req = open_request(community, utcnow(), needed_by=utcnow() + timedelta(days=1))
    db.session.commit()
    services.send_invitations(now=utcnow())
    by_person = {i.volunteer_id: i.id for i in _invited(req.id)}
    services.say_yes(by_person[second.id], second)

    login(first)
    page = client.post(f"/invitations/{by_person[first.id]}/yes", follow_redirects=True)

    assert "Another neighbour just took it." in page.text
    assert db.session.get(Invitation, by_person[first.id]).status == InvitationStatus.LOST


@pytest.mark.parametrize(
    ("locale", "title", "detail"),
    [
        ("en", "Could you help a neighbour?", "Rosa M. asked: Shovel my steps"),
        ("es", "¿Podría ayudar a un vecino?", "Rosa M. pidió: Shovel my steps"),
    ],
)
def test_an_invitation_notice_names_the_neighbour_and_opens_the_invitation_page(
    app, locale, title, detail
):
    from neighborly.notifications.models import Notification

    community = CommunityFactory()
    (helper,) = _helpers(community, 1)
    helper.locale = locale
    rosa = resident(community, first_name="Rosa", last_name="Martinez")
    req = open_request(community, NOW, requester=rosa, title="Shovel my steps")
    db.session.commit()

    services.send_invitations(now=NOW)

    notice = db.session.scalars(select(Notification).where(Notification.user_id == helper.id)).one()
    invitation = _invited(req.id)[0]
    assert (notice.title, notice.detail) == (title, detail)
    assert notice.link == f"/invitations/{invitation.id}"


def test_a_request_is_posted_even_when_its_first_round_hits_a_database_error(
    app, client, login, monkeypatch
):
    from sqlalchemy.exc import OperationalError

    from neighborly.help_requests.services import asking
    from tests.help_requests.test_help_loop import ASK

    community = CommunityFactory(slug="proviso")
    rosa = resident(community)
    db.session.commit()

    def deadlock(request_id, now):
        raise OperationalError("UPDATE volunteer_profiles ...", {}, Exception("deadlock detected"))

    monkeypatch.setattr(asking, "advance_request", deadlock)
    login(rosa)
    response = client.post("/c/proviso/ask", data=ASK)

    assert response.status_code == 302
    db.session.expire_all()
    saved = db.session.scalar(select(HelpRequest).where(HelpRequest.title == ASK["title"]))
    # Its first round stays due, for `send-invitations` to take on its next run.
    assert saved.status == Status.OPEN and saved.next_round_at is not None


def test_where_a_worker_runs_the_page_leaves_the_first_round_to_it_and_it_invites_at_once(
    app, client, login, monkeypatch
):
    from neighborly.notifications.worker import run_worker
    from tests.help_requests.test_help_loop import ASK
    from tests.notifications.servers import free_port

    monkeypatch.setitem(app.config, "REDIS_URL", f"redis://127.0.0.1:{free_port()}/0")  # away
    monkeypatch.setitem(app.config, "OUTBOX_DELIVERY", "redis")
    community = CommunityFactory(slug="proviso", invitations_per_round=2)
    helpers = _helpers(community, 3)
    rosa = resident(community)
    db.session.commit()
    login(rosa)

    response = client.post("/c/proviso/ask", data=ASK)

    assert response.status_code == 302
    posted = db.session.scalar(select(HelpRequest).where(HelpRequest.title == ASK["title"]))
    assert _invited(posted.id) == [] and posted.next_round_at is not None  # due, not chosen

    run_worker(burst=True)  # Redis is away too: the worker's sweep still takes the round

    db.session.expire_all()
    invited = _invited(posted.id)
    assert len(invited) == 2 and {i.volunteer_id for i in invited} < {h.id for h in helpers}
    queued = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind.like("%invited")))
    assert sorted(m.to_address for m in queued) == sorted(  # sent, or held for quiet hours
        h.email for h in helpers if h.id in {i.volunteer_id for i in invited}
    )
