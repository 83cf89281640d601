"""Factories for the outbox: email waiting to leave the building."""

from __future__ import annotations

import factory

from neighborly.notifications.models import OutboxMessage
from tests.factories.base import BaseFactory


class OutboxMessageFactory(BaseFactory):
    """An email queued and not yet sent."""

    class Meta:
        model = OutboxMessage

    to_address = factory.Sequence(lambda n: f"reader{n}@example.org")
    subject = factory.Sequence(lambda n: f"News number {n}")
    body = "A neighbour will help you."
