"""Searching the library: ranked by each database's own full-text search, never a 500."""

from __future__ import annotations

import re

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from neighborly.extensions import db
from neighborly.resources import services
from neighborly.resources.models import Resource, ResourceKind
from neighborly.resources.search import (
    FTS_TABLE,
    MAX_TERM_CHARS,
    MAX_TERMS,
    PG_INDEX,
    PG_SEARCH,
    include_object,
    install_search,
    ranked_resource_ids,
    search_terms,
)
from tests.factories.resources import make_resource

NASTY = [
    '"',
    '"""',
    "'",
    "loneliness AND",
    "OR OR OR",
    "NEAR(belonging mentoring, 2)",
    "NOT",
    "*",
    "belong*",
    "((belonging",
    "belonging))",
    "title:belonging",
    "^belonging",
    "-belonging",
    "a & b | !c <-> d",
    "'; DROP TABLE resources; --",
    "%_%",
    "\\",
    "\x00",
    "🙂 🫠",
    "ñandú cañón",
    "x" * 500,
    " ".join(["word"] * 300),
    "",
    "   ",
]


def _titles_in_order(page_text: str, *titles: str) -> list[str]:
    """The given titles sorted by where they first appear on the page."""
    return sorted(titles, key=lambda t: page_text.index(t))


def test_a_title_match_ranks_above_a_summary_match(client):
    # Alphabetical order and insertion order both favour the summary match: only rank can win.
    make_resource(title="Autumn walking groups", summary="Loneliness eases as people walk.")
    make_resource(title="Loneliness and what neighbours can do", summary="Small steps.")
    page = client.get("/resources?q=loneliness")
    assert page.status_code == 200
    assert "2 results for “loneliness”" in page.text
    assert _titles_in_order(
        page.text, "Autumn walking groups", "Loneliness and what neighbours can do"
    ) == ["Loneliness and what neighbours can do", "Autumn walking groups"]


def test_a_summary_match_ranks_above_a_source_match(app):
    make_resource(title="Guide one", summary="About gardens.", source="Mentoring Alliance")
    make_resource(title="Guide two", summary="How mentoring helps teenagers.", source="Press")
    found = services.search(None, "mentoring")
    assert [r.title for r in found] == ["Guide two", "Guide one"]


def test_search_finds_other_forms_of_a_word(app):
    make_resource(title="Mentoring in small towns", summary="Stories.")
    assert [r.title for r in services.search(None, "mentors")] == ["Mentoring in small towns"]


def test_search_matches_any_word_and_ranks_more_matches_first(app):
    make_resource(title="Belonging", summary="About belonging.")
    make_resource(title="Belonging and mental health", summary="Both.")
    make_resource(title="Gardening", summary="Nothing to do with it.")
    titles = [r.title for r in services.search(None, "belonging mental")]
    assert titles[0] == "Belonging and mental health"
    assert "Gardening" not in titles and len(titles) == 2


def test_search_can_be_narrowed_to_one_kind(client):
    make_resource(title="Loneliness guide", kind=ResourceKind.GUIDE)
    make_resource(title="Loneliness story", kind=ResourceKind.STORY_ORIGINAL)
    page = client.get("/resources?q=loneliness&kind=story_original").text
    assert "Loneliness story" in page and "Loneliness guide" not in page


def test_changed_and_deleted_resources_are_searched_as_they_are_now(app, curator):
    resource = make_resource(title="Snow angels", summary="Shovelling for neighbours.")
    draft = services.ResourceDraft(
        title="Winter helpers",
        url=None,
        summary="Shovelling for neighbours.",
        kind=resource.kind,
        topic_slugs=("social-connection",),
        published=True,
    )
    services.edit_resource(resource.id, draft, curator)
    assert services.search(None, "angels") == []
    assert [r.title for r in services.search(None, "winter")] == ["Winter helpers"]
    db.session.delete(db.session.get(Resource, resource.id))
    db.session.commit()
    assert services.search(None, "winter") == []


def test_nothing_matched_is_said_plainly(client):
    make_resource(title="Belonging")
    page = client.get("/resources?q=the+and+of")
    assert page.status_code == 200
    assert "Nothing matched. Try fewer or different words" in page.text


@pytest.mark.parametrize("query", NASTY)
def test_odd_search_text_shows_a_page_not_an_error(client, query):
    make_resource(title="Belonging and mentoring")
    page = client.get("/resources", query_string={"q": query})
    assert page.status_code == 200
    assert "Search the library" in page.text


def test_operators_are_searched_as_plain_words(app):
    make_resource(title="Belonging matters", summary="Why it matters.")
    make_resource(title="Mentoring matters", summary="Why it matters.")
    titles = {r.title for r in services.search(None, 'NEAR("belonging" -mentoring*')}
    assert titles == {"Belonging matters", "Mentoring matters"}


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(st.text(max_size=300))
def test_any_text_becomes_plain_words_the_database_accepts(app, typed):
    terms = search_terms(typed)
    assert len(terms) <= MAX_TERMS
    for term in terms:
        assert term.isalnum() and 2 <= len(term) <= MAX_TERM_CHARS
        assert term == term.casefold()
        assert term not in {"and", "or", "not", "near"}
    ranked_resource_ids(db.session, typed, include_unpublished=True)
    db.session.rollback()


@given(
    st.lists(
        st.sampled_from(
            [
                '"',
                "*",
                "(",
                ")",
                "AND",
                "OR",
                "NOT",
                "NEAR",
                ":",
                "^",
                "-",
                "+",
                "&",
                "|",
                "!",
                "<->",
                "'",
                "word",
                "Ünïcödé",
                " ",
            ]
        )
    )
)
def test_operator_soup_never_reaches_the_database_as_syntax(parts):
    for term in search_terms("".join(parts)):
        assert re.fullmatch(r"[^\W_]+", term)


def test_search_is_served_by_the_full_text_index(app, is_postgres):
    make_resource(title="Belonging and civic muscle")
    if is_postgres:
        db.session.execute(text("SET LOCAL enable_seqscan = off"))
        plan = "\n".join(
            db.session.execute(
                text(f"EXPLAIN {PG_SEARCH.text}"),
                {"words": "belonging", "everything": True, "limit": 10},
            ).scalars()
        )
        assert PG_INDEX in plan
    else:
        indexed = db.session.execute(
            text(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH 'civic'")
        ).scalars()
        assert list(indexed) != []
    db.session.rollback()


def test_installing_search_twice_changes_nothing(app):
    make_resource(title="Belonging")
    install_search(db.session.connection())
    install_search(db.session.connection())
    db.session.commit()
    assert [r.title for r in services.search(None, "belonging")] == ["Belonging"]


def test_migration_comparison_can_leave_the_search_structures_out(app):
    with db.engine.connect() as connection:
        plain = compare_metadata(MigrationContext.configure(connection), db.metadata)
        filtered = compare_metadata(
            MigrationContext.configure(connection, opts={"include_object": include_object}),
            db.metadata,
        )

    def mentions_search(diffs) -> bool:
        return any(FTS_TABLE in repr(d) or PG_INDEX in repr(d) for d in diffs)

    assert mentions_search(plain)
    assert not mentions_search(filtered)
