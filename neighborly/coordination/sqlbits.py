"""Small portable SQL pieces for the console: durations in seconds and percentiles."""

from __future__ import annotations

import math

from sqlalchemy import ColumnElement, Select, func, literal_column, select

from neighborly.extensions import db


def dialect() -> str:
    """The name of the database the session talks to."""
    return db.session.get_bind().dialect.name


def seconds_between(earlier, later) -> ColumnElement:
    """`later - earlier` in seconds, on PostgreSQL and SQLite."""
    if dialect() == "postgresql":
        return func.extract("epoch", later - earlier)
    return (func.julianday(later) - func.julianday(earlier)) * literal_column("86400.0")


def percentiles(
    value: ColumnElement, table, where: list, fractions: tuple[float, ...]
) -> tuple[float | None, ...]:
    """Continuous percentiles of `value` over rows matching `where` (interpolated like
    PostgreSQL's percentile_cont): one statement there, a count and an ORDER BY/OFFSET per
    fraction elsewhere; never more than two rows reach Python."""
    if dialect() == "postgresql":
        found = db.session.execute(
            select(*[func.percentile_cont(f).within_group(value) for f in fractions])
            .select_from(table)
            .where(*where)
        ).one()
        return tuple(None if v is None else float(v) for v in found)
    count = db.session.scalar(select(func.count()).select_from(table).where(*where))
    if not count:
        return tuple(None for _ in fractions)
    results = []
    for fraction in fractions:
        position = fraction * (count - 1)
        low = math.floor(position)
        pair = list(
            db.session.scalars(select(value).where(*where).order_by(value).limit(2).offset(low))
        )
        upper = pair[1] if len(pair) > 1 else pair[0]
        results.append(float(pair[0]) + (float(upper) - float(pair[0])) * (position - low))
    return tuple(results)


def scalar_int(statement: Select) -> int:
    """An aggregate that may be NULL, as an int."""
    return int(db.session.scalar(statement) or 0)


def days_between(earlier, later) -> ColumnElement:
    """`later - earlier` in whole days for two DATE columns, on PostgreSQL and SQLite."""
    if dialect() == "postgresql":
        return later - earlier
    return func.julianday(later) - func.julianday(earlier)
