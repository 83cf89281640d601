"""Reading invitees band by band gives exactly what reading every volunteer gives."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from neighborly.availability import slot_code
from neighborly.geo.cells import EARTH_RADIUS_KM, bounding_box, haversine_km
from neighborly.help_requests.matching import Candidate, Helper, pick_invitees, settled

NOW = datetime(2025, 1, 20, 15, 0, tzinfo=UTC)  # Monday 10:00 in Toronto
CENTRE = (43.6532, -79.3832)
KM_PER_DEGREE = math.pi * EARTH_RADIUS_KM / 180
SLOTS = [slot_code(day, hour) for day in range(7) for hour in (9, 10, 15, 18)]


def at(km_north: float, km_east: float) -> tuple[float, float]:
    """A point km_north / km_east of the request."""
    lat = CENTRE[0] + km_north / KM_PER_DEGREE
    return lat, CENTRE[1] + km_east / (KM_PER_DEGREE * math.cos(math.radians(CENTRE[0])))


@st.composite
def helpers(draw) -> list[Helper]:
    """Volunteers scattered up to 12 km away with mixed free time, turns and history."""
    people = []
    for volunteer_id in range(1, draw(st.integers(0, 40)) + 1):
        lat, lng = at(draw(st.floats(-12, 12)), draw(st.floats(-12, 12)))
        people.append(
            Helper(
                volunteer_id=volunteer_id,
                lat=lat,
                lng=lng,
                radius_km=draw(st.sampled_from([1.0, 3.0, 8.0, 15.0])),
                categories=frozenset(draw(st.sets(st.sampled_from(["snow", "bins"]), min_size=1))),
                availability=frozenset(draw(st.sets(st.sampled_from(SLOTS), max_size=4))),
                time_zone="America/Toronto",
                helped_on=draw(st.none() | st.just(date(2024, 12, 1))),
                last_invited_at=draw(st.none() | st.just(NOW - timedelta(days=volunteer_id % 5))),
                invitations_today=draw(st.integers(0, 3)),
                daily_cap=3,
                paused=draw(st.booleans()),
            )
        )
    return people


REQUEST = Candidate(
    request_id=1,
    category="snow",
    lat=CENTRE[0],
    lng=CENTRE[1],
    created_at=NOW - timedelta(hours=1),
    requester_id=99,
    requester_first_name="Rosa",
    needed_by=NOW + timedelta(days=2),
)


@settings(max_examples=200, deadline=None)
@given(people=helpers(), km=st.sampled_from([0.5, 1.0, 2.0, 5.0]), limit=st.integers(1, 8))
def test_a_settled_band_picks_exactly_what_reading_everyone_picks(people, km, limit):
    south, west, north, east = bounding_box(REQUEST.lat, REQUEST.lng, km)
    inside = [
        helper
        for helper in people
        if (south <= helper.lat <= north and west <= helper.lng <= east)
        or helper.helped_on is not None
    ]
    from_band = pick_invitees(REQUEST, inside, NOW, limit)

    if settled(from_band, limit, km):
        assert from_band == pick_invitees(REQUEST, people, NOW, limit)


@settings(max_examples=100, deadline=None)
@given(
    km=st.floats(0.1, 50),
    bearing=st.floats(0, 2 * math.pi),
    lat=st.floats(-80, 80),
    lng=st.floats(-170, 170),
)
def test_the_box_holds_every_point_within_its_distance(km, bearing, lat, lng):
    box = bounding_box(lat, lng, km)
    if box is None:
        return
    south, west, north, east = box
    distance = km * 0.999
    # Walk along the great circle at this bearing to a point `distance` away.
    phi1, lam1, delta = math.radians(lat), math.radians(lng), distance / EARTH_RADIUS_KM
    phi2 = math.asin(
        math.sin(phi1) * math.cos(delta) + math.cos(phi1) * math.sin(delta) * math.cos(bearing)
    )
    lam2 = lam1 + math.atan2(
        math.sin(bearing) * math.sin(delta) * math.cos(phi1),
        math.cos(delta) - math.sin(phi1) * math.sin(phi2),
    )
    point_lat, point_lng = math.degrees(phi2), math.degrees(lam2)
    assert haversine_km(lat, lng, point_lat, point_lng) <= km
    assert south <= point_lat <= north
    assert west <= point_lng <= east


def test_a_crowded_neighbourhood_settles_within_the_first_band():
    people = [
        Helper(
            volunteer_id=n,
            lat=at(0.01 * (n % 30), 0.01 * (n // 30))[0],
            lng=at(0.01 * (n % 30), 0.01 * (n // 30))[1],
            radius_km=5.0,
            categories=frozenset({"snow"}),
        )
        for n in range(1, 301)
    ]
    chosen = pick_invitees(REQUEST, people, NOW, 10)

    assert len(chosen) == 10
    assert settled(chosen, 10, 2.0)
    assert not settled(chosen[:9], 10, 2.0)


def test_inviting_band_by_band_chooses_whom_reading_every_volunteer_chooses(app):
    from neighborly.extensions import db
    from neighborly.help_requests.services import invitees
    from tests.factories.accounts import CommunityFactory
    from tests.factories.help_requests import MAYWOOD, open_request, volunteer

    now = datetime(2025, 1, 20, 15, 0, tzinfo=UTC)
    community = CommunityFactory(invitations_per_round=3)
    # Few people near the request, more farther out, some free only on Sundays: the first
    # bands cannot settle and later rings are read on top of them.
    for n in range(24):
        km_north = [0.3, 1.5, 2.5, 4.0, 6.0, 9.0, 14.0, 20.0][n % 8]
        lat = MAYWOOD[0] + km_north / KM_PER_DEGREE
        availability = "sun-9" if n % 3 else ""
        volunteer(community, home_lat=lat, home_lng=MAYWOOD[1], radius_km=25.0,
                  availability=availability)  # fmt: skip
    request = open_request(community, now)
    db.session.commit()

    chosen = invitees.pick_invitees(request, now, 6)
    everyone = invitees._helpers(request, now, invitees._helpers_of(request.requester_id,
                                                                          community))  # fmt: skip
    candidate = invitees._candidate(request)

    assert len(chosen) == 6
    assert chosen == pick_invitees(candidate, everyone, now, 6)


def _volunteers_read(statements: list[str]) -> int:
    """How many statements read volunteer profiles (bands and the ring count)."""
    return sum("FROM volunteer_profiles" in s for s in statements)


def test_when_every_volunteer_has_had_todays_invitations_the_search_stops_after_one_count(app):
    from neighborly.extensions import db
    from neighborly.help_requests.services import invitees
    from neighborly.timeutil import local_time
    from tests.core.test_bounded_work import counting
    from tests.factories.accounts import CommunityFactory
    from tests.factories.help_requests import MAYWOOD, open_request, volunteer

    now = datetime(2025, 1, 20, 15, 0, tzinfo=UTC)
    community = CommunityFactory()
    today = local_time(now, community.timezone).date()
    for km_north in (0.5, 3.0, 9.0, 30.0):
        lat = MAYWOOD[0] + km_north / KM_PER_DEGREE
        volunteer(community, home_lat=lat, home_lng=MAYWOOD[1], radius_km=50.0,
                  daily_invitations=2, invited_on=today, invited_count=2)  # fmt: skip
    request = open_request(community, now)
    db.session.commit()

    with counting() as statements:
        chosen = invitees.pick_invitees(request, now, 3)

    assert chosen == []
    assert _volunteers_read(statements) == 2  # the first band, then one count: nobody farther


def test_an_empty_ring_is_not_read_and_the_choice_is_still_reading_everyones(app):
    from neighborly.extensions import db
    from neighborly.help_requests.services import invitees
    from tests.core.test_bounded_work import counting
    from tests.factories.accounts import CommunityFactory
    from tests.factories.help_requests import MAYWOOD, open_request, volunteer

    now = datetime(2025, 1, 20, 15, 0, tzinfo=UTC)
    community = CommunityFactory(invitations_per_round=3)
    # One volunteer in the first band, nobody in the 2-5 km ring, four in the 5-15 km ring.
    for km_north in (1.0, 7.0, 8.0, 9.0, 10.0):
        lat = MAYWOOD[0] + km_north / KM_PER_DEGREE
        volunteer(community, home_lat=lat, home_lng=MAYWOOD[1], radius_km=25.0)
    request = open_request(community, now)
    db.session.commit()

    with counting() as statements:
        chosen = invitees.pick_invitees(request, now, 3)
    everyone = invitees._helpers(request, now, {})

    assert chosen == pick_invitees(invitees._candidate(request), everyone, now, 3)
    assert len(chosen) == 3
    # The first band, the count and the 5-15 km ring; never the empty 2-5 km ring or the
    # empty world beyond 15 km (reading band by band without the count took 4).
    assert _volunteers_read(statements) == 3
