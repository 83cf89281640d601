"""No personal data in URLs or logs: a whole journey, and a database failure, leave none behind."""

from __future__ import annotations

import logging

import pytest
from flask import Flask
from sqlalchemy import text

from neighborly import create_app
from neighborly.extensions import db
from neighborly.policy import policy
from tests.conftest import make_test_config
from tests.factories.accounts import CommunityFactory, resident
from tests.factories.help_requests import volunteer

EMAIL = "rosa.martinez@example.org"
PHONE = "708-555-0142"
STREET = "4217 Elmwood Lane"
ASK = {
    "category": "snow",
    "title": "Shovel my front steps",
    "details": "The walk to the garage too.",
    "street_address": STREET,
    "postal_code": "60153",
    "needed_by": "",
    "estimated_minutes": "30",
    "urgency": "soon",
}


class Recorder:
    """Every URL asked for, every redirect given, and every log line written."""

    def __init__(self, client) -> None:
        self.client, self.lines = client, []

    def open(self, method: str, url: str, **kwargs):
        """Send one request and keep its URL and any redirect it answers with."""
        response = self.client.open(url, method=method, **kwargs)
        self.lines += [url, response.headers.get("Location", "")]
        return response


def _personal_data(lines: list[str]) -> list[str]:
    """The lines that carry the journey's email, phone or street address."""
    secrets = (EMAIL, PHONE, STREET, "Martinez", "rosa.martinez%40example.org")
    return [line for line in lines if any(secret in line for secret in secrets)]


def test_a_whole_help_journey_puts_no_personal_data_in_urls_or_logs(client, login, caplog):
    caplog.set_level(logging.DEBUG)
    community = CommunityFactory(slug="proviso")
    rosa = resident(community, first_name="Rosa", last_name="Martinez", email=EMAIL, phone=PHONE)
    sam = volunteer(community)
    browser = Recorder(client)

    browser.open("GET", "/account/login")
    browser.open("POST", "/account/login", data={"email": EMAIL, "password": "wrong password!"})
    browser.open("POST", "/account/forgot", data={"email": EMAIL})
    login(rosa)
    browser.open("POST", "/c/proviso/ask", data=ASK)
    request_url = next(line for line in browser.lines if line.startswith("/requests/"))
    login(sam)
    browser.open("GET", "/c/proviso/near-me")
    browser.open("POST", f"{request_url}/accept")
    browser.open("GET", request_url)
    browser.open("POST", f"{request_url}/complete", data={"minutes": "45"})
    login(rosa)
    browser.open("POST", f"{request_url}/confirm", data={"thank_you": "Thanks!"})
    browser.open("GET", "/account/profile")

    assert len(browser.lines) >= 20
    logged = [record.getMessage() for record in caplog.records]
    assert _personal_data(browser.lines + logged) == []


@pytest.fixture()
def failing_app(database_url: str) -> Flask:
    """A fresh app with one page whose database statement fails while holding an email."""
    fresh = create_app(make_test_config(database_url, PROPAGATE_EXCEPTIONS=False))

    @policy(lambda user, args: True)
    def look_up_someone():
        db.session.execute(
            text("SELECT * FROM no_such_table WHERE email = :email"), {"email": EMAIL}
        )

    fresh.add_url_rule("/__look-up", view_func=look_up_someone)
    return fresh


def test_a_database_error_is_logged_without_the_values_it_was_given(failing_app, caplog):
    caplog.set_level(logging.DEBUG)

    page = failing_app.test_client().get("/__look-up")

    assert page.status_code == 500
    logged = "\n".join(
        record.getMessage() + "\n" + logging.Formatter().formatException(record.exc_info)
        for record in caplog.records
        if record.exc_info
    )
    assert "no_such_table" in logged  # the failure itself is there to debug
    assert EMAIL not in logged
