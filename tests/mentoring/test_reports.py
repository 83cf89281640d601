"""Program reports and CSV exports (coordinators only, never restricted fields)."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from sqlalchemy import select

from neighborly.audit import AuditEvent
from neighborly.extensions import db
from neighborly.mentoring import reports
from neighborly.mentoring.models import (
    CheckIn,
    CheckInWith,
    CloseReason,
    Meeting,
    MenteeStatus,
    PairStatus,
)
from neighborly.mentoring.services import local_today
from tests.factories.mentoring import active_pair, mentee, mentor, program_run_by

TODAY = local_today("America/Chicago")  # the factories' community time zone


@pytest.fixture(autouse=True)
def _today_when_the_test_runs():
    """TODAY as the test runs, not as the module was collected (a run can cross midnight)."""
    global TODAY
    TODAY = local_today("America/Chicago")


def _meet(pair, days_ago: int, minutes: int = 60, notes: str = "") -> None:
    """Log a meeting directly."""
    db.session.add(
        Meeting(
            pairing_id=pair.id,
            program_id=pair.program_id,
            community_id=pair.community_id,
            met_on=TODAY - timedelta(days_ago),
            minutes=minutes,
            activity="Homework help",
            notes=notes,
        )
    )
    db.session.commit()


@pytest.fixture()
def season(app):
    """An active pair (30 days, 2 meetings), a closed one (60 days, 4 meetings), one waiting."""
    program, carmen = program_run_by()
    ana, ben = mentor(program), mentor(program)
    active = active_pair(ana, mentee(program, first_name="Mia"), started_on=TODAY - timedelta(30))
    _meet(active, 20, notes="Mia talked about a hard week at home")
    _meet(active, 5)
    closed = active_pair(ben, mentee(program, first_name="Theo"), started_on=TODAY - timedelta(90))
    for days_ago in (80, 70, 50, 40):
        _meet(closed, days_ago, minutes=45)
    closed.status, closed.closed_on = PairStatus.CLOSED, TODAY - timedelta(30)
    closed.close_reason, closed.exit_notes = CloseReason.MOVED, "Family moved to Green Bay"
    closed.mentee.status = MenteeStatus.WAITING
    ben.active_count = 0
    db.session.add(
        CheckIn(
            pairing_id=active.id,
            program_id=program.id,
            community_id=program.community_id,
            with_whom=CheckInWith.GUARDIAN,
            held_on=TODAY,
            notes="Dad is worried about reading",
        )
    )
    db.session.commit()
    waiting = mentee(program, first_name="Ava")
    return program, carmen, ana, ben, active, closed, waiting


def test_the_report_counts_pairs_match_length_meeting_rate_hours_and_the_unmatched(season):
    program, _carmen, ana, ben, _active, closed, waiting = season

    report = reports.program_report(program.id)

    assert (report.active_pairs, report.closed_pairs, report.overdue_pairs) == (1, 1, 0)
    assert report.average_match_days == 45.0
    assert report.meetings_per_pair_month == pytest.approx((2 + 4 / (60 / 30.44)) / 2, abs=0.05)
    assert [(h.enrollment.id, h.hours) for h in report.mentor_hours] == [
        (ben.id, 3.0),
        (ana.id, 2.0),
    ]
    assert [(m.id, days) for m, days in report.unmatched] == [
        (closed.mentee_id, 30),
        (waiting.id, 0),
    ]
    assert report.closures == ((CloseReason.MOVED, 1),)


def test_the_report_page_shows_the_figures(client, login, season):
    program, carmen, *_ = season
    login(carmen)
    page = client.get(f"/mentoring/programs/{program.id}/reports").text
    assert "days: average match length" in page and ">45<" in page
    assert "Ava Q." in page and "waiting 30 days" in page
    assert "Moved away: 1" in page


def _rows(text: str) -> list[dict]:
    """Parse CSV text."""
    return list(csv.DictReader(io.StringIO(text)))


def test_csv_exports_hold_no_restricted_field(client, login, season):
    program, carmen, *_rest = season
    login(carmen)
    pairs = client.get(f"/mentoring/programs/{program.id}/reports/pairs.csv")
    hours = client.get(f"/mentoring/programs/{program.id}/reports/mentors.csv")

    assert pairs.mimetype == "text/csv" and "attachment" in pairs.headers["Content-Disposition"]
    rows = _rows(pairs.text)
    assert [(r["mentee"], r["status"], r["meetings"]) for r in rows] == [
        ("Theo Q.", "closed", "4"),
        ("Mia Q.", "active", "2"),
    ]
    assert rows[0]["close_reason"] == "moved" and rows[1]["overdue"] == "no"
    assert sorted(float(r["meeting_hours"]) for r in _rows(hours.text)) == [2.0, 3.0]
    restricted = [
        "Family moved to Green Bay",
        "Dad is worried about reading",
        "Mia talked about a hard week at home",
    ]
    for child in db.session.scalars(select(reports.Mentee)):
        restricted += [
            child.guardian_name,
            child.guardian_contact,
            child.referral_reason,
            child.notes,
        ]
    for text in (pairs.text, hours.text):
        for value in restricted:
            assert value not in text, value
    exports = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.action.like("program.exported.%"))
    ).all()
    assert sorted(exports) == ["program.exported.mentors", "program.exported.pairs"]


def test_csv_cells_never_start_a_spreadsheet_formula(client, login, season):
    program, carmen, ana, *_ = season
    ana.user.first_name = '=HYPERLINK("http://evil.example")'
    db.session.commit()
    login(carmen)
    text = client.get(f"/mentoring/programs/{program.id}/reports/mentors.csv").text
    names = [row["mentor"] for row in _rows(text)]
    assert any(name.startswith("'=HYPERLINK") for name in names)
    assert not any(name.startswith("=") for name in names)


def test_only_the_programs_coordinators_download_csv(client, login, season):
    program, _carmen, ana, *_ = season
    login(ana.user)
    for name in ("pairs", "mentors"):
        assert client.get(f"/mentoring/programs/{program.id}/reports/{name}.csv").status_code == 404
