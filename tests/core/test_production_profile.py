"""Behind a proxy: request ids, client addresses through ProxyFix, and long-cached static files."""

from __future__ import annotations

import json
import logging
import re

import pytest

from neighborly import create_app
from neighborly.extensions import limiter
from tests.conftest import IsolatedClient, make_test_config


def _lines(caplog) -> list[dict]:
    return [json.loads(r.getMessage()) for r in caplog.records if r.name == "neighborly.request"]


def test_every_response_carries_a_new_request_id_that_its_log_line_names(client, caplog):
    caplog.set_level(logging.INFO)

    first, second = client.get("/terms"), client.get("/no-such-page?email=a@example.org")

    ids = [first.headers["X-Request-ID"], second.headers["X-Request-ID"]]
    assert ids[0] != ids[1] and all(re.fullmatch(r"[0-9a-f]{32}", i) for i in ids)
    lines = _lines(caplog)
    assert [line["request_id"] for line in lines] == ids
    assert lines[0] | {"duration_ms": 0} == {
        "event": "request",
        "request_id": ids[0],
        "method": "GET",
        "endpoint": "pages.terms",
        "route": "/terms",
        "status": 200,
        "duration_ms": 0,
    }
    assert lines[1]["status"] == 404 and lines[1]["route"] is None
    assert "example.org" not in json.dumps(lines)


def test_a_well_formed_request_id_from_the_proxy_is_kept(client, caplog):
    caplog.set_level(logging.INFO)

    response = client.get("/terms", headers={"X-Request-ID": "nginx-3f2a9c1d7e"})

    assert response.headers["X-Request-ID"] == "nginx-3f2a9c1d7e"
    assert _lines(caplog)[0]["request_id"] == "nginx-3f2a9c1d7e"


@pytest.mark.parametrize(
    "forged",
    ["short", "x" * 129, "ok-id-but\tforged", 'abc"def ghi', "rosa@example.org-12345"],
)
def test_a_malformed_request_id_is_replaced(client, caplog, forged):
    caplog.set_level(logging.INFO)

    response = client.get("/terms", headers={"X-Request-ID": forged})

    assert response.headers["X-Request-ID"] != forged
    assert re.fullmatch(r"[0-9a-f]{32}", response.headers["X-Request-ID"])
    assert forged not in caplog.text


@pytest.fixture()
def _shared_limiter_restored():
    """The limiter is shared between apps: put back what a limited app changed."""
    saved = dict(vars(limiter))
    yield
    vars(limiter).clear()
    vars(limiter).update(saved)


def _behind_proxies(database_url: str, proxies: int):
    app = create_app(
        make_test_config(
            database_url,
            RATELIMIT_ENABLED=True,
            TRUSTED_PROXIES=proxies,
            REGISTER_LIMIT_PER_ADDRESS="2 per hour",
        )
    )
    app.test_client_class = IsolatedClient
    return app


def _register(client, n: int, proxy: str, forwarded: str | None):
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    data = {"first_name": "Pat", "last_name": "Lee", "email": f"pat{n}@example.org"}
    data |= {"password": "plenty long password", "locale": "en", "agree": "y"}
    return client.post(
        "/account/register", data=data, headers=headers, environ_base={"REMOTE_ADDR": proxy}
    ).status_code


@pytest.mark.usefixtures("_shared_limiter_restored")
def test_behind_two_proxies_the_limit_keys_on_the_client_each_proxy_saw(app, database_url):
    limited = _behind_proxies(database_url, proxies=2)
    client = limited.test_client()
    # nginx appends the client's address, the load balancer appends nginx's; a client may send
    # anything first, which only the number of trusted proxies keeps out.
    one = [_register(client, n, "10.0.0.9", "1.2.3.4, 198.51.100.1, 10.0.0.5") for n in range(3)]
    forged = _register(client, 3, "10.0.0.9", "9.9.9.9, 198.51.100.1, 10.0.0.5")
    other = _register(client, 4, "10.0.0.9", "198.51.100.2, 10.0.0.5")

    assert one == [200, 200, 429]  # the registration page answers 200 ("check your email")
    assert forged == 429  # a different forged first entry is still 198.51.100.1
    assert other == 200  # a second client behind the same proxies has its own limit


@pytest.mark.usefixtures("_shared_limiter_restored")
def test_without_trusted_proxies_the_limit_keys_on_the_connection(app, database_url):
    limited = _behind_proxies(database_url, proxies=0)
    client = limited.test_client()
    statuses = [_register(client, n, "203.0.113.7", f"198.51.100.{n}") for n in range(3)]

    assert statuses == [200, 200, 429]


def test_static_urls_carry_a_content_hash_and_are_cached_for_a_year(client):
    page = client.get("/terms")
    href = re.search(r'href="(/static/css/site\.css\?v=[0-9a-f]{12})"', page.text).group(1)

    fingerprinted = client.get(href)
    plain = client.get("/static/css/site.css")
    stale = client.get("/static/css/site.css?v=000000000000")

    assert fingerprinted.status_code == 200
    assert fingerprinted.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert plain.headers["Cache-Control"] == "public, max-age=300"
    assert stale.headers["Cache-Control"] == "public, max-age=300"
    fingerprinted.close(), plain.close(), stale.close()
