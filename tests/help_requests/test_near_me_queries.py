"""The Near-me page costs the same number of queries with 100 or 100,000 requests."""

from __future__ import annotations

import random
from contextlib import contextmanager
from datetime import timedelta

from sqlalchemy import event, insert

from neighborly.extensions import db
from neighborly.geo.cells import cell_of
from neighborly.help_requests.models import HelpRequest
from neighborly.help_requests.services.near_me import NEAR_ME_PAGE_SIZE
from neighborly.timeutil import utcnow
from tests.factories.accounts import CommunityFactory, UserFactory
from tests.factories.help_requests import MAYWOOD, volunteer


def _bulk_requests(community_id: int, requester_id: int, count: int, seed: int = 1) -> None:
    """Insert open requests: a few near Maywood, the rest spread across the country."""
    rng = random.Random(seed)
    now = utcnow()
    rows = []
    for n in range(count):
        if n % 1000 == 0:
            lat, lng = MAYWOOD[0] + rng.uniform(-0.02, 0.02), MAYWOOD[1] + rng.uniform(-0.02, 0.02)
        else:
            lat, lng = rng.uniform(30, 48), rng.uniform(-120, -75)
        rows.append(
            {
                "community_id": community_id,
                "requester_id": requester_id,
                "created_by_id": requester_id,
                "category": "snow",
                "title": f"Request {n}",
                "details": "",
                "street_address": f"{n} Main St",
                "postal_code": "60153",
                "lat": lat,
                "lng": lng,
                "cell": cell_of(lat, lng),
                "needed_by": now + timedelta(days=2),
                "estimated_minutes": 30,
                "urgency": "soon",
                "status": "open",
                "created_at": now - timedelta(hours=rng.randint(0, 72)),
                "updated_at": now,
            }
        )
        if len(rows) == 5000:
            db.session.execute(insert(HelpRequest), rows)
            rows = []
    if rows:
        db.session.execute(insert(HelpRequest), rows)
    db.session.commit()


@contextmanager
def _counting_queries():
    """Count every SQL statement sent while the block runs."""
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def _near_me_queries(client, login, total: int) -> tuple[int, str]:
    community = CommunityFactory(slug="proviso")
    helper = volunteer(community, radius_km=3.0)
    _bulk_requests(community.id, UserFactory().id, total)
    login(helper)
    with _counting_queries() as statements:
        page = client.get("/c/proviso/near-me")
    assert page.status_code == 200
    return len(statements), page.text


def test_near_me_query_count_does_not_grow_with_the_number_of_requests(
    app, client, login, is_postgres
):
    from tests.conftest import wipe_tables

    small, small_page = _near_me_queries(client, login, 100)
    assert "Request 0" in small_page
    wipe_tables(is_postgres)
    large, large_page = _near_me_queries(client, login, 100_000)
    assert large_page.count('<li class="card">') == NEAR_ME_PAGE_SIZE  # the best, a page of them
    assert large <= small, (small, large)


def test_ring_rows_name_the_query_columns_in_order_and_hold_no_point():
    from neighborly.help_requests.services.near_me import OpenRow, _open_rows_statement

    assert OpenRow._fields == tuple(_open_rows_statement().selected_columns.keys())
    assert not {"lat", "lng", "street_address", "postal_code"} & set(OpenRow._fields)
