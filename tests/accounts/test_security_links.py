"""Every link in email points at PUBLIC_URL, whatever Host header the request carried.

Finding 2 of the security review (issue 9); see docs/SECURITY.md.
"""

from __future__ import annotations

import re

import pytest

from tests.factories.accounts import UserFactory
from tests.outbox import mail_to

PUBLIC = "https://neighborly.example.org"


@pytest.fixture()
def public_url(app, monkeypatch):
    """The site's configured address, unlike the host the attacker sends."""
    monkeypatch.setitem(app.config, "PUBLIC_URL", PUBLIC)


def _links(address: str) -> list[str]:
    return [link for message in mail_to(address) for link in re.findall(r"\S+://\S+", message.body)]


def test_a_reset_asked_for_with_a_forged_host_links_to_the_real_site(client, public_url):
    UserFactory(email="rosa@example.org")
    page = client.post(
        "/account/forgot", data={"email": "rosa@example.org"}, headers={"Host": "evil.example"}
    )
    assert page.status_code == 200
    (link,) = _links("rosa@example.org")
    assert link.startswith(f"{PUBLIC}/account/reset/")
    assert "evil.example" not in mail_to("rosa@example.org")[0].body


def test_a_confirmation_asked_for_with_a_forged_host_links_to_the_real_site(client, public_url):
    client.post(
        "/account/register",
        data={
            "first_name": "Rosa",
            "last_name": "M",
            "email": "new@example.org",
            "password": "plenty long password",
            "locale": "en",
            "agree": "y",
        },
        base_url="http://evil.example",
    )
    (link,) = _links("new@example.org")
    assert link.startswith(f"{PUBLIC}/account/confirm/")


def test_the_already_registered_notice_with_a_forged_host_links_to_the_real_site(
    client, public_url
):
    UserFactory(email="rosa@example.org")
    client.post(
        "/account/register",
        data={
            "first_name": "Rosa",
            "last_name": "M",
            "email": "rosa@example.org",
            "password": "plenty long password",
            "locale": "en",
            "agree": "y",
        },
        headers={"Host": "evil.example"},
    )
    (link,) = _links("rosa@example.org")
    assert link == f"{PUBLIC}/account/forgot"
