"""A community of any size, inserted in bulk through SQLAlchemy core, with the rows kept
in Python so a test can compute every figure on its own."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert, text

from neighborly.accounts.models import Community, Membership, Role, User
from neighborly.extensions import db
from neighborly.geo.cells import cell_of
from neighborly.help_requests.models import Category, HelpRequest, Status, Urgency, VolunteerProfile

NOW = datetime(2026, 6, 15, 17, 0, tzinfo=UTC)
LAT, LNG = 41.8793, -87.8433
CHUNK = 5000


@dataclass
class Bulk:
    """What was inserted: the community and the request rows as dicts."""

    community_id: int
    slug: str
    requests: list[dict] = field(default_factory=list)
    volunteer_ids: list[int] = field(default_factory=list)
    phone_in_ids: set[int] = field(default_factory=set)


def _insert(model, rows: list[dict]) -> None:
    """Insert rows in chunks, in one transaction."""
    for start in range(0, len(rows), CHUNK):
        db.session.execute(insert(model), rows[start : start + CHUNK])


def build(slug: str, people: int, requests: int, seed: int = 7) -> Bulk:
    """A community with `people` members (a fifth volunteers) and `requests` requests."""
    rng = random.Random(seed)
    community = Community(
        name=f"Bulk {slug}", slug=slug, centre_lat=LAT, centre_lng=LNG, postal_codes="60153"
    )
    db.session.add(community)
    db.session.flush()
    first_id = (db.session.query(db.func.max(User.id)).scalar() or 0) + 1
    users, memberships, profiles = [], [], []
    bulk = Bulk(community.id, slug)
    for n in range(people):
        uid = first_id + n
        phone_in = n % 10 == 9
        users.append(
            dict(
                id=uid,
                email=None if phone_in else f"{slug}-{n}@example.org",
                first_name=f"Pat{n}",
                last_name="Bulk",
                locale="en",
                created_at=NOW,
            )
        )
        if phone_in:
            bulk.phone_in_ids.add(uid)
        role = Role.VOLUNTEER if n % 5 == 0 else Role.RESIDENT
        memberships.append(dict(user_id=uid, community_id=community.id, role=role, created_at=NOW))
        if role == Role.VOLUNTEER:
            bulk.volunteer_ids.append(uid)
            verified = NOW - timedelta(days=30) if n % 3 else None
            profiles.append(
                dict(
                    user_id=uid,
                    community_id=community.id,
                    home_postal_code="60153",
                    home_lat=LAT,
                    home_lng=LNG,
                    radius_km=5.0,
                    categories="snow,bins",
                    availability="",
                    capacity=3,
                    accepting=True,
                    verified_at=verified,
                    created_at=NOW - timedelta(days=n % 90),
                )
            )
    _insert(User, users)
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(
            text("SELECT setval(pg_get_serial_sequence('users', 'id'), :top)"),
            {"top": first_id + people},
        )
    _insert(Membership, memberships)
    _insert(VolunteerProfile, profiles)
    residents = [u["id"] for u in users if u["id"] not in set(bulk.volunteer_ids)]
    cell = cell_of(LAT, LNG)
    statuses = list(Status)
    for _n in range(requests):
        created = NOW - timedelta(minutes=rng.randrange(1, 400 * 24 * 60))
        status = rng.choice(statuses)
        row = dict(
            community_id=community.id,
            requester_id=rng.choice(residents),
            created_by_id=None,
            category=Category.SNOW,
            title="Shovel the steps",
            details="",
            street_address="1 Main St",
            postal_code="60153",
            lat=LAT,
            lng=LNG,
            cell=cell,
            needed_by=created + timedelta(days=rng.randrange(1, 5)),
            estimated_minutes=30,
            urgency=Urgency.SOON,
            status=status,
            volunteer_id=None,
            accepted_at=None,
            completed_at=None,
            confirmed_at=None,
            cancelled_at=None,
            minutes_spent=None,
            created_at=created,
            updated_at=created,
        )
        if status in (Status.ACCEPTED, Status.COMPLETED, Status.CONFIRMED):
            row["volunteer_id"] = rng.choice(bulk.volunteer_ids[:50])
            row["accepted_at"] = created + timedelta(minutes=rng.randrange(1, 3 * 24 * 60))
        if status in (Status.COMPLETED, Status.CONFIRMED):
            row["completed_at"] = row["accepted_at"] + timedelta(hours=rng.randrange(1, 48))
            row["minutes_spent"] = rng.randrange(10, 120)
        if status == Status.CONFIRMED:
            row["confirmed_at"] = row["completed_at"] + timedelta(hours=2)
        bulk.requests.append(row)
    _insert(HelpRequest, bulk.requests)
    db.session.commit()
    return bulk
