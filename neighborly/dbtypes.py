"""Column types shared by every domain's models."""

from __future__ import annotations

import enum
from datetime import UTC, datetime

from sqlalchemy import DateTime, Enum
from sqlalchemy.types import TypeDecorator


def str_enum(kind: type[enum.Enum], name: str) -> Enum:
    """Store an enum by its value as a checked string, portable across databases."""
    return Enum(
        kind,
        name=name,
        native_enum=False,
        validate_strings=True,
        values_callable=lambda members: [m.value for m in members],
        length=32,
    )


class UTCDateTime(TypeDecorator):
    """A timezone-aware datetime column that always hands back UTC, on any database."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        """Refuse naive datetimes and store UTC."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        """Attach UTC to values that come back without a zone (SQLite)."""
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)
