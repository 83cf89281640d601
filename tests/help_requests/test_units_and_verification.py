"""Miles in US communities, kilometres elsewhere; a verified volunteer is told by email."""

from __future__ import annotations

import html

import pytest

from neighborly.accounts.models import Role
from neighborly.extensions import db
from neighborly.help_requests import services
from neighborly.help_requests.models import VolunteerProfile
from tests.factories.accounts import CommunityFactory, member
from tests.factories.help_requests import HelpRequestFactory, volunteer
from tests.outbox import last_mail_to

PROFILE = {
    "postal_code": "60153",
    "categories": ["snow"],
    "availability": ["mon-morning"],
    "capacity": "2",
}


def test_near_me_speaks_in_miles_in_a_mile_community(client, login):
    proviso = CommunityFactory(slug="proviso", distance_unit="mi")
    HelpRequestFactory(community=proviso, requester=member(proviso, Role.RESIDENT))
    login(volunteer(proviso, radius_km=8.0467))

    page = html.unescape(client.get("/c/proviso/near-me").text)

    assert "Within 5 miles of ZIP 60153." in page
    assert "under 0.6 miles" in page and " km" not in page


def test_near_me_speaks_in_kilometres_elsewhere(client, login):
    proviso = CommunityFactory(slug="proviso", distance_unit="km")
    HelpRequestFactory(community=proviso, requester=member(proviso, Role.RESIDENT))
    login(volunteer(proviso, radius_km=5.0))

    page = html.unescape(client.get("/c/proviso/near-me").text)

    assert "Within 5 km of ZIP 60153." in page and "under 1 km" in page


def test_the_profile_asks_for_miles_and_stores_kilometres(client, login):
    CommunityFactory(slug="proviso", distance_unit="mi")
    user = member(CommunityFactory(), Role.RESIDENT)
    login(user)
    from neighborly.accounts.services import community_by_slug, grant_role

    grant_role(user, user, community_by_slug("proviso"), Role.RESIDENT)
    form = html.unescape(client.get("/c/proviso/volunteer/profile").text)
    assert "How far will you go (miles)?" in form
    assert "How volunteering works" in form and "checks new volunteers" in form

    saved = client.post(
        "/c/proviso/volunteer/profile", data={**PROFILE, "radius_km": "2"}, follow_redirects=True
    )

    assert "we will email you when they do" in saved.text
    profile = db.session.query(VolunteerProfile).filter_by(user_id=user.id).one()
    assert profile.radius_km == pytest.approx(3.219, abs=0.001)
    shown = client.get("/c/proviso/volunteer/profile").text
    assert 'value="2.0"' in shown


def test_saving_the_profile_unchanged_is_not_a_change_of_area(client, login):
    proviso = CommunityFactory(slug="proviso", distance_unit="mi")
    user = volunteer(proviso, radius_km=5.0)  # shown as 3.1 miles
    login(user)
    for _ in range(5):  # more than the three changes of area a day
        page = client.post(
            "/c/proviso/volunteer/profile",
            data={**PROFILE, "radius_km": "3.1"},
            follow_redirects=True,
        )
        assert "Your volunteer profile is saved." in page.text
    assert services.volunteer_profile(user, proviso.id).radius_km == 5.0


def test_a_volunteer_is_emailed_when_a_coordinator_verifies_them(client, login):
    proviso = CommunityFactory(slug="proviso", name="Proviso Township")
    newcomer = volunteer(proviso, verified_at=None)
    login(member(proviso, Role.COORDINATOR))
    profile = services.volunteer_profile(newcomer, proviso.id)

    client.post(f"/c/proviso/coordinate/volunteers/{profile.id}/verify")

    mail = last_mail_to(newcomer.email)
    assert "verified" in mail.subject
    assert "A coordinator of Proviso Township has verified you" in mail.body
    assert "/c/proviso/near-me" in mail.body
