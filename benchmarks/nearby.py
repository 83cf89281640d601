"""Benchmark the Near-me query as the platform grows city by city, against a full scan.

Run: python benchmarks/nearby.py [--database-url URL]

Without --database-url the data goes to a fresh SQLite file in a temporary folder. A
PostgreSQL URL names a server only: the benchmark creates its own throwaway database
``neighborly_bench`` on it (through an AUTOCOMMIT connection to ``postgres``), builds the
schema from the app's metadata, and drops that database at the end.

What it measures:

- The platform grows city by city at one local density: every city is its own community
  around a real US postal-code centroid, with PER_CITY open requests spread uniformly over
  a disc of CITY_RADIUS_KM (2,000 in 8 km: ~10 per km2). 10,000 / 100,000 / 1,000,000
  open requests are 5 / 50 / 500 cities, inserted incrementally with executemany batches.
- At each size, one volunteer at the centre of the first city (radius 3 km, four
  categories) calls the real ``services.near_me`` inside an app context, with a fresh
  session per call (median of --repeats calls, spread in blocks between the scans so a
  burst of load on a shared machine cannot decide the median; "(best)" is the fastest),
  against the naive baseline measured in the same run: load every open request of every
  community and filter it in Python by haversine distance (to the request's public cell
  centre, as near_me does: the exact point must not decide what a volunteer sees),
  community, category, requester and deadline. Informative extras: "(sql ms)" is
  near_me's open-rows statement alone at the driver level; "lean-scan" is the naive scan
  through Core with the deadline filtered in SQL; "city-scan" loads only the volunteer's
  community (the community_id index). The plan of near_me's query (EXPLAIN QUERY PLAN /
  EXPLAIN ANALYZE) is printed for the metro and the largest size.
- A dense metro: one city of 100,000 open requests within 15 km, alone on the platform;
  then the same metro again inside the 1,000,000-request platform.
- Correctness: an unlimited ``near_me`` must return exactly the request ids the scan
  finds, and the default page (50) must be a subset of them.

The last line is machine-readable:
    nearby: speedup_vs_scan_1m=<scan / near_me at 1M> growth_10k_to_1m=<near_me 1M / 10k>
"""

from __future__ import annotations

import argparse
import gc
import math
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import zipcodes
from sqlalchemy import create_engine, delete, event, insert, or_, select, text
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from config import TestingConfig, database_url  # noqa: E402
from neighborly import create_app  # noqa: E402
from neighborly.accounts.models import Community, Membership, Role, User  # noqa: E402
from neighborly.availability import format_codes, slot_code  # noqa: E402
from neighborly.extensions import db  # noqa: E402
from neighborly.geo.cells import cell_centre, cell_of, cells_within, haversine_km  # noqa: E402
from neighborly.help_requests import services  # noqa: E402
from neighborly.help_requests.models import HelpRequest, Status, VolunteerProfile  # noqa: E402

SEED = 2024
SIZES = (10_000, 100_000, 1_000_000)
PER_CITY = 2_000
CITY_RADIUS_KM = 8.0
CITY_SPACING_KM = 25.0  # centres at least this far apart, so cities never overlap
METRO_REQUESTS = 100_000
METRO_RADIUS_KM = 15.0
METRO_CENTRE = ("60601", 41.8858, -87.6181, "America/Chicago")  # Chicago Loop
REQUESTERS_PER_CITY = 25
VOLUNTEER_RADIUS_KM = 3.0
VOLUNTEER_CATEGORIES = ("snow", "bins", "errands", "visit")
BATCH = 10_000
KM_PER_DEG_LAT = 111.195
BENCH_DB = "neighborly_bench"

CATEGORY_WEIGHTS = {
    "snow": 15, "bins": 15, "errands": 15, "ride": 10, "yard": 10,
    "repair": 8, "visit": 10, "tech": 7, "pets": 5, "other": 5,
}  # fmt: skip
TITLES = {
    "snow": "Shovel the front steps", "bins": "Bins to the curb", "errands": "Pick up groceries",
    "ride": "Ride to the clinic", "yard": "Rake the leaves", "repair": "Fix a dripping tap",
    "visit": "Friendly check-in", "tech": "Set up my phone", "pets": "Walk the dog",
    "other": "A small favour",
}  # fmt: skip
FIRST_NAMES = (
    "Rosa", "Ahmed", "Mae", "Luis", "Grace", "Tomasz", "Ines", "Walter", "Keisha", "Hiro",
    "Dolores", "Frank", "Amara", "Bernard", "Lupe", "Irene", "Kwame", "Edith", "Marco", "June",
)  # fmt: skip
LAST_NAMES = ("Alvarez", "Brown", "Chen", "Diaz", "Evans", "Fischer", "Garcia", "Hughes", "Ito")


@dataclass(frozen=True)
class City:
    """One community's centre and where its requests fall."""

    slug: str
    name: str
    postal_code: str
    lat: float
    lng: float
    timezone: str
    radius_km: float


@dataclass(frozen=True)
class Probe:
    """The volunteer whose Near-me list is timed, with the facts the baseline needs."""

    user_id: int
    community_id: int
    lat: float
    lng: float
    radius_km: float
    categories: frozenset[str]


@dataclass(frozen=True)
class Measurement:
    """One row of the results table."""

    scenario: str
    open_rows: int
    cities: int
    near_me_ms: float
    near_me_best_ms: float
    sql_ms: float
    scan_ms: float
    lean_scan_ms: float
    city_scan_ms: float
    in_radius: int
    shown: int
    cells: int

    @property
    def speedup(self) -> float:
        """How many times faster near_me is than the full scan."""
        return self.scan_ms / self.near_me_ms


# ---------------------------------------------------------------- synthetic geography


def city_sites(count: int, rng: random.Random) -> list[City]:
    """Real postal-code centroids in the lower 48, at least CITY_SPACING_KM apart."""
    pool = [
        z
        for z in zipcodes.list_all()
        if z["zip_code_type"] == "STANDARD"
        and z["active"]
        and z["state"] not in ("AK", "HI", "PR", "VI", "GU", "AS", "MP", "AA", "AE", "AP")
        and z["lat"]
        and z["timezone"]
    ]
    pool.sort(key=lambda z: z["zip_code"])
    rng.shuffle(pool)
    avoid = [(METRO_CENTRE[1], METRO_CENTRE[2])]
    sites: list[City] = []
    for z in pool:
        lat, lng = float(z["lat"]), float(z["long"])
        if any(haversine_km(lat, lng, a, b) < CITY_SPACING_KM + METRO_RADIUS_KM for a, b in avoid):
            continue
        if any(haversine_km(lat, lng, c.lat, c.lng) < CITY_SPACING_KM for c in sites):
            continue
        n = len(sites)
        sites.append(
            City(
                slug=f"city-{n:04d}",
                name=f"{z['city'].title()}, {z['state']}",
                postal_code=z["zip_code"],
                lat=lat,
                lng=lng,
                timezone=z["timezone"],
                radius_km=CITY_RADIUS_KM,
            )
        )
        if len(sites) == count:
            return sites
    raise RuntimeError(f"only found {len(sites)} city sites")


def point_in_disc(rng: random.Random, lat: float, lng: float, radius_km: float):
    """A uniformly random point within radius_km of a centre."""
    r = radius_km * math.sqrt(rng.random())
    theta = rng.uniform(0.0, 2 * math.pi)
    dlat = r * math.cos(theta) / KM_PER_DEG_LAT
    dlng = r * math.sin(theta) / (KM_PER_DEG_LAT * math.cos(math.radians(lat)))
    return lat + dlat, lng + dlng


# ---------------------------------------------------------------- loading data


def add_city(city: City) -> Community:
    """The community row for one city."""
    community = Community(
        name=city.name,
        slug=city.slug,
        timezone=city.timezone,
        centre_lat=city.lat,
        centre_lng=city.lng,
        service_radius_km=city.radius_km,
        postal_codes=city.postal_code,
        require_verified_volunteers=True,
    )
    db.session.add(community)
    db.session.flush()
    return community


def add_requesters(community_id: int, slug: str, count: int, rng: random.Random) -> list[int]:
    """A few residents per city, inserted in one executemany with their memberships."""
    now = datetime.now(UTC)
    people = [
        {
            "email": f"{slug}-resident-{n}@bench.invalid",
            "password_hash": None,
            "first_name": rng.choice(FIRST_NAMES),
            "last_name": rng.choice(LAST_NAMES),
            "phone": None,
            "locale": "en",
            "is_site_admin": False,
            "is_active_account": True,
            "session_version": 1,
            "created_at": now,
        }
        for n in range(count)
    ]
    ids = list(db.session.scalars(insert(User).returning(User.id), people))
    db.session.execute(
        insert(Membership.__table__),
        [
            {"user_id": uid, "community_id": community_id, "role": "resident", "created_at": now}
            for uid in ids
        ],
    )
    return ids


def request_rows(
    rng: random.Random,
    city: City,
    community_id: int,
    requester_ids: list[int],
    count: int,
    now: datetime,
) -> Iterator[dict]:
    """Open requests spread uniformly over the city; some without or past their deadline."""
    categories = list(CATEGORY_WEIGHTS)
    weights = list(CATEGORY_WEIGHTS.values())
    for _ in range(count):
        lat, lng = point_in_disc(rng, city.lat, city.lng, city.radius_km)
        category = rng.choices(categories, weights)[0]
        roll = rng.random()
        if roll < 0.35:
            needed_by = None
        elif roll < 0.97:
            needed_by = now + timedelta(hours=rng.uniform(1, 14 * 24))
        else:  # overdue, still open until the expiry sweep runs
            needed_by = now - timedelta(hours=rng.uniform(1, 72))
        requester = rng.choice(requester_ids)
        created = now - timedelta(hours=rng.uniform(0, 240))
        yield {
            "community_id": community_id,
            "requester_id": requester,
            "created_by_id": requester,
            "intake_notes": None,
            "category": category,
            "title": TITLES[category],
            "details": "",
            "street_address": f"{rng.randint(1, 9999)} Elm St",
            "postal_code": city.postal_code,
            "lat": lat,
            "lng": lng,
            "cell": cell_of(lat, lng),
            "needed_by": needed_by,
            "estimated_minutes": rng.choice((15, 30, 45, 60)),
            "urgency": rng.choices(("flexible", "soon", "urgent"), (50, 35, 15))[0],
            "status": "open",
            "created_at": created,
            "updated_at": created,
        }


def insert_batched(rows: Iterator[dict]) -> int:
    """executemany the rows BATCH at a time; return how many went in."""
    total = 0
    batch: list[dict] = []
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH:
            db.session.execute(insert(HelpRequest.__table__), batch)
            total += len(batch)
            batch = []
    if batch:
        db.session.execute(insert(HelpRequest.__table__), batch)
        total += len(batch)
    return total


def populate_city(city: City, count: int, rng: random.Random, now: datetime) -> tuple[int, list]:
    """One city with its residents and open requests; returns (community id, requester ids)."""
    community = add_city(city)
    requesters = add_requesters(community.id, city.slug, REQUESTERS_PER_CITY, rng)
    insert_batched(request_rows(rng, city, community.id, requesters, count, now))
    return community.id, requesters


def add_probe_volunteer(city: City, community_id: int, requesters: list[int], now) -> Probe:
    """A verified volunteer at the city centre, who has helped three neighbours before."""
    user = User(
        email=f"{city.slug}-volunteer@bench.invalid",
        password_hash=None,
        first_name="Vera",
        last_name="Volunteer",
    )
    db.session.add(user)
    db.session.flush()
    db.session.add(Membership(user_id=user.id, community_id=community_id, role=Role.VOLUNTEER))
    db.session.add(
        VolunteerProfile(
            user_id=user.id,
            community_id=community_id,
            home_postal_code=city.postal_code,
            home_lat=city.lat,
            home_lng=city.lng,
            radius_km=VOLUNTEER_RADIUS_KM,
            categories=",".join(VOLUNTEER_CATEGORIES),
            availability=format_codes(slot_code(d, h) for d in range(7) for h in range(16, 20)),
            capacity=3,
            verified_at=now,
        )
    )
    for n, requester in enumerate(requesters[:3]):  # history for the "helped before" query
        done = now - timedelta(days=10 + n)
        db.session.add(
            HelpRequest(
                community_id=community_id,
                requester_id=requester,
                created_by_id=requester,
                category="bins",
                title="Bins to the curb",
                street_address="1 Elm St",
                postal_code=city.postal_code,
                lat=city.lat,
                lng=city.lng,
                cell=cell_of(city.lat, city.lng),
                urgency="soon",
                status=Status.CONFIRMED,
                volunteer_id=user.id,
                accepted_at=done - timedelta(hours=2),
                completed_at=done,
                confirmed_at=done,
                minutes_spent=20,
                created_at=done - timedelta(days=1),
            )
        )
    db.session.commit()
    return Probe(
        user_id=user.id,
        community_id=community_id,
        lat=city.lat,
        lng=city.lng,
        radius_km=VOLUNTEER_RADIUS_KM,
        categories=frozenset(VOLUNTEER_CATEGORIES),
    )


def settle(is_postgres: bool) -> None:
    """After a bulk load: PostgreSQL refreshes planner statistics, as autovacuum does soon
    after; SQLite folds its write-ahead log back into the file, as auto-checkpoints do.
    (SQLite is deliberately not ANALYZEd: the app never does, so its planner runs blind.)"""
    db.session.commit()
    if is_postgres:
        db.session.execute(text("ANALYZE"))
        db.session.commit()
    else:
        with db.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


# ---------------------------------------------------------------- the two ways to ask


def call_near_me(probe: Probe, now: datetime, limit: int = 50) -> tuple[float, list]:
    """One real near_me call in a fresh session; (seconds, rows)."""
    db.session.remove()
    volunteer = db.session.get(User, probe.user_id)
    community = db.session.get(Community, probe.community_id)
    start = time.perf_counter()
    rows = services.near_me(volunteer, community, now, limit=limit)
    elapsed = time.perf_counter() - start
    db.session.rollback()
    return elapsed, rows


def _keep(row, probe: Probe, now: datetime) -> bool:
    """The rules near_me applies, in plain Python: distance first, then the rest."""
    return (
        haversine_km(probe.lat, probe.lng, *cell_centre(row.cell)) <= probe.radius_km
        and row.community_id == probe.community_id
        and str(row.category) in probe.categories
        and row.requester_id != probe.user_id
        and (row.needed_by is None or row.needed_by > now)
    )


def call_scan(probe: Probe, now: datetime, community_only: bool = False) -> tuple[float, set]:
    """Naive baseline: load every open request (or every one of the community) and filter."""
    db.session.remove()
    start = time.perf_counter()
    query = select(
        HelpRequest.id,
        HelpRequest.community_id,
        HelpRequest.category,
        HelpRequest.cell,
        HelpRequest.requester_id,
        HelpRequest.needed_by,
    ).where(HelpRequest.status == Status.OPEN)
    if community_only:
        query = query.where(HelpRequest.community_id == probe.community_id)
    found = {row.id for row in db.session.execute(query) if _keep(row, probe, now)}
    elapsed = time.perf_counter() - start
    db.session.rollback()
    return elapsed, found


def call_lean_scan(probe: Probe, now: datetime) -> tuple[float, set]:
    """A leaner naive baseline: Core (no ORM session), deadline filtered in SQL, no datetimes
    to convert; still every open row of every community is loaded and measured in Python."""
    start = time.perf_counter()
    query = select(
        HelpRequest.id,
        HelpRequest.community_id,
        HelpRequest.category,
        HelpRequest.cell,
        HelpRequest.requester_id,
    ).where(
        HelpRequest.status == Status.OPEN,
        or_(HelpRequest.needed_by.is_(None), HelpRequest.needed_by > now),
    )
    lat, lng, radius = probe.lat, probe.lng, probe.radius_km
    with db.engine.connect() as conn:
        found = {
            row_id
            for row_id, community_id, category, cell, requester_id in conn.execute(query)
            if haversine_km(lat, lng, *cell_centre(cell)) <= radius
            and community_id == probe.community_id
            and category in probe.categories
            and requester_id != probe.user_id
        }
    return time.perf_counter() - start, found


def median_ms(run: Callable[[], tuple[float, object]], repeats: int) -> tuple[float, object]:
    """Median wall time in ms over repeats, after one warm-up, and the last result."""
    gc.collect()
    _, result = run()
    times = []
    for _ in range(repeats):
        elapsed, result = run()
        times.append(elapsed)
    return statistics.median(times) * 1000, result


def measure(
    scenario: str,
    probe: Probe,
    now: datetime,
    cities: int,
    repeats: int,
    scan_repeats: int,
    extra_repeats: int,
) -> Measurement:
    """Time near_me and the baselines, and check they agree.

    The machine is shared, so near_me's samples are spread in even blocks between the
    scans instead of being taken in one burst; each median then spans the whole
    measurement of that size. Each block starts with one untimed call, because a full
    scan has just pushed the volunteer's pages out of SQLite's small page cache."""
    open_rows = db.session.scalar(
        select(db.func.count()).select_from(HelpRequest).where(HelpRequest.status == Status.OPEN)
    )
    statement, params = open_rows_statement(probe, now)
    scans: list[tuple[str, Callable[[], tuple[float, object]]]] = (
        [("scan", lambda: call_scan(probe, now))] * scan_repeats
        + [("lean", lambda: call_lean_scan(probe, now))] * extra_repeats
        + [("city", lambda: call_scan(probe, now, True))] * max(3, extra_repeats)
    )
    blocks = len(scans) + 1
    sizes = [repeats // blocks + (i < repeats % blocks) for i in range(blocks)]
    times: dict[str, list[float]] = {"near_me": [], "sql": [], "scan": [], "lean": [], "city": []}
    found: dict[str, object] = {}
    for block, size in enumerate(sizes):
        gc.collect()
        call_near_me(probe, now)  # untimed: re-warm the caches a scan has just flushed
        for _ in range(size):
            elapsed, page = call_near_me(probe, now)
            times["near_me"].append(elapsed)
            times["sql"].append(run_raw(statement, params)[0])
        if block < len(scans):
            name, run = scans[block]
            elapsed, found[name] = run()
            times[name].append(elapsed)
    ms = {name: statistics.median(values) * 1000 for name, values in times.items()}
    expected, lean_found, city_found = found["scan"], found["lean"], found["city"]
    _, everything = call_near_me(probe, now, limit=10**9)
    got = {row.request_id for row in everything}
    if not got == expected == city_found == lean_found:
        raise AssertionError(
            f"{scenario}: near_me found {len(got)}, scan {len(expected)}, lean scan "
            f"{len(lean_found)}, city scan {len(city_found)}; missing {sorted(expected - got)[:5]} "
            f"extra {sorted(got - expected)[:5]}"
        )
    shown = {row.request_id for row in page}
    if not shown <= expected or len(shown) != min(50, len(expected)):
        raise AssertionError(f"{scenario}: the 50-row page is not drawn from the scan's ids")
    if any(row.distance_km > probe.radius_km for row in page):
        raise AssertionError(f"{scenario}: a row beyond the radius")
    load = os.getloadavg()[0]
    print(f"measured {scenario}: near_me median {ms['near_me']:.2f} ms (load average {load:.1f})")
    return Measurement(
        scenario=scenario,
        open_rows=open_rows,
        cities=cities,
        near_me_ms=ms["near_me"],
        near_me_best_ms=min(times["near_me"]) * 1000,
        sql_ms=ms["sql"],
        scan_ms=ms["scan"],
        lean_scan_ms=ms["lean"],
        city_scan_ms=ms["city"],
        in_radius=len(expected),
        shown=len(shown),
        cells=len(cells_within(probe.lat, probe.lng, probe.radius_km)),
    )


# ---------------------------------------------------------------- query plans


@contextmanager
def capture_statements() -> Iterator[list[tuple[str, object]]]:
    """Record (sql, params) for every statement sent while the block runs."""
    seen: list[tuple[str, object]] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        seen.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def open_rows_statement(probe: Probe, now: datetime) -> tuple[str, object]:
    """The SQL and bound values near_me sends for its open-rows query."""
    with capture_statements() as seen:
        call_near_me(probe, now)
    return next((s, p) for s, p in seen if "help_requests.cell IN" in s)


def run_raw(statement: str, params) -> tuple[float, int]:
    """Execute one captured statement at the driver level and fetch every row."""
    with db.engine.connect() as conn:
        start = time.perf_counter()
        count = len(conn.exec_driver_sql(statement, params).all())
        return time.perf_counter() - start, count


def near_me_plan(probe: Probe, now: datetime, is_postgres: bool, repeats: int) -> list[str]:
    """The plan for near_me's open-rows query (exact bound values); on SQLite, what the
    cell index would have cost if the planner had chosen it."""
    statement, params = open_rows_statement(probe, now)
    prefix = "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " if is_postgres else "EXPLAIN QUERY PLAN "
    with db.engine.connect() as conn:
        rows = conn.exec_driver_sql(prefix + statement, params).all()
    if is_postgres:
        return [row[0] for row in rows]
    lines = [f"{'  ' * (row[1] > 0)}{row[-1]}" for row in rows]
    if "ix_help_requests_community_status_cell" not in lines[0]:
        forced = statement.replace(
            "FROM help_requests JOIN",
            "FROM help_requests INDEXED BY ix_help_requests_community_status_cell JOIN",
        )
        chosen_ms, n = median_ms(lambda: run_raw(statement, params), repeats)
        cell_ms, m = median_ms(lambda: run_raw(forced, params), repeats)
        lines.append(
            "SQLite did not choose ix_help_requests_community_status_cell:"
            f" its plan {chosen_ms:.1f} ms,"
            f" INDEXED BY the cell index {cell_ms:.1f} ms (same rows: {n == m}, {n})"
        )
    return lines


# ---------------------------------------------------------------- databases


@contextmanager
def bench_database(url: str | None) -> Iterator[str]:
    """Yield a database URL to fill: a temp SQLite file, or a throwaway PostgreSQL database."""
    if url is None:
        with tempfile.TemporaryDirectory(prefix="neighborly-bench-") as folder:
            yield f"sqlite:///{Path(folder) / 'bench.db'}"
        return
    parsed = make_url(database_url(url))
    if parsed.get_backend_name() != "postgresql":
        yield str(parsed)
        return
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {BENCH_DB}"))
        conn.execute(text(f"CREATE DATABASE {BENCH_DB}"))
    try:
        yield parsed.set(database=BENCH_DB).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)"))
        admin.dispose()


def bench_config(url: str) -> type[TestingConfig]:
    """The test configuration pointed at the benchmark's database."""
    return type("BenchConfig", (TestingConfig,), {"SQLALCHEMY_DATABASE_URI": url})


# ---------------------------------------------------------------- the run


def print_table(results: list[Measurement]) -> None:
    """Aligned results table."""
    header = (
        f"{'scenario':<16} {'open rows':>10} {'cities':>6} {'cells':>5} {'near_me ms':>10} "
        f"{'(best)':>7} {'(sql ms)':>8} {'scan ms':>9} {'speedup':>8} {'lean-scan ms':>12} "
        f"{'speedup':>8} {'city-scan ms':>12} {'in radius':>9} {'shown':>5}"
    )
    print(header)
    print("-" * len(header))
    for m in results:
        print(
            f"{m.scenario:<16} {m.open_rows:>10,} {m.cities:>6} {m.cells:>5} "
            f"{m.near_me_ms:>10.2f} {m.near_me_best_ms:>7.2f} {m.sql_ms:>8.2f} "
            f"{m.scan_ms:>9.1f} {m.speedup:>7.0f}x {m.lean_scan_ms:>12.1f} "
            f"{m.lean_scan_ms / m.near_me_ms:>7.0f}x "
            f"{m.city_scan_ms:>12.1f} {m.in_radius:>9} {m.shown:>5}"
        )


def size_label(size: int) -> str:
    """10k, 100k, 1m."""
    return f"{size // 1_000_000}m" if size % 1_000_000 == 0 else f"{size // 1000}k"


def run(args: argparse.Namespace) -> None:
    """Build, grow and measure; print the table and the summary line."""
    started = time.perf_counter()
    rng = random.Random(SEED)
    now = datetime.now(UTC).replace(microsecond=0)
    sizes = sorted(args.sizes)
    sites = city_sites(max(sizes) // args.per_city, rng)
    metro = City("metro", "Chicago, IL", *METRO_CENTRE, radius_km=METRO_RADIUS_KM)
    results: list[Measurement] = []
    with bench_database(args.database_url) as url:
        app = create_app(bench_config(url))
        is_postgres = make_url(url).get_backend_name() == "postgresql"
        print(f"database: {make_url(url).render_as_string(hide_password=True)}")
        with app.app_context():
            db.create_all()
            metro_probe = None
            if not args.skip_metro:
                t0 = time.perf_counter()
                metro_id, metro_people = populate_city(metro, METRO_REQUESTS, rng, now)
                metro_probe = add_probe_volunteer(metro, metro_id, metro_people, now)
                settle(is_postgres)
                print(f"loaded metro ({METRO_REQUESTS:,}) in {time.perf_counter() - t0:.1f}s")
                results.append(
                    measure("metro alone", metro_probe, now, 1, args.repeats, args.scan_repeats, 3)
                )
                print("near_me plan, metro alone:")
                for line in near_me_plan(metro_probe, now, is_postgres, args.repeats):
                    print(f"    {line}")
                db.session.execute(  # leave the platform empty for the growth series
                    delete(HelpRequest)
                    .where(HelpRequest.community_id == metro_id, HelpRequest.status == Status.OPEN)
                    .execution_options(synchronize_session=False)
                )
                db.session.commit()

            probe = None
            built = 0
            for size in sizes:
                t0 = time.perf_counter()
                while built * args.per_city < size:
                    city = sites[built]
                    community_id, people = populate_city(city, args.per_city, rng, now)
                    if probe is None:
                        probe = add_probe_volunteer(city, community_id, people, now)
                    built += 1
                    if built % 50 == 0:
                        db.session.commit()
                db.session.commit()
                settle(is_postgres)
                print(f"grew to {size:,} open requests in {time.perf_counter() - t0:.1f}s")
                small = size < 1_000_000
                scans = args.scan_repeats if small else args.scan_repeats_1m
                label = f"platform {size_label(size)}"
                results.append(
                    measure(label, probe, now, built, args.repeats, scans, 3 if small else 1)
                )
            print(f"near_me plan, platform {size_label(sizes[-1])}:")
            for line in near_me_plan(probe, now, is_postgres, args.repeats):
                print(f"    {line}")

            if metro_probe is not None:
                t0 = time.perf_counter()
                metro_rng = random.Random(SEED + 1)
                insert_batched(
                    request_rows(metro_rng, metro, metro_id, metro_people, METRO_REQUESTS, now)
                )
                db.session.commit()
                settle(is_postgres)
                print(f"re-added the metro in {time.perf_counter() - t0:.1f}s")
                results.append(
                    measure(
                        f"metro in {size_label(sizes[-1])}",
                        metro_probe,
                        now,
                        built + 1,
                        args.repeats,
                        1,
                        1,
                    )
                )
            db.session.remove()
            db.engine.dispose()

    print()
    print_table(results)
    growth = [m for m in results if m.scenario.startswith("platform")]
    first, last = growth[0], growth[-1]
    elapsed = time.perf_counter() - started
    print()
    print(f"total runtime {elapsed:.0f}s ({elapsed / 60:.1f} min)")
    print(
        f"nearby: speedup_vs_scan_{size_label(sizes[-1])}"
        f"={last.speedup:.1f} "
        f"growth_{size_label(sizes[0])}_to_{size_label(sizes[-1])}"
        f"={last.near_me_ms / first.near_me_ms:.2f}"
    )


def main() -> None:
    """Parse the command line and run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="PostgreSQL server URL (default: temp SQLite)")
    parser.add_argument(
        "--sizes",
        type=lambda s: [int(x) for x in s.split(",")],
        default=list(SIZES),
        help="comma-separated open-request totals (default 10000,100000,1000000)",
    )
    parser.add_argument("--per-city", type=int, default=PER_CITY)
    parser.add_argument("--repeats", type=int, default=20, help="near_me calls per size")
    parser.add_argument("--scan-repeats", type=int, default=5, help="full scans below 1M")
    parser.add_argument("--scan-repeats-1m", type=int, default=3, help="full scans at 1M")
    parser.add_argument("--skip-metro", action="store_true")
    run(parser.parse_args())


if __name__ == "__main__":
    main()
