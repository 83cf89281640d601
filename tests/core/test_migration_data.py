"""Migrations that move data keep it: rows written before a migration read right after it."""

from __future__ import annotations

from datetime import date

from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from neighborly import create_app
from neighborly.accounts.models import Role
from neighborly.extensions import db
from neighborly.help_requests.models import Withdrawal
from neighborly.mentoring.models import EventAttendance, GroupEvent
from tests.conftest import make_test_config
from tests.core.test_migrations import empty_database_url  # noqa: F401  (the fixture)
from tests.factories.accounts import CommunityFactory, member
from tests.factories.help_requests import HelpRequestFactory
from tests.factories.mentoring import mentor, program_run_by

BEFORE_COMMUNITY_IDS = "5a7e3c1d9b20"


def _community_rows(table: str) -> list[tuple[int, int]]:
    """(id, community_id) of every row in one table."""
    return [tuple(row) for row in db.session.execute(text(f"SELECT id, community_id FROM {table}"))]


def test_community_id_is_backfilled_from_each_rows_parent(empty_database_url):  # noqa: F811
    app = create_app(make_test_config(empty_database_url))
    with app.app_context():
        upgrade()
        CommunityFactory()  # a first community, so ids of the two differ
        program, _coordinator = program_run_by()
        home = program.community
        request = HelpRequestFactory(community=home, requester=member(home, Role.RESIDENT))
        helper = member(home, Role.VOLUNTEER)
        db.session.add(
            Withdrawal(
                request_id=request.id, community_id=home.id, volunteer_id=helper.id, reason="ill"
            )
        )
        event = GroupEvent(
            program_id=program.id,
            community_id=home.id,
            name="Wolf Den dinner",
            held_on=date(2026, 11, 20),
            minutes=90,
        )
        db.session.add(event)
        db.session.flush()
        wolf = mentor(program)
        db.session.add(EventAttendance(event_id=event.id, community_id=home.id, mentor_id=wolf.id))
        db.session.commit()
        expected = {
            "help_withdrawals": home.id,
            "mentoring_attendance": home.id,
            "mentoring_coordinators": home.id,
        }
        db.session.remove()

        downgrade(revision=BEFORE_COMMUNITY_IDS)
        upgrade()

        for table, community_id in expected.items():
            rows = _community_rows(table)
            assert rows and all(found == community_id for _id, found in rows), table
        db.session.remove()
        db.engine.dispose()
