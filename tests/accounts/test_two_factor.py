"""Two-step sign-in (TOTP): setting it up, the code after the password, recovery codes.

ASVS 5 V6.5 (one-time passwords, recovery codes) and V6.4 (second factor); docs/SECURITY.md.
"""

from __future__ import annotations

import pytest
from limits import parse
from sqlalchemy import select

from neighborly import create_app
from neighborly.accounts import two_factor
from neighborly.accounts.models import RecoveryCode, User
from neighborly.audit import AuditEvent
from neighborly.extensions import db, limiter
from tests.accounts.two_factor_helpers import (
    code_for,
    password_step,
    recovery_codes_on_page,
    secret_on_page,
    turn_on,
)
from tests.conftest import IsolatedClient, make_test_config
from tests.factories.accounts import UserFactory


def _signed_in(client) -> bool:
    return client.get("/account/profile").status_code == 200


def test_turning_on_two_factor_shows_the_key_as_text_and_a_qr_code_then_ten_recovery_codes(
    client, login
):
    user = UserFactory()
    login(user)
    page = client.get("/account/two-factor/setup")
    assert "Set up two-step sign-in" in page.text
    assert 'src="data:image/svg+xml' in page.text
    secret = secret_on_page(page.text)
    done = client.post("/account/two-factor/setup", data={"code": code_for(secret)})
    assert "This is the only time we show them." in done.text
    codes = recovery_codes_on_page(done.text)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert db.session.get(User, user.id).has_two_factor


def test_turning_on_two_factor_refuses_a_wrong_code(client, login):
    user = UserFactory()
    login(user)
    secret = secret_on_page(client.get("/account/two-factor/setup").text)
    wrong = str((int(code_for(secret)) + 1) % 1_000_000).zfill(6)
    page = client.post("/account/two-factor/setup", data={"code": wrong})
    assert "That code is not right." in page.text
    assert not db.session.get(User, user.id).has_two_factor


def test_the_secret_is_encrypted_and_recovery_codes_are_only_kept_as_keyed_hashes(app):
    user = UserFactory()
    secret, codes = turn_on(user)
    stored = db.session.get(User, user.id)
    assert secret not in (stored.totp_secret_encrypted or "")
    assert secret not in repr(stored)
    hashes = db.session.scalars(select(RecoveryCode.code_hash)).all()
    assert len(hashes) == 10
    for code in codes:
        assert all(code.replace("-", "") not in h and code not in h for h in hashes)


def test_with_two_factor_the_password_alone_does_not_sign_in(client):
    user = UserFactory()
    turn_on(user)
    first = password_step(client, user.email)
    assert first.headers["Location"].endswith("/account/login/code")
    assert not _signed_in(client)
    assert "Enter your code" in client.get("/account/login/code").text


def test_signing_in_with_the_app_code_after_the_password(client):
    user = UserFactory()
    secret, _codes = turn_on(user)
    password_step(client, user.email, next_url="/account/profile")
    done = client.post("/account/login/code", data={"code": code_for(secret, 1)})
    assert done.headers["Location"].endswith("/account/profile")
    assert _signed_in(client)


def test_a_code_already_used_is_refused_within_its_window(client, app):
    user = UserFactory()
    secret, _codes = turn_on(user)
    code = code_for(secret, 1)  # turn_on used the current step; the next one is fresh
    password_step(client, user.email)
    assert client.post("/account/login/code", data={"code": code}).status_code == 302
    with app.test_client() as thief:
        password_step(thief, user.email)
        again = thief.post("/account/login/code", data={"code": code})
        assert "That code is not right." in again.text
        assert thief.get("/account/profile").status_code == 302


@pytest.mark.parametrize("steps", [-2, 2])
def test_a_code_two_steps_away_is_refused(client, steps):
    user = UserFactory()
    secret, _codes = turn_on(user)
    password_step(client, user.email)
    page = client.post("/account/login/code", data={"code": code_for(secret, steps)})
    assert "That code is not right." in page.text
    assert not _signed_in(client)


def test_a_recovery_code_signs_in_once_and_is_audited(client, app):
    user = UserFactory()
    _secret, codes = turn_on(user)
    password_step(client, user.email)
    done = client.post(
        "/account/login/code", data={"code": codes[0].upper()}, follow_redirects=True
    )
    assert "You used a recovery code. You have 9 left" in done.text
    actions = db.session.scalars(select(AuditEvent.action)).all()
    assert "account.recovery_code_used" in actions
    with app.test_client() as other:
        password_step(other, user.email)
        again = other.post("/account/login/code", data={"code": codes[0]})
        assert "That code is not right." in again.text


@pytest.fixture()
def limited_app(database_url):
    """A second app with rate limits on; the shared Limiter is put back afterwards."""
    saved = dict(vars(limiter))
    limited = create_app(make_test_config(database_url, RATELIMIT_ENABLED=True))
    limited.test_client_class = IsolatedClient
    yield limited
    vars(limiter).clear()
    vars(limiter).update(saved)


def test_wrong_codes_for_one_account_are_limited_from_any_address(app, limited_app):
    user = UserFactory()
    secret, _codes = turn_on(user)
    allowed = parse(limited_app.config["TWO_FACTOR_CODE_LIMIT"]).amount
    with limited_app.app_context():
        client = limited_app.test_client()
        password_step(client, user.email)
        statuses = [
            client.post(
                "/account/login/code",
                data={"code": "000000"},
                environ_base={"REMOTE_ADDR": f"198.51.100.{n}"},
            ).status_code
            for n in range(1, allowed + 1)
        ]
        blocked = client.post(
            "/account/login/code",
            data={"code": code_for(secret, 1)},
            environ_base={"REMOTE_ADDR": "203.0.113.77"},
        )
    assert statuses == [200] * allowed
    assert blocked.status_code == 429
    assert allowed <= 10


def test_the_code_page_without_a_password_first_sends_to_sign_in(client):
    page = client.get("/account/login/code")
    assert page.headers["Location"].endswith("/account/login")


def test_turning_two_factor_off_needs_confirming_it_is_you(client, login, app):
    user = UserFactory()
    secret, _codes = turn_on(user)
    login(user)
    with client.session_transaction() as session:
        session["auth_started"] = session["auth_seen"] = 1  # signed in long ago
        session["auth_confirmed"] = 1
    monkey_now_is_fresh(client)
    page = client.post("/account/two-factor/off")
    assert "/account/confirm-it-is-you" in page.headers["Location"]
    assert db.session.get(User, user.id).has_two_factor
    confirm = client.post(
        "/account/confirm-it-is-you",
        data={"password": "correct horse battery", "code": code_for(secret, 1)},
    )
    assert confirm.status_code == 302
    client.post("/account/two-factor/off")
    assert not db.session.get(User, user.id).has_two_factor
    assert "account.two_factor_disabled" in db.session.scalars(select(AuditEvent.action)).all()


def monkey_now_is_fresh(client) -> None:
    """Keep the session alive (not idle) while its confirmation is old."""
    import time

    with client.session_transaction() as session:
        session["auth_started"] = session["auth_seen"] = int(time.time())


def test_new_recovery_codes_need_confirming_and_the_old_ones_stop_working(client, login, app):
    user = UserFactory()
    _secret, old_codes = turn_on(user)
    login(user)
    with client.session_transaction() as session:
        session["auth_confirmed"] = 1
    monkey_now_is_fresh(client)
    refused = client.post("/account/two-factor/recovery-codes")
    assert "/account/confirm-it-is-you" in refused.headers["Location"]
    with client.session_transaction() as session:
        session["auth_confirmed"] = session["auth_seen"]
    page = client.post("/account/two-factor/recovery-codes")
    new_codes = recovery_codes_on_page(page.text)
    assert len(new_codes) == 10 and not set(new_codes) & set(old_codes)
    with pytest.raises(two_factor.WrongCode):
        two_factor.verify_code(db.session.get(User, user.id), old_codes[1])
    assert two_factor.verify_code(db.session.get(User, user.id), new_codes[1]) == "recovery"


def test_two_factor_audit_events_carry_no_secret_or_code(app):
    user = UserFactory()
    secret, codes = turn_on(user)
    two_factor.verify_code(user, codes[0])
    events = db.session.scalars(select(AuditEvent)).all()
    assert {e.action for e in events} >= {
        "account.two_factor_enabled",
        "account.recovery_code_used",
    }
    dumped = repr([vars(e) for e in events])
    assert secret not in dumped and codes[0] not in dumped and user.email not in dumped


def test_deleting_an_account_erases_its_two_factor_secret_and_recovery_codes(app):
    from neighborly.accounts.privacy import erase_account
    from neighborly.timeutil import utcnow

    user = UserFactory()
    turn_on(user)
    erase_account(user, utcnow())
    db.session.commit()
    erased = db.session.get(User, user.id)
    assert erased.totp_secret_encrypted is None and not erased.has_two_factor
    assert db.session.scalars(select(RecoveryCode)).all() == []


def test_a_password_reset_does_not_skip_the_second_step(client):
    import re

    from tests.outbox import last_mail_to

    user = UserFactory(email="known@example.org")
    turn_on(user)
    client.post("/account/forgot", data={"email": "known@example.org"})
    link = re.search(r"https?://\S+/account/reset/\S+", last_mail_to("known@example.org").body)
    new_password = "a brand new sentence of mine"
    path = link.group(0).split("://", 1)[1].split("/", 1)[1]
    done = client.post(f"/{path}", data={"password": new_password, "confirm": new_password})
    assert done.status_code == 302 and not _signed_in(client)

    first = password_step(client, "known@example.org", password=new_password)

    assert first.headers["Location"].endswith("/account/login/code")
    assert not _signed_in(client)
