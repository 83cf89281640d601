"""Factories for thread messages."""

from __future__ import annotations

from neighborly.messages.models import Message, ThreadKind
from tests.factories.base import BaseFactory


class MessageFactory(BaseFactory):
    """A plain message in a request's thread."""

    class Meta:
        model = Message

    thread_kind = ThreadKind.REQUEST
    body = "I'll be there at 7"
