"""No personal data in URLs or logs: a whole journey, and a database failure, leave none behind."""

from __future__ import annotations

import json
import logging
import re

import pytest
from flask import Flask
from sqlalchemy import select, text

from neighborly import create_app
from neighborly.accounts.models import User
from neighborly.extensions import db
from neighborly.policy import policy
from tests.conftest import make_test_config
from tests.factories.accounts import (
    DEFAULT_PASSWORD,
    CommunityFactory,
    MembershipFactory,
    resident,
)
from tests.factories.help_requests import volunteer
from tests.outbox import last_mail_to

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


def _request_lines(caplog) -> list[dict]:
    """The JSON lines the request log wrote, parsed."""
    return [
        json.loads(record.getMessage())
        for record in caplog.records
        if record.name == "neighborly.request"
    ]


def _emailed_path(to: str) -> str:
    """The link in the newest email to `to`, as a path on this site."""
    body = last_mail_to(to).body
    return re.search(r"http://localhost(/\S+)", body).group(1)


def test_the_request_log_of_a_whole_journey_holds_no_personal_data_or_tokens(client, caplog):
    caplog.set_level(logging.DEBUG)
    community = CommunityFactory(slug="proviso")
    sam = volunteer(community)
    sam.email, sam.phone = "sam.okafor@example.org", "708-555-0199"
    db.session.commit()
    browser = Recorder(client)
    password = "plenty long password"

    browser.open("GET", "/account/register")
    registration = {"first_name": "Rosa", "last_name": "Martinez", "email": EMAIL}
    registration |= {"password": password, "locale": "en", "agree": "y"}
    browser.open("POST", "/account/register", data=registration)
    confirm = _emailed_path(EMAIL)
    browser.open("POST", confirm)
    browser.open("POST", "/account/login", data={"email": EMAIL, "password": password})
    rosa = db.session.scalar(select(User).where(User.email == EMAIL))
    MembershipFactory(user=rosa, community=community)  # a coordinator added her as a resident
    browser.open("POST", "/c/proviso/ask?from=" + EMAIL, data=ASK | {"phone": PHONE})
    request_url = next(line for line in browser.lines if line.startswith("/requests/"))
    browser.open("POST", "/account/logout")
    browser.open("POST", "/account/login", data={"email": sam.email, "password": DEFAULT_PASSWORD})
    browser.open("GET", "/c/proviso/near-me")
    browser.open("POST", f"{request_url}/accept")
    browser.open("GET", request_url)
    browser.open("POST", "/account/logout")
    browser.open("POST", "/account/forgot", data={"email": EMAIL})
    reset = _emailed_path(EMAIL)
    browser.open("GET", reset)

    lines = _request_lines(caplog)
    logged = [record.getMessage() for record in caplog.records]
    secrets = (EMAIL, PHONE, STREET, "Martinez", "sam.okafor", "708-555-0199")
    tokens = (confirm.rsplit("/", 1)[-1], reset.rsplit("/", 1)[-1])
    assert len(lines) == len(browser.lines) // 2  # one line per request
    assert [line for line in logged if any(s in line for s in secrets + tokens)] == []
    assert {"request_id", "method", "endpoint", "route", "status", "duration_ms"} <= set(lines[0])
    routes = {line["route"] for line in lines}
    assert {"/account/confirm/<token>", "/account/reset/<token>", "/c/<slug>/ask"} <= routes
    assert "/requests/<int:request_id>/accept" in routes
    accepted = [line for line in lines if line["endpoint"] == "help_requests.accept"]
    assert [line["status"] for line in accepted] == [302]
    assert all("?" not in (line["route"] or "") for line in lines)


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
