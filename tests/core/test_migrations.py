"""Applying every migration to an empty database gives exactly the models' schema."""

from __future__ import annotations

import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from neighborly import create_app
from neighborly.extensions import db
from neighborly.resources.search import include_object
from tests.conftest import make_test_config


@pytest.fixture()
def empty_database_url(database_url, is_postgres, tmp_path):
    """A brand-new empty database of the same kind the suite runs on."""
    if not is_postgres:
        yield f"sqlite:///{tmp_path / 'migrations.db'}"
        return
    name = f"neighborly_mig_{uuid.uuid4().hex[:8]}"
    server = create_engine(
        make_url(database_url).set(database="postgres"), isolation_level="AUTOCOMMIT"
    )
    with server.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(database_url).set(database=name).render_as_string(hide_password=False)
    with server.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    server.dispose()


def _render_difference(difference) -> str:
    """One line per schema difference, for a readable failure."""
    return "\n".join(repr(item) for item in difference)


def test_migrations_produce_exactly_the_models_schema(empty_database_url):
    app = create_app(make_test_config(empty_database_url))
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "include_object": include_object}
            )
            difference = compare_metadata(context, db.metadata)
        db.engine.dispose()
    assert difference == [], _render_difference(difference)
