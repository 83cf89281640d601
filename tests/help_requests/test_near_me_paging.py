"""Near me in pages: the ring search shows exactly what ranking every open request would show."""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import insert, select

from neighborly.extensions import db
from neighborly.geo.cells import cell_centre, cell_of
from neighborly.help_requests import matching, services
from neighborly.help_requests.models import HelpRequest, Status
from neighborly.timeutil import utcnow
from tests.factories.accounts import CommunityFactory, UserFactory
from tests.factories.help_requests import MAYWOOD, HelpRequestFactory, volunteer


def _scatter(community_id: int, askers: list[int], count: int, spread: float, seed: int) -> None:
    """Open requests around Maywood with varied kinds, deadlines and ages (a few overdue)."""
    rng = random.Random(seed)
    now = utcnow()
    rows = []
    for n in range(count):
        lat = MAYWOOD[0] + rng.uniform(-spread, spread)
        lng = MAYWOOD[1] + rng.uniform(-spread, spread)
        asker = rng.choice(askers)
        rows.append(
            {
                "community_id": community_id,
                "requester_id": asker,
                "created_by_id": asker,
                "category": rng.choice(["snow", "bins", "ride"]),
                "title": f"Ask {n}",
                "details": "",
                "street_address": f"{n} Oak St",
                "postal_code": "60153",
                "lat": lat,
                "lng": lng,
                "cell": cell_of(lat, lng),
                "needed_by": rng.choice([None, now + timedelta(hours=rng.randint(-5, 200))]),
                "estimated_minutes": 30,
                "urgency": "soon",
                "status": "open",
                "created_at": now - timedelta(minutes=rng.randint(0, 9000)),
                "updated_at": now,
            }
        )
    db.session.execute(insert(HelpRequest), rows)
    db.session.commit()


def _reference(helper, community, now, helped=None) -> list[int]:
    """Every open request ranked at once, nearest cell first (what the pages must add up to);
    `helped` maps requesters the helper helped before to the day."""
    profile = services.volunteer_profile(helper, community.id)
    prefs = matching.VolunteerPrefs(
        lat=profile.home_lat,
        lng=profile.home_lng,
        radius_km=profile.radius_km,
        categories=profile.category_set,
        availability=profile.slot_set,
        helped_requesters=helped or {},
        time_zone=community.timezone,
    )
    everything = db.session.scalars(
        select(HelpRequest).where(
            HelpRequest.community_id == community.id,
            HelpRequest.status == Status.OPEN,
            HelpRequest.requester_id != helper.id,
        )
    ).all()
    candidates = [
        matching.Candidate(
            request_id=r.id,
            category=r.category.value,
            lat=cell_centre(r.cell)[0],
            lng=cell_centre(r.cell)[1],
            created_at=r.created_at,
            requester_id=r.requester_id,
            requester_first_name="x",
            needed_by=r.needed_by,
        )
        for r in everything
    ]
    return [r.request_id for r in matching.nearest_first(candidates, prefs, now)]


def _walk(helper, community, now, size: int) -> list[list[int]]:
    """Every page of Near me, following the Next cursor."""
    pages, after = [], None
    while True:
        page = services.near_me_page(helper, community, now=now, size=size, after=after)
        pages.append([row.request_id for row in page])
        if page.next_after is None:
            return pages
        after = page.next_after


def test_pages_of_near_me_add_up_to_the_full_ranking_in_a_busy_neighbourhood(app):
    community = CommunityFactory(slug="proviso")
    helper = volunteer(community, radius_km=2.0, categories="snow,bins")
    askers = [UserFactory().id for _ in range(8)]
    _scatter(community.id, askers, 900, spread=0.03, seed=3)
    now = utcnow()

    pages = _walk(helper, community, now, size=40)

    assert [i for page in pages for i in page] == _reference(helper, community, now)
    assert len(pages) > 3 and all(len(page) == 40 for page in pages[:-1])


def test_pages_of_near_me_add_up_to_the_full_ranking_where_requests_are_few(app):
    community = CommunityFactory(slug="proviso")
    helper = volunteer(community, radius_km=5.0, categories="snow,bins,ride")
    askers = [UserFactory().id for _ in range(3)]
    _scatter(community.id, askers, 60, spread=0.06, seed=4)
    now = utcnow()

    pages = _walk(helper, community, now, size=7)

    assert [i for page in pages for i in page] == _reference(helper, community, now)


def test_a_next_page_starts_after_a_request_taken_in_the_meantime(app, client, login):
    community = CommunityFactory(slug="proviso")
    helper = volunteer(community, radius_km=3.0)
    requests = [HelpRequestFactory(community=community, title=f"Ask {n}") for n in range(5)]
    first = services.near_me_page(helper, community, size=2)
    taken = db.session.get(HelpRequest, first.next_after)
    taken.status = Status.ACCEPTED
    db.session.commit()
    login(helper)

    page = client.get(f"/c/proviso/near-me?after={first.next_after}").text

    shown = [r.title for r in requests if f">{r.title}<" in page]
    assert len(shown) == 3 and not set(shown) & {row.title for row in first}
    assert "First page" in page and "Next page" not in page
