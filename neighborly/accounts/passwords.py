"""Password hashing with argon2id."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

_DUMMY_PASSWORD = "not-a-real-password-used-to-even-out-timing"


def _hasher() -> PasswordHasher:
    """An argon2id hasher with the configured cost."""
    config = current_app.config
    return PasswordHasher(
        time_cost=config.get("ARGON2_TIME_COST", 3),
        memory_cost=config.get("ARGON2_MEMORY_COST", 65536),
        parallelism=config.get("ARGON2_PARALLELISM", 4),
    )


def hash_password(password: str) -> str:
    """Hash a password for storage."""
    return _hasher().hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """Check a password; with no stored hash, still spend the same time and say no."""
    hasher = _hasher()
    try:
        if stored_hash is None:
            hasher.verify(hasher.hash(_DUMMY_PASSWORD), password + "x")
            return False
        return hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False
