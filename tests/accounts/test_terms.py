"""Terms and privacy notice: accepted at registration with their version, again when it changes."""

from __future__ import annotations

from sqlalchemy import func, select

from neighborly.accounts.models import User
from neighborly.audit import AuditEvent
from neighborly.extensions import db
from tests.factories.accounts import CommunityFactory, resident

REGISTRATION = {
    "first_name": "Rosa",
    "last_name": "Martinez",
    "email": "rosa@example.org",
    "password": "plenty long password",
    "locale": "en",
}


def test_registering_without_ticking_the_box_says_so_beside_it_and_creates_nothing(client):
    page = client.post("/account/register", data=REGISTRATION)

    assert page.status_code == 200
    assert 'id="agree-error"' in page.text
    assert "Please read the terms and the privacy notice, and tick the box." in page.text
    assert 'aria-describedby="agree-hint agree-error"' in page.text
    assert db.session.scalar(select(func.count(User.id))) == 0


def test_registering_with_the_box_ticked_keeps_the_version_and_the_time(client, app):
    page = client.post("/account/register", data={**REGISTRATION, "agree": "y"})

    assert "Check your email" in page.text
    user = db.session.scalar(select(User))
    assert user.terms_version == app.config["TERMS_VERSION"]
    assert user.terms_accepted_at is not None


def test_the_register_form_links_to_the_terms_and_the_privacy_notice(client):
    page = client.get("/account/register")
    assert '<a href="/terms">the terms</a>' in page.text
    assert '<a href="/privacy">the privacy notice</a>' in page.text
    assert "I agree to the terms and the privacy notice" in page.text


def test_the_privacy_notice_says_plainly_what_is_kept_and_who_sees_addresses(client):
    page = client.get("/privacy")
    assert page.status_code == 200
    assert "Only the volunteer who takes your request" in page.text
    assert "Children in mentoring programs have no accounts" in page.text
    assert "audit log" in page.text and "download everything we keep" in page.text


def test_the_terms_page_is_open_to_everyone(client):
    page = client.get("/terms")
    assert page.status_code == 200 and "Terms of use" in page.text


def test_when_the_version_changes_a_signed_in_person_is_asked_to_accept_again(
    client, login, app, monkeypatch
):
    rosa = resident(CommunityFactory())
    login(rosa)
    monkeypatch.setitem(app.config, "TERMS_VERSION", "2027-01")

    page = client.get("/account/profile", follow_redirects=True)

    assert page.status_code == 200
    assert "Our terms have changed" in page.text and "(2027-01)" in page.text


def test_accepting_the_new_version_records_it_and_returns_to_the_page(
    client, login, app, monkeypatch
):
    rosa = resident(CommunityFactory())
    login(rosa)
    monkeypatch.setitem(app.config, "TERMS_VERSION", "2027-01")

    refused = client.post("/account/terms?next=/account/profile", data={})
    assert "Please read the terms and the privacy notice, and tick the box." in refused.text
    accepted = client.post("/account/terms?next=/account/profile", data={"agree": "y"})

    assert accepted.headers["Location"] == "/account/profile"
    assert client.get("/account/profile").status_code == 200
    db.session.expire_all()
    assert db.session.get(User, rosa.id).terms_version == "2027-01"
    assert db.session.scalar(
        select(func.count()).where(AuditEvent.action == "account.terms_accepted")
    )


def test_someone_who_has_not_accepted_can_still_take_their_data_or_leave(
    client, login, app, monkeypatch
):
    login(resident(CommunityFactory()))
    monkeypatch.setitem(app.config, "TERMS_VERSION", "2027-01")
    assert client.get("/account/my-data").status_code == 200
    assert client.get("/privacy").status_code == 200
    assert client.post("/account/logout").status_code == 302
