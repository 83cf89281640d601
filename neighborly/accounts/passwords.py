"""Password hashing with argon2id."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

COMMON_PASSWORDS_FILE = Path(__file__).with_name("common_passwords.txt")
_DUMMY_PASSWORD = "not-a-real-password-used-to-even-out-timing"


def _hasher() -> PasswordHasher:
    """An argon2id hasher with the configured cost."""
    config = current_app.config
    return PasswordHasher(
        time_cost=config.get("ARGON2_TIME_COST", 3),
        memory_cost=config.get("ARGON2_MEMORY_COST", 65536),
        parallelism=config.get("ARGON2_PARALLELISM", 4),
    )


@cache
def _dummy_hash(time_cost: int, memory_cost: int, parallelism: int) -> str:
    """A hash of a throwaway password at the given cost, made once per process."""
    return PasswordHasher(time_cost, memory_cost, parallelism=parallelism).hash(_DUMMY_PASSWORD)


def hash_password(password: str) -> str:
    """Hash a password for storage."""
    return _hasher().hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    """Check a password; with no stored hash, run one verify of the same cost and say no."""
    hasher = _hasher()
    try:
        if stored_hash is None:
            dummy = _dummy_hash(hasher.time_cost, hasher.memory_cost, hasher.parallelism)
            hasher.verify(dummy, password)  # a match still says no
            return False
        return hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@cache
def _common_passwords() -> frozenset[str]:
    """The shipped list of the most common passwords, lower-cased (read once, never downloaded)."""
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line and not line.startswith("#"))


def is_common_password(password: str) -> bool:
    """Whether a password is on the list of passwords attackers try first."""
    return password.strip().lower() in _common_passwords()
