"""The console home at 100 and at 100,000 requests: the same number of statements, and every
figure equal to a count the test makes itself from the rows it inserted."""

from __future__ import annotations

import re
from collections import Counter
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import numpy
import pytest
from sqlalchemy import event

from neighborly.accounts.models import Community, Role
from neighborly.extensions import db
from neighborly.help_requests.models import Status
from tests.coordination.bulk import NOW, build
from tests.factories.accounts import member

FIRST, LAST = "2026-03-01", "2026-05-31"


@contextmanager
def counting_statements():
    """Count every statement the engine runs inside the block."""
    seen: list[str] = []

    def listen(conn, cursor, statement, *args):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", listen)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", listen)


@pytest.fixture()
def fixed_clock(monkeypatch):
    """The console reads the clock as NOW."""
    monkeypatch.setattr("neighborly.coordination.home.utcnow", lambda: NOW)


def _home(client, slug: str) -> tuple[str, int]:
    """The console home for the fixed period, and how many statements it took."""
    with counting_statements() as seen:
        response = client.get(f"/c/{slug}/coordinate?start={FIRST}&end={LAST}")
    assert response.status_code == 200
    return response.text, len(seen)


def _figure(page: str, name: str) -> str:
    """The text of one figure on the page."""
    return re.search(rf'data-figure="{name}">([^<]*)<', page).group(1).strip()


def _independent_figures(rows: list[dict], community: Community) -> dict:
    """Every figure, counted in Python from the inserted rows."""
    zone = ZoneInfo(community.timezone)
    start = datetime.combine(date.fromisoformat(FIRST), time(), tzinfo=zone)
    end = datetime.combine(date.fromisoformat(LAST) + timedelta(days=1), time(), tzinfo=zone)
    day = timedelta(hours=24)
    open_rows = [r for r in rows if r["status"] == Status.OPEN]
    posted = [r for r in rows if start <= r["created_at"] < end and r["status"] != Status.CANCELLED]
    done = [r for r in posted if r["status"] in (Status.COMPLETED, Status.CONFIRMED)]
    waits = [
        (r["accepted_at"] - r["created_at"]).total_seconds()
        for r in rows
        if r["accepted_at"] is not None and start <= r["accepted_at"] < end
    ]
    minutes = sum(
        r["minutes_spent"]
        for r in rows
        if r["status"] == Status.CONFIRMED and start <= r["completed_at"] < end
    )
    helpers = {
        r["volunteer_id"] for r in rows if r["accepted_at"] and start <= r["accepted_at"] < end
    }
    pairs = Counter(
        (r["requester_id"], r["volunteer_id"])
        for r in rows
        if r["status"] in (Status.COMPLETED, Status.CONFIRMED) and r["completed_at"] < end
    )
    return dict(
        open=len(open_rows),
        ageing=sum(
            1 for r in open_rows if r["created_at"] <= NOW - day or r["needed_by"] < NOW + day
        ),
        posted=len(posted),
        fulfilled=len(done) / len(posted),
        median=float(numpy.percentile(waits, 50)),
        p90=float(numpy.percentile(waits, 90)),
        minutes=minutes,
        volunteers=len(helpers),
        regular=sum(1 for count in pairs.values() if count >= 3),
    )


def test_console_home_costs_the_same_at_100_and_100000_requests(app, client, login, fixed_clock):
    from flask_babel import format_decimal

    from neighborly.coordination.wording import share_words, wait_words

    small = build("small", people=100, requests=100, seed=1)
    large = build("large", people=10_000, requests=100_000, seed=2)
    login(member(db.session.get(Community, small.community_id), Role.COORDINATOR))
    _, small_count = _home(client, "small")
    coordinator = member(db.session.get(Community, large.community_id), Role.COORDINATOR)
    login(coordinator)
    page, large_count = _home(client, "large")

    assert large_count <= small_count
    community = db.session.get(Community, large.community_id)
    with app.test_request_context():
        expected = _independent_figures(large.requests, community)
        assert _figure(page, "open") == str(expected["open"])
        assert _figure(page, "ageing") == str(expected["ageing"])
        assert _figure(page, "posted") == str(expected["posted"])
        assert _figure(page, "fulfilled") == share_words(expected["fulfilled"])
        assert _figure(page, "accept-median") == wait_words(expected["median"])
        assert _figure(page, "accept-p90") == wait_words(expected["p90"])
        assert _figure(page, "hours") == format_decimal(round(expected["minutes"] / 60, 1))
        assert _figure(page, "volunteers") == str(expected["volunteers"])
        assert _figure(page, "regular") == str(expected["regular"])
    waiting = sum(1 for n in range(10_000) if n % 5 == 0 and n % 3 == 0)
    assert f"{waiting} volunteers waiting to be verified" in page.replace(",", "")


def _statements(client, url: str) -> int:
    """How many statements one page took (and that it answered 200)."""
    with counting_statements() as seen:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(seen)


CONSOLE_PAGES = (
    "/c/{slug}/coordinate/connections?start=2025-06-01&end=2026-05-31",
    "/c/{slug}/coordinate/all-requests",
    "/c/{slug}/coordinate/people",
    "/c/{slug}/coordinate/audit",
    "/c/{slug}/coordinate/hours?start=2025-06-01&end=2026-05-31",
    "/c/{slug}/coordinate/people?role=volunteer&verified=no&name=pat",
    "/c/{slug}/coordinate/all-requests?status=open&category=snow&name=pat&start=2026-01-01",
)


def test_every_console_list_costs_the_same_at_100_and_100000_requests(client, login, fixed_clock):
    small = build("small", people=100, requests=100, seed=1)
    large = build("large", people=10_000, requests=100_000, seed=2)
    counts = {}
    for bulk in (small, large):
        login(member(db.session.get(Community, bulk.community_id), Role.COORDINATOR))
        counts[bulk.slug] = [
            _statements(client, url.format(slug=bulk.slug)) for url in CONSOLE_PAGES
        ]

    assert counts["large"] == counts["small"]
