"""Every view declares who may use it; every POST needs a CSRF token."""

from __future__ import annotations

import re

from neighborly import create_app
from neighborly.extensions import db
from neighborly.policy import declared_policy
from tests.conftest import IsolatedClient, make_test_config
from tests.factories.accounts import UserFactory


def _sample_url(rule) -> str:
    """Fill a rule's variables with harmless sample values."""

    def sample(match: re.Match) -> str:
        return "1" if "id" in match.group(1) else "x"

    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", sample, rule.rule)


def test_every_endpoint_declares_a_policy(app):
    undeclared = [
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static" and declared_policy(rule.endpoint) is None
    ]
    assert undeclared == []


def test_an_undeclared_view_is_denied_by_default(app, client):
    app.view_functions["accounts.communities"].__dict__.pop("policy")
    try:
        response = client.get("/communities")
    finally:
        from neighborly.accounts import policies

        app.view_functions["accounts.communities"].policy = policies.anyone
    assert response.status_code == 403


def test_every_post_endpoint_rejects_a_missing_csrf_token(database_url, app):
    csrf_app = create_app(make_test_config(database_url, WTF_CSRF_ENABLED=True))
    csrf_app.test_client_class = IsolatedClient
    with csrf_app.app_context():
        admin = UserFactory(is_site_admin=True)
        client = csrf_app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = admin.get_id()
        post_rules = [r for r in csrf_app.url_map.iter_rules() if "POST" in r.methods]
        assert post_rules, "expected POST endpoints"
        for rule in post_rules:
            response = client.post(_sample_url(rule), data={"email": "a@example.org"})
            assert response.status_code == 400, rule.endpoint
            assert "This form has expired" in response.text, rule.endpoint
        db.session.remove()


def test_signed_out_visitor_is_sent_to_sign_in_for_a_members_page(client):
    response = client.get("/account/profile")
    assert response.status_code == 302
    assert "/account/login?next=/account/profile" in response.headers["Location"]
