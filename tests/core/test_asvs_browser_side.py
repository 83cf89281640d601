"""What the browser is given: cookie flags, password fields, escaped text, a way out (ASVS 5).

V3.3 (cookies), V6.2.6-V6.2.8 (password entry), V1.2.1 (output encoding), V7.4.4 (sign-out on
every page). See docs/ASVS-L2.md for the requirement each test proves.
"""

from __future__ import annotations

import re

from config import ProductionConfig
from neighborly import create_app
from neighborly.accounts.models import Role
from tests.conftest import IsolatedClient, make_test_config
from tests.factories.accounts import (
    DEFAULT_PASSWORD,
    CommunityFactory,
    MembershipFactory,
    UserFactory,
)
from tests.factories.help_requests import HelpRequestFactory

HOSTILE = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'


def _session_cookie_on_sign_in(client, name: str = "session") -> str:
    """The Set-Cookie header that carries the session when a person signs in."""
    UserFactory(email="rosa@example.org")
    response = client.post(
        "/account/login", data={"email": "rosa@example.org", "password": DEFAULT_PASSWORD}
    )
    assert response.status_code == 302, response.text
    cookies = [
        value for value in response.headers.getlist("Set-Cookie") if value.startswith(f"{name}=")
    ]
    assert cookies, "signing in set no session cookie"
    return cookies[-1]


def _attributes(set_cookie: str) -> set[str]:
    """The cookie's attributes, lower-cased, without their values' case."""
    return {part.strip().lower() for part in set_cookie.split(";")[1:]}


def test_the_session_cookie_is_hidden_from_scripts(client):
    assert "httponly" in _attributes(_session_cookie_on_sign_in(client))


def test_the_session_cookie_is_not_sent_with_requests_started_by_other_sites(client):
    assert "samesite=lax" in _attributes(_session_cookie_on_sign_in(client))


def test_in_production_the_session_cookie_travels_only_over_https(app, database_url):
    settings = {
        "SESSION_COOKIE_SECURE": ProductionConfig.SESSION_COOKIE_SECURE,
        "PREFERRED_URL_SCHEME": "https",
    }
    secure_app = create_app(make_test_config(database_url, **settings))
    secure_app.test_client_class = IsolatedClient
    with secure_app.app_context():
        client = secure_app.test_client()
        assert "secure" in _attributes(_session_cookie_on_sign_in(client))


def test_in_production_the_session_cookie_is_bound_to_this_exact_host(app, database_url):
    settings = {
        "SESSION_COOKIE_SECURE": ProductionConfig.SESSION_COOKIE_SECURE,
        "SESSION_COOKIE_NAME": ProductionConfig.SESSION_COOKIE_NAME,
        "PREFERRED_URL_SCHEME": "https",
    }
    secure_app = create_app(make_test_config(database_url, **settings))
    secure_app.test_client_class = IsolatedClient
    with secure_app.app_context():
        client = secure_app.test_client()
        cookie = _session_cookie_on_sign_in(client, name=ProductionConfig.SESSION_COOKIE_NAME)
    attributes = _attributes(cookie)
    assert ProductionConfig.SESSION_COOKIE_NAME.startswith("__Host-")
    assert "secure" in attributes and "path=/" in attributes
    assert not any(part.startswith("domain=") for part in attributes)


def test_the_session_is_set_only_through_a_cookie_never_in_a_page_or_address(client):
    set_cookie = _session_cookie_on_sign_in(client)
    value = set_cookie.split(";", 1)[0].removeprefix("session=")
    home = client.get("/", follow_redirects=True)
    profile = client.get("/account/profile")
    for page in (home, profile):
        assert value not in page.text
        assert value not in page.request.url


def _password_inputs(html: str) -> list[str]:
    """Every <input> tag whose name or id says it takes a password."""
    tags = re.findall(r"<input\b[^>]*>", html)
    return [tag for tag in tags if re.search(r'name="(password|current|confirm)"', tag)]


def test_every_password_field_is_masked_and_lets_password_managers_fill_it(client, login):
    pages = {path: client.get(path).text for path in ("/account/login", "/account/register")}
    login(UserFactory())
    pages["/account/password"] = client.get("/account/password").text
    for path, html in pages.items():
        inputs = _password_inputs(html)
        assert inputs, f"no password field found on {path}"
        for tag in inputs:
            assert 'type="password"' in tag, (path, tag)
            assert 'autocomplete="off"' not in tag, (path, tag)
            assert "onpaste" not in tag and "oncopy" not in tag, (path, tag)


def test_a_password_is_checked_exactly_as_typed(client):
    UserFactory(email="rosa@example.org")
    for changed in (DEFAULT_PASSWORD.upper(), DEFAULT_PASSWORD + " ", DEFAULT_PASSWORD[:-1]):
        refused = client.post(
            "/account/login", data={"email": "rosa@example.org", "password": changed}
        )
        assert refused.status_code == 200, changed
    exact = client.post(
        "/account/login", data={"email": "rosa@example.org", "password": DEFAULT_PASSWORD}
    )
    assert exact.status_code == 302


def test_text_people_write_is_shown_as_text_never_run_as_markup(client, login):
    community = CommunityFactory()
    asker = UserFactory(first_name=HOSTILE)
    MembershipFactory(user=asker, community=community, role=Role.RESIDENT)
    help_request = HelpRequestFactory(
        community=community, requester=asker, title=HOSTILE, details=HOSTILE
    )
    login(asker)
    for path in (f"/requests/{help_request.id}", "/account/profile"):
        html = client.get(path).text
        assert "<script>alert(1)" not in html, path
        assert "<img src=x" not in html, path
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, path


def test_every_signed_in_page_offers_a_visible_way_to_sign_out(client, login):
    community = CommunityFactory()
    asker = UserFactory()
    MembershipFactory(user=asker, community=community, role=Role.RESIDENT)
    help_request = HelpRequestFactory(community=community, requester=asker)
    login(asker)
    for path in ("/", "/account/profile", f"/requests/{help_request.id}", "/no-such-page"):
        html = client.get(path).text
        form = re.search(
            r'<form method="post" action="/account/logout"[^>]*>(.*?)</form>', html, re.S
        )
        assert form, path
        assert 'type="submit"' in form.group(1) and "Sign out" in form.group(1), path


def test_a_session_cookie_changed_by_its_holder_signs_nobody_in(app, client):
    _session_cookie_on_sign_in(client)
    genuine = client.get_cookie("session").value
    assert client.get("/account/profile").status_code == 200
    payload, _, signature = genuine.rpartition(".")
    forged_signature = ("A" if signature[0] != "A" else "B") + signature[1:]
    for forged in (f"{payload}.{forged_signature}", payload, genuine[::-1]):
        thief = app.test_client()
        thief.set_cookie("session", forged)
        answer = thief.get("/account/profile")
        assert answer.status_code == 302 and "/account/login" in answer.headers["Location"]
