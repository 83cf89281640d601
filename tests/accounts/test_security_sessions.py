"""Sign-out ends sessions for real, sign-in gets a fresh CSRF secret, private pages stay uncached.

Findings 3 and 7 of the security review (issue 9); see docs/SECURITY.md.
"""

from __future__ import annotations

import re

import pytest

from neighborly import create_app
from neighborly.accounts.models import Role, User
from neighborly.extensions import db
from tests.conftest import IsolatedClient, make_test_config
from tests.factories.accounts import (
    DEFAULT_PASSWORD,
    CommunityFactory,
    MembershipFactory,
    UserFactory,
)
from tests.factories.help_requests import HelpRequestFactory


def _cookie(client) -> str:
    """The session cookie the browser holds right now."""
    return client.get_cookie("session").value


def _sign_in(client, email: str) -> None:
    page = client.post("/account/login", data={"email": email, "password": DEFAULT_PASSWORD})
    assert page.status_code == 302, page.text


def test_a_cookie_captured_before_sign_out_no_longer_reads_or_changes_the_profile(app, client):
    UserFactory(email="rosa@example.org", first_name="Rosa")
    _sign_in(client, "rosa@example.org")
    captured = _cookie(client)
    assert client.get("/account/profile").status_code == 200

    client.post("/account/logout")

    thief = app.test_client()
    thief.set_cookie("session", captured)
    read = thief.get("/account/profile")
    assert read.status_code == 302 and "/account/login" in read.headers["Location"]
    changed = thief.post(
        "/account/profile",
        data={"first_name": "Mallory", "last_name": "X", "phone": "", "locale": "en"},
    )
    assert changed.status_code == 302 and "/account/login" in changed.headers["Location"]
    db.session.expire_all()
    assert db.session.query(User).filter_by(email="rosa@example.org").one().first_name == "Rosa"


def test_signing_out_says_it_ends_the_session_on_every_device(client):
    UserFactory(email="rosa@example.org")
    _sign_in(client, "rosa@example.org")
    page = client.post("/account/logout", follow_redirects=True)
    assert "You are signed out on this and every other device." in page.text


@pytest.fixture()
def csrf_client(database_url, app):
    """A client of an app that checks CSRF tokens, as production does."""
    csrf_app = create_app(make_test_config(database_url, WTF_CSRF_ENABLED=True))
    csrf_app.test_client_class = IsolatedClient
    with csrf_app.app_context():
        yield csrf_app.test_client()


def _token(page_text: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page_text).group(1)


def test_a_csrf_token_from_before_sign_in_is_refused_after_it(csrf_client):
    UserFactory(email="rosa@example.org", first_name="Rosa")
    before = _token(csrf_client.get("/account/login").text)
    signed_in = csrf_client.post(
        "/account/login",
        data={"email": "rosa@example.org", "password": DEFAULT_PASSWORD, "csrf_token": before},
    )
    assert signed_in.status_code == 302

    planted = csrf_client.post(
        "/account/profile",
        data={
            "first_name": "Mallory",
            "last_name": "X",
            "phone": "",
            "locale": "en",
            "csrf_token": before,
        },
    )
    assert planted.status_code == 400
    assert "This form has expired" in planted.text

    fresh = _token(csrf_client.get("/account/profile").text)
    assert fresh != before
    saved = csrf_client.post(
        "/account/profile",
        data={
            "first_name": "Rosa",
            "last_name": "M",
            "phone": "",
            "locale": "en",
            "csrf_token": fresh,
        },
    )
    assert saved.status_code == 302


def test_the_profile_page_is_never_stored_by_a_cache(client, login):
    user = UserFactory()
    login(user)
    assert client.get("/account/profile").headers["Cache-Control"] == "no-store"


def test_a_request_page_shown_to_its_asker_is_never_stored_by_a_cache(client, login):
    community = CommunityFactory()
    asker = UserFactory()
    MembershipFactory(user=asker, community=community, role=Role.RESIDENT)
    help_request = HelpRequestFactory(community=community, requester=asker)
    login(asker)
    page = client.get(f"/requests/{help_request.id}")
    assert page.status_code == 200
    assert page.headers["Cache-Control"] == "no-store"


def test_the_sign_in_page_is_never_stored_by_a_cache(client):
    assert client.get("/account/login").headers["Cache-Control"] == "no-store"
