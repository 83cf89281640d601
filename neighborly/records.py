"""Loading one record by its id: the ground-floor helper every domain's loaders share."""

from __future__ import annotations

from typing import TypeVar

from neighborly.errors import NotFound
from neighborly.extensions import db

Record = TypeVar("Record")


def load_record(model: type[Record], record_id: int | None, *, fresh: bool = False) -> Record:
    """The record of this model with this id, or NotFound; `fresh` re-reads a cached one."""
    found = db.session.get(model, record_id or 0, populate_existing=fresh)
    if found is None:
        raise NotFound(record_id)
    return found
