"""A volunteer may change where they help (home point or radius) only three times a day."""

from __future__ import annotations

import threading
from datetime import timedelta

from flask import Flask
from sqlalchemy import func, select

from neighborly.accounts.models import Community, User
from neighborly.audit import AuditEvent
from neighborly.extensions import db
from neighborly.help_requests import services
from neighborly.help_requests.models import VolunteerProfile
from neighborly.timeutil import utcnow
from tests.factories.accounts import CommunityFactory, resident
from tests.factories.help_requests import MAYWOOD

LIMIT_WORDS = "You can change where you help (your ZIP code, home point or distance) 3 times a day."
THREADS = 8


def _form(lat: float, radius: str = "0.5", categories=("snow",)) -> dict:
    """The volunteer profile form with a typed home point."""
    return {
        "postal_code": "60153",
        "lat": str(lat),
        "lng": str(MAYWOOD[1]),
        "radius_km": radius,
        "categories": list(categories),
        "capacity": "3",
    }


def _draft(lat: float, radius: float = 0.5) -> services.ProfileDraft:
    """A profile draft with a typed home point."""
    return services.ProfileDraft(
        postal_code="60153",
        radius_km=radius,
        categories=frozenset({"snow"}),
        slots=frozenset(),
        capacity=3,
        lat=lat,
        lng=MAYWOOD[1],
    )


def _area_changes() -> list[AuditEvent]:
    """Every audited change of where someone helps."""
    return list(
        db.session.scalars(select(AuditEvent).where(AuditEvent.action == services.AREA_CHANGED))
    )


def _stored(person: User, community: Community) -> tuple:
    """What the database holds about where and what the volunteer helps."""
    db.session.expire_all()
    profile = services.volunteer_profile(person, community.id)
    return profile.home_lat, profile.home_lng, profile.radius_km, profile.categories


def test_a_fourth_move_of_the_home_point_in_a_day_is_refused_beside_the_field(client, login):
    community = CommunityFactory(slug="proviso")
    person = resident(community)
    login(person)
    url = "/c/proviso/volunteer/profile"
    assert client.post(url, data=_form(MAYWOOD[0])).status_code == 302  # signing up
    for step in (1, 2, 3):
        assert client.post(url, data=_form(MAYWOOD[0] + step * 0.001)).status_code == 302
    before = _stored(person, community)

    page = client.post(url, data=_form(MAYWOOD[0] + 0.004, "2", ("snow", "bins")))

    assert page.status_code == 200
    beside_zip = page.text.split('id="postal_code-error"', 1)[1].split("</p>", 1)[0]
    assert LIMIT_WORDS in beside_zip and "Nothing was changed" in beside_zip
    assert _stored(person, community) == before
    profile_id = services.volunteer_profile(person, community.id).id
    events = _area_changes()
    assert len(events) == 3
    assert {(e.actor_id, e.object_type, e.object_id, e.community_id) for e in events} == {
        (person.id, "volunteer_profile", profile_id, community.id)
    }


def test_a_fourth_change_of_the_radius_is_refused_beside_the_radius(client, login):
    community = CommunityFactory(slug="proviso")
    person = resident(community)
    login(person)
    url = "/c/proviso/volunteer/profile"
    client.post(url, data=_form(MAYWOOD[0], "1"))
    for radius in ("2", "3", "4"):
        assert client.post(url, data=_form(MAYWOOD[0], radius)).status_code == 302

    page = client.post(url, data=_form(MAYWOOD[0], "0.5"))

    beside_radius = page.text.split('id="radius_km-error"', 1)[1].split("</p>", 1)[0]
    assert LIMIT_WORDS in beside_radius
    assert _stored(person, community)[2] == 4.0


def test_other_choices_can_still_be_saved_once_the_limit_is_reached(client, login):
    community = CommunityFactory(slug="proviso")
    person = resident(community)
    login(person)
    url = "/c/proviso/volunteer/profile"
    for step in range(4):
        client.post(url, data=_form(MAYWOOD[0] + step * 0.001))

    page = client.post(
        url, data=_form(MAYWOOD[0] + 0.003, categories=("snow", "ride")), follow_redirects=True
    )

    assert "Your volunteer profile is saved." in page.text
    assert _stored(person, community)[3] == "ride,snow"
    assert len(_area_changes()) == 3


def test_the_home_point_can_move_again_a_day_after(app):
    community = CommunityFactory(slug="proviso")
    person = resident(community)
    start = utcnow()
    services.save_volunteer_profile(person, community, _draft(MAYWOOD[0]), now=start)
    for step in (1, 2, 3):
        moment = start + timedelta(minutes=step)
        services.save_volunteer_profile(person, community, _draft(MAYWOOD[0] + step), now=moment)
    refused = start + timedelta(hours=24)  # the first move was a day ago less a minute
    try:
        services.save_volunteer_profile(person, community, _draft(MAYWOOD[0] + 0.5), now=refused)
    except services.TooManyAreaChanges as error:
        assert error.field == "home"
    else:
        raise AssertionError("a fourth move within a day was saved")

    later = start + timedelta(days=1, minutes=2)
    services.save_volunteer_profile(person, community, _draft(MAYWOOD[0] + 0.5), now=later)

    assert _stored(person, community)[0] == MAYWOOD[0] + 0.5
    assert len(_area_changes()) == 4


def _move_together(app: Flask, user_id: int, community_id: int) -> list[str]:
    """Each thread saves a different home point at the same instant on its own session."""
    barrier = threading.Barrier(THREADS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def move(step: int) -> None:
        with app.app_context():
            person = db.session.get(User, user_id)
            community = db.session.get(Community, community_id)
            barrier.wait(timeout=30)
            try:
                services.save_volunteer_profile(person, community, _draft(MAYWOOD[0] + step))
                outcome = "saved"
            except services.TooManyAreaChanges:
                outcome = "refused"
            finally:
                db.session.remove()
            with lock:
                outcomes.append(outcome)

    threads = [threading.Thread(target=move, args=(n + 1,), daemon=True) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a save hung"
    return outcomes


def test_simultaneous_moves_cannot_both_take_the_last_change_of_the_day(app):
    community = CommunityFactory(slug="proviso")
    person = resident(community)
    services.save_volunteer_profile(person, community, _draft(MAYWOOD[0]))
    services.save_volunteer_profile(person, community, _draft(MAYWOOD[0] + 0.001))
    services.save_volunteer_profile(person, community, _draft(MAYWOOD[0] + 0.002))
    user_id, community_id = person.id, community.id
    db.session.remove()

    outcomes = _move_together(app, user_id, community_id)

    assert sorted(outcomes) == ["refused"] * (THREADS - 1) + ["saved"]
    assert len(_area_changes()) == 3
    profile_count = db.session.scalar(select(func.count(VolunteerProfile.id)))
    assert profile_count == 1
