"""Domain exceptions that views turn into a message and a 4xx."""


class DomainError(Exception):
    """Base for rule violations a person can be told about."""


class NotFound(DomainError):
    """The thing asked for does not exist (or is not yours to see)."""


class NotAllowed(DomainError):
    """The person may not do this."""


class Conflict(DomainError):
    """The thing changed under you (someone else got there first)."""
