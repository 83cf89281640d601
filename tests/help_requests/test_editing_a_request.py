"""Editing an open request: a new kind, place or time asks again; a corrected title does not."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from neighborly.accounts.models import Community
from neighborly.extensions import db
from neighborly.help_requests import services
from neighborly.help_requests.models import (
    Category,
    HelpRequest,
    Invitation,
    InvitationStatus,
)
from neighborly.help_requests.services.invitations import INVITE_AHEAD
from tests.factories.accounts import CommunityFactory, resident
from tests.factories.help_requests import MAYWOOD, open_request, volunteer

NOW = datetime(2026, 1, 13, 15, 0, tzinfo=UTC)  # a Tuesday, 9 am in Maywood


def _invitations(request_id: int) -> list[Invitation]:
    return list(
        db.session.scalars(
            select(Invitation).where(Invitation.request_id == request_id).order_by(Invitation.id)
        )
    )


def _draft(request: HelpRequest, **changes) -> services.RequestDraft:
    """The request as its edit form would send it back, with some fields changed."""
    fields = dict(
        category=request.category,
        title=request.title,
        details=request.details,
        street_address=request.street_address,
        postal_code=request.postal_code,
        needed_by=request.needed_by,
        estimated_minutes=request.estimated_minutes,
        urgency=request.urgency,
        lat=request.lat,
        lng=request.lng,
        needed_from=request.needed_from,
    )
    return services.RequestDraft(**(fields | changes))


def _asked_first_round(community, **request_fields) -> HelpRequest:
    request = open_request(community, NOW, **request_fields)
    db.session.commit()
    assert services.send_invitations(now=NOW) == 1
    return request


def test_a_new_kind_of_help_invites_the_volunteers_who_do_it_at_once(app):
    community = CommunityFactory(invitations_per_round=2)
    shovellers = [volunteer(community, categories="snow") for _ in range(2)]
    drivers = [volunteer(community, categories="ride", home_lat=MAYWOOD[0] + 0.001)
               for _ in range(2)]  # fmt: skip
    request = _asked_first_round(community)
    owner = request.requester
    assert {i.volunteer_id for i in _invitations(request.id)} == {s.id for s in shovellers}

    later = NOW + timedelta(minutes=10)
    services.edit_request(request.id, owner, _draft(request, category=Category.RIDE), now=later)

    by_volunteer = {i.volunteer_id: i for i in _invitations(request.id)}
    assert {by_volunteer[s.id].status for s in shovellers} == {InvitationStatus.EXPIRED}
    assert {by_volunteer[d.id].status for d in drivers} == {InvitationStatus.INVITED}
    assert {by_volunteer[d.id].round for d in drivers} == {1}


def test_a_window_moved_weeks_later_waits_until_a_few_days_before_it(app):
    community = CommunityFactory(invitations_per_round=1)
    first, second = (volunteer(community, home_lat=MAYWOOD[0] + n * 0.001) for n in range(2))
    request = _asked_first_round(community)
    opens = NOW + timedelta(days=20)

    services.edit_request(
        request.id,
        request.requester,
        _draft(request, needed_from=opens, needed_by=opens + timedelta(hours=3)),
        now=NOW + timedelta(minutes=5),
    )

    moved = db.session.get(HelpRequest, request.id)
    assert moved.invitation_round == 0
    assert moved.next_round_at == opens - INVITE_AHEAD
    assert [i.status for i in _invitations(request.id)] == [InvitationStatus.EXPIRED]
    assert services.send_invitations(now=NOW + timedelta(days=5)) == 0
    assert services.send_invitations(now=opens - INVITE_AHEAD) == 1
    asked = _invitations(request.id)
    assert [i.volunteer_id for i in asked] == [first.id, second.id]
    assert asked[1].status == InvitationStatus.INVITED


def test_a_corrected_title_leaves_the_invitations_as_they_are(app):
    community = CommunityFactory(invitations_per_round=1)
    volunteer(community)
    request = _asked_first_round(community)
    next_round_at = request.next_round_at

    services.edit_request(
        request.id, request.requester, _draft(request, title="Shovel the front steps, please"),
        now=NOW + timedelta(minutes=5),
    )  # fmt: skip

    edited = db.session.get(HelpRequest, request.id)
    assert edited.title == "Shovel the front steps, please"
    assert (edited.invitation_round, edited.next_round_at) == (1, next_round_at)
    assert [i.status for i in _invitations(request.id)] == [InvitationStatus.INVITED]


def test_the_owner_is_told_when_their_change_asks_volunteers_again(client, login):
    CommunityFactory(slug="proviso")
    login(resident(db.session.scalar(select(Community).filter_by(slug="proviso"))))
    form = {
        "category": "snow", "title": "Shovel the front steps", "details": "Both paths.",
        "street_address": "4217 Elmwood Lane", "postal_code": "60153", "needed_by": "",
        "estimated_minutes": "30", "urgency": "soon",
    }  # fmt: skip
    client.post("/c/proviso/ask", data=form)
    request = db.session.scalar(select(HelpRequest).filter_by(title="Shovel the front steps"))

    retitled = client.post(
        f"/requests/{request.id}/edit", data=form | {"title": "Shovel the steps"},
        follow_redirects=True,
    )  # fmt: skip
    assert "Your changes are saved." in retitled.text
    assert "asking nearby volunteers again" not in retitled.text

    changed = client.post(
        f"/requests/{request.id}/edit", data=form | {"category": "ride"}, follow_redirects=True
    )
    assert "We are asking nearby volunteers again with the new details." in changed.text
    db.session.refresh(request)
    assert request.category == Category.RIDE
