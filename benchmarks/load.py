"""Load test: the production server on 100,000 requests and 10,000 people, against bare Flask.

Run: python benchmarks/load.py [--server-url postgresql://postgres@127.0.0.1:5432/postgres]

What it does, all on 127.0.0.1 and bounded in time (about 4-5 minutes on 2 cores):

1. Creates its own database ``neighborly_load`` on the given PostgreSQL server (dropped at the
   end), builds the schema from the models, loads the starting library and a small demo through
   the services (communities, the Wolves and Pups program, role accounts), then bulk-inserts
   10,000 people (8,000 residents; 2,000 volunteers living within 4.5 km, each offering 2-4 kinds
   of help and taking 3, 5 or 10 invitations a day) and 100,000 help requests of every kind in
   one community (80% open) with SQLAlchemy Core executemany in batches, then ANALYZE.
2. Starts its own redis-server (rate limits and the outbox queue, as production), gunicorn with
   gunicorn.conf.py and 4 workers, NEIGHBORLY_ENV=production, behind a pretend TLS proxy: every
   request carries X-Forwarded-For (one address per visitor) and X-Forwarded-Proto,
   TRUSTED_PROXIES=1; and the outbox worker (`flask --app neighborly worker`), which sends the
   invitations and notices the pages queue (to the memory backend).
3. Signs visitors in through the real forms: volunteers, residents, and a program coordinator
   with two-step sign-in (a TOTP secret set up while loading).
4. A closed loop of threads (httpx, keep-alive) runs the mix: home, near-me, a request page,
   resources search, the program page, posting a request (a kind of help and a postal code of
   the community at random, so each post invites the volunteers who offer that help nearby, and
   the worker emails them), accepting one. Concurrency climbs (1, 2, 4, 8, 16 clients); the best
   throughput is the maximum. The report says how many invitations posting made and sent.
5. Holds half of that rate (paced sends; latency measured from the planned send time, so a
   late generator counts against the server) and reports p50/p99 per page and for the mix.
6. Each page alone at the best concurrency (its share of bare Flask's throughput).
7. A bare Flask "hello" app under the same gunicorn settings, same loop, same concurrency steps.

Errors are responses of 500 or more, unexpected statuses (a page not 200, a form not 302) and
failed connections. Limits per person/address are raised for the run (one pretend proxy sends
thousands of posts). The load generator shares the 2 cores with the server: ratios within one
run are what to compare, and the bare figure is a floor (the generator may bound it).

The last line is machine-readable:
    load: ratio_vs_bare=<mix max / bare max> p99_ms=<mix p99 at half max> errors=<count>
"""

from __future__ import annotations

import argparse
import math
import random
import shutil
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from serving import (  # noqa: E402
    Processes,
    Visitor,
    gunicorn_argv,
    production_env,
    sign_in,
    spare_port,
    start_redis,
    temporary_folder,
    wait_ready,
)

DB_NAME = "neighborly_load"
PAGES = ("home", "near_me", "request", "resources", "program", "post", "accept")
# How often each page comes up in the mix (a volunteer browses more than they accept).
WEIGHTS = {
    "home": 20, "near_me": 20, "request": 20, "resources": 15, "program": 10, "post": 7,
    "accept": 8,
}  # fmt: skip
SEARCHES = ("food", "loneliness", "volunteer", "youth", "seniors", "grief", "ride", "garden")
CLIMB = (1, 2, 4, 8, 16)
# What posted requests ask for and cloned volunteers offer (snow days have their own flow).
ASKED = ["bins", "errands", "ride", "yard", "repair", "visit", "tech", "pets"]
RAISED_LIMITS = {
    "ASK_LIMIT_PER_PERSON": "1000000 per day",
    "ASK_LIMIT_PER_ADDRESS": "1000000 per day",
    "LOGIN_ACCOUNT_LIMIT": "1000 per minute",
}
BARE_APP = """
from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello():
    return "hello"
"""


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Command-line options."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--server-url",
        default="postgresql://postgres@127.0.0.1:5432/postgres",
        help="a PostgreSQL server to borrow; the run creates and drops its own database there",
    )
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--step-seconds", type=float, default=8.0, help="each climbing step")
    parser.add_argument("--hold-seconds", type=float, default=30.0, help="the half-rate hold")
    parser.add_argument("--page-seconds", type=float, default=5.0, help="each page alone")
    return parser.parse_args(argv)


# ---------------------------------------------------------------- data


def create_database(server_url: str) -> str:
    """Create a fresh neighborly_load database and return its URL (psycopg driver)."""
    admin_url = make_url(server_url).set(drivername="postgresql+psycopg")
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)"))
        connection.execute(text(f"CREATE DATABASE {DB_NAME}"))
    admin.dispose()
    return admin_url.set(database=DB_NAME).render_as_string(hide_password=False)


def drop_database(server_url: str) -> None:
    """Drop the run's database."""
    admin = create_engine(
        make_url(server_url).set(drivername="postgresql+psycopg"), isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)"))
    admin.dispose()


@dataclass
class World:
    """What the data loading made that the visitors need."""

    slug: str
    program_id: int
    volunteer_password: str
    resident_password: str
    coordinator_email: str
    coordinator_password: str
    totp_secret: str
    volunteers: list[str] = field(default_factory=list)
    residents: list[str] = field(default_factory=list)
    open_ids: list[int] = field(default_factory=list)
    postal_codes: list[str] = field(default_factory=list)


def load_data(url: str, secret_key: str, people: int, requests: int) -> World:
    """Demo through the services, then people and requests in bulk through Core."""
    import pyotp

    from config import DevelopmentConfig
    from neighborly import create_app
    from neighborly.accounts import two_factor
    from neighborly.accounts.models import User
    from neighborly.demo import load_demo
    from neighborly.extensions import db
    from neighborly.resources.library import load_starting_library

    settings = {"SQLALCHEMY_DATABASE_URI": url, "MAIL_BACKEND": "memory", "SECRET_KEY": secret_key}
    app = create_app(type("LoadConfig", (DevelopmentConfig,), settings))
    with app.app_context():
        db.create_all()
        load_starting_library()
        accounts = load_demo(residents=10, volunteers=6, seed=7, echo=lambda *a: None,
                             advance=lambda: None)  # fmt: skip
        passwords = {role: (email, password) for role, email, password in accounts}
        coordinator_email = "coordinator@algoma.neighborly.example"
        coordinator_password = next(p for _, e, p in accounts if e == coordinator_email)
        coordinator = db.session.scalar(db.select(User).filter_by(email=coordinator_email))
        secret = two_factor.begin_setup(coordinator)
        db.session.commit()
        past = time.time() - 90  # a past step, so the first sign-in code is a new one
        two_factor.confirm_setup(coordinator, pyotp.TOTP(secret).at(past), now=past)
        world = World(
            slug="proviso",
            program_id=db.session.scalar(text("SELECT min(id) FROM mentoring_programs")),
            volunteer_password=passwords["volunteer"][1],
            resident_password=passwords["resident"][1],
            coordinator_email=coordinator_email,
            coordinator_password=coordinator_password,
            totp_secret=secret,
        )
        bulk_people_and_requests(db.engine, world, people, requests)
        no_quiet_hours(db.engine)
    return world


def no_quiet_hours(engine) -> None:
    """Everyone chose no quiet hours, so what the pages queue is sent during the run whatever
    the hour in Maywood (the 21:00-08:00 hold is tests/notifications' business): the worker's
    sending is part of what is measured, and the faults decide when mail arrives."""
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM notification_settings"))
        connection.execute(
            text(
                "INSERT INTO notification_settings "
                "(user_id, quiet_start, quiet_end, no_email, updated_at) "
                "SELECT id, 0, 0, false, now() FROM users"
            )
        )


def what_posting_set_off(url: str, since: datetime) -> tuple[int, int, int]:
    """Invitations made, emails queued and emails sent since the visitors began."""
    engine = create_engine(url)
    with engine.connect() as connection:
        invited = connection.execute(
            text("SELECT count(*) FROM help_invitations WHERE created_at >= :t"), {"t": since}
        ).scalar_one()
        queued, sent = connection.execute(
            text("SELECT count(*), count(sent_at) FROM outbox_messages WHERE created_at >= :t"),
            {"t": since},
        ).one()
    engine.dispose()
    return invited, queued, sent


def _row(connection, sql: str, **params) -> dict:
    """One row as a dict without its id, to clone."""
    row = dict(connection.execute(text(sql), params).mappings().one())
    row.pop("id", None)
    return row


def _insert(connection, table: str, rows: list[dict], batch: int = 5000) -> None:
    """executemany in batches through Core."""
    if not rows:
        return
    columns = list(rows[0])
    names = ", ".join(f'"{c}"' for c in columns)
    values = ", ".join(f":{c}" for c in columns)
    statement = text(f'INSERT INTO "{table}" ({names}) VALUES ({values})')
    for start in range(0, len(rows), batch):
        connection.execute(statement, rows[start : start + batch])


def bulk_people_and_requests(engine, world: World, people: int, requests: int) -> None:
    """Clone the demo resident and volunteer (same passwords) and one of their requests."""
    from neighborly.geo.cells import cell_of

    rng = random.Random(7)
    with engine.begin() as connection:
        community = connection.execute(
            text(
                "SELECT id, centre_lat, centre_lng, postal_codes FROM communities WHERE slug = :s"
            ),
            {"s": world.slug},
        ).one()
        resident = _row(connection, "SELECT * FROM users WHERE email LIKE 'resident@%'")
        volunteer = _row(connection, "SELECT * FROM users WHERE email LIKE 'volunteer@%'")
        membership = _row(connection, "SELECT * FROM memberships LIMIT 1")
        profile = _row(connection, "SELECT * FROM volunteer_profiles LIMIT 1")
        request = _row(
            connection,
            "SELECT * FROM help_requests WHERE community_id = :c ORDER BY id LIMIT 1",
            c=community.id,
        )
        world.postal_codes = community.postal_codes.split(",")
        n_volunteers = people // 5
        users = []
        for n in range(people):
            kind = "v" if n < n_volunteers else "r"
            template = volunteer if kind == "v" else resident
            users.append(
                template
                | {"email": f"load.{kind}{n:05d}@{world.slug}.neighborly.example",
                   "first_name": f"Load{n}", "last_name": "Tester", "phone": None}
            )  # fmt: skip
        _insert(connection, "users", users)
        ids = connection.execute(
            text("SELECT id, email FROM users WHERE email LIKE 'load.%' ORDER BY id")
        ).all()
        volunteer_ids = [i for i, e in ids if e.startswith("load.v")]
        resident_ids = [i for i, e in ids if e.startswith("load.r")]
        world.volunteers = [e for _, e in ids if e.startswith("load.v")]
        world.residents = [e for _, e in ids if e.startswith("load.r")]
        role = {i: "volunteer" for i in volunteer_ids} | {i: "resident" for i in resident_ids}
        _insert(
            connection,
            "memberships",
            [membership | {"user_id": i, "community_id": community.id, "role": role[i]}
             for i, _ in ids],
        )  # fmt: skip
        profiles = []
        for i in volunteer_ids:
            lat, lng = _near(rng, community.centre_lat, community.centre_lng, 4.5)
            profiles.append(
                profile
                | {"user_id": i, "community_id": community.id, "home_lat": lat, "home_lng": lng,
                   "radius_km": 3.0, "capacity": 1000,
                   # what each one helps with and how many invitations a day they take vary,
                   # so a posted request invites the few who do that kind of help
                   "categories": ",".join(rng.sample(ASKED, rng.randint(2, 4))),
                   "daily_invitations": rng.choice((3, 5, 10)),
                   "invited_on": None, "invited_count": 0, "last_invited_at": None}
            )  # fmt: skip
        _insert(connection, "volunteer_profiles", profiles)
        now = datetime.now(UTC)
        rows = []
        for n in range(requests):
            lat, lng = _near(rng, community.centre_lat, community.centre_lng, 6.0)
            done = n % 5 == 0
            created = now - timedelta(days=rng.uniform(0, 60))
            rows.append(
                request
                | {
                    "requester_id": rng.choice(resident_ids),
                    "lat": lat, "lng": lng, "cell": cell_of(lat, lng),
                    "title": f"Help number {n}", "category": rng.choice(ASKED),
                    "status": "confirmed" if done else "open",
                    "volunteer_id": rng.choice(volunteer_ids) if done else None,
                    "needed_by": now + timedelta(days=rng.uniform(1, 20)) if not done else None,
                    "accepted_at": created + timedelta(hours=2) if done else None,
                    "completed_at": created + timedelta(hours=5) if done else None,
                    "confirmed_at": created + timedelta(hours=6) if done else None,
                    "cancelled_at": None,
                    "minutes_spent": 30 if done else None,
                    "created_at": created, "updated_at": created,
                    # one-off requests, even when the template row was a standing occurrence
                    "series_id": None, "occurrence_date": None,
                    "invitation_round": 0, "next_round_at": None, "nobody_yet_at": None,
                }
            )  # fmt: skip
        _insert(connection, "help_requests", rows)
        world.open_ids = list(
            connection.execute(
                text("SELECT id FROM help_requests WHERE status = 'open' AND title LIKE 'Help%'")
            ).scalars()
        )
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("ANALYZE"))


def _near(rng: random.Random, lat: float, lng: float, km: float) -> tuple[float, float]:
    """A uniformly random point within km of (lat, lng)."""
    r, angle = km * math.sqrt(rng.random()), rng.uniform(0, 2 * math.pi)
    return (
        lat + r * math.cos(angle) / 111.0,
        lng + r * math.sin(angle) / (111.0 * math.cos(math.radians(lat))),
    )


# ---------------------------------------------------------------- visitors and the loop


@dataclass
class Crowd:
    """Signed-in visitors for each kind of page, and what they act on."""

    base: str
    world: World
    volunteers: list[Visitor]
    residents: list[Visitor]
    coordinator: Visitor
    anonymous: list[Visitor]
    lock: threading.Lock = field(default_factory=threading.Lock)

    def next_open(self, rng: random.Random) -> int:
        """A request that is probably still open (each is accepted at most once here)."""
        with self.lock:
            ids = self.world.open_ids
            return ids.pop(rng.randrange(len(ids))) if ids else 1


def sign_in_crowd(base: str, world: World) -> Crowd:
    """Sign in 32 volunteers, 16 residents and the program coordinator."""
    with httpx.Client(timeout=30) as client:
        volunteers = [
            sign_in(client, base, Visitor(f"198.51.100.{n + 1}"), email, world.volunteer_password)
            for n, email in enumerate(world.volunteers[:32])
        ]
        residents = [
            sign_in(client, base, Visitor(f"203.0.113.{n + 1}"), email, world.resident_password)
            for n, email in enumerate(world.residents[:16])
        ]
        coordinator = sign_in(
            client, base, Visitor("192.0.2.200"), world.coordinator_email,
            world.coordinator_password, totp_secret=world.totp_secret,
        )  # fmt: skip
    anonymous = [Visitor(f"192.0.2.{n + 1}") for n in range(32)]
    return Crowd(base, world, volunteers, residents, coordinator, anonymous)


ASK = {
    "title": "Pick up a prescription", "details": "From the pharmacy.",
    "street_address": "100 Test Street", "needed_by": "",
    "estimated_minutes": "30", "urgency": "soon",
}  # fmt: skip


def ask_form(rng: random.Random, world: World) -> dict[str, str]:
    """A resident's request: a kind of help and a postal code of the community at random."""
    return {**ASK, "category": rng.choice(ASKED), "postal_code": rng.choice(world.postal_codes)}


def visit(page: str, crowd: Crowd, client: httpx.Client, rng: random.Random) -> int:
    """One page view or form post as a person would make it; returns the status."""
    base, slug = crowd.base, crowd.world.slug
    if page == "home":
        visitor = rng.choice(crowd.anonymous)
        return client.get(base + "/", headers=visitor.headers(base)).status_code
    if page == "resources":
        visitor = rng.choice(crowd.anonymous)
        url = f"{base}/resources?q={rng.choice(SEARCHES)}"
        return client.get(url, headers=visitor.headers(base)).status_code
    if page == "near_me":
        visitor = rng.choice(crowd.volunteers)
        return client.get(f"{base}/c/{slug}/near-me", headers=visitor.headers(base)).status_code
    if page == "request":
        visitor, ids = rng.choice(crowd.volunteers), crowd.world.open_ids
        url = f"{base}/requests/{rng.choice(ids) if ids else 1}"
        return client.get(url, headers=visitor.headers(base)).status_code
    if page == "program":
        url = f"{base}/mentoring/programs/{crowd.world.program_id}"
        return client.get(url, headers=crowd.coordinator.headers(base)).status_code
    if page == "post":
        visitor = rng.choice(crowd.residents)
        data = {"csrf_token": visitor.token, **ask_form(rng, crowd.world)}
        url = f"{base}/c/{slug}/ask"
        return client.post(url, data=data, headers=visitor.headers(base)).status_code
    if page == "accept":
        visitor = rng.choice(crowd.volunteers)
        url = f"{base}/requests/{crowd.next_open(rng)}/accept"
        data = {"csrf_token": visitor.token}
        return client.post(url, data=data, headers=visitor.headers(base)).status_code
    raise ValueError(page)


EXPECTED = {"post": 302, "accept": 302}


@dataclass
class Sample:
    """One response: which page, its status (0: no response), and milliseconds."""

    page: str
    status: int
    ms: float
    done_at: float


def is_error(sample: Sample) -> bool:
    """A server error, a failed connection, or a status the page should not answer."""
    return sample.status != EXPECTED.get(sample.page, 200)


def run_loop(
    choose: Callable[[random.Random], str],
    call: Callable[[str, httpx.Client, random.Random], int],
    clients: int,
    seconds: float,
    rate: float | None = None,
) -> list[Sample]:
    """A closed loop of `clients` threads for `seconds`; paced at `rate` per second if given.

    The HTTP clients are made before the clock starts (each builds an SSL context: tens of
    milliseconds of the generator's CPU that would otherwise count against the first sends).
    """
    samples: list[Sample] = []
    lock = threading.Lock()
    http_clients = [httpx.Client(timeout=30) for _ in range(clients)]
    start = time.perf_counter() + 0.2
    stop = start + seconds
    sent = [0]

    def planned() -> float | None:
        """The next send time of the paced schedule (None: as fast as possible)."""
        if rate is None:
            return None
        with lock:
            sent[0] += 1
            return start + (sent[0] - 1) / rate

    def worker(seed: int) -> None:
        rng = random.Random(seed)
        with http_clients[seed] as client:
            while True:
                at = planned()
                now = time.perf_counter()
                if at is not None:
                    if at >= stop:
                        return
                    if at > now:
                        time.sleep(at - now)
                elif now >= stop:
                    return
                began = at if at is not None else time.perf_counter()
                began = max(began, start)
                page = choose(rng)
                try:
                    status = call(page, client, rng)
                except httpx.HTTPError:
                    status = 0
                ended = time.perf_counter()
                with lock:
                    samples.append(Sample(page, status, (ended - began) * 1000, ended))

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return samples


def throughput(samples: list[Sample], seconds: float) -> float:
    """Answered requests per second (errors excluded)."""
    return sum(1 for s in samples if not is_error(s)) / seconds


def climb(label: str, choose, call, step: float, errors: list[Sample]) -> tuple[float, int]:
    """Raise concurrency step by step; the best throughput and the concurrency that gave it."""
    best, best_clients = 0.0, 1
    for clients in CLIMB:
        samples = run_loop(choose, call, clients, step)
        errors += [s for s in samples if is_error(s)]
        rate = throughput(samples, step)
        print(f"  {label:<10} clients={clients:<3} {rate:8.1f} req/s", flush=True)
        if rate > best:
            best, best_clients = rate, clients
        elif rate < best * 0.9 and clients >= 4:
            break  # past the knee (and past the noise of the first steps): more only queue
    return best, best_clients


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100) by nearest rank."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q / 100 * len(ordered)) - 1))]


def weighted_choice() -> Callable[[random.Random], str]:
    """Pick a page of the mix by its weight."""
    pages, weights = list(WEIGHTS), list(WEIGHTS.values())
    return lambda rng: rng.choices(pages, weights)[0]


# ---------------------------------------------------------------- the run


def main(argv: list[str] | None = None) -> int:
    """Load, serve, measure, report; stop everything and drop the database."""
    args = parse_args(argv)
    began = time.monotonic()
    folder = temporary_folder("neighborly-load-")
    processes = Processes()
    errors: list[Sample] = []
    try:
        print(f"Loading {args.people:,} people and {args.requests:,} requests ...", flush=True)
        import secrets

        secret_key = secrets.token_urlsafe(32)
        url = create_database(args.server_url)
        world = load_data(url, secret_key, args.people, args.requests)
        print(f"  loaded in {time.monotonic() - began:.0f} s", flush=True)

        redis_port, _ = start_redis(processes, folder)
        port = spare_port()
        base = f"http://127.0.0.1:{port}"
        env = production_env(url, port, redis_port, SECRET_KEY=secret_key, **RAISED_LIMITS)
        log = open(folder / "app.log", "ab")  # noqa: SIM115
        app = gunicorn_argv("neighborly:create_app()", args.workers, port)
        processes.start("app", app, env=env, cwd=folder, stdout=log, stderr=log)
        # As production runs it: the outbox worker sends what the pages queue (its CPU counts).
        worker = [sys.executable, "-m", "flask", "--app", "neighborly", "worker"]
        processes.start("worker", worker, env=env, cwd=folder, stdout=log, stderr=log)
        wait_ready(base, 60)
        crowd = sign_in_crowd(base, world)
        call = lambda page, client, rng: visit(page, crowd, client, rng)  # noqa: E731
        began_at = datetime.now(UTC)

        print("The mix, climbing:", flush=True)
        mix_max, clients = climb("mix", weighted_choice(), call, args.step_seconds, errors)
        print(f"Holding half of {mix_max:.1f} req/s for {args.hold_seconds:.0f} s ...", flush=True)
        held = run_loop(weighted_choice(), call, max(clients, 4) * 2, args.hold_seconds,
                        rate=mix_max / 2)  # fmt: skip
        errors += [s for s in held if is_error(s)]
        by_page: dict[str, list[float]] = defaultdict(list)
        for sample in held:
            by_page[sample.page].append(sample.ms)
        alone: dict[str, float] = {}
        for page in PAGES:
            samples = run_loop(lambda rng, p=page: p, call, clients, args.page_seconds)
            errors += [s for s in samples if is_error(s)]
            alone[page] = throughput(samples, args.page_seconds)
        time.sleep(2)  # the worker sends what the last posts queued
        for name, process in list(processes.started):
            if name in ("app", "worker"):
                processes.stop(process)
        invited, queued, sent = what_posting_set_off(url, began_at)

        bare_folder = folder / "bare"
        bare_folder.mkdir()
        (bare_folder / "bare_hello.py").write_text(BARE_APP, encoding="utf-8")
        bare_port = spare_port()
        bare_base = f"http://127.0.0.1:{bare_port}"
        bare_env = env | {"PYTHONPATH": str(bare_folder)}
        bare_argv = gunicorn_argv("bare_hello:app", args.workers, bare_port)
        processes.start("bare", bare_argv, env=bare_env, cwd=bare_folder, stdout=log, stderr=log)
        wait_ready(bare_base, 30, paths=("/",))
        anonymous = Visitor("192.0.2.250")

        def hello(page: str, client: httpx.Client, rng: random.Random) -> int:
            return client.get(bare_base + "/", headers=anonymous.headers(bare_base)).status_code

        print("Bare Flask, climbing:", flush=True)
        bare_errors: list[Sample] = []
        bare_max, _ = climb("bare", lambda rng: "home", hello, args.step_seconds, bare_errors)
        errors += bare_errors

        held_ms = [s.ms for s in held]
        print("\npage        alone req/s  share of bare  p50 ms at half  p99 ms at half")
        for page in PAGES:
            values = by_page.get(page, [])
            print(
                f"{page:<11} {alone[page]:11.1f}  {alone[page] / bare_max:13.3f}  "
                f"{percentile(values, 50):14.1f}  {percentile(values, 99):14.1f}"
            )
        print(
            f"{'mix':<11} {mix_max:11.1f}  {mix_max / bare_max:13.3f}  "
            f"{percentile(held_ms, 50):14.1f}  {percentile(held_ms, 99):14.1f}"
        )
        print(f"bare flask  {bare_max:11.1f}  (clients {clients} for the mix's pages alone)")
        print(f"posting invited {invited:,} volunteers; {sent:,} of {queued:,} emails sent")
        statuses = defaultdict(int)
        for sample in errors:
            statuses[(sample.page, sample.status)] += 1
        if statuses:
            print("errors by page and status:", dict(statuses))
        print(f"run took {time.monotonic() - began:.0f} s; app log: gunicorn's stderr (removed)")
        ratio, p99 = mix_max / bare_max, percentile(held_ms, 99)
        print(f"load: ratio_vs_bare={ratio:.3f} p99_ms={p99:.0f} errors={len(errors)}")
        return 0
    finally:
        processes.stop_all()
        drop_database(args.server_url)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
