"""Sessions end after 30 minutes idle and 12 hours after sign-in; a page lets a person extend.

ASVS 5 V7.3.1 (idle timeout), V7.3.2 (absolute lifetime); docs/SECURITY.md.
"""

from __future__ import annotations

import time

from config import Config
from tests.factories.accounts import DEFAULT_PASSWORD, UserFactory


def _sign_in(client, user) -> None:
    client.post("/account/login", data={"email": user.email, "password": DEFAULT_PASSWORD})


def _shift(client, **seconds_ago: int) -> None:
    """Move the session's clocks into the past: started=..., seen=..."""
    now = int(time.time())
    with client.session_transaction() as session:
        for name, ago in seconds_ago.items():
            session[f"auth_{name}"] = now - ago


def test_the_timeouts_are_thirty_minutes_idle_and_twelve_hours_in_all():
    assert Config.SESSION_IDLE_MINUTES == 30
    assert Config.SESSION_ABSOLUTE_HOURS == 12


def test_a_session_idle_for_thirty_minutes_is_signed_out_with_a_message_and_next(client):
    user = UserFactory()
    _sign_in(client, user)
    _shift(client, seen=30 * 60 + 1)
    page = client.get("/account/profile")
    assert page.status_code == 302
    assert page.headers["Location"].endswith("/account/login?next=/account/profile")
    login_page = client.get(page.headers["Location"])
    assert "you were signed out after 30 minutes without activity" in login_page.text
    assert client.get("/account/profile").status_code == 302


def test_a_session_used_within_thirty_minutes_stays(client):
    user = UserFactory()
    _sign_in(client, user)
    _shift(client, seen=29 * 60)
    assert client.get("/account/profile").status_code == 200
    _shift(client, started=60 * 60)  # the last request counted as activity
    assert client.get("/account/profile").status_code == 200


def test_a_session_ends_twelve_hours_after_sign_in_even_when_active(client):
    user = UserFactory()
    _sign_in(client, user)
    _shift(client, started=12 * 3600 + 1, seen=10)
    page = client.get("/account/profile")
    assert page.headers["Location"].endswith("/account/login?next=/account/profile")
    assert "12 hours after signing in" in client.get(page.headers["Location"]).text


def test_every_page_says_when_the_session_ends_and_links_to_keep_it(client):
    user = UserFactory()
    _sign_in(client, user)
    page = client.get("/resources")
    assert "If you are away, you will be signed out at" in page.text
    assert 'action="/account/session"' in page.text
    assert 'name="next" value="/resources"' in page.text
    assert "Stay signed in" in page.text


def test_near_the_absolute_end_the_notice_says_the_session_ends_anyway(client):
    user = UserFactory()
    _sign_in(client, user)
    _shift(client, started=12 * 3600 - 600)
    page = client.get("/account/session")
    assert "Pressing the button does not change this" in page.text


def test_keep_me_signed_in_gives_thirty_more_minutes(client):
    user = UserFactory()
    _sign_in(client, user)
    _shift(client, seen=29 * 60)
    page = client.post("/account/session", data={"next": "/resources"})
    assert page.headers["Location"].endswith("/resources")
    with client.session_transaction() as session:
        assert int(time.time()) - session["auth_seen"] < 5
    assert "You are still signed in." in client.get("/resources").text
