"""What can go wrong in the help loop: domain errors the views turn into a message or a 4xx."""

from __future__ import annotations

from neighborly.errors import Conflict, DomainError, NotAllowed


class AlreadyTaken(Conflict):
    """Another volunteer accepted the request first."""


class NotAvailable(AlreadyTaken):
    """The request cannot go to this volunteer (a block, never said aloud: it looks taken)."""


class NotOpen(Conflict):
    """The request is no longer in a state that allows this."""


class LocationNotFound(DomainError):
    """The address could not be placed on the map."""


class NeedsVerification(NotAllowed):
    """The community wants a coordinator to verify this volunteer first."""


class AtCapacity(Conflict):
    """The volunteer already has as many active requests as they offered."""


class TooManyAreaChanges(Conflict):
    """The volunteer already changed where they help as often as a day allows."""

    def __init__(self, field: str) -> None:
        super().__init__(field)
        self.field = field  # "home" or "radius": what the refused save tried to change
