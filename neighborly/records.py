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


def commit_keeping_loaded() -> None:
    """Commit without expiring what the session holds, for a service that goes on at once with
    what it just wrote (the database holds what the objects say; a later step that must not act
    on a stale row guards itself with a conditional update)."""
    session = db.session()
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = True
