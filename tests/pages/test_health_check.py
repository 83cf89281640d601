"""/healthz says the process is alive; /readyz (tests/core/test_database_away.py) asks the db."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import OperationalError

from neighborly.extensions import db


def test_health_check_reports_ok(client):
    assert client.get("/healthz").json == {"status": "ok"}


def test_the_health_check_answers_anyone_without_signing_in(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.mimetype == "application/json"


def test_the_health_check_stays_ok_when_the_database_cannot_be_reached(app, client, monkeypatch):
    def unreachable(*args, **kwargs):
        raise OperationalError("SELECT 1", {}, ConnectionRefusedError("database is down"))

    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    monkeypatch.setattr(db.session, "execute", unreachable)

    response = client.get("/healthz")

    # Alive is not ready: a load balancer restarting the app would not bring the database back.
    assert response.status_code == 200
    assert response.json == {"status": "ok"}


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_the_health_check_only_answers_reads(client, method):
    assert getattr(client, method)("/healthz").status_code == 405
