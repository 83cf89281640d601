"""Domain exceptions. A view catches the ones it has words for (a flash and a redirect);
the app factory's error handler answers every other one with its status page."""


class DomainError(Exception):
    """Base for rule violations a person can be told about."""


class NotFound(DomainError):
    """The thing asked for does not exist (or is not yours to see)."""


class NotAllowed(DomainError):
    """The person may not do this."""


class Conflict(DomainError):
    """The thing changed under you (someone else got there first)."""


def domain_error_status(error: DomainError) -> int:
    """The HTTP status that answers a domain error no view handled."""
    if isinstance(error, NotFound):
        return 404
    if isinstance(error, NotAllowed):
        return 403
    if isinstance(error, Conflict):
        return 409
    return 400
