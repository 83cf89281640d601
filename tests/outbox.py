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
