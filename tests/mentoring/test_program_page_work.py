"""A program's overview does the same work with 2 pairs or 30: a fixed number of statements."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import event

from neighborly.extensions import db
from neighborly.mentoring.models import Meeting, Pairing, Program
from neighborly.mentoring.services import local_today
from tests.factories.mentoring import active_pair, mentee, mentor, program_run_by

TODAY = local_today("America/Chicago")  # the factories' community time zone


@pytest.fixture(autouse=True)
def _today_when_the_test_runs():
    """TODAY as the test runs, not as the module was collected (a run can cross midnight)."""
    global TODAY
    TODAY = local_today("America/Chicago")


@contextmanager
def _counting():
    """Collect every SQL statement sent while inside."""
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def _pairs(program, count: int, first: int) -> list[Pairing]:
    """`count` active pairs, each having met once, some long ago."""
    pairs = []
    for n in range(first, first + count):
        pair = active_pair(
            mentor(program),
            mentee(program, first_name=f"Pup{n}"),
            started_on=TODAY - timedelta(40),
        )
        db.session.add(
            Meeting(
                pairing_id=pair.id,
                program_id=program.id,
                community_id=program.community_id,
                met_on=TODAY - timedelta(n % 20),
                minutes=30,
                activity="Read",
            )
        )
        pairs.append(pair)
    db.session.commit()
    return pairs


def _overview(client, program_id: int) -> tuple[int, str]:
    """Statements sent for the overview (from a fresh session, as a request has), and its text."""
    db.session.remove()
    with _counting() as statements:
        page = client.get(f"/mentoring/programs/{program_id}")
    assert page.status_code == 200
    return len(statements), page.text


def test_the_program_overview_costs_the_same_with_2_or_30_pairs(client, login):
    program, carmen = program_run_by(meeting_cadence_days=7)
    _pairs(program, 2, 0)
    login(carmen)
    few, _text = _overview(client, program.id)
    _pairs(db.session.get(Program, program.id), 28, 2)
    many, text = _overview(client, program.id)
    assert many == few, (few, many)
    assert "30</span> active pairs" in text
    # Pups 8 ... 19, 28 and 29 last met 8 to 19 days ago: 14 pairs overdue, longest first.
    assert "14 pairs are overdue to meet" in text
    assert text.index("Last met 19 days ago") < text.index("Last met 8 days ago")


def test_the_overview_names_each_overdue_pair_and_links_to_it(client, login):
    program, carmen = program_run_by(meeting_cadence_days=7)
    wolf = mentor(program)
    late = active_pair(wolf, mentee(program, first_name="Late"), started_on=TODAY - timedelta(9))
    login(carmen)
    page = client.get(f"/mentoring/programs/{program.id}").text
    name = f"{wolf.user.first_name} {wolf.user.last_name[:1]}. &amp; Late"
    assert f'<a href="/mentoring/pairs/{late.id}">{name}' in page
    assert "No meeting yet (paired 9 days ago)" in page


def test_a_missing_program_answers_404_to_a_coordinator(client, login):
    _program, carmen = program_run_by()
    login(carmen)
    assert client.get("/mentoring/programs/999999").status_code == 404
