"""Registration, confirmation, sign-in, password reset and profile, as a person meets them."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask import render_template
from sqlalchemy import func, select

from neighborly.accounts.models import AuthToken, User
from neighborly.audit import AuditEvent
from neighborly.extensions import db
from neighborly.notifications.models import OutboxMessage
from tests.factories.accounts import DEFAULT_PASSWORD, UserFactory
from tests.outbox import last_mail_to

NEW_PASSWORD = "a brand new sentence"


def _register(client, email="rosa@example.org", password="plenty long password"):
    return client.post(
        "/account/register",
        data={
            "first_name": "Rosa",
            "last_name": "Martinez",
            "email": email,
            "password": password,
            "locale": "en",
            "agree": "y",
        },
    )


def _link_in_last_email(to: str) -> str:
    """The link in the newest email to `to`, as a path on this site."""
    message = last_mail_to(to)
    return re.search(r"http://[^\s]+", message.body).group(0).replace("http://localhost", "")


def _outbox_count() -> int:
    return db.session.scalar(select(func.count(OutboxMessage.id)))


def test_registering_sends_a_confirmation_link_that_lets_the_person_sign_in(client):
    page = _register(client)
    assert "Check your email" in page.text
    link = _link_in_last_email("rosa@example.org")
    assert "/account/confirm/" in link
    blocked = client.post(
        "/account/login", data={"email": "rosa@example.org", "password": "plenty long password"}
    )
    assert "Please confirm your email first" in blocked.text

    assert "Confirm my email" in client.get(link).text
    confirmed = client.post(link, follow_redirects=True)
    assert "Your email is confirmed" in confirmed.text
    signed_in = client.post(
        "/account/login",
        data={"email": "Rosa@Example.org ", "password": "plenty long password"},
        follow_redirects=True,
    )
    assert "Welcome, Rosa." in signed_in.text  # her very first sign-in
    client.post("/account/logout")
    again = client.post(
        "/account/login",
        data={"email": "rosa@example.org", "password": "plenty long password"},
        follow_redirects=True,
    )
    assert "Welcome back, Rosa." in again.text
    user = db.session.scalar(select(User).where(User.email == "rosa@example.org"))
    assert user.password_hash.startswith("$argon2id$")


def test_registering_a_known_email_answers_the_same_and_changes_nothing(client):
    UserFactory(email="known@example.org", first_name="Ada")
    known = _register(client, email="known@example.org")
    unknown = _register(client, email="unknown@example.org")
    assert known.status_code == unknown.status_code == 200
    assert _strip_csrf(known.text) == _strip_csrf(unknown.text)
    assert (
        db.session.scalar(select(func.count(User.id)).where(User.email == "known@example.org")) == 1
    )
    notice = _link_in_last_email("known@example.org")
    assert "/account/forgot" in notice


def _strip_csrf(page: str) -> str:
    return re.sub(r'name="csrf_token"[^>]*', "", page)


def test_registration_with_bad_input_shows_messages_beside_fields_and_saves_nothing(client):
    page = client.post(
        "/account/register",
        data={"first_name": "", "last_name": "M", "email": "not-an-email", "password": "short"},
    )
    assert page.status_code == 200
    assert "Please check the form" in page.text
    assert 'id="first_name-error"' in page.text and "Enter your first name." in page.text
    assert "Enter an email address like name@example.com." in page.text
    assert "Use at least 10 characters." in page.text
    assert 'aria-describedby="password-hint password-error"' in page.text
    assert db.session.scalar(select(func.count(User.id))) == 0


def test_login_answers_the_same_for_a_wrong_password_and_an_unknown_email(client):
    UserFactory(email="known@example.org")
    wrong = client.post("/account/login", data={"email": "known@example.org", "password": "nope"})
    unknown = client.post("/account/login", data={"email": "who@example.org", "password": "nope"})
    assert "That email and password do not match an account." in wrong.text
    assert _strip_csrf(wrong.text) == _strip_csrf(unknown.text.replace("who@", "known@"))


def test_login_does_not_follow_a_next_link_to_another_site(client):
    UserFactory(email="known@example.org")
    response = client.post(
        "/account/login?next=//evil.example/steal",
        data={"email": "known@example.org", "password": DEFAULT_PASSWORD},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_logout_signs_the_person_out(client, login):
    user = UserFactory()
    login(user)
    assert client.get("/account/profile").status_code == 200
    assert "signed out" in client.post("/account/logout", follow_redirects=True).text
    assert client.get("/account/profile").status_code == 302


def test_forgot_password_answers_the_same_for_known_and_unknown_emails(client):
    UserFactory(email="known@example.org")
    known = client.post("/account/forgot", data={"email": "known@example.org"})
    unknown = client.post("/account/forgot", data={"email": "nobody@example.org"})
    assert _strip_csrf(known.text) == _strip_csrf(unknown.text)
    assert "If an account uses that address" in known.text
    assert _outbox_count() == 1


def test_reset_link_works_once_and_signs_out_other_sessions(app, client, login):
    user = UserFactory(email="known@example.org")
    other_device = app.test_client()
    with other_device.session_transaction() as session:
        session["_user_id"] = user.get_id()
    client.post("/account/forgot", data={"email": "known@example.org"})
    link = _link_in_last_email("known@example.org")

    done = client.post(
        link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}, follow_redirects=True
    )
    assert "Your password is changed" in done.text
    again = client.post(
        link, data={"password": "another new sentence", "confirm": "another new sentence"}
    )
    assert again.status_code == 400 and "This link no longer works" in again.text
    assert client.get(link).status_code == 400
    assert other_device.get("/account/profile").status_code == 302
    old = client.post(
        "/account/login", data={"email": "known@example.org", "password": DEFAULT_PASSWORD}
    )
    assert "do not match" in old.text
    new = client.post(
        "/account/login", data={"email": "known@example.org", "password": NEW_PASSWORD}
    )
    assert new.status_code == 302


def test_reset_link_expires(client):
    UserFactory(email="known@example.org")
    client.post("/account/forgot", data={"email": "known@example.org"})
    link = _link_in_last_email("known@example.org")
    token = db.session.scalars(select(AuthToken)).one()
    token.expires_at = token.expires_at - timedelta(hours=2)
    db.session.commit()
    page = client.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert page.status_code == 400 and "This link no longer works" in page.text
    assert (
        "do not match"
        in client.post(
            "/account/login", data={"email": "known@example.org", "password": NEW_PASSWORD}
        ).text
    )


def test_reset_tokens_are_stored_only_as_hashes(client):
    UserFactory(email="known@example.org")
    client.post("/account/forgot", data={"email": "known@example.org"})
    token_in_link = _link_in_last_email("known@example.org").rsplit("/", 1)[-1]
    stored = db.session.scalars(select(AuthToken)).one()
    assert token_in_link not in stored.token_hash


def test_profile_edit_saves_name_phone_and_language(client, login):
    user = UserFactory(first_name="Ada", last_name="Lovelace")
    login(user)
    page = client.post(
        "/account/profile",
        data={"first_name": "Adela", "last_name": "Lopez", "phone": "708-555-0100", "locale": "es"},
        follow_redirects=True,
    )
    assert page.status_code == 200
    db.session.refresh(user)
    assert (user.first_name, user.last_name, user.phone, user.locale) == (
        "Adela",
        "Lopez",
        "708-555-0100",
        "es",
    )
    assert '<html lang="es">' in page.text


def test_profile_rejects_a_phone_made_of_letters(client, login):
    user = UserFactory(phone=None)
    login(user)
    page = client.post(
        "/account/profile",
        data={"first_name": "A", "last_name": "B", "phone": "call me maybe", "locale": "en"},
    )
    assert "Enter a phone number like 708-555-0100." in page.text
    db.session.refresh(user)
    assert user.phone is None


def test_choosing_a_language_is_remembered_for_a_visitor(client):
    client.post("/language", data={"locale": "es", "next": "/"})
    assert '<html lang="es">' in client.get("/").text


def test_account_events_are_audited_without_personal_data(client):
    _register(client)
    events = db.session.scalars(select(AuditEvent)).all()
    assert [e.action for e in events] == ["account.registered"]
    assert "rosa" not in repr([vars(e) for e in events]).lower()


@pytest.mark.parametrize(
    ("backend", "said"),
    [
        ("console", "printed in the terminal that runs the server"),
        ("file", "was added to the file /tmp/neighborly-outbox.log on the server"),
    ],
)
def test_in_development_check_your_email_says_where_the_email_went(
    app, client, monkeypatch, backend, said
):
    monkeypatch.setitem(app.config, "MAIL_BACKEND", backend)
    monkeypatch.setitem(app.config, "MAIL_FILE", "/tmp/neighborly-outbox.log")
    with app.test_request_context():
        text = render_template("accounts/check_email.html", email_sent_for="register")
    assert said in text
    assert "spam" not in text


def test_with_real_email_check_your_email_suggests_the_spam_folder(app, client):
    page = _register(client)
    assert "Look in your spam folder" in page.text
