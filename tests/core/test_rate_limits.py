"""Sign-in is rate limited, with a friendly page, and Redis is never required to start."""

from __future__ import annotations

import pytest

from neighborly import create_app
from neighborly.extensions import limiter
from tests.conftest import IsolatedClient, make_test_config
from tests.factories.accounts import UserFactory


@pytest.fixture(autouse=True)
def _shared_limiter_restored():
    """Flask-Limiter keeps `enabled` and its storage on the one shared Limiter, so a second
    app with limits on would leave them on for every later test: put them back."""
    saved = dict(vars(limiter))
    yield
    vars(limiter).clear()
    vars(limiter).update(saved)


def _limited_app(database_url: str, **overrides):
    app = create_app(make_test_config(database_url, RATELIMIT_ENABLED=True, **overrides))
    app.test_client_class = IsolatedClient
    return app


def test_too_many_sign_in_attempts_get_a_friendly_429(app, database_url):
    limited = _limited_app(database_url)
    with limited.app_context():
        client = limited.test_client()
        statuses = [
            client.post(
                "/account/login", data={"email": "a@example.org", "password": "x"}
            ).status_code
            for _ in range(21)
        ]
        page = client.post("/account/login", data={"email": "a@example.org", "password": "x"})
    assert statuses[:20] == [200] * 20
    assert page.status_code == 429
    assert "Too many tries" in page.text
    # The per-account limit (20 failed tries in 15 minutes) is the one that holds longest.
    assert "You can try again in about 15 minutes." in page.text
    # Counted from the first try of the window, so a second or two may have passed since.
    assert 870 <= int(page.headers["Retry-After"]) <= 900


def test_app_starts_and_signs_in_when_redis_is_down(app, database_url):
    UserFactory(email="known@example.org")
    limited = _limited_app(database_url, RATELIMIT_STORAGE_URI="redis://127.0.0.1:9/0")
    with limited.app_context():
        client = limited.test_client()
        response = client.post(
            "/account/login",
            data={"email": "known@example.org", "password": "correct horse battery"},
        )
    assert response.status_code == 302
