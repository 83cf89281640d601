"""Keyset paging: one page of a list after (or before) one row, in a fixed number of statements.

A list is a SELECT plus its sort keys; the last key is the row's unique id, so the order is
total. The URL carries only that id (``?after=41`` or ``?before=17``), never a name or a
title: the page looks the boundary row's key values up through the same SELECT (so a cursor
from another community finds nothing and simply shows the first page), then asks for the
rows strictly after it. Work per page is one or two statements reading ``size + 1`` rows,
whatever the list's length. Keys must never be NULL (wrap a nullable column in coalesce).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from flask import request, url_for
from sqlalchemy import Select, and_, or_
from sqlalchemy.sql.elements import ColumnElement

from neighborly.extensions import db

PAGE_SIZE = 50


@dataclass(frozen=True)
class Key:
    """One sort key of a list: a column (or expression) and its direction."""

    column: ColumnElement[Any]
    descending: bool = False

    def order(self, reverse: bool = False) -> ColumnElement[Any]:
        """The ORDER BY term, reversed when walking backwards."""
        return self.column.desc() if self.descending != reverse else self.column.asc()

    def beyond(self, value: Any, reverse: bool = False) -> ColumnElement[bool]:
        """Rows strictly past `value` in this key's direction."""
        forward = self.descending == reverse
        return self.column > value if forward else self.column < value


@dataclass(frozen=True)
class Page:
    """The rows of one page and the cursors (row ids) of its neighbours, if any."""

    items: list[Any]
    next_after: int | str | None = None
    prev_before: int | str | None = None
    first: bool = True
    extra: dict[str, Any] = field(default_factory=dict)

    def __iter__(self):
        """Iterate the rows, so templates can loop over the page itself."""
        return iter(self.items)

    def __len__(self) -> int:
        """How many rows the page holds."""
        return len(self.items)

    def __bool__(self) -> bool:
        """True when the page has rows."""
        return bool(self.items)


def _after(keys: Sequence[Key], values: Sequence[Any], reverse: bool) -> ColumnElement[bool]:
    """(k1, k2, ...) strictly past (v1, v2, ...), spelled out so mixed directions work."""
    options = []
    for n, key in enumerate(keys):
        equal = [keys[m].column == values[m] for m in range(n)]
        options.append(and_(*equal, key.beyond(values[n], reverse)))
    return or_(*options)


def keyset_page(
    statement: Select,
    keys: Sequence[Key],
    *,
    after: int | None = None,
    before: int | None = None,
    size: int = PAGE_SIZE,
    scalars: bool = True,
    id_of: Callable[[Any], int] = lambda item: item.id,
) -> Page:
    """One page of `statement` ordered by `keys` (the last key is the row id)."""
    cursor, reverse = (before, True) if before is not None else (after, False)
    query = statement.order_by(None)
    boundary = None
    if cursor is not None:
        boundary = db.session.execute(
            query.with_only_columns(*(key.column for key in keys), maintain_column_froms=True)
            .where(keys[-1].column == cursor)
            .limit(1)
        ).first()
    if boundary is not None:
        query = query.where(_after(keys, tuple(boundary), reverse))
    else:
        reverse = False
    query = query.order_by(*(key.order(reverse) for key in keys)).limit(size + 1)
    result = db.session.execute(query)
    rows = list(result.scalars() if scalars else result)
    more = len(rows) > size
    rows = rows[:size]
    if reverse:
        rows.reverse()
        return Page(
            items=rows,
            next_after=id_of(rows[-1]) if rows else None,
            prev_before=id_of(rows[0]) if rows and more else None,
            first=not more,
        )
    paged = boundary is not None
    return Page(
        items=rows,
        next_after=id_of(rows[-1]) if rows and more else None,
        prev_before=id_of(rows[0]) if rows and paged else None,
        first=not paged,
    )


def cursor_arg(name: str) -> int | None:
    """A positive row id from the query string (``after`` or ``before``), else None."""
    value = request.args.get(name, type=int)
    return value if value is not None and 0 < value < 2**63 else None


def page_url(**cursor: Any) -> str:
    """This page's URL with its other arguments kept and the cursor replaced."""
    args = {k: v for k, v in request.args.items() if k not in ("after", "before")}
    args.update({k: v for k, v in cursor.items() if v is not None})
    return url_for(request.endpoint or "pages.home", **(request.view_args or {}), **args)
