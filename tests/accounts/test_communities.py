"""Communities, roles and the coordinator's scope."""

from __future__ import annotations

import html

from sqlalchemy import select

from neighborly.accounts.models import Community, Membership, Role
from neighborly.extensions import db
from tests.factories.accounts import CommunityFactory, UserFactory


def test_site_admin_opens_a_community_and_names_a_coordinator(client, login):
    login(UserFactory(is_site_admin=True))
    future = UserFactory(email="lee@example.org", first_name="Lee", last_name="Park")
    page = client.post(
        "/admin/communities",
        data={
            "name": "Algoma, Wisconsin",
            "slug": "algoma",
            "timezone": "America/Chicago",
            "centre_lat": "44.6089",
            "centre_lng": "-87.4326",
            "postal_codes": "54201",
        },
        follow_redirects=True,
    )
    assert "Algoma, Wisconsin is open." in page.text
    named = client.post(
        "/admin/communities/algoma/coordinators",
        data={"email": "lee@example.org"},
        follow_redirects=True,
    )
    assert "Algoma, Wisconsin is now coordinated by Lee P." in named.text
    community = db.session.scalar(select(Community).where(Community.slug == "algoma"))
    assert future.roles_in(community.id) == {Role.COORDINATOR}


def test_a_taken_community_web_name_is_refused_beside_the_field(client, login):
    CommunityFactory(slug="algoma")
    login(UserFactory(is_site_admin=True))
    page = client.post(
        "/admin/communities",
        data={
            "name": "Again",
            "slug": "algoma",
            "timezone": "America/Chicago",
            "centre_lat": "44.6",
            "centre_lng": "-87.4",
        },
    )
    assert "Another community already uses this web name." in page.text
    assert db.session.scalar(select(Community).where(Community.name == "Again")) is None


def test_a_made_up_time_zone_is_refused(client, login):
    login(UserFactory(is_site_admin=True))
    page = client.post(
        "/admin/communities",
        data={
            "name": "X",
            "slug": "x",
            "timezone": "Mars/Olympus",
            "centre_lat": "44.6",
            "centre_lng": "-87.4",
        },
    )
    assert "Enter a time zone like America/Chicago." in page.text


def test_naming_an_unknown_email_as_coordinator_explains_what_to_do(client, login):
    CommunityFactory(slug="algoma")
    login(UserFactory(is_site_admin=True))
    page = client.post("/admin/communities/algoma/coordinators", data={"email": "x@example.org"})
    assert "No account uses this email" in page.text


def test_non_admins_cannot_open_communities(client, login):
    login(UserFactory())
    assert client.get("/admin/communities").status_code == 403


def test_a_person_can_hold_several_roles_in_one_community(client, login):
    community = CommunityFactory(slug="proviso")
    user = UserFactory()
    login(user)
    client.post("/c/proviso/join", data={"role": "resident"})
    client.post("/c/proviso/join", data={"role": "volunteer"})
    page = client.get("/c/proviso")
    assert "resident" in page.text and "volunteer" in page.text
    roles = db.session.scalars(
        select(Membership.role).where(
            Membership.user_id == user.id, Membership.community_id == community.id
        )
    ).all()
    assert sorted(roles) == [Role.RESIDENT, Role.VOLUNTEER]


def test_joining_as_coordinator_through_the_form_is_refused(client, login):
    community = CommunityFactory(slug="proviso")
    user = UserFactory()
    login(user)
    client.post("/c/proviso/join", data={"role": "coordinator"})
    assert user.roles_in(community.id) == set()


def test_unknown_community_is_a_404(client):
    assert client.get("/c/nowhere").status_code == 404
    assert client.get("/c/nowhere/coordinate").status_code == 404


def test_the_community_page_tells_a_newcomer_whether_it_is_theirs(client, login):
    CommunityFactory(
        slug="proviso",
        name="Proviso Township",
        description="Neighbours west of Chicago helping with snow, bins and rides.",
        towns="Maywood, Bellwood",
        postal_codes="60153,60104",
    )
    login(UserFactory())

    page = client.get("/c/proviso").text

    assert "Neighbours west of Chicago helping with snow, bins and rides." in page
    assert "Towns served" in page and "Maywood, Bellwood" in page
    assert "60153, 60104" in page
    assert "Join Proviso Township" in page


def test_joining_leads_to_a_choice_of_what_brings_you_here(client, login):
    community = CommunityFactory(slug="proviso", name="Proviso Township")
    user = UserFactory()
    login(user)

    joined = client.post("/c/proviso/join", data={"role": "resident"})

    assert joined.headers["Location"].endswith("/c/proviso/start")
    page = client.get("/c/proviso/start").text
    assert "What brings you here?" in page
    text = html.unescape(page)
    assert 'href="/c/proviso/ask">I\'d like help</a>' in text
    assert 'href="/c/proviso/volunteer/profile">I\'d like to help</a>' in text
    assert "I'm here for a mentoring program" in text
    assert user.roles_in(community.id) == {Role.RESIDENT}


def test_the_first_steps_page_is_for_members_only(client, login):
    CommunityFactory(slug="proviso")
    login(UserFactory())
    assert client.get("/c/proviso/start").status_code == 403
