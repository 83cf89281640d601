"""The Assign list shows only volunteers with room, with distance, load and teen-mentor mark."""

from __future__ import annotations

from neighborly.accounts.models import Role
from neighborly.help_requests.models import Status
from tests.factories.accounts import CommunityFactory, member
from tests.factories.help_requests import MAYWOOD, HelpRequestFactory, VolunteerProfileFactory
from tests.factories.mentoring import ProgramFactory, mentor


def volunteer(community, first_name: str, last_name: str, **profile):
    """A verified volunteer with a name."""
    user = member(community, Role.VOLUNTEER, first_name=first_name, last_name=last_name)
    VolunteerProfileFactory(user=user, community_id=community.id, **profile)
    return user


def test_assign_list_offers_only_volunteers_with_room_and_says_why_they_fit(client, login):
    proviso = CommunityFactory(slug="proviso")
    full = volunteer(proviso, "Fay", "Full", capacity=1)
    HelpRequestFactory(community=proviso, volunteer=full, status=Status.ACCEPTED)
    near = volunteer(proviso, "Nia", "Near", capacity=3)
    HelpRequestFactory(community=proviso, volunteer=near, status=Status.ACCEPTED)
    teen = volunteer(proviso, "Tom", "Teen", home_lat=MAYWOOD[0] + 0.05)
    mentor(ProgramFactory(community=proviso), user=teen)
    volunteer(proviso, "Bo", "Bins", categories="bins")
    request = HelpRequestFactory(community=proviso)
    login(member(proviso, Role.COORDINATOR))

    page = client.get(f"/requests/{request.id}").text

    assert "Fay F." not in page and "Bo B." not in page
    assert "Nia N.: 0.2 km, holds 1 of 3" in page
    assert "Tom T.: 5.4 km, holds 0 of 3, teen mentor" in page
    assert page.index("Nia N.") < page.index("Tom T.")
