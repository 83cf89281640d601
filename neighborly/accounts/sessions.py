"""Session lifetimes and "confirm it's you": idle and absolute timeouts, recent re-authentication.

The state lives in the signed session cookie as Unix times (the client can read but never
change them): when this session signed in, when it was last used, when the person last proved
who they are. The functions take that mapping and a `now`, so they are tested without a browser.
"""

from __future__ import annotations

import enum
import time
from collections.abc import MutableMapping
from dataclasses import dataclass

from neighborly.accounts.models import User
from neighborly.accounts.passwords import verify_password
from neighborly.accounts.two_factor import WrongCode, verify_code
from neighborly.errors import DomainError

STARTED = "auth_started"
LAST_SEEN = "auth_seen"
REAUTH_AT = "auth_confirmed"
PENDING = "auth_pending"  # signed in with a password, waiting for the code
KEYS = (STARTED, LAST_SEEN, REAUTH_AT, PENDING)


class Expiry(enum.StrEnum):
    """Why a session ended by itself."""

    IDLE = "idle"
    ABSOLUTE = "absolute"


@dataclass(frozen=True)
class Lifetime:
    """How long sessions live, in seconds."""

    idle: int
    absolute: int

    @classmethod
    def from_config(cls, config) -> Lifetime:
        """Read SESSION_IDLE_MINUTES and SESSION_ABSOLUTE_HOURS."""
        return cls(
            idle=int(config["SESSION_IDLE_MINUTES"]) * 60,
            absolute=int(config["SESSION_ABSOLUTE_HOURS"]) * 3600,
        )


def _now(now: float | None) -> float:
    """The given moment or the clock, as a Unix time."""
    return time.time() if now is None else now


def start(state: MutableMapping, now: float | None = None) -> None:
    """Stamp a session that just signed in: it began now and its owner just proved who they are."""
    moment = int(_now(now))
    state.pop(PENDING, None)
    state[STARTED] = state[LAST_SEEN] = state[REAUTH_AT] = moment


def forget(state: MutableMapping) -> None:
    """Drop every lifetime stamp (at sign-out or expiry)."""
    for key in KEYS:
        state.pop(key, None)


def expiry(state: MutableMapping, lifetime: Lifetime, now: float | None = None) -> Expiry | None:
    """Whether a signed-in session has run out, and why; None while it is alive."""
    moment = _now(now)
    started, seen = state.get(STARTED), state.get(LAST_SEEN)
    if not isinstance(started, int) or not isinstance(seen, int):
        return None
    if moment - started >= lifetime.absolute:
        return Expiry.ABSOLUTE
    if moment - seen >= lifetime.idle:
        return Expiry.IDLE
    return None


def touch(state: MutableMapping, fresh_sign_in: bool, now: float | None = None) -> None:
    """Record activity; a session from before these stamps existed starts its clocks now."""
    moment = int(_now(now))
    if not isinstance(state.get(STARTED), int):
        state[STARTED] = moment
        if fresh_sign_in:
            state[REAUTH_AT] = moment
    if state.get(LAST_SEEN) != moment:
        state[LAST_SEEN] = moment


def ends_at(state: MutableMapping, lifetime: Lifetime) -> tuple[float, bool] | None:
    """When the session ends if its owner does nothing, and whether that is the absolute end."""
    started, seen = state.get(STARTED), state.get(LAST_SEEN)
    if not isinstance(started, int) or not isinstance(seen, int):
        return None
    idle_end, absolute_end = seen + lifetime.idle, started + lifetime.absolute
    return (absolute_end, True) if absolute_end <= idle_end else (idle_end, False)


def recently_confirmed(state: MutableMapping, minutes: int, now: float | None = None) -> bool:
    """Whether the person proved who they are within the last `minutes`."""
    confirmed = state.get(REAUTH_AT)
    return isinstance(confirmed, int) and 0 <= _now(now) - confirmed < minutes * 60


class NotConfirmed(DomainError):
    """The password (or the code) given to confirm it's you is wrong."""


def confirm_identity(
    state: MutableMapping, user: User, password: str, code: str | None, now: float | None = None
) -> None:
    """Check the password, and the code when two-step sign-in is on; stamp the confirmation."""
    if not verify_password(user.password_hash, password):
        raise NotConfirmed()
    if user.has_two_factor:
        try:
            verify_code(user, code or "")
        except WrongCode as error:
            raise NotConfirmed() from error
    state[REAUTH_AT] = int(_now(now))


def hold_for_code(state: MutableMapping, user: User, next_url: str, now: float | None = None):
    """Remember who gave the right password while their code is asked for."""
    state[PENDING] = {"user": user.get_id(), "at": int(_now(now)), "next": next_url}


def pending(state: MutableMapping, minutes: int, now: float | None = None) -> dict | None:
    """The half-finished sign-in waiting for a code, unless older than `minutes`."""
    held = state.get(PENDING)
    if not isinstance(held, dict) or not isinstance(held.get("at"), int):
        return None
    if _now(now) - held["at"] >= minutes * 60:
        state.pop(PENDING, None)
        return None
    return held
