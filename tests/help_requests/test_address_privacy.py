"""Exact address, phone and point reach only the accepted helper (for a while) and coordinators."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from neighborly.accounts.models import Role
from neighborly.audit import AuditEvent
from neighborly.extensions import db
from neighborly.help_requests import services
from neighborly.help_requests.models import Status
from tests.factories.accounts import CommunityFactory, member, resident
from tests.factories.help_requests import HelpRequestFactory, volunteer

STREET = "4217 Elmwood Lane"
PHONE = "708-555-0142"
LAT, LNG = 41.881234, -87.845678


def _secrets() -> tuple[str, ...]:
    """Every way the private facts could leak into a page."""
    return (
        STREET,
        "4217",
        PHONE,
        "7085550142",
        f"{LAT}",
        f"{LNG}",
        "41.8812",
        "-87.8456",
        "41.881",
        "-87.845",
    )


@pytest.fixture()
def world(app):
    """A request in Proviso, with people in every position around it."""
    proviso = CommunityFactory(slug="proviso")
    algoma = CommunityFactory(slug="algoma")
    asker = resident(proviso, first_name="Rosa", last_name="Martinez", phone=PHONE)
    req = HelpRequestFactory(
        community=proviso, requester=asker, street_address=STREET, lat=LAT, lng=LNG
    )
    people = {
        "helper": volunteer(proviso),
        "other_volunteer": volunteer(proviso),
        "other_resident": resident(proviso),
        "coordinator": member(proviso, Role.COORDINATOR),
        "other_coordinator": member(algoma, Role.COORDINATOR),
        "asker": asker,
    }
    services.accept_request(req.id, people["helper"])
    return req, people


def _pages(req) -> list[str]:
    return [
        f"/requests/{req.id}",
        "/c/proviso/near-me",
        "/c/proviso/my-requests",
        "/c/proviso/volunteer",
        "/c/proviso/coordinate/requests",
        "/c/proviso",
        "/",
    ]


def _leaks(client, req) -> list[str]:
    found = []
    for url in _pages(req):
        text = client.get(url).text
        found += [f"{url}: {secret}" for secret in _secrets() if secret in text]
    return found


@pytest.mark.parametrize("viewer", ["other_volunteer", "other_resident", "other_coordinator"])
def test_people_other_than_the_helper_and_coordinators_never_see_the_address(
    client, login, world, viewer
):
    req, people = world
    login(people[viewer])
    assert _leaks(client, req) == []


def test_other_volunteers_see_the_open_request_area_but_not_the_address(client, login, world):
    req, people = world
    services.withdraw_request(req.id, people["helper"], "Sick today")
    login(people["other_volunteer"])
    near = client.get("/c/proviso/near-me").text
    assert "Shovel the front steps" in near and "under 1 km" in near
    assert _leaks(client, req) == []


def test_anonymous_visitors_see_nothing_private(client, world):
    req, _people = world
    for url in _pages(req):
        response = client.get(url)
        assert not any(secret in response.text for secret in _secrets()), url
    assert client.get(f"/requests/{req.id}").status_code == 302


def test_coordinator_of_another_community_is_told_the_request_is_not_found(client, login, world):
    req, people = world
    login(people["other_coordinator"])
    assert client.get(f"/requests/{req.id}").status_code == 404  # as for a missing request
    assert client.get("/c/proviso/coordinate/requests").status_code == 403


@pytest.mark.parametrize("viewer", ["helper", "coordinator"])
def test_helper_and_coordinator_see_address_and_phone_and_it_is_audited(
    client, login, world, viewer
):
    req, people = world
    login(people[viewer])
    page = client.get(f"/requests/{req.id}").text
    assert STREET in page and PHONE in page
    reveals = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "request.address_revealed")
    ).all()
    assert [(e.actor_id, e.object_id) for e in reveals] == [(people[viewer].id, req.id)]


def test_helper_keeps_the_address_for_three_days_after_finishing_then_loses_it(
    client, login, world
):
    req, people = world
    services.complete_request(req.id, people["helper"], 30)
    login(people["helper"])
    assert STREET in client.get(f"/requests/{req.id}").text
    db.session.refresh(req)
    req.completed_at = req.completed_at - timedelta(days=3, minutes=1)
    db.session.commit()
    page = client.get(f"/requests/{req.id}").text
    assert not any(secret in page for secret in _secrets())


def test_helper_who_withdrew_loses_the_address(client, login, world):
    req, people = world
    services.withdraw_request(req.id, people["helper"], "Away")
    login(people["helper"])
    assert _leaks(client, req) == []
    db.session.refresh(req)
    assert req.status == Status.OPEN


def test_near_me_rows_carry_only_the_public_cell_point(app, world):
    req, people = world
    services.withdraw_request(req.id, people["helper"], "Away")
    rows = services.near_me(people["other_volunteer"], req.community)
    assert rows and (rows[0].public_lat, rows[0].public_lng) != (LAT, LNG)
    assert abs(rows[0].public_lat - LAT) < 0.005
