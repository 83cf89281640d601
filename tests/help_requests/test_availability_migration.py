"""The data migration rewrites volunteers' stored free times both ways without losing any."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from flask_migrate import downgrade, upgrade
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import text

from neighborly import create_app
from neighborly.availability import parse_codes
from neighborly.extensions import db
from tests.conftest import make_test_config

BEFORE = "394d9db29841"
AFTER = "5a7e3c1d9b20"
MIGRATION = next((Path(__file__).parents[2] / "migrations" / "versions").glob(f"{AFTER}_*.py"))


def _migration():
    """The migration module, loaded from its file."""
    spec = importlib.util.spec_from_file_location("slot_migration", MIGRATION)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


numbered = st.lists(st.tuples(st.integers(0, 6), st.integers(0, 23)), unique=True).map(
    lambda slots: ",".join(f"{day}-{hour}" for day, hour in slots)
)


@given(numbered)
def test_converting_to_codes_and_back_gives_the_stored_text(stored):
    migration = _migration()
    codes = migration.to_codes(stored)
    parse_codes(codes)  # every converted code is one the app reads
    assert migration.to_numbers(codes) == stored


def _profile_availability(connection) -> str:
    """The one volunteer's stored availability."""
    return connection.execute(text("SELECT availability FROM volunteer_profiles")).scalar_one()


def test_upgrade_and_downgrade_rewrite_stored_rows(tmp_path):
    app = create_app(make_test_config(f"sqlite:///{tmp_path / 'slots.db'}"))
    with app.app_context():
        upgrade(revision=BEFORE)
        with db.engine.begin() as connection:
            connection.execute(text("PRAGMA foreign_keys=OFF"))
            connection.execute(
                text(
                    "INSERT INTO volunteer_profiles (user_id, community_id, home_postal_code,"
                    " home_lat, home_lng, radius_km, categories, availability, capacity,"
                    " accepting, created_at) VALUES (1, 1, '60153', 41.88, -87.84, 3, 'snow',"
                    " '0-17,0-18,5-9', 3, 1, '2026-01-05 10:00:00')"
                )
            )
        upgrade(revision=AFTER)
        with db.engine.connect() as connection:
            assert _profile_availability(connection) == "mon-17,mon-18,sat-9"
        downgrade(revision=BEFORE)
        with db.engine.connect() as connection:
            assert _profile_availability(connection) == "0-17,0-18,5-9"
        db.engine.dispose()
