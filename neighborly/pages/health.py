"""Readiness: does the database answer, and Redis when one is configured, within a short time."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from neighborly.extensions import db


def database_ready(timeout_ms: int) -> bool:
    """Whether the database answers `SELECT 1` (PostgreSQL: within timeout_ms)."""
    try:
        with db.engine.connect() as connection:
            if connection.dialect.name == "postgresql":
                connection.execute(text(f"SET LOCAL statement_timeout = {int(timeout_ms)}"))
            connection.execute(text("SELECT 1"))
            connection.rollback()
        return True
    except SQLAlchemyError:
        return False


def redis_ready(url: str, timeout_ms: int) -> bool:
    """Whether the Redis at url answers PING within timeout_ms."""
    import redis

    seconds = timeout_ms / 1000
    client = redis.Redis.from_url(url, socket_connect_timeout=seconds, socket_timeout=seconds)
    try:
        return bool(client.ping())
    except (redis.RedisError, OSError):
        return False
    finally:
        client.close()


def readiness() -> tuple[bool, dict[str, str]]:
    """Whether the app can serve pages, and each dependency's state."""
    timeout = int(current_app.config.get("READINESS_TIMEOUT_MS") or 1000)
    checks = {"database": "ok" if database_ready(timeout) else "unavailable"}
    redis_url = current_app.config.get("REDIS_URL")
    if redis_url:
        checks["redis"] = "ok" if redis_ready(redis_url, timeout) else "unavailable"
    return all(state == "ok" for state in checks.values()), checks
