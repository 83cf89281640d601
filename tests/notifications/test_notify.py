"""notify() writes one email to the outbox, in the reader's own language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from neighborly.extensions import db
from neighborly.notifications.models import OutboxMessage
from neighborly.notifications.services import absolute_url, notify
from tests.factories.accounts import UserFactory
from tests.outbox import mail_to

RESET_SUBJECT = _l("Reset your Neighborly password")
RESET_TEMPLATE = "accounts/email/reset.txt"
LINK = "https://neighborly.example.org/account/reset/abc123"


def _outbox_count() -> int:
    """How many emails the outbox holds."""
    return db.session.scalar(select(func.count(OutboxMessage.id)))


def test_a_spanish_reader_gets_one_email_in_spanish(app):
    rosa = UserFactory(email="rosa@example.org", first_name="Rosa", locale="es")

    notify(rosa, RESET_SUBJECT, RESET_TEMPLATE, link=LINK)
    db.session.commit()

    (message,) = mail_to("rosa@example.org")
    assert message.subject == "Cambie su contraseña de Neighborly"
    assert "Hola, Rosa:" in message.body and "Hello" not in message.body
    assert LINK in message.body
    assert message.sent_at is None and message.attempts == 0
    assert _outbox_count() == 1


def test_an_english_reader_gets_the_same_email_in_english(app):
    sam = UserFactory(email="sam@example.org", first_name="Sam", locale="en")

    notify(sam, RESET_SUBJECT, RESET_TEMPLATE, link=LINK)
    db.session.commit()

    (message,) = mail_to("sam@example.org")
    assert message.subject == "Reset your Neighborly password"
    assert "Hello Sam," in message.body and LINK in message.body


def test_a_person_without_an_email_is_skipped(app):
    caller = UserFactory(email=None)

    assert notify(caller, RESET_SUBJECT, RESET_TEMPLATE, link=LINK) is None
    db.session.commit()

    assert _outbox_count() == 0


def test_the_email_belongs_to_the_callers_transaction_and_goes_if_it_is_rolled_back(app):
    rosa = UserFactory(email="rosa@example.org")

    notify(rosa, RESET_SUBJECT, RESET_TEMPLATE, link=LINK)
    db.session.rollback()

    assert mail_to("rosa@example.org") == []


def test_links_made_outside_a_web_request_point_at_the_public_address(app, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_URL", "https://neighborly.example.org")

    assert absolute_url("pages.home") == "https://neighborly.example.org/"
    assert absolute_url("pages.health") == "https://neighborly.example.org/healthz"
