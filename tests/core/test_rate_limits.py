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


def test_a_request_posted_as_redis_goes_away_is_saved_and_answered_without_an_error(
    app, database_url, monkeypatch
):
    from redis.exceptions import ConnectionError as RedisConnectionError
    from sqlalchemy import select

    from neighborly.extensions import db
    from neighborly.help_requests.models import HelpRequest
    from tests.factories.accounts import CommunityFactory, resident
    from tests.help_requests.test_help_loop import ASK

    rosa = resident(CommunityFactory(slug="proviso"))
    db.session.commit()
    limited = _limited_app(database_url)

    def redis_gone(*args, **kwargs):
        raise RedisConnectionError("Connection reset by peer")

    # Redis answered the check before the view, then went away: the limits that count only a
    # request that was posted are counted after the view, when the request is already saved.
    monkeypatch.setattr(limiter.limiter, "hit", redis_gone)
    with limited.app_context():
        client = limited.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = rosa.get_id()
            session["_fresh"] = True
        response = client.post("/c/proviso/ask", data=ASK)

    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.scalars(select(HelpRequest.title)).all() == [ASK["title"]]
