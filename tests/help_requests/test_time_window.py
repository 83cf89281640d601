"""A request's time window ("from" and "by") and the community's area, checked beside the field."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from neighborly.accounts.models import Role
from neighborly.extensions import db
from neighborly.help_requests.models import HelpRequest, Invitation
from neighborly.timeutil import local_time, utcnow
from tests.factories.accounts import CommunityFactory, member, resident
from tests.factories.help_requests import volunteer

ASK = {
    "category": "snow",
    "title": "Shovel the front steps",
    "street_address": "12 Elm Street",
    "postal_code": "60153",
    "estimated_minutes": "30",
    "urgency": "soon",
}


def _local(delta: timedelta) -> str:
    return local_time(utcnow() + delta, "America/Chicago").strftime("%Y-%m-%dT%H:%M")


def _count() -> int:
    return db.session.scalar(select(func.count(HelpRequest.id)))


def test_a_window_in_the_past_is_refused_beside_the_field(client, login):
    community = CommunityFactory(slug="proviso")
    login(resident(community))
    page = client.post("/c/proviso/ask", data={
        **ASK, "needed_from": _local(-timedelta(days=2)), "needed_by": _local(-timedelta(days=1))
    })
    assert "This time has already passed." in page.text
    assert _count() == 0


def test_a_window_that_ends_before_it_starts_is_refused(client, login):
    community = CommunityFactory(slug="proviso")
    login(resident(community))
    page = client.post("/c/proviso/ask", data={
        **ASK, "needed_from": _local(timedelta(days=2)), "needed_by": _local(timedelta(days=1))
    })
    assert "Choose a time after the start of the window." in page.text
    assert _count() == 0


def test_a_zip_code_outside_the_community_is_refused(client, login):
    community = CommunityFactory(slug="proviso", postal_codes="60153,60104")
    login(resident(community))
    page = client.post("/c/proviso/ask", data={**ASK, "postal_code": "60601"})
    assert "This ZIP code is outside the community" in page.text
    assert "area (60153, 60104)." in page.text
    assert _count() == 0


def test_a_good_window_is_kept_and_the_first_round_is_invited_at_once(client, login):
    community = CommunityFactory(slug="proviso")
    helper = volunteer(community)
    login(resident(community))
    client.post("/c/proviso/ask", data={
        **ASK, "needed_from": _local(timedelta(hours=2)), "needed_by": _local(timedelta(hours=6))
    })
    stored = db.session.scalar(select(HelpRequest))
    assert stored.needed_by - stored.needed_from == timedelta(hours=4)
    invited = db.session.scalars(select(Invitation.volunteer_id)).all()
    assert invited == [helper.id]


def test_a_phoned_in_request_invites_volunteers_too(client, login):
    community = CommunityFactory(slug="proviso")
    helper = volunteer(community)
    login(member(community, Role.COORDINATOR))
    client.post("/c/proviso/coordinate/phone-in", data={
        **ASK, "resident_first_name": "Rosa", "resident_last_name": "Diaz",
        "resident_phone": "708-555-0100", "needed_by": _local(timedelta(hours=6)),
    })
    assert _count() == 1
    assert db.session.scalars(select(Invitation.volunteer_id)).all() == [helper.id]
