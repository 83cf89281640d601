"""Per-page cost in process: SQL statements and milliseconds per request for the busiest pages.

Loads the demo (both communities, Wolves and Pups) plus `--extra` open requests around
Maywood into a fresh database: a temporary SQLite file, or the PostgreSQL database named by
`--database-url`, WHOSE PUBLIC SCHEMA IS DROPPED (give it a scratch database). Then it signs
the demo people in with the test client and requests each page `--repeats` times.
`--profile PAGE` prints a cProfile of one page, `--statements PAGE` its SQL. Wall-clock
times on a shared machine are noisy: the cpu column (this process's CPU time, which includes
SQLite but not a PostgreSQL server) is steadier. Last line:
`pages: worst_ms=<ms> worst_page=<name> statements_max=<n>`.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, event, insert, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from config import TestingConfig  # noqa: E402

MAYWOOD = (41.8793, -87.8433)


def _config(url: str) -> type:
    """Testing settings on one database, CSRF and rate limits as in tests."""
    settings = {"SQLALCHEMY_DATABASE_URI": url, "SHARED_CACHE_SECONDS": 60}
    return type("PagesConfig", (TestingConfig,), settings)


def _postgres_url(given: str) -> str:
    """The given PostgreSQL database, emptied (its public schema is dropped and made again)."""
    url = make_url(given).set(drivername="postgresql+psycopg")
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return url.render_as_string(hide_password=False)


def _extra_requests(community_id: int, requester_id: int, count: int) -> None:
    """Open requests scattered over 6 km around Maywood, bulk inserted."""
    from neighborly.extensions import db
    from neighborly.geo.cells import cell_of
    from neighborly.help_requests.models import HelpRequest
    from neighborly.timeutil import utcnow

    rng = random.Random(5)
    now = utcnow()
    rows = []
    for n in range(count):
        lat = MAYWOOD[0] + rng.uniform(-0.05, 0.05)
        lng = MAYWOOD[1] + rng.uniform(-0.07, 0.07)
        rows.append(
            {
                "community_id": community_id,
                "requester_id": requester_id,
                "created_by_id": requester_id,
                "category": rng.choice(["snow", "bins", "ride", "visit", "errands"]),
                "title": f"Extra request {n}",
                "details": "",
                "street_address": f"{n} Main St",
                "postal_code": "60153",
                "lat": lat,
                "lng": lng,
                "cell": cell_of(lat, lng),
                "needed_by": now + timedelta(hours=rng.randint(2, 96)),
                "estimated_minutes": 30,
                "urgency": "soon",
                "status": "open",
                "created_at": now - timedelta(hours=rng.randint(0, 72)),
                "updated_at": now,
            }
        )
    if rows:
        db.session.execute(insert(HelpRequest), rows)
    db.session.commit()


def _pages(app) -> dict[str, tuple[str | None, str]]:
    """Page name -> (email of who reads it, URL)."""
    from neighborly.accounts.models import Community
    from neighborly.demo.data.people import DEMO_RESIDENT_EMAIL, DEMO_VOLUNTEER_EMAIL
    from neighborly.extensions import db
    from neighborly.help_requests.models import HelpRequest, Status
    from neighborly.mentoring.models import Program, ProgramCoordinator

    proviso = db.session.scalar(select(Community).where(Community.slug == "proviso"))
    request_id = db.session.scalar(
        select(HelpRequest.id)
        .where(HelpRequest.community_id == proviso.id, HelpRequest.status == Status.OPEN)
        .order_by(HelpRequest.id)
    )
    program = db.session.scalar(select(Program).order_by(Program.id))
    program_coordinator = db.session.scalar(
        select(ProgramCoordinator.user_id).where(ProgramCoordinator.program_id == program.id)
    )
    from neighborly.accounts.models import Membership, Role, User

    coordinator = db.session.scalar(
        select(User.email)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.community_id == proviso.id, Membership.role == Role.COORDINATOR)
        .order_by(User.id)
    )
    program_email = db.session.get(User, program_coordinator).email
    return {
        "home": (None, "/"),
        "home_signed_in": (DEMO_RESIDENT_EMAIL, "/"),
        "near_me": (DEMO_VOLUNTEER_EMAIL, "/c/proviso/near-me"),
        "request": (DEMO_VOLUNTEER_EMAIL, f"/requests/{request_id}"),
        "resources_search": (None, "/resources?q=lonely"),
        "program": (program_email, f"/mentoring/programs/{program.id}"),
        "unclaimed": (coordinator, "/c/proviso/coordinate/requests"),
        "my_requests": (DEMO_RESIDENT_EMAIL, "/c/proviso/my-requests"),
        "volunteer_home": (DEMO_VOLUNTEER_EMAIL, "/c/proviso/volunteer"),
    }


def _client_for(app, email: str | None):
    """A test client signed in as this person (or anonymous)."""
    from neighborly.accounts.models import User
    from neighborly.extensions import db

    client = app.test_client()
    if email:
        user = db.session.scalar(select(User).where(User.email == email))
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True
    return client


def main() -> None:
    """Load, measure, print."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", default=os.environ.get("PAGES_DATABASE_URL"))
    parser.add_argument("--extra", type=int, default=3000)
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--profile", default=None)
    parser.add_argument("--statements", default=None, help="print one page's SQL statements")
    args = parser.parse_args()
    folder = tempfile.mkdtemp()
    url = _postgres_url(args.database_url) if args.database_url else f"sqlite:///{folder}/p.db"
    os.environ.setdefault("NEIGHBORLY_INSTANCE_DIR", folder)
    from neighborly import create_app
    from neighborly.accounts.models import Community, User
    from neighborly.demo import load_demo
    from neighborly.extensions import db
    from tests.conftest import IsolatedClient

    app = create_app(_config(url))
    app.test_client_class = IsolatedClient
    with app.app_context():
        db.create_all()
        started = time.perf_counter()
        load_demo(residents=120, volunteers=60, seed=7)
        proviso = db.session.scalar(select(Community).where(Community.slug == "proviso"))
        asker = db.session.scalar(select(User.id).order_by(User.id.desc()))
        _extra_requests(proviso.id, asker, args.extra)
        print(f"loaded in {time.perf_counter() - started:.1f} s", flush=True)
        pages = _pages(app)
        statements: list[str] = []
        event.listen(db.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
        worst = (0.0, "")
        most = 0
        for name, (email, path) in pages.items():
            if args.profile and name != args.profile:
                continue
            if args.statements and name != args.statements:
                continue
            client = _client_for(app, email)
            first = client.get(path)
            assert first.status_code == 200, (name, path, first.status_code, first.location)
            if args.profile:
                profiler = cProfile.Profile()
                profiler.enable()
                for _ in range(args.repeats):
                    client.get(path)
                profiler.disable()
                pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
                continue
            timings, cpu = [], []
            for _ in range(args.repeats):
                statements.clear()
                began, began_cpu = time.perf_counter(), time.process_time()
                response = client.get(path)
                timings.append((time.perf_counter() - began) * 1000)
                cpu.append((time.process_time() - began_cpu) * 1000)
                db.session.remove()
            assert response.status_code == 200
            if args.statements:
                print("\n\n".join(statements))
            median = statistics.median(timings)
            print(
                f"{name:18} {len(statements):4d} statements  {median:7.1f} ms "
                f"(best {min(timings):.1f}; cpu median {statistics.median(cpu):.1f})"
            )
            most = max(most, len(statements))
            worst = max(worst, (median, name))
        print(f"pages: worst_ms={worst[0]:.1f} worst_page={worst[1]} statements_max={most}")


if __name__ == "__main__":
    main()
