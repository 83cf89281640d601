"""An attacker moves their own home point 500 times and still knows only the request's cell.

The outside review's attack: a self-registered, unverified volunteer sets a 0.5 km radius,
moves their home point and reads Near me after every move, watching a request enter and
leave the circle (and change distance band, and change place in the list). From the edges
of the circle they trilaterate the request. Here the attacker calls the real services,
500 moves, each a real profile save (the clock is advanced 8 hours a move, so the daily
limit on moves is respected rather than switched off: the point is that even unlimited
moves leak nothing finer than the cell).

Two requests, A and B, sit in the same ~500 m cell at opposite corners, with the same
facts otherwise; a third, C, sits in the next cell. What must hold:
- every observation at every one of the 500 probes treats A and B identically: listed or
  not, distance band and words, distance, public point, and place relative to C;
- so any estimate the attacker forms is the same for A and B, and cannot be within half
  their distance of both; concretely, the trilateration's best estimate is the public cell
  centre, at least 0.4 cell from either true point.
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from sqlalchemy import update

from neighborly.extensions import db
from neighborly.geo.cells import CELL_KM, EARTH_RADIUS_KM, cell_bounds, cell_centre, cell_of
from neighborly.help_requests import services
from neighborly.help_requests.models import Category, HelpRequest, Urgency
from neighborly.timeutil import utcnow
from tests.factories.accounts import CommunityFactory, resident
from tests.factories.help_requests import MAYWOOD, HelpRequestFactory, volunteer

MOVES = 500
STEP = timedelta(hours=8, minutes=1)  # three moves a rolling day: the limit allows each one
KM_PER_DEG_LAT = math.radians(1) * EARTH_RADIUS_KM
CELL = cell_of(*MAYWOOD)
CENTRE = cell_centre(CELL)

Observation = tuple[object, ...]
CSRF = re.compile(r'name="csrf_token" value="[^"]*"')
# "you will be signed out at 9:41 AM": the clock, not the request's place, can change it
SESSION_END = re.compile(r"signed out at [^.<]*\.")


def _point(east_km: float, north_km: float) -> tuple[float, float]:
    """A point this many km east and north of the cell centre (flat earth: a few km)."""
    lat0, lng0 = CENTRE
    per_deg_lng = KM_PER_DEG_LAT * math.cos(math.radians(lat0))
    return lat0 + north_km / KM_PER_DEG_LAT, lng0 + east_km / per_deg_lng


def _km(lat: float, lng: float) -> tuple[float, float]:
    """Km east and north of the cell centre."""
    lat0, lng0 = CENTRE
    per_deg_lng = KM_PER_DEG_LAT * math.cos(math.radians(lat0))
    return (lng - lng0) * per_deg_lng, (lat - lat0) * KM_PER_DEG_LAT


def _corner(north: bool, east: bool, share: float = 0.8) -> tuple[float, float]:
    """A point `share` of the way from the cell centre to one of its corners."""
    south_edge, west_edge, north_edge, east_edge = cell_bounds(CELL)
    lat = CENTRE[0] + share * ((north_edge if north else south_edge) - CENTRE[0])
    lng = CENTRE[1] + share * ((east_edge if east else west_edge) - CENTRE[1])
    assert cell_of(lat, lng) == CELL
    return lat, lng


class Attacker:
    """A volunteer who moves their home point and reads Near me after every move."""

    def __init__(self, community, start: datetime) -> None:
        self.community = community
        self.user = resident(community)
        self.now = start
        self.moves = 0
        self.pages: list[list[services.NearbyRequest]] = []

    def save(self, lat: float, lng: float, radius_km: float) -> None:
        """Save the volunteer profile with this home point and radius, a little later."""
        self.now += STEP
        draft = services.ProfileDraft(
            postal_code="60153",
            radius_km=radius_km,
            categories=frozenset({"snow"}),
            slots=frozenset(),
            capacity=3,
            lat=lat,
            lng=lng,
        )
        services.save_volunteer_profile(self.user, self.community, draft, now=self.now)

    def probe(self, lat: float, lng: float, radius_km: float) -> list[services.NearbyRequest]:
        """Move the home point, then read Near me."""
        self.save(lat, lng, radius_km)
        self.moves += 1
        page = services.near_me(self.user, self.community, now=self.now)
        self.pages.append(page)
        return page

    def edge(
        self, bearing: float, radius_km: float, inside: Callable[[list], bool], far_km: float
    ) -> tuple[float, float]:
        """Bisect along one bearing from the public centre for where `inside` stops holding."""
        near, far = 0.0, far_km
        for _ in range(20):
            mid = (near + far) / 2
            east, north = mid * math.cos(bearing), mid * math.sin(bearing)
            if inside(self.probe(*_point(east, north), radius_km)):
                near = mid
            else:
                far = mid
        mid = (near + far) / 2
        return mid * math.cos(bearing), mid * math.sin(bearing)


def _row(page, request_id: int):
    """The row for one request on a Near-me page, or None."""
    return next((row for row in page if row.request_id == request_id), None)


def _listed(request_id: int) -> Callable[[list], bool]:
    """Whether the request is on the page."""
    return lambda page: _row(page, request_id) is not None


def _under_1km(request_id: int) -> Callable[[list], bool]:
    """Whether the page says the request is under 1 km away."""
    return lambda page: (row := _row(page, request_id)) is not None and row.band == "under_1km"


def _observed(page, request_id: int, decoy_id: int) -> Observation | None:
    """Everything the page tells about one request (not its id), including its place vs C."""
    row = _row(page, request_id)
    if row is None:
        return None
    ids = [r.request_id for r in page]
    before_decoy = decoy_id in ids and ids.index(request_id) < ids.index(decoy_id)
    return (
        row.band,
        row.reasons,
        row.details,
        row.distance_km,
        (row.public_lat, row.public_lng),
        row.title,
        before_decoy,
    )


def _circle_centre(points: list[tuple[float, float]]) -> tuple[float, float]:
    """Least-squares circle through points (Kasa fit): its centre."""
    sums = [[0.0] * 4 for _ in range(3)]
    for x, y in points:
        row, rhs = (x, y, 1.0), -(x * x + y * y)
        for i in range(3):
            for j in range(3):
                sums[i][j] += row[i] * row[j]
            sums[i][3] += row[i] * rhs
    for col in range(3):  # Gauss-Jordan on the 3x3 normal equations
        pivot = max(range(col, 3), key=lambda r: abs(sums[r][col]))
        sums[col], sums[pivot] = sums[pivot], sums[col]
        for r in range(3):
            if r != col:
                factor = sums[r][col] / sums[col][col]
                sums[r] = [a - factor * b for a, b in zip(sums[r], sums[col], strict=True)]
    d, e = sums[0][3] / sums[0][0], sums[1][3] / sums[1][1]
    return -d / 2, -e / 2


@pytest.fixture()
def neighbourhood(app):
    """Requests A and B at opposite corners of one cell, C in the next cell, same facts."""
    community = CommunityFactory(slug="proviso", require_verified_volunteers=True)
    asker = resident(community, first_name="Rosa")
    posted = utcnow() - timedelta(hours=5)
    facts = dict(
        community=community,
        requester=asker,
        category=Category.SNOW,
        urgency=Urgency.SOON,
        needed_by=None,
        estimated_minutes=30,
        created_at=posted,
        updated_at=posted,
        title="Shovel the steps",
    )
    a_lat, a_lng = _corner(north=True, east=True)
    b_lat, b_lng = _corner(north=False, east=False)
    a = HelpRequestFactory(lat=a_lat, lng=a_lng, **facts)
    b = HelpRequestFactory(lat=b_lat, lng=b_lng, **facts)
    c_lat, c_lng = _point(0.7, 0.2)
    c = HelpRequestFactory(lat=c_lat, lng=c_lng, **facts)
    assert a.cell == b.cell == CELL != c.cell
    db.session.commit()
    return community, posted, a, b, c


def test_five_hundred_moves_place_a_request_no_closer_than_its_cell(neighbourhood):
    community, posted, a, b, c = neighbourhood
    attacker = Attacker(community, start=posted)
    attacker.save(*_point(0.0, -3.0), 0.5)  # sign up as a volunteer, unverified

    # 16 bearings x 20 halvings: the edge of a 0.5 km circle that just holds A.
    edges = [attacker.edge(2 * math.pi * k / 16, 0.5, _listed(a.id), far_km=1.5) for k in range(16)]
    # 8 bearings x 20 halvings with a 5 km radius: where A's band changes from "under 1 km".
    bands = [
        attacker.edge(2 * math.pi * k / 8, 5.0, _under_1km(a.id), far_km=2.0) for k in range(8)
    ]
    rng = random.Random(9)  # and the rest at random places and radii nearby
    while attacker.moves < MOVES:
        east, north = rng.uniform(-2, 2), rng.uniform(-2, 2)
        attacker.probe(*_point(east, north), rng.choice((0.5, 1.0, 2.0, 3.0)))

    assert attacker.moves == len(attacker.pages) == MOVES
    for page in attacker.pages:
        assert _observed(page, a.id, c.id) == _observed(page, b.id, c.id)
    assert sum(_row(page, a.id) is not None for page in attacker.pages) > MOVES // 3

    true_a, true_b = _km(a.lat, a.lng), _km(b.lat, b.lng)
    for estimate in (_circle_centre(edges), _circle_centre(bands)):
        assert math.dist(estimate, (0.0, 0.0)) < 0.01  # what the page already shows
        assert math.dist(estimate, true_a) >= 0.4 * CELL_KM
        assert math.dist(estimate, true_b) >= 0.4 * CELL_KM


def test_the_near_me_page_is_the_same_wherever_in_its_cell_the_request_is(
    client, login, neighbourhood
):
    community, _posted, a, _b, _c = neighbourhood
    helper = volunteer(community, categories="snow")
    profile = services.volunteer_profile(helper, community.id)
    login(helper)
    rng = random.Random(4)
    listed = 0
    for _ in range(20):
        profile.home_lat, profile.home_lng = _point(rng.uniform(-1, 1), rng.uniform(-1, 1))
        profile.radius_km = rng.choice((0.5, 1.0, 3.0))
        db.session.commit()
        pages = []
        for lat, lng in (_corner(True, True), _corner(False, True, 0.3), _corner(False, False)):
            db.session.execute(
                update(HelpRequest).where(HelpRequest.id == a.id).values(lat=lat, lng=lng)
            )
            db.session.commit()
            page = client.get("/c/proviso/near-me").text
            assert SESSION_END.search(page)
            pages.append(SESSION_END.sub("", CSRF.sub("", page)))  # timestamped
        assert pages[0] == pages[1] == pages[2]
        listed += f"/requests/{a.id}" in pages[0]
    assert 0 < listed < 20
