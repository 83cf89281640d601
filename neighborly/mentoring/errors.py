"""What can go wrong in mentoring: domain errors the views turn into a message or a 4xx."""

from __future__ import annotations

from neighborly.errors import Conflict, DomainError, NotAllowed


class NotProposed(Conflict):
    """The proposal was already approved, rejected or replaced by a newer run."""


class MentorFull(Conflict):
    """The mentor already has as many mentees as they may."""


class MenteeTaken(Conflict):
    """The mentee is no longer waiting for a mentor."""


class NotActive(Conflict):
    """The pairing is not active (closed, or never approved)."""


class HasActivePairs(Conflict):
    """The mentor still has active pairings."""


class CapacityBelowActive(Conflict):
    """The new capacity is lower than the mentor's current number of mentees."""


class CapacityOutOfRange(DomainError):
    """A capacity below 1 or above the program's maximum mentees per mentor."""


class DuplicateName(Conflict):
    """Another program in the community already has this name."""


class NotACoordinator(DomainError):
    """No coordinator of the community has this email."""


class NotEligible(NotAllowed):
    """This person may not enrol as a mentor here."""


class MentorNotApproved(DomainError):
    """Only approved mentors can be paired."""


class PairingForbidden(DomainError):
    """A hard rule (requirements, do-not-pair list) forbids this pair; `codes` says which."""

    def __init__(self, codes: tuple[str, ...]) -> None:
        super().__init__(*codes)
        self.codes = codes


class NeedsConfirmation(DomainError):
    """A hand-made pair breaks soft constraints; the coordinator must confirm them."""

    def __init__(self, warnings: tuple[str, ...]) -> None:
        super().__init__(*warnings)
        self.warnings = warnings


class InvalidDate(DomainError):
    """A date outside what makes sense (in the future, or before the pair began)."""
