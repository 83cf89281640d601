"""How a request's database transaction ends: one that only read is committed, else rolled back.

Committing a transaction that only read changes nothing in the database, exactly as rolling it
back would. It matters to the driver: psycopg forgets every statement it has prepared on a
connection at each ROLLBACK, and PostgreSQL plans an unprepared statement afresh each time, so a
site whose every page ends in ROLLBACK never reuses a plan. Ended with COMMIT, the statements a
page repeats are prepared once per connection (psycopg's `prepare_threshold`, see config.py).

A transaction that wrote and was not committed by its service (a failure handled on the way) is
never committed here: it is rolled back whole, as before. "Wrote" is told by the statements the
connection ran, not by what the session holds, so a raw Core UPDATE counts too.
"""

from __future__ import annotations

import logging

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

from neighborly.extensions import db

log = logging.getLogger(__name__)
WROTE = "neighborly_wrote"  # in the connection's info: this transaction ran a non-SELECT
READS = ("SELECT", "(SELECT")  # statements that cannot change a row (FOR UPDATE only locks)


@event.listens_for(Engine, "begin")
def _transaction_begins(connection) -> None:
    """A new transaction has written nothing yet."""
    connection.info[WROTE] = False


@event.listens_for(Engine, "before_cursor_execute")
def _note_writes(connection, cursor, statement, parameters, context, executemany) -> None:
    """Anything but a plain SELECT counts as a write (a WITH, a PRAGMA, DML, DDL)."""
    if not statement.lstrip()[:7].upper().startswith(READS):
        connection.info[WROTE] = True


def register_transaction_end(app: Flask) -> None:
    """Commit each request's read-only transaction before the session is removed.

    Registered after Flask-SQLAlchemy, so it runs first (Flask tears down in reverse order).
    """
    app.teardown_appcontext(commit_if_only_read)


def commit_if_only_read(error: BaseException | None = None) -> None:
    """Commit the session's open transaction if it only read and nothing failed; otherwise
    leave it to the session's removal, which rolls it back."""
    session = db.session()
    if error is not None or not session.in_transaction():
        return
    if session.new or session.dirty or session.deleted:
        return  # changes a service did not commit: rolled back, never saved here
    connection = session.connection()
    if connection.info.get(WROTE, True):
        return
    try:
        session.commit()
    except Exception as failure:  # the database went away: the removal rolls back
        log.warning("a read-only transaction did not end cleanly: %s", type(failure).__name__)
