"""Password rules: long enough, not a common one, argon2id at OWASP's cost; change it signed in.

ASVS 5 V6.2 (passwords) and V11.4 (hashing); see docs/SECURITY.md.
"""

from __future__ import annotations

import pytest
from argon2 import extract_parameters

from config import Config
from neighborly.accounts.models import User
from neighborly.accounts.passwords import COMMON_PASSWORDS_FILE, hash_password
from neighborly.extensions import db
from tests.factories.accounts import DEFAULT_PASSWORD, UserFactory

COMMON_ERROR = "Many people use this password, so it is easy to guess."


def _register(client, password: str):
    return client.post(
        "/account/register",
        data={
            "first_name": "Rosa",
            "last_name": "M",
            "email": "rosa@example.org",
            "password": password,
            "locale": "en",
            "agree": "y",
        },
    )


@pytest.mark.parametrize("password", ["password123", "iloveyou", "Qwertyuiop", " 1234567890 "])
def test_registering_with_a_common_password_is_refused(client, password):
    page = _register(client, password)
    assert COMMON_ERROR in page.text
    assert db.session.query(User).count() == 0


def test_a_long_passphrase_of_any_characters_is_accepted(client):
    page = _register(client, "ñandú bajo la lluvia " * 3)  # 63 characters, no rules about kinds
    assert "Check your email" in page.text


def test_a_password_of_two_hundred_characters_is_accepted(client):
    assert "Check your email" in _register(client, "x7" * 100).text


def test_the_shipped_list_holds_thousands_of_common_passwords():
    lines = [
        line
        for line in COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    ]
    assert len(lines) > 8000
    assert {"password123", "iloveyou", "qwertyuiop"} <= set(lines)


def test_passwords_are_hashed_with_argon2id_at_least_at_owasp_cost(app, monkeypatch):
    for name in ("ARGON2_TIME_COST", "ARGON2_MEMORY_COST", "ARGON2_PARALLELISM"):
        monkeypatch.setitem(app.config, name, getattr(Config, name))
    params = extract_parameters(hash_password("a long enough passphrase"))
    assert params.type.name == "ID"
    assert params.memory_cost >= 19 * 1024
    assert params.time_cost >= 2
    assert params.parallelism >= 1


def _change(client, current: str, new: str = "a brand new sentence"):
    return client.post(
        "/account/password", data={"current": current, "password": new, "confirm": new}
    )


def test_changing_the_password_needs_the_current_one(client, login):
    user = UserFactory()
    before = user.password_hash
    login(user)
    page = _change(client, "not my password")
    assert "That is not your current password." in page.text
    db.session.refresh(user)
    assert user.password_hash == before


def test_changing_the_password_keeps_this_session_and_ends_the_others(app, client):
    UserFactory(email="rosa@example.org")
    other_device = app.test_client()
    for browser in (client, other_device):
        browser.post(
            "/account/login", data={"email": "rosa@example.org", "password": DEFAULT_PASSWORD}
        )

    changed = _change(client, DEFAULT_PASSWORD)
    assert changed.status_code == 302
    page = client.get("/account/profile", follow_redirects=True)
    assert "Your password is changed. Your other devices are signed out." in page.text
    assert other_device.get("/account/profile").status_code == 302

    client.post("/account/logout")
    again = client.post(
        "/account/login", data={"email": "rosa@example.org", "password": "a brand new sentence"}
    )
    assert again.status_code == 302


def test_changing_to_a_common_password_is_refused(client, login):
    login(UserFactory())
    assert COMMON_ERROR in _change(client, DEFAULT_PASSWORD, "password123").text
