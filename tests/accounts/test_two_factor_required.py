"""Coordinators and site admins must use two-step sign-in (REQUIRE_2FA_FOR_STAFF, on by default).

The test configuration turns the requirement off so the many tests that sign staff in directly
can stay as they are; these tests turn it on and prove it. ASVS 5 V6.3.3; docs/SECURITY.md.
"""

from __future__ import annotations

import pytest

from config import Config, DevelopmentConfig, ProductionConfig
from neighborly.accounts.models import Role, User
from neighborly.extensions import db
from tests.accounts.two_factor_helpers import code_for, password_step, secret_on_page, turn_on
from tests.factories.accounts import CommunityFactory, UserFactory, member


@pytest.fixture()
def required(app, monkeypatch):
    """The requirement on, as in production."""
    monkeypatch.setitem(app.config, "REQUIRE_2FA_FOR_STAFF", True)


def test_the_requirement_is_on_by_default_and_in_production():
    assert Config.REQUIRE_2FA_FOR_STAFF is True
    assert ProductionConfig.REQUIRE_2FA_FOR_STAFF is True
    assert DevelopmentConfig.REQUIRE_2FA_FOR_STAFF is False  # the laptop demo only


def test_a_coordinator_without_two_factor_who_signs_in_is_sent_to_set_it_up(client, required):
    community = CommunityFactory()
    coordinator = member(community, Role.COORDINATOR)
    dashboard = f"/c/{community.slug}/coordinate"
    first = password_step(client, coordinator.email, next_url=dashboard)
    assert first.headers["Location"].endswith(dashboard)
    sent = client.get(dashboard)
    assert sent.status_code == 302
    assert "/account/two-factor/setup" in sent.headers["Location"]
    page = client.get(sent.headers["Location"])
    assert page.status_code == 200
    assert "you need two-step sign-in before you continue" in page.text
    secret = secret_on_page(page.text)
    client.post(sent.headers["Location"], data={"code": code_for(secret)})
    assert client.get(dashboard).status_code == 200


def test_a_site_admin_without_two_factor_cannot_open_admin_pages(client, login, required):
    admin = UserFactory(is_site_admin=True)
    login(admin)
    page = client.get("/admin/communities")
    assert page.status_code == 302
    assert "/account/two-factor/setup" in page.headers["Location"]


def test_a_coordinator_without_two_factor_cannot_use_any_other_page_either(client, login, required):
    coordinator = member(CommunityFactory(), Role.COORDINATOR)
    login(coordinator)
    for url in ("/account/profile", "/resources", "/communities"):
        assert "/account/two-factor/setup" in client.get(url).headers.get("Location", ""), url


def test_a_resident_without_two_factor_is_not_asked(client, login, required):
    resident = member(CommunityFactory(), Role.RESIDENT)
    login(resident)
    assert client.get("/account/profile").status_code == 200


def test_a_coordinator_with_two_factor_uses_coordinator_pages(client, login, required):
    community = CommunityFactory()
    coordinator = member(community, Role.COORDINATOR)
    turn_on(coordinator)
    login(db.session.get(User, coordinator.id))
    assert client.get(f"/c/{community.slug}/coordinate").status_code == 200


def test_a_coordinator_cannot_turn_two_factor_off(client, login, required):
    coordinator = member(CommunityFactory(), Role.COORDINATOR)
    turn_on(coordinator)
    login(db.session.get(User, coordinator.id))
    page = client.get("/account/two-factor")
    assert "Coordinators and site admins must keep two-step sign-in on." in page.text
    client.post("/account/two-factor/off")
    assert db.session.get(User, coordinator.id).has_two_factor


def test_a_coordinator_with_new_terms_and_no_two_factor_accepts_then_sets_up_without_a_loop(
    client, required
):
    community = CommunityFactory()
    coordinator = member(community, Role.COORDINATOR, terms_version=None)
    password_step(client, coordinator.email)
    seen = []
    url = f"/c/{community.slug}/coordinate"
    page = client.get(url)
    while page.status_code == 302 and len(seen) < 5:  # setup -> terms, and never back
        seen.append(page.headers["Location"].split("?")[0])
        page = client.get(page.headers["Location"])
    assert page.status_code == 200 and seen[-1] == "/account/terms", seen
    assert client.post("/account/terms", data={"agree": "y"}).status_code == 302
    then = client.get(url)
    assert "/account/two-factor/setup" in then.headers["Location"]
    assert client.get(then.headers["Location"]).status_code == 200
