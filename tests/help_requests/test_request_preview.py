"""The request page: what neighbours see (for the asker) and why it suits (for a volunteer)."""

from __future__ import annotations

import html
from datetime import UTC, datetime

from neighborly.accounts.models import Role
from neighborly.help_requests.models import Category, Status
from tests.factories.accounts import CommunityFactory, member
from tests.factories.help_requests import MAYWOOD, HelpRequestFactory, volunteer


def _page(client, request_id: int) -> str:
    return html.unescape(client.get(f"/requests/{request_id}").text)


def test_the_asker_sees_what_neighbours_see_and_how_many_volunteers_reach_the_area(client, login):
    proviso = CommunityFactory(slug="proviso", distance_unit="mi")
    rosa = member(proviso, Role.RESIDENT)
    volunteer(proviso, radius_km=5.0)
    volunteer(proviso, radius_km=5.0)
    volunteer(proviso, radius_km=5.0, categories="bins")  # another kind of help
    volunteer(proviso, radius_km=1.0, home_lat=MAYWOOD[0] + 0.2)  # too far away
    request = HelpRequestFactory(community=proviso, requester=rosa, street_address="4217 Elm")
    login(rosa)

    page = _page(client, request.id)

    preview = page.split("What neighbours see", 1)[1].split("</section>", 1)[0]
    assert "Shovel the front steps" in preview and "Snow shovelling" in preview
    assert "Around ZIP code 60153 (an area about 1,600 feet across)" in preview
    assert "4217 Elm" not in preview
    assert "2 volunteers who help with this reach your area." in preview


def test_with_nobody_in_reach_the_asker_is_told_a_coordinator_can_help(client, login):
    proviso = CommunityFactory(slug="proviso")
    rosa = member(proviso, Role.RESIDENT)
    request = HelpRequestFactory(community=proviso, requester=rosa, category=Category.PETS)
    login(rosa)

    page = _page(client, request.id)

    assert "No volunteer who does this kind of help reaches your area yet." in page


def test_only_the_asker_sees_the_preview(client, login):
    proviso = CommunityFactory(slug="proviso")
    request = HelpRequestFactory(community=proviso, requester=member(proviso, Role.RESIDENT))
    login(volunteer(proviso))
    assert "What neighbours see" not in _page(client, request.id)


def test_a_volunteer_reads_why_the_request_suits_them(client, login):
    proviso = CommunityFactory(slug="proviso", distance_unit="mi")
    request = HelpRequestFactory(community=proviso, requester=member(proviso, Role.RESIDENT))
    login(volunteer(proviso))

    page = _page(client, request.id)

    suits = page.split("Why this suits you", 1)[1].split("</section>", 1)[0]
    assert "under 0.6 miles" in suits
    assert "needed by" in suits


def test_a_volunteer_outside_the_area_is_told_so(client, login):
    proviso = CommunityFactory(slug="proviso")
    request = HelpRequestFactory(community=proviso, requester=member(proviso, Role.RESIDENT))
    login(volunteer(proviso, categories="bins"))

    page = _page(client, request.id)

    assert "It is outside the distance or the kinds of help in your volunteer profile." in page


def test_a_volunteer_who_helped_the_asker_before_reads_when(client, login):
    proviso = CommunityFactory(slug="proviso", timezone="America/Chicago")
    rosa = member(proviso, Role.RESIDENT, first_name="Rosa")
    helper = volunteer(proviso)
    done_at = datetime(2025, 3, 14, 18, 0, tzinfo=UTC)
    HelpRequestFactory(
        community=proviso,
        requester=rosa,
        volunteer=helper,
        status=Status.CONFIRMED,
        completed_at=done_at,
    )
    request = HelpRequestFactory(community=proviso, requester=rosa)
    login(helper)

    suits = _page(client, request.id).split("Why this suits you", 1)[1].split("</section>", 1)[0]

    assert "you helped Rosa in March 2025" in suits
