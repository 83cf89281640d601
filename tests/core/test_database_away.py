"""While the database is away: /readyz says so, pages answer a friendly 503, and it recovers."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy import event, text

from neighborly import create_app
from neighborly.extensions import db
from tests.conftest import IsolatedClient, make_test_config

# A port nobody listens on: PostgreSQL "stopped" as far as the app can tell.
STOPPED = "postgresql+psycopg://postgres@127.0.0.1:{port}/neighborly"


def _closed_port() -> int:
    """A local TCP port that was free a moment ago and has nothing listening on it."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture()
def stopped_app() -> Flask:
    """An app whose PostgreSQL is not running."""
    url = STOPPED.format(port=_closed_port())
    return create_app(make_test_config(url, PROPAGATE_EXCEPTIONS=False))


class Outage:
    """Switch an app's database off and on: while off, every new connection is refused."""

    def __init__(self, app: Flask) -> None:
        self.app, self.down = app, False
        with app.app_context():
            event.listen(db.engine, "do_connect", self._connect)

    def _connect(self, dialect, connection_record, cargs, cparams):
        if self.down:
            # What each driver says when its server or file cannot be reached.
            words = "unable to open database file" if dialect.name == "sqlite" else "refused"
            raise dialect.loaded_dbapi.OperationalError(words)
        return None  # connect as usual

    def stop(self) -> None:
        """Refuse new connections and drop the ones in the pool."""
        self.down = True
        with self.app.app_context():
            db.engine.dispose()

    def start(self) -> None:
        """Let connections through again."""
        self.down = False


@pytest.fixture()
def outage(app: Flask, database_url: str) -> Iterator[tuple[Flask, Outage]]:
    """A second app on the suite's database (schema in place), with an outage switch."""
    fresh = create_app(make_test_config(database_url, PROPAGATE_EXCEPTIONS=False))
    fresh.test_client_class = IsolatedClient
    yield fresh, Outage(fresh)
    with fresh.app_context():
        db.engine.dispose()


def test_readiness_says_ready_when_the_database_answers(client):
    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json == {"status": "ready", "checks": {"database": "ok"}}
    assert response.headers["Cache-Control"] == "no-store"


def test_readiness_reports_a_stopped_database_as_not_ready(stopped_app):
    started = time.monotonic()
    response = stopped_app.test_client().get("/readyz")

    assert response.status_code == 503
    assert response.json == {"status": "not ready", "checks": {"database": "unavailable"}}
    assert time.monotonic() - started < 5


def test_liveness_does_not_depend_on_the_database(stopped_app):
    response = stopped_app.test_client().get("/healthz")

    assert response.status_code == 200
    assert response.json == {"status": "ok"}


def test_readiness_checks_redis_only_when_one_is_configured(database_url, app):
    missing = create_app(
        make_test_config(database_url, REDIS_URL=f"redis://127.0.0.1:{_closed_port()}/0")
    )
    response = missing.test_client().get("/readyz")

    assert response.status_code == 503
    assert response.json == {
        "status": "not ready",
        "checks": {"database": "ok", "redis": "unavailable"},
    }


def test_a_stopped_database_shows_a_friendly_page_with_retry_after(stopped_app):
    page = stopped_app.test_client().get("/resources")

    assert page.status_code == 503
    assert "Neighborly is taking a short break" in page.text
    assert "Please wait a minute, then try again." in page.text
    assert page.headers["Retry-After"] == "10"
    assert "OperationalError" not in page.text and "127.0.0.1" not in page.text


def test_the_outage_page_speaks_spanish(stopped_app):
    page = stopped_app.test_client().get("/", headers={"Accept-Language": "es"})

    assert page.status_code == 503
    assert "Neighborly se está tomando un breve descanso" in page.text


def test_pages_and_forms_answer_503_while_the_database_is_away_and_recover_on_their_own(
    outage,
):
    fresh, switch = outage
    client = fresh.test_client()
    assert client.get("/resources").status_code == 200

    switch.stop()
    during = [
        client.get("/").status_code,
        client.get("/resources?q=food").status_code,
        client.post("/account/login", data={"email": "a@example.org", "password": "x"}).status_code,
        client.get("/readyz").status_code,
    ]
    switch.start()

    assert during == [503, 503, 503, 503]
    assert client.get("/resources").status_code == 200
    assert client.get("/readyz").json["status"] == "ready"


def test_a_connection_that_died_in_the_pool_is_replaced_before_use(outage, is_postgres):
    fresh, _ = outage
    if not is_postgres:
        pytest.skip("server-side connection kill needs PostgreSQL")
    client = fresh.test_client()
    assert client.get("/resources").status_code == 200
    with fresh.app_context(), db.engine.connect() as admin:
        admin.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid() "
                "AND application_name = ''"
            )
        )
    # pool_pre_ping notices the dead connection and opens a new one: the visitor sees nothing.
    assert client.get("/resources").status_code == 200


def test_a_real_database_bug_is_still_a_500_not_an_outage(outage):
    fresh, _ = outage

    def broken():
        db.session.execute(text("SELECT * FROM no_such_table"))

    broken.policy = lambda user, args: True
    fresh.add_url_rule("/__broken", view_func=broken)

    assert fresh.test_client().get("/__broken").status_code == 500


def test_postgresql_connections_have_short_timeouts(database_url, is_postgres, app):
    if not is_postgres:
        pytest.skip("statement and connect timeouts are PostgreSQL settings")
    timed = create_app(make_test_config(database_url, DATABASE_STATEMENT_TIMEOUT_MS=1234))
    with timed.app_context():
        options = timed.config["SQLALCHEMY_ENGINE_OPTIONS"]
        shown = db.session.execute(text("SHOW statement_timeout")).scalar()
        page_cost = db.session.execute(text("SHOW random_page_cost")).scalar()
        db.session.remove()
        db.engine.dispose()
    assert options["pool_pre_ping"] is True
    assert options["connect_args"]["connect_timeout"] == 3
    assert shown == "1234ms"
    assert page_cost == "1.1"  # data in memory or on SSD, not the spinning-disk default of 4
