"""Friendly error pages, safety headers and configuration rules."""

from __future__ import annotations

import pytest

from config import ProductionConfig, database_url
from neighborly import create_app


def test_unknown_page_shows_a_friendly_404(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "We could not find that page" in response.text
    assert "Traceback" not in response.text


def test_server_error_shows_a_page_without_a_stack_trace(app, client):
    app.config["PROPAGATE_EXCEPTIONS"] = False

    def explode():
        raise RuntimeError("secret internals")

    app.view_functions["pages.health"].__wrapped__ = explode
    original = app.view_functions["pages.health"]
    try:
        from neighborly.accounts import policies

        explode.policy = policies.anyone
        app.view_functions["pages.health"] = explode
        response = client.get("/healthz")
    finally:
        app.view_functions["pages.health"] = original
        app.config["PROPAGATE_EXCEPTIONS"] = None
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.text
    assert "secret internals" not in response.text


@pytest.mark.parametrize("record_id", [2**31, 2**63, 10**30])
def test_an_id_larger_than_any_record_can_have_is_a_friendly_404(client, record_id):
    response = client.get(f"/resources/{record_id}")
    assert response.status_code == 404
    assert "We could not find that page" in response.text


def test_pages_carry_safety_headers(client):
    response = client.get("/")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["Referrer-Policy"] == "same-origin"


def test_production_refuses_to_start_without_secret_and_database(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY, DATABASE_URL"):
        create_app(ProductionConfig)


def test_plain_postgres_urls_use_the_psycopg_driver():
    assert database_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert database_url("sqlite:///x.db") == "sqlite:///x.db"
