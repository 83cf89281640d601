"""Browser safety headers and HTTP hygiene on every kind of page (ASVS 5 V3.4, V4.1, V13.4).

See docs/ASVS-L2.md for the requirement each test proves.
"""

from __future__ import annotations

import pytest

from neighborly.accounts.models import Role
from tests.factories.accounts import CommunityFactory, MembershipFactory, UserFactory
from tests.factories.help_requests import HelpRequestFactory

# A public page, an account page, a page that does not exist, a static file.
PUBLIC_PATHS = ("/", "/account/login", "/no-such-page", "/static/css/site.css")


def _signed_in_pages(client, login) -> list:
    """Responses a signed-in resident gets: their profile and their own request."""
    community = CommunityFactory()
    asker = UserFactory()
    MembershipFactory(user=asker, community=community, role=Role.RESIDENT)
    help_request = HelpRequestFactory(community=community, requester=asker)
    login(asker)
    return [client.get("/account/profile"), client.get(f"/requests/{help_request.id}")]


def _every_kind_of_response(client, login) -> list:
    """One response of each kind: public, account, missing, static, signed in."""
    return [client.get(path) for path in PUBLIC_PATHS] + _signed_in_pages(client, login)


def _csp(response) -> dict[str, str]:
    """The Content-Security-Policy as {directive: sources}."""
    parts = [part.strip() for part in response.headers["Content-Security-Policy"].split(";")]
    return {part.split(" ", 1)[0]: part.partition(" ")[2] for part in parts if part}


def test_no_page_can_be_framed_by_another_site(client, login):
    for response in _every_kind_of_response(client, login):
        assert _csp(response)["frame-ancestors"] == "'none'", response.request.path


def test_every_page_runs_only_the_sites_own_scripts(client, login):
    for response in _every_kind_of_response(client, login):
        policy = _csp(response)
        script_sources = policy.get("script-src", policy.get("default-src"))
        assert script_sources == "'self'", response.request.path
        assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]


def test_no_page_loads_plugins_or_changes_its_base_address(client, login):
    for response in _every_kind_of_response(client, login):
        policy = _csp(response)
        assert policy["object-src"] == "'none'", response.request.path
        assert policy["base-uri"] == "'none'", response.request.path


def test_no_response_lets_the_browser_guess_its_type(client, login):
    for response in _every_kind_of_response(client, login):
        assert response.headers["X-Content-Type-Options"] == "nosniff", response.request.path


def test_no_page_leaks_its_address_to_other_sites(client, login):
    for response in _every_kind_of_response(client, login):
        assert response.headers["Referrer-Policy"] == "same-origin", response.request.path


def test_html_pages_say_they_are_utf8_html(client, login):
    pages = [client.get("/"), client.get("/no-such-page"), *_signed_in_pages(client, login)]
    for response in pages:
        assert response.headers["Content-Type"] == "text/html; charset=utf-8"


def test_another_site_cannot_read_pages_through_cors(client, login):
    evil = {"Origin": "https://evil.example"}
    for path in ("/", "/account/login", "/account/profile"):
        response = client.get(path, headers=evil)
        assert "Access-Control-Allow-Origin" not in response.headers
        assert "Access-Control-Allow-Credentials" not in response.headers
    login(UserFactory())
    assert "Access-Control-Allow-Origin" not in client.get("/account/profile", headers=evil).headers


@pytest.mark.parametrize("path", ["/", "/account/login"])
def test_the_trace_method_is_not_answered(client, path):
    assert client.open(path, method="TRACE").status_code == 405


@pytest.mark.parametrize("path", ["/static/", "/static/css/", "/static"])
def test_the_static_folder_lists_no_files(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "Index of" not in response.text
    assert 'href="css/' not in response.text and 'href="site.css"' not in response.text
