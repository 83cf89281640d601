"""A person chooses what they hear, by which channel and when; essentials always arrive."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from neighborly.accounts.models import Role
from neighborly.extensions import db
from neighborly.help_requests import services
from neighborly.notifications.models import OutboxMessage
from neighborly.notifications.preference_models import NotificationPreference
from neighborly.notifications.services import notify
from tests.factories.accounts import CommunityFactory, UserFactory, member
from tests.factories.help_requests import HelpRequestFactory, volunteer

CHICAGO = ZoneInfo("America/Chicago")


def _at(hour: int, minute: int = 0, day: int = 3) -> datetime:
    """A fixed moment, Chicago time, as UTC."""
    return datetime(2026, 12, day, hour, minute, tzinfo=CHICAGO).astimezone(UTC)


def _outbox() -> list[OutboxMessage]:
    """Everything queued, oldest first."""
    db.session.expire_all()
    return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_a_resident_who_turned_off_accepted_emails_gets_none_but_still_others(app, client, login):
    community = CommunityFactory()
    rosa = member(community, Role.RESIDENT, email="rosa@example.org")
    login(rosa)
    kinds = ["help_requests.completed", "help_requests.withdrawn"]

    page = client.post(
        "/account/notifications",
        data={"email_kinds": kinds, "quiet_start": "1260", "quiet_end": "480"},
        follow_redirects=True,
    )
    helper = volunteer(community)
    req = HelpRequestFactory(community=community, requester=rosa)
    services.accept_request(req.id, helper, now=_at(12))
    services.complete_request(req.id, helper, 20, now=_at(13))

    assert "Your choices are saved." in page.text
    assert [m.kind for m in _outbox() if m.to_address == "rosa@example.org"] == [
        "help_requests.completed"
    ]
    chosen = db.session.scalar(
        select(NotificationPreference).where(
            NotificationPreference.user_id == rosa.id,
            NotificationPreference.kind == "help_requests.accepted",
        )
    )
    assert chosen.email is False


def test_the_preferences_page_shows_what_the_person_gets_today(app, client, login):
    login(UserFactory(email="sam@example.org"))

    page = client.get("/account/notifications").text

    assert "What Neighborly tells me" in page
    assert (
        'checked id="email_kinds-7" name="email_kinds" type="checkbox" value="help_requests.digest"'
        in page
    )
    assert "Quiet hours start at" in page and '<option selected value="1260">21:00' in page


def test_a_non_urgent_email_at_night_waits_for_morning_but_a_password_reset_does_not(app):
    community = CommunityFactory(timezone="America/Chicago")
    rosa = member(community, Role.RESIDENT, email="rosa@example.org")
    req = HelpRequestFactory(community=community, requester=rosa)

    services.accept_request(req.id, volunteer(community), now=_at(23, 15))
    notify(
        rosa,
        _l("Reset your Neighborly password"),
        "accounts/email/reset.txt",
        now=_at(23, 16),
        link="x",
    )
    db.session.commit()

    accepted, reset = _outbox()
    assert accepted.kind == "help_requests.accepted" and accepted.next_attempt_at == _at(8, day=4)
    assert reset.kind == "accounts.reset" and reset.next_attempt_at == _at(23, 16)
    assert "Stop emails like this one" in accepted.body
    assert "Stop emails" not in reset.body


def test_a_tampered_unsubscribe_link_finds_nothing(app, client):
    assert client.get("/notifications/unsubscribe/not-a-real-token").status_code == 404
    assert client.post("/notifications/unsubscribe/not-a-real-token").status_code == 404


def test_a_coordinator_records_consent_to_texts_on_the_phone_in_form(app, client, login):
    community = CommunityFactory(slug="maywood")
    coordinator = member(community, Role.COORDINATOR)
    login(coordinator)

    client.post(
        "/c/maywood/coordinate/phone-in",
        data={
            "category": "snow",
            "title": "Shovel the steps",
            "street_address": "12 Elm Street",
            "postal_code": "60153",
            "estimated_minutes": "30",
            "urgency": "soon",
            "resident_first_name": "Rosa",
            "resident_last_name": "Diaz",
            "resident_phone": "708-555-0100",
            "resident_sms_consent": "y",
        },
    )

    caller = db.session.scalar(select(HelpRequestFactory._meta.model)).requester
    assert caller.phone == "708-555-0100" and caller.sms_consent is True


def test_a_person_agrees_to_texts_on_their_profile(app, client, login):
    rosa = UserFactory(phone="708-555-0100", sms_consent=False, locale="en")
    login(rosa)

    client.post(
        "/account/profile",
        data={
            "first_name": rosa.first_name,
            "last_name": rosa.last_name,
            "phone": "708-555-0100",
            "locale": "en",
            "sms_consent": "y",
        },
    )

    db.session.expire_all()
    assert db.session.get(type(rosa), rosa.id).sms_consent is True
