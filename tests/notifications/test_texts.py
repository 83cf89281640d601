"""Phone-in residents who agreed get short texts through a Twilio-compatible provider."""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from neighborly.accounts.models import Role
from neighborly.extensions import db
from neighborly.help_requests import services
from neighborly.help_requests.models import HelpRequest
from neighborly.notifications.models import OutboxMessage
from neighborly.notifications.outbox import send_due
from tests.factories.accounts import CommunityFactory, member
from tests.factories.help_requests import HelpRequestFactory, volunteer
from tests.notifications.servers import sms_server

CHICAGO = ZoneInfo("America/Chicago")
PHONE = "708-555-0100"


def _at(hour: int, minute: int = 0, day: int = 3) -> datetime:
    """A fixed moment, Chicago time, as UTC."""
    return datetime(2026, 12, day, hour, minute, tzinfo=CHICAGO).astimezone(UTC)


def _phone_in(community, consent: bool = True, locale: str = "en"):
    """A resident a coordinator took down on the phone: no email, a mobile number."""
    return member(
        community,
        Role.RESIDENT,
        email=None,
        first_name="Rosa",
        phone=PHONE,
        sms_consent=consent,
        locale=locale,
    )


def _sam(community):
    """A volunteer called Sam Kim."""
    helper = volunteer(community)
    helper.first_name, helper.last_name = "Sam", "Kim"
    db.session.commit()
    return helper


def _texts() -> list[OutboxMessage]:
    """Every text in the outbox."""
    db.session.expire_all()
    query = select(OutboxMessage).where(OutboxMessage.channel == "sms").order_by(OutboxMessage.id)
    return list(db.session.scalars(query))


def _use_provider(app, monkeypatch, base_url: str) -> None:
    """Point texts at the local provider."""
    for key, value in {
        "SMS_BACKEND": "twilio",
        "SMS_BASE_URL": base_url,
        "SMS_ACCOUNT_SID": "ACtest",
        "SMS_AUTH_TOKEN": "secret-token",
        "SMS_FROM_NUMBER": "+17085550199",
    }.items():
        monkeypatch.setitem(app.config, key, value)


def test_a_phone_in_resident_gets_a_short_text_through_the_provider_when_help_is_accepted(
    app, monkeypatch
):
    community = CommunityFactory(timezone="America/Chicago")
    rosa = _phone_in(community)
    helper = _sam(community)
    req = HelpRequestFactory(community=community, requester=rosa, title="Shovel the front steps")
    services.accept_request(req.id, helper, now=_at(15))

    with sms_server() as (received, base_url):
        _use_provider(app, monkeypatch, base_url)
        assert send_due(now=_at(15, 1)) == 1

    (posted,) = received
    assert posted["path"] == "/2010-04-01/Accounts/ACtest/Messages.json"
    assert posted["auth"] == "Basic " + base64.b64encode(b"ACtest:secret-token").decode()
    body = posted["form"]["Body"]
    assert posted["form"]["To"] == PHONE and posted["form"]["From"] == "+17085550199"
    assert body.startswith("Neighborly: Sam K. will help with")
    assert "Shovel the front steps" in body
    assert len(body) <= 160 and req.street_address not in body
    assert _texts()[0].sent_at is not None


def test_without_consent_a_phone_in_resident_gets_no_text(app):
    community = CommunityFactory()
    rosa = _phone_in(community, consent=False)
    req = HelpRequestFactory(community=community, requester=rosa)

    services.accept_request(req.id, volunteer(community), now=_at(15))

    assert _texts() == []


def test_a_spanish_speaker_gets_the_text_in_spanish(app):
    community = CommunityFactory()
    rosa = _phone_in(community, locale="es")
    req = HelpRequestFactory(community=community, requester=rosa, title="Palear la entrada")

    services.accept_request(req.id, volunteer(community), now=_at(15))

    (text,) = _texts()
    assert "ayudará" in text.body and "will help" not in text.body
    assert len(text.body) <= 160


def test_quiet_hours_hold_a_text_until_eight_in_the_morning(app):
    community = CommunityFactory(timezone="America/Chicago")
    rosa = _phone_in(community)
    req = HelpRequestFactory(community=community, requester=rosa)

    services.accept_request(req.id, volunteer(community), now=_at(22, 30))

    (text,) = _texts()
    assert text.next_attempt_at == _at(8, 0, day=4)
    assert send_due(now=_at(23, 0)) == 0
    assert send_due(now=_at(7, 59, day=4)) == 0
    assert send_due(now=_at(8, 0, day=4)) == 1


def test_the_helper_says_on_my_way_and_the_resident_gets_one_text_that_day(app, client, login):
    community = CommunityFactory()
    rosa = _phone_in(community)
    helper = _sam(community)
    req = HelpRequestFactory(community=community, requester=rosa)
    services.accept_request(req.id, helper)
    login(helper)

    first = client.post(f"/requests/{req.id}/on-my-way", follow_redirects=True)
    second = client.post(f"/requests/{req.id}/on-my-way", follow_redirects=True)

    assert "We told your neighbour you are on your way." in first.text
    assert "already knows you are on your way" in second.text
    on_the_way = [t for t in _texts() if t.kind == "help_requests.on_the_way"]
    assert len(on_the_way) == 1 and "Sam K. is on the way" in on_the_way[0].body


def test_only_the_accepted_helper_can_say_on_my_way(app, client, login):
    community = CommunityFactory()
    req = HelpRequestFactory(community=community, requester=_phone_in(community))
    services.accept_request(req.id, volunteer(community))
    login(volunteer(community))

    response = client.post(f"/requests/{req.id}/on-my-way")

    assert response.status_code == 404
    assert [t.kind for t in _texts()] == ["help_requests.accepted"]


def test_done_sends_the_resident_a_text(app):
    community = CommunityFactory()
    rosa = _phone_in(community)
    helper = volunteer(community)
    req = HelpRequestFactory(community=community, requester=rosa)
    services.accept_request(req.id, helper, now=_at(10))

    services.complete_request(req.id, helper, 30, now=_at(11))

    assert [t.kind for t in _texts()] == ["help_requests.accepted", "help_requests.completed"]
    assert "is done" in _texts()[1].body


def test_with_texts_switched_off_no_text_is_written(app, monkeypatch):
    monkeypatch.setitem(app.config, "SMS_BACKEND", "off")
    community = CommunityFactory()
    req = HelpRequestFactory(community=community, requester=_phone_in(community))

    services.accept_request(req.id, volunteer(community), now=_at(15))

    assert _texts() == []


def test_production_writes_no_texts_until_a_provider_is_configured():
    from config import Config, ProductionConfig

    assert Config.SMS_BACKEND == "console"  # the laptop shows texts on the console
    assert ProductionConfig.SMS_BACKEND == "off"  # a console would log phone numbers


def test_deleting_an_account_removes_the_texts_waiting_for_its_phone(app):
    from neighborly.accounts.privacy import erase_account

    community = CommunityFactory()
    rosa = _phone_in(community)
    req = HelpRequestFactory(community=community, requester=rosa)
    services.accept_request(req.id, volunteer(community), now=_at(22, 30))  # held till morning

    erase_account(rosa, now=_at(23))
    db.session.commit()

    assert _texts() == [] and rosa.sms_consent is False


def _call(title: str, language: str) -> dict[str, str]:
    """The phone-in form for Rosa, who agreed to texts, in the language chosen ("": not asked)."""
    return {
        "category": "snow", "title": title, "details": "",
        "street_address": "4217 Elmwood Lane", "postal_code": "60153", "needed_by": "",
        "estimated_minutes": "30", "urgency": "soon",
        "resident_first_name": "Rosa", "resident_last_name": "Diaz",
        "resident_phone": PHONE, "resident_sms_consent": "y", "resident_language": language,
    }  # fmt: skip


def test_a_caller_taken_down_in_spanish_gets_their_texts_in_spanish(client, login):
    community = CommunityFactory(slug="proviso")
    helper = _sam(community)
    login(member(community, Role.COORDINATOR))
    page = client.get("/c/proviso/coordinate/phone-in")
    assert "Language for their texts and messages" in page.text
    client.post("/c/proviso/coordinate/phone-in", data=_call("Palear la entrada", "es"))
    request = db.session.scalar(select(HelpRequest).filter_by(title="Palear la entrada"))
    assert request.requester.locale == "es"

    services.accept_request(request.id, helper)

    (text,) = _texts()
    assert text.to_address == PHONE
    assert text.body.startswith("Neighborly: Sam K. le ayudará con «Palear la entrada»")


def test_a_returning_caller_keeps_their_language_when_it_was_not_asked(client, login):
    community = CommunityFactory(slug="proviso")
    _phone_in(community, locale="es")
    login(member(community, Role.COORDINATOR))
    client.post("/c/proviso/coordinate/phone-in", data=_call("Palear otra vez", ""))
    request = db.session.scalar(select(HelpRequest).filter_by(title="Palear otra vez"))
    assert request.requester.locale == "es"
