"""Reading the email outbox in tests."""

from __future__ import annotations

from sqlalchemy import select

from neighborly.extensions import db
from neighborly.notifications.models import OutboxMessage


def mail_to(address: str) -> list[OutboxMessage]:
    """Every email queued for one address, oldest first."""
    return list(
        db.session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.to_address == address)
            .order_by(OutboxMessage.id)
        )
    )


def last_mail_to(address: str) -> OutboxMessage:
    """The newest email queued for one address; fails if there is none."""
    messages = mail_to(address)
    assert messages, f"no email to {address}"
    return messages[-1]
