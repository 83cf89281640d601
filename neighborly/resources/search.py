"""Full-text search of the resource library: SQLite FTS5 or PostgreSQL tsvector, ranked.

Everything database-specific about searching lives here:

- `install_search(connection)` / `drop_search(connection)`: the DDL that is not a plain
  model (the FTS5 table and its triggers on SQLite, the GIN expression index on
  PostgreSQL). Idempotent; migrations, `db.create_all()` (through the table events in
  models.py) and the tests all use it.
- `search_terms(text)`: a pure sanitiser turning anything a person types into plain words.
- `ranked_resource_ids(session, text, ...)`: resource ids, best match first.

SQL here is built only from constants; what a person types always travels as a bound
parameter.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

FTS_TABLE = "resources_fts"
PG_INDEX = "ix_resources_search"
MAX_INPUT_CHARS = 200
MAX_TERMS = 8
MAX_TERM_CHARS = 40

# Words that carry no meaning on their own, and the query operators of FTS5 and tsquery.
# fmt: off
IGNORED_WORDS = frozenset(
    {
        "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "how", "in", "into", "is",
        "it", "of", "on", "or", "our", "the", "to", "was", "what", "why", "with", "near", "not",
        "y", "o", "el", "la", "los", "las", "de", "del", "en", "un", "una", "que", "por", "para",
        "con",
    }
)
# fmt: on
WORD = re.compile(r"[^\W_]+")

# SQLite: weights for bm25() per column (title, summary, source); lower bm25 ranks first.
SQLITE_WEIGHTS = "10.0, 4.0, 2.0"

# PostgreSQL: title 'A' > summary 'B' > source 'C'. The search query repeats this exact
# expression so that the planner uses the GIN index built on it.
PG_VECTOR = (
    "(setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A')"
    " || setweight(to_tsvector('english'::regconfig, coalesce(summary, '')), 'B')"
    " || setweight(to_tsvector('english'::regconfig, coalesce(source, '')), 'C'))"
)

SQLITE_DDL = (
    f"""CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(
        title, summary, source, content='resources', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2')""",
    f"""CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_after_insert AFTER INSERT ON resources BEGIN
        INSERT INTO {FTS_TABLE}(rowid, title, summary, source)
        VALUES (new.id, new.title, new.summary, new.source);
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_after_delete AFTER DELETE ON resources BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, title, summary, source)
        VALUES ('delete', old.id, old.title, old.summary, old.source);
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_after_update
        AFTER UPDATE OF title, summary, source ON resources BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, title, summary, source)
        VALUES ('delete', old.id, old.title, old.summary, old.source);
        INSERT INTO {FTS_TABLE}(rowid, title, summary, source)
        VALUES (new.id, new.title, new.summary, new.source);
    END""",
    # Index whatever rows already exist (a migration over a live library).
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')",
)
SQLITE_DROP = (
    f"DROP TRIGGER IF EXISTS {FTS_TABLE}_after_insert",
    f"DROP TRIGGER IF EXISTS {FTS_TABLE}_after_delete",
    f"DROP TRIGGER IF EXISTS {FTS_TABLE}_after_update",
    f"DROP TABLE IF EXISTS {FTS_TABLE}",
)
PG_DDL = (f"CREATE INDEX IF NOT EXISTS {PG_INDEX} ON resources USING gin ({PG_VECTOR})",)
PG_DROP = (f"DROP INDEX IF EXISTS {PG_INDEX}",)

SQLITE_SEARCH = text(
    f"""SELECT resources.id FROM {FTS_TABLE}
        JOIN resources ON resources.id = {FTS_TABLE}.rowid
        WHERE {FTS_TABLE} MATCH :match AND (resources.published OR :everything)
        ORDER BY bm25({FTS_TABLE}, {SQLITE_WEIGHTS}), resources.title, resources.id
        LIMIT :limit"""
)
PG_SEARCH = text(
    f"""SELECT resources.id FROM resources, websearch_to_tsquery('english', :words) AS query
        WHERE {PG_VECTOR} @@ query AND (resources.published OR :everything)
        ORDER BY ts_rank({PG_VECTOR}, query) DESC, resources.title, resources.id
        LIMIT :limit"""
)


def _dialect(bind: Connection | Session) -> str:
    """The database's dialect name: 'sqlite' or 'postgresql'."""
    name = bind.get_bind().dialect.name if hasattr(bind, "get_bind") else bind.dialect.name
    if name not in ("sqlite", "postgresql"):
        raise NotImplementedError(f"resource search supports SQLite and PostgreSQL, not {name}")
    return name


def install_search(connection: Connection) -> None:
    """Create the search structures if missing (idempotent; safe on a table with rows)."""
    statements = SQLITE_DDL if _dialect(connection) == "sqlite" else PG_DDL
    for statement in statements:
        connection.execute(text(statement))


def drop_search(connection: Connection) -> None:
    """Remove the search structures (idempotent)."""
    statements = SQLITE_DROP if _dialect(connection) == "sqlite" else PG_DROP
    for statement in statements:
        connection.execute(text(statement))


def is_search_object(name: str | None, type_: str) -> bool:
    """Whether a reflected table or index belongs to search (not to the models' metadata)."""
    if not name:
        return False
    if type_ == "table":
        return name == FTS_TABLE or name.startswith(f"{FTS_TABLE}_")
    return type_ == "index" and name == PG_INDEX


def include_object(obj, name: str | None, type_: str, reflected: bool, compare_to) -> bool:
    """Alembic `include_object` hook: leave the search structures out of autogenerate."""
    return not (reflected and compare_to is None and is_search_object(name, type_))


def search_terms(query: str | None) -> list[str]:
    """Turn anything typed into at most eight plain lower-case words (no operators, no quotes)."""
    if not query:
        return []
    normalised = unicodedata.normalize("NFKC", query[:MAX_INPUT_CHARS]).casefold()
    terms: list[str] = []
    for word in WORD.findall(normalised):
        word = word[:MAX_TERM_CHARS]
        if len(word) < 2 or word in IGNORED_WORDS or word in terms:
            continue
        terms.append(word)
        if len(terms) == MAX_TERMS:
            break
    return terms


def ranked_resource_ids(
    session: Session, query: str | None, include_unpublished: bool = False, limit: int = 50
) -> list[int]:
    """Ids of resources matching any of the query's words, most relevant first."""
    return ranked_ids_for_terms(session, search_terms(query), include_unpublished, limit)


def ranked_ids_for_terms(
    session: Session, terms: Sequence[str], include_unpublished: bool = False, limit: int = 50
) -> list[int]:
    """Ids of resources matching any of these plain words (from `search_terms`), best first."""
    if not terms:
        return []
    params = {"everything": include_unpublished, "limit": limit}
    if _dialect(session) == "sqlite":
        # Each term is letters/digits only, so quoting makes it a plain FTS5 string.
        statement, params["match"] = SQLITE_SEARCH, " OR ".join(f'"{t}"' for t in terms)
    else:
        # Letters/digits joined by `or`: websearch_to_tsquery never raises on its input.
        statement, params["words"] = PG_SEARCH, " or ".join(terms)
    return list(session.execute(statement, params).scalars())
