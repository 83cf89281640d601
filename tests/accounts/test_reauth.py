"""Confirm it's you before changing email, phone, password or two-step sign-in; email change.

ASVS 5 V6.2.3/V7.5.1 (re-authentication before sensitive changes), V6.3.x (change of
identifier confirmed by the new address, old one told); docs/SECURITY.md.
"""

from __future__ import annotations

import re
import time

from sqlalchemy import select

from neighborly.accounts.models import User
from neighborly.audit import AuditEvent
from neighborly.extensions import db
from neighborly.notifications.models import OutboxMessage
from tests.accounts.two_factor_helpers import code_for, turn_on
from tests.factories.accounts import DEFAULT_PASSWORD, UserFactory

CONFIRM = "/account/confirm-it-is-you"


def _sign_in(client, user) -> None:
    client.post("/account/login", data={"email": user.email, "password": DEFAULT_PASSWORD})


def _confirmed_minutes_ago(client, minutes: float) -> None:
    with client.session_transaction() as session:
        session["auth_confirmed"] = int(time.time() - minutes * 60)


def _mail_to(address: str) -> list[OutboxMessage]:
    query = select(OutboxMessage).where(OutboxMessage.to_address == address)
    return list(db.session.scalars(query))


def test_signing_in_counts_as_confirming_for_five_minutes(client):
    user = UserFactory()
    _sign_in(client, user)
    assert client.get("/account/email").status_code == 200
    _confirmed_minutes_ago(client, 5)
    page = client.get("/account/email")
    assert page.headers["Location"].endswith(f"{CONFIRM}?next=/account/email")


def test_changing_email_after_five_minutes_asks_for_the_password_again(client):
    user = UserFactory()
    _sign_in(client, user)
    _confirmed_minutes_ago(client, 6)
    sent = client.post("/account/email", data={"email": "new@example.org"})
    assert CONFIRM in sent.headers["Location"]
    assert _mail_to("new@example.org") == []
    wrong = client.post(f"{CONFIRM}?next=/account/email", data={"password": "not it at all"})
    assert "That is not your current password." in wrong.text
    right = client.post(f"{CONFIRM}?next=/account/email", data={"password": DEFAULT_PASSWORD})
    assert right.headers["Location"].endswith("/account/email")
    assert client.get("/account/email").status_code == 200


def test_with_two_factor_confirming_needs_a_code_too(client):
    user = UserFactory()
    secret, codes = turn_on(user)
    client.post("/account/login", data={"email": user.email, "password": DEFAULT_PASSWORD})
    client.post("/account/login/code", data={"code": code_for(secret, 1)})
    _confirmed_minutes_ago(client, 6)
    no_code = client.post(CONFIRM, data={"password": DEFAULT_PASSWORD, "code": "123456"})
    assert "That password or code is not right." in no_code.text
    assert client.get("/account/email").status_code == 302
    _confirmed_minutes_ago(client, 6)
    # an older app code would be a reuse (steps only go forward); a recovery code works
    used = client.post(CONFIRM, data={"password": DEFAULT_PASSWORD, "code": code_for(secret, 1)})
    assert "That password or code is not right." in used.text
    ok = client.post(CONFIRM, data={"password": DEFAULT_PASSWORD, "code": codes[0]})
    assert ok.status_code == 302
    assert client.get("/account/email").status_code == 200


def test_changing_the_phone_needs_confirming_it_is_you(client):
    user = UserFactory(phone="708-555-0001")
    _sign_in(client, user)
    _confirmed_minutes_ago(client, 6)
    details = {"first_name": "Ana", "last_name": "B", "phone": "708-555-0999", "locale": "en"}
    page = client.post("/account/profile", data=details)
    assert "To change your phone number, first confirm it&#39;s you." in page.text
    assert db.session.get(User, user.id).phone == "708-555-0001"
    same_phone = dict(details, phone="708-555-0001")
    assert client.post("/account/profile", data=same_phone).status_code == 302
    client.post(CONFIRM, data={"password": DEFAULT_PASSWORD})
    assert client.post("/account/profile", data=details).status_code == 302
    assert db.session.get(User, user.id).phone == "708-555-0999"


def test_changing_the_password_after_five_minutes_asks_to_confirm_first(client):
    user = UserFactory()
    _sign_in(client, user)
    _confirmed_minutes_ago(client, 6)
    new = "a brand new sentence"
    page = client.post(
        "/account/password",
        data={"current": DEFAULT_PASSWORD, "password": new, "confirm": new},
    )
    assert CONFIRM in page.headers["Location"]


def test_a_new_email_takes_effect_only_through_the_link_sent_to_it_and_the_old_one_is_told(
    client,
):
    user = UserFactory(email="old@example.org")
    _sign_in(client, user)
    page = client.post("/account/email", data={"email": "New@Example.org"}, follow_redirects=True)
    assert "We have sent a link to your new address" in page.text
    assert db.session.get(User, user.id).email == "old@example.org"
    (message,) = _mail_to("new@example.org")
    link = re.search(r"https?://\S+", message.body).group(0)
    assert link.startswith("http://localhost/account/email/confirm/")
    path = link.removeprefix("http://localhost")
    assert "new@example.org" in client.get(path).text
    done = client.post(path, follow_redirects=True)
    assert "Your email is changed." in done.text
    assert db.session.get(User, user.id).email == "new@example.org"
    (notice,) = _mail_to("old@example.org")
    assert "was just changed" in notice.body
    assert client.post(path).status_code == 400  # the link works once
    actions = db.session.scalars(select(AuditEvent.action)).all()
    assert {"account.email_change_requested", "account.email_changed"} <= set(actions)


def test_the_email_change_link_is_built_from_the_public_address_not_the_host(client):
    user = UserFactory()
    forged = {"Host": "evil.example"}
    client.post(
        "/account/login", data={"email": user.email, "password": DEFAULT_PASSWORD}, headers=forged
    )
    client.post("/account/email", data={"email": "new@example.org"}, headers=forged)
    (message,) = _mail_to("new@example.org")
    assert "evil.example" not in message.body
    assert "http://localhost/account/email/confirm/" in message.body


def test_asking_for_an_email_someone_else_uses_changes_nothing_and_says_the_same(client):
    other = UserFactory(email="taken@example.org")
    user = UserFactory(email="mine@example.org")
    _sign_in(client, user)
    page = client.post("/account/email", data={"email": "taken@example.org"})
    assert "We have sent a link to your new address" in page.text
    assert db.session.get(User, user.id).email == "mine@example.org"
    assert all("/account/email/confirm/" not in m.body for m in _mail_to(other.email))
