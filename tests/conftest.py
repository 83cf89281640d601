"""Shared fixtures: an app per session, a clean database per test, a client, factories."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from flask import Flask, g, has_app_context
from flask.testing import FlaskClient
from sqlalchemy import text
from sqlalchemy.engine import make_url

from config import TestingConfig
from neighborly import create_app
from neighborly.extensions import db

PG_ENV = "NEIGHBORLY_TEST_DATABASE_URL"


class IsolatedClient(FlaskClient):
    """A test client whose requests never share per-request state with the test or each other."""

    def open(self, *args, **kwargs):
        """Send one request with a clean `g` and fresh database reads afterwards."""
        shared = has_app_context()
        if shared:
            g.__dict__.clear()
        try:
            return super().open(*args, **kwargs)
        finally:
            if shared:
                g.__dict__.clear()
                db.session.expire_all()


def make_test_config(database_url: str, **overrides) -> type[TestingConfig]:
    """A TestingConfig subclass pointing at one database, with overrides."""
    settings = {
        "SQLALCHEMY_DATABASE_URI": database_url,
        # Enough connections for the concurrency tests' 24 threads to each hold their own.
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": 30, "max_overflow": 5, "hide_parameters": True},
        **overrides,
    }
    return type("SuiteConfig", (TestingConfig,), settings)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    """PostgreSQL when NEIGHBORLY_TEST_DATABASE_URL is set, else a SQLite file for the run."""
    url = os.environ.get(PG_ENV, "").strip()
    if url:
        return TestingConfig.SQLALCHEMY_DATABASE_URI
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'suite.db'}"


@pytest.fixture(scope="session")
def is_postgres(database_url: str) -> bool:
    """Whether this run uses PostgreSQL."""
    return make_url(database_url).get_backend_name() == "postgresql"


@pytest.fixture(scope="session")
def session_app(database_url: str) -> Iterator[Flask]:
    """One application for the whole run, with the schema created once."""
    app = create_app(make_test_config(database_url))
    app.test_client_class = IsolatedClient
    with app.app_context():
        reset_schema(app)
        db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def reset_schema(app: Flask) -> None:
    """Start from an empty schema, whatever an earlier run or another branch left behind."""
    if db.engine.dialect.name == "postgresql":
        with db.engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    else:
        db.drop_all()


def wipe_tables(is_postgres: bool) -> None:
    """Empty every table so each test starts from a fresh database."""
    tables = list(reversed(db.metadata.sorted_tables))
    if is_postgres:
        names = ", ".join(f'"{table.name}"' for table in tables)
        db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in tables:
            db.session.execute(table.delete())
    db.session.commit()


@pytest.fixture()
def app(session_app: Flask, is_postgres: bool) -> Iterator[Flask]:
    """The application inside an app context, over an empty database."""
    with session_app.app_context():
        wipe_tables(is_postgres)
        yield session_app
        db.session.rollback()
        db.session.remove()


@pytest.fixture()
def client(app: Flask) -> FlaskClient:
    """A browser-like client."""
    return app.test_client()


@pytest.fixture()
def login(client: FlaskClient):
    """Sign a user in on the test client."""

    def sign_in(user) -> None:
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True

    return sign_in
