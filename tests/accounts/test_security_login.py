"""Sign-in limits per account and per real client address; unknown emails cost a real verify.

Findings 4 and 5 of the security review (issue 9); see docs/SECURITY.md.
"""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher
from limits import parse

from neighborly import create_app
from neighborly.accounts import services
from neighborly.extensions import limiter
from tests.conftest import IsolatedClient, make_test_config
from tests.factories.accounts import DEFAULT_PASSWORD, UserFactory


@pytest.fixture(autouse=True)
def _shared_limiter_restored():
    """A second app with limits on would leave the one shared Limiter on: put it back after."""
    saved = dict(vars(limiter))
    yield
    vars(limiter).clear()
    vars(limiter).update(saved)


def _limited_app(database_url: str, **overrides):
    app = create_app(make_test_config(database_url, RATELIMIT_ENABLED=True, **overrides))
    app.test_client_class = IsolatedClient
    return app


def _try(client, email: str, address: str | None = None, forwarded: str | None = None):
    """One wrong password for `email`, from a socket address and/or an X-Forwarded-For."""
    environ = {"REMOTE_ADDR": address} if address else {}
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    return client.post(
        "/account/login",
        data={"email": email, "password": "wrong guess"},
        environ_base=environ,
        headers=headers,
    )


def test_wrong_passwords_for_one_account_from_many_addresses_are_limited(app, database_url):
    limited = _limited_app(database_url)
    allowed = parse(limited.config["LOGIN_ACCOUNT_LIMIT"]).amount
    with limited.app_context():
        client = limited.test_client()
        statuses = [
            _try(client, "Rosa@Example.org ", address=f"198.51.100.{n}").status_code
            for n in range(1, allowed + 1)
        ]
        blocked = _try(client, "rosa@example.org", address="203.0.113.77")
        other_account = _try(client, "ana@example.org", address="203.0.113.77")
    assert statuses == [200] * allowed
    assert blocked.status_code == 429
    assert "Too many tries" in blocked.text
    assert other_account.status_code == 200


def test_the_per_account_limit_is_at_most_twenty_tries_in_fifteen_minutes(app):
    limit = parse(app.config["LOGIN_ACCOUNT_LIMIT"])
    assert limit.amount <= 20
    assert limit.get_expiry() >= 15 * 60


def test_signing_in_successfully_does_not_use_up_the_account_limit(app, database_url):
    UserFactory(email="rosa@example.org")
    limited = _limited_app(database_url, LOGIN_ACCOUNT_LIMIT="2 per 15 minutes")
    with limited.app_context():
        for n in range(3):
            client = limited.test_client()
            page = client.post(
                "/account/login",
                data={"email": "rosa@example.org", "password": DEFAULT_PASSWORD},
                environ_base={"REMOTE_ADDR": f"198.51.100.{n + 1}"},
            )
            assert page.status_code == 302


def test_behind_a_trusted_proxy_each_client_address_has_its_own_limit(app, database_url):
    limited = _limited_app(database_url, TRUSTED_PROXIES=1)
    with limited.app_context():
        client = limited.test_client()
        first = [
            _try(client, f"a{n}@example.org", "10.0.0.2", "198.51.100.1").status_code
            for n in range(20)
        ]
        first_blocked = _try(client, "z@example.org", "10.0.0.2", "198.51.100.1")
        second = _try(client, "y@example.org", "10.0.0.2", "198.51.100.2")
    assert first == [200] * 20
    assert first_blocked.status_code == 429
    assert second.status_code == 200


def test_without_trusted_proxies_a_forged_forwarded_for_does_not_reset_the_limit(app, database_url):
    limited = _limited_app(database_url)
    assert limited.config["TRUSTED_PROXIES"] == 0
    with limited.app_context():
        client = limited.test_client()
        for n in range(20):
            _try(client, f"a{n}@example.org", "198.51.100.9", f"203.0.113.{n + 1}")
        forged = _try(client, "z@example.org", "198.51.100.9", "203.0.113.200")
    assert forged.status_code == 429


class _CountingHasher(PasswordHasher):
    """Counts argon2 work: every hash and every verify."""

    calls: list[str] = []

    def hash(self, password, *, salt=None):
        type(self).calls.append("hash")
        return super().hash(password, salt=salt)

    def verify(self, hash, password):  # noqa: A002
        type(self).calls.append("verify")
        return super().verify(hash, password)


def test_an_unknown_email_costs_the_same_argon2_work_as_a_known_one(app, monkeypatch):
    from neighborly.accounts import passwords

    UserFactory(email="known@example.org")
    monkeypatch.setattr(passwords, "PasswordHasher", _CountingHasher)
    services.authenticate("unknown@example.org", "a wrong guess")  # makes the dummy hash once
    _CountingHasher.calls = []

    assert services.authenticate("known@example.org", "a wrong guess") is None
    known = list(_CountingHasher.calls)
    _CountingHasher.calls = []
    assert services.authenticate("unknown@example.org", "a wrong guess") is None
    unknown = list(_CountingHasher.calls)

    assert known == ["verify"]
    assert unknown == known
