"""Only volunteers of a request's community may accept it (the policy reads the roles loaded with
the signed-in person; everyone else gets the same 404 as a missing request)."""

from __future__ import annotations

from neighborly.extensions import db
from neighborly.help_requests.models import HelpRequest, Status
from tests.factories.accounts import CommunityFactory, resident
from tests.factories.help_requests import HelpRequestFactory, volunteer


def _still_open(request_id: int) -> bool:
    db.session.expire_all()
    found = db.session.get(HelpRequest, request_id)
    return found.status == Status.OPEN and found.volunteer_id is None


def test_a_resident_who_is_not_a_volunteer_cannot_accept(client, login):
    community = CommunityFactory()
    request = HelpRequestFactory(community=community, requester=resident(community))
    login(resident(community))

    response = client.post(f"/requests/{request.id}/accept")

    assert response.status_code == 404
    assert _still_open(request.id)


def test_a_volunteer_of_another_community_cannot_accept(client, login):
    community, elsewhere = CommunityFactory(), CommunityFactory()
    request = HelpRequestFactory(community=community, requester=resident(community))
    login(volunteer(elsewhere))

    response = client.post(f"/requests/{request.id}/accept")

    assert response.status_code == 404
    assert _still_open(request.id)


def test_a_volunteer_of_the_community_accepts(client, login):
    community = CommunityFactory()
    request = HelpRequestFactory(community=community, requester=resident(community))
    sam = volunteer(community)
    request_id, sam_id = request.id, sam.id
    login(sam)

    response = client.post(f"/requests/{request_id}/accept")

    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(HelpRequest, request_id).volunteer_id == sam_id
