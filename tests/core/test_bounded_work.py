"""Every list page costs the same with 100 or 100,000 rows: statements counted, times printed.

Two communities are built once for the module with Core bulk inserts: "small" with 100 open
requests and "large" with 100,000, spread the same way over about 11 x 11 km around Maywood,
with askers, one resident who asked a tenth of them, and a volunteer who finished one in a
hundred. The tests here use the module's data (not the per-test empty database), and empty
the tables when the module ends. Times are printed (`pytest -s`), never asserted.
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta

import pytest
from flask import Flask
from sqlalchemy import event, insert, select, text

from neighborly.accounts.models import Community, Role, User
from neighborly.extensions import db
from neighborly.geo.cells import cell_of
from neighborly.help_requests.models import HelpRequest
from neighborly.help_requests.services.near_me import NEAR_ME_PAGE_SIZE
from neighborly.mentoring.models import GroupEvent, Mentee, MentorEnrollment
from neighborly.resources.models import Resource
from neighborly.timeutil import utcnow
from tests.conftest import wipe_tables
from tests.factories.accounts import CommunityFactory, member
from tests.factories.help_requests import MAYWOOD, volunteer
from tests.factories.mentoring import program_run_by

SIZES = {"small": 100, "large": 100_000}
pytestmark = pytest.mark.bounded


def _people(slug: str, count: int) -> list[int]:
    """Askers for one community, bulk inserted; their ids."""
    now = utcnow()
    rows = [
        {
            "email": f"{slug}-asker{n}@example.org",
            "first_name": f"Asker{n}",
            "last_name": "Bulk",
            "locale": "en",
            "created_at": now,
        }
        for n in range(count)
    ]
    db.session.execute(insert(User), rows)
    return list(
        db.session.scalars(
            select(User.id).where(User.email.like(f"{slug}-asker%")).order_by(User.id)
        )
    )


def _requests(community_id: int, askers: list[int], heavy: int, helper: int, count: int) -> None:
    """`count` open requests (a tenth asked by `heavy`) and count/100 finished by `helper`."""
    rng = random.Random(count)
    now = utcnow()
    batch = []
    finished = count // 100
    for n in range(count + finished):
        lat = MAYWOOD[0] + rng.uniform(-0.05, 0.05)
        lng = MAYWOOD[1] + rng.uniform(-0.07, 0.07)
        done = n >= count
        requester = heavy if n % 10 == 0 else askers[n % len(askers)]
        batch.append(
            {
                "community_id": community_id,
                "requester_id": requester,
                "created_by_id": requester,
                "category": "snow",
                "title": f"Request {n}",
                "details": "",
                "street_address": f"{n} Main St",
                "postal_code": "60153",
                "lat": lat,
                "lng": lng,
                "cell": cell_of(lat, lng),
                "needed_by": now + timedelta(hours=rng.randint(2, 96)),
                "estimated_minutes": 30,
                "urgency": "soon",
                "status": "completed" if done else "open",
                "volunteer_id": helper if done else None,
                "minutes_spent": 30 if done else None,
                "completed_at": now - timedelta(days=1) if done else None,
                "thank_you_note": "Thank you!" if done and n % 7 == 0 else None,
                "created_at": now - timedelta(minutes=n % 5000, seconds=n),
                "updated_at": now,
            }
        )
        if len(batch) == 10_000:
            db.session.execute(insert(HelpRequest), batch)
            batch = []
    if batch:
        db.session.execute(insert(HelpRequest), batch)


def _program(community_id: int, askers: list[int], count: int) -> tuple[int, int]:
    """A program with `count` mentees and `count` events, and every asker applying to mentor."""
    program, runner = program_run_by(db.session.get(Community, community_id))
    today = date.today()
    for rows, table in (
        (
            [
                {
                    "program_id": program.id,
                    "community_id": community_id,
                    "first_name": f"Pup{n}",
                    "last_initial": "B",
                    "grade": 3,
                }
                for n in range(count)
            ],
            Mentee,
        ),
        (
            [
                {
                    "program_id": program.id,
                    "community_id": community_id,
                    "name": f"Wolf Den {n}",
                    "held_on": today - timedelta(days=n % 3000),
                    "minutes": 90,
                }
                for n in range(count)
            ],
            GroupEvent,
        ),
        (
            [
                {"program_id": program.id, "community_id": community_id, "user_id": asker}
                for asker in askers
            ],
            MentorEnrollment,
        ),
    ):
        for start in range(0, len(rows), 10_000):
            db.session.execute(insert(table), rows[start : start + 10_000])
    return program.id, runner.id


def _world(slug: str, count: int) -> dict[str, int]:
    """One community with `count` open requests; the ids of the people who read its lists."""
    community = CommunityFactory(slug=slug)
    coordinator = member(community, Role.COORDINATOR)
    helper = volunteer(community, radius_km=3.0, categories="snow")
    heavy = member(community, Role.RESIDENT)
    askers = _people(slug, max(10, count // 100))
    _requests(community.id, askers, heavy.id, helper.id, count)
    program, runner = _program(community.id, askers, count)
    db.session.commit()
    return {
        "coordinator": coordinator.id,
        "volunteer": helper.id,
        "resident": heavy.id,
        "program": program,
        "program coordinator": runner,
    }


@pytest.fixture(scope="module")
def worlds(session_app: Flask, is_postgres: bool) -> Iterator[dict[str, dict[str, int]]]:
    """Both communities, built once for the module."""
    with session_app.app_context():
        wipe_tables(is_postgres)
        started = time.perf_counter()
        built = {slug: _world(slug, count) for slug, count in SIZES.items()}
        if is_postgres:  # current statistics, as autovacuum keeps them in production
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("ANALYZE"))
        print(f"\nbounded work: data built in {time.perf_counter() - started:.1f} s")
        db.session.remove()
    yield built
    with session_app.app_context():
        wipe_tables(is_postgres)
        db.session.remove()


@pytest.fixture()
def reader(session_app: Flask, worlds):
    """A function giving a test client signed in as one of a world's people."""
    with session_app.app_context():

        def sign_in(slug: str, who: str):
            client = session_app.test_client()
            user = db.session.get(User, worlds[slug][who])
            with client.session_transaction() as session:
                session["_user_id"] = user.get_id()
                session["_fresh"] = True
            return client

        yield sign_in
        db.session.rollback()
        db.session.remove()


@contextmanager
def counting() -> Iterator[list[str]]:
    """Every SQL statement sent while the block runs."""
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def _cost(client, path: str) -> tuple[int, str]:
    """Statements sent for one page, and its text."""
    with counting() as statements:
        page = client.get(path)
    assert page.status_code == 200, (path, page.status_code, page.location)
    return len(statements), page.text


def _median_ms(client, path: str, times: int = 7) -> str:
    """Median and best wall time of a few requests for one page, and the median CPU time.

    On a shared machine the wall clock counts other people's work too; this process's CPU
    time (which includes SQLite, but not a PostgreSQL server) is the steadier figure.
    """
    spent, cpu = [], []
    for _ in range(times):
        began, began_cpu = time.perf_counter(), time.process_time()
        client.get(path)
        spent.append((time.perf_counter() - began) * 1000)
        cpu.append((time.process_time() - began_cpu) * 1000)
    return (
        f"median {statistics.median(spent):.1f} ms, best {min(spent):.1f} ms, "
        f"cpu {statistics.median(cpu):.1f} ms"
    )


LISTS = {
    "open requests": ("coordinator", "/c/{slug}/coordinate/requests"),
    "my requests": ("resident", "/c/{slug}/my-requests"),
    "volunteer home": ("volunteer", "/c/{slug}/volunteer"),
    "mentees": ("program coordinator", "/mentoring/programs/{program}/mentees"),
    "events": ("program coordinator", "/mentoring/programs/{program}/events"),
    # One application per account: 10 at the small size and 1,000 at the large one.
    "mentors": ("program coordinator", "/mentoring/programs/{program}/mentors"),
}


@pytest.mark.parametrize("name", sorted(LISTS))
def test_a_list_page_sends_as_many_statements_at_100_as_at_100000_rows(reader, worlds, name):
    who, path = LISTS[name]
    counts = {}
    for slug in SIZES:
        client = reader(slug, who)
        url = path.format(slug=slug, program=worlds[slug]["program"])
        counts[slug], text = _cost(client, url)
        after = _next_link(text)
        if after:  # the next page costs the same as the first
            counts[f"{slug} next"], _text = _cost(client, after)
        timing = _median_ms(client, url)
        print(f"\n{name} ({slug}): {counts[slug]} statements, {timing}")
    assert counts["small"] == counts["large"], counts
    if "large next" in counts:
        assert counts["large next"] == counts["large"] + 1  # + looking the cursor row up


def _next_link(text: str) -> str | None:
    """The href of the page's Next link, if it has one."""
    marker = 'rel="next" href="'
    if marker not in text:
        return None
    return text.split(marker, 1)[1].split('"', 1)[0].replace("&amp;", "&")


def test_near_me_reads_no_more_with_100000_open_requests_than_with_100(reader):
    small, small_page = _cost(reader("small", "volunteer"), "/c/small/near-me")
    client = reader("large", "volunteer")
    large, large_page = _cost(client, "/c/large/near-me")
    print(f"\nnear me: {small} statements at 100, {large} at 100,000")
    print(f"near me (100,000 open): {_median_ms(client, '/c/large/near-me')}")
    assert large_page.count('<li class="card">') == NEAR_ME_PAGE_SIZE
    assert 0 < small_page.count('<li class="card">') <= NEAR_ME_PAGE_SIZE
    assert large <= small


def test_the_coordinator_walks_100000_open_requests_a_page_at_a_time_oldest_first(reader):
    client = reader("large", "coordinator")
    path = "/c/large/coordinate/requests"
    print(f"\nopen requests (100,000 open): {_median_ms(client, path)}")
    first = client.get(path).text
    second_url = _next_link(first)
    second = client.get(second_url).text
    oldest = db.session.scalars(
        select(HelpRequest.title)
        .join(User, User.id == HelpRequest.requester_id)
        .where(HelpRequest.status == "open", HelpRequest.title.like("Request %"))
        .where(HelpRequest.community_id == _community_id("large"))
        .order_by(HelpRequest.created_at, HelpRequest.id)
        .limit(100)
    ).all()
    assert [t for t in oldest[:50] if f">{t}<" in first] == oldest[:50]
    assert [t for t in oldest[50:] if f">{t}<" in second] == oldest[50:]
    assert not any(f">{t}<" in second for t in oldest[:50])
    back = client.get(second.split('rel="prev" href="', 1)[1].split('"', 1)[0]).text
    assert [t for t in oldest[:50] if f">{t}<" in back] == oldest[:50]
    assert "Previous page" in second and "Previous page" not in first


def _community_id(slug: str) -> int:
    """The id of one of the module's communities."""
    from neighborly.accounts.models import Community

    return db.session.scalar(select(Community.id).where(Community.slug == slug))


def _resources(count: int) -> None:
    """Published resources for the site-wide library, bulk inserted."""
    rows = [
        {"title": f"Guide {n:06d}", "kind": "guide", "summary": "", "published": True}
        for n in range(count)
    ]
    for start in range(0, len(rows), 10_000):
        db.session.execute(insert(Resource), rows[start : start + 10_000])
    db.session.commit()


def test_the_library_and_the_community_list_cost_the_same_at_100_and_10000_rows(reader):
    """The library is site-wide (one table for both worlds), so it grows in place."""
    client = reader("large", "coordinator")
    pages = ("/resources", "/resources/manage", "/communities")
    try:
        _resources(100)
        small = {path: _cost(client, path)[0] for path in pages}
        _resources(9_900)
        db.session.execute(
            insert(Community),
            [
                {
                    "name": f"Town {n:05d}",
                    "slug": f"town-{n}",
                    "centre_lat": 41.9,
                    "centre_lng": -87.8,
                }
                for n in range(10_000)
            ],
        )
        db.session.commit()
        large = {path: _cost(client, path)[0] for path in pages}
        for path in pages:
            print(f"\n{path} (10,000 rows): {_median_ms(client, path)}")
        assert small == large
    finally:
        db.session.execute(Resource.__table__.delete())
        db.session.execute(Community.__table__.delete().where(Community.slug.like("town-%")))
        db.session.commit()
