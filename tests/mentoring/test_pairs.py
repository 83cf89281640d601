"""Life of a pair: meetings and hours, events, health, check-ins, closure and renewal."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from babel.dates import format_date
from sqlalchemy import select

from neighborly.extensions import db
from neighborly.mentoring import reports, services
from neighborly.mentoring.models import (
    CheckInWith,
    CloseReason,
    GroupEvent,
    Meeting,
    MenteeStatus,
    Pairing,
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


def _meeting(pair: Pairing, met_on: date, minutes: int = 45, activity: str = "Read a book"):
    """The meeting form as posted for one pair (its fields carry the pair's prefix)."""
    prefix = f"pair-{pair.id}-"
    return {
        f"{prefix}met_on": met_on.isoformat(),
        f"{prefix}minutes": str(minutes),
        f"{prefix}activity": activity,
        f"{prefix}notes": "",
    }


def test_a_mentor_logs_meetings_and_sees_their_service_hours(client, login):
    program, _carmen = program_run_by()
    wolf = mentor(program)
    pair = active_pair(wolf, mentee(program, first_name="Mia"), started_on=TODAY - timedelta(5))
    login(wolf.user)

    logged = client.post(
        f"/mentoring/pairs/{pair.id}/meetings",
        data=_meeting(pair, TODAY - timedelta(1), 50, "Played chess"),
        follow_redirects=True,
    )
    client.post(f"/mentoring/pairs/{pair.id}/meetings", data=_meeting(pair, TODAY, 40))

    assert "Meeting logged. Thank you!" in logged.text
    home = client.get(f"/mentoring/programs/{program.id}/me").text
    assert "1.5 hours" in home and "Played chess" in home and "Your Pup: Mia Q." in home
    assert db.session.scalar(select(Meeting.logged_by_id).limit(1)) == wolf.user_id


def test_a_meeting_in_the_future_or_before_the_pair_began_is_refused(client, login):
    program, _carmen = program_run_by()
    wolf = mentor(program)
    pair = active_pair(wolf, mentee(program), started_on=TODAY - timedelta(5))
    login(wolf.user)
    for day in (TODAY + timedelta(1), TODAY - timedelta(6)):
        page = client.post(f"/mentoring/pairs/{pair.id}/meetings", data=_meeting(pair, day))
        assert page.status_code == 400
        assert "Enter a date between the start of the pair and today." in page.text
    assert db.session.scalar(select(Meeting)) is None


def test_a_coordinator_logs_a_meeting_and_the_pair_page_counts_it(client, login):
    program, carmen = program_run_by()
    pair = active_pair(mentor(program), mentee(program), started_on=TODAY - timedelta(3))
    login(carmen)
    page = client.post(
        f"/mentoring/pairs/{pair.id}/meetings",
        data=_meeting(pair, TODAY, 60),
        follow_redirects=True,
    ).text
    assert "1 meeting, 1.0 hours" in page and "Met today" in page


def test_group_events_count_toward_mentor_hours(client, login):
    program, carmen = program_run_by()
    came, stayed_home = mentor(program), mentor(program)
    pup = mentee(program)
    login(carmen)
    client.post(
        f"/mentoring/programs/{program.id}/events",
        data={
            "name": "Wolf Den dinner",
            "held_on": TODAY.isoformat(),
            "minutes": "90",
            "place": "Algoma High cafeteria",
        },
    )
    event = db.session.scalar(select(GroupEvent))
    client.post(f"/mentoring/events/{event.id}", data={"mentors": [came.id], "mentees": [pup.id]})
    assert services.attendance_of(event.id) == ({came.id}, {pup.id})
    assert "Wolf Den dinner" in client.get(f"/mentoring/programs/{program.id}/events").text

    login(came.user)
    assert "1.5 hours" in client.get(f"/mentoring/programs/{program.id}/me").text
    login(stayed_home.user)
    assert "0.0 hours" in client.get(f"/mentoring/programs/{program.id}/me").text


def test_pairs_that_have_not_met_within_the_cadence_are_flagged_overdue(client, login):
    program, carmen = program_run_by(meeting_cadence_days=7)
    late = active_pair(
        mentor(program), mentee(program, first_name="Late"), started_on=TODAY - timedelta(20)
    )
    fine = active_pair(
        mentor(program), mentee(program, first_name="Fine"), started_on=TODAY - timedelta(20)
    )
    db.session.add(
        Meeting(
            pairing_id=fine.id,
            program_id=program.id,
            community_id=program.community_id,
            met_on=TODAY - timedelta(2),
            minutes=45,
            activity="Lego",
        )
    )
    db.session.commit()

    health = reports.program_health(program.id)

    assert [(h.pair.id, h.overdue, h.days_since) for h in health] == [
        (late.id, True, 20),
        (fine.id, False, 2),
    ]
    login(carmen)
    page = client.get(f"/mentoring/programs/{program.id}/pairs").text
    assert page.count("Overdue") == 1 and "No meeting yet (paired 20 days ago)" in page
    assert "1 pair is overdue to meet" in client.get(f"/mentoring/programs/{program.id}").text


def test_check_ins_are_due_monthly_in_the_first_year_and_quarterly_after():
    start = date(2025, 1, 10)
    schedule = reports.check_in_schedule(
        start, {CheckInWith.MENTOR: date(2025, 2, 5)}, today=date(2025, 2, 20)
    )
    by_whom = {due.with_whom: due for due in schedule}
    assert by_whom[CheckInWith.MENTOR].due_on == date(2025, 3, 7)
    assert not by_whom[CheckInWith.MENTOR].overdue
    assert by_whom[CheckInWith.GUARDIAN].due_on == date(2025, 2, 9)
    assert by_whom[CheckInWith.GUARDIAN].overdue and by_whom[CheckInWith.MENTEE].overdue

    later = reports.check_in_schedule(
        start, {who: date(2026, 3, 1) for who in CheckInWith}, today=date(2026, 3, 2)
    )
    assert {due.due_on for due in later} == {date(2026, 5, 30)}


def test_a_coordinator_logs_a_check_in_and_the_schedule_moves_on(client, login):
    program, carmen = program_run_by()
    pair = active_pair(mentor(program), mentee(program), started_on=TODAY - timedelta(40))
    login(carmen)
    page = client.get(f"/mentoring/pairs/{pair.id}").text
    assert page.count('<strong class="flag">Overdue</strong>') == 3

    client.post(
        f"/mentoring/pairs/{pair.id}/check-ins",
        data={
            "with_whom": "guardian",
            "held_on": TODAY.isoformat(),
            "check_in_notes": "Mum says Mia looks forward to Tuesdays",
        },
    )
    page = client.get(f"/mentoring/pairs/{pair.id}").text
    assert page.count('<strong class="flag">Overdue</strong>') == 2
    assert format_date(TODAY + timedelta(30), "medium", locale="en") in page
    assert "Mum says Mia looks forward to Tuesdays" in page


def test_closing_a_pair_returns_the_mentee_to_the_pool_and_frees_the_mentor(client, login):
    program, carmen = program_run_by()
    wolf = mentor(program)
    pup = mentee(program)
    pair = active_pair(wolf, pup)
    login(carmen)

    page = client.post(
        f"/mentoring/pairs/{pair.id}/close",
        data={"reason": "schedule", "exit_notes": "Wolf joined the swim team; warm goodbye."},
        follow_redirects=True,
    ).text

    assert "The match is closed." in page and "Schedules no longer fit" in page
    db.session.refresh(pair), db.session.refresh(wolf), db.session.refresh(pup)
    assert (pair.status, pair.close_reason) == (PairStatus.CLOSED, CloseReason.SCHEDULE)
    assert pair.exit_notes == "Wolf joined the swim team; warm goodbye." and pair.closed_on
    assert (wolf.active_count, pup.status) == (0, MenteeStatus.WAITING)
    client.post(f"/mentoring/programs/{program.id}/matching/run")
    proposed = db.session.scalar(select(Pairing).where(Pairing.status == PairStatus.PROPOSED))
    assert proposed.mentee_id == pup.id
    again = client.post(
        f"/mentoring/pairs/{pair.id}/close", data={"reason": "other"}, follow_redirects=True
    )
    assert "This pair was already closed." in again.text


def test_a_match_closed_as_not_a_fit_is_not_proposed_again(client, login):
    program, carmen = program_run_by()
    wolf = mentor(program)
    pup = mentee(program)
    pair = active_pair(wolf, pup)
    login(carmen)
    client.post(f"/mentoring/pairs/{pair.id}/close", data={"reason": "not_a_fit"})
    client.post(f"/mentoring/programs/{program.id}/matching/run")
    assert db.session.scalar(select(Pairing).where(Pairing.status == PairStatus.PROPOSED)) is None


def test_a_mentee_who_leaves_the_program_is_not_returned_to_the_pool(client, login):
    program, carmen = program_run_by()
    pup = mentee(program)
    pair = active_pair(mentor(program), pup)
    login(carmen)
    client.post(f"/mentoring/pairs/{pair.id}/close", data={"reason": "moved", "mentee_leaves": "y"})
    db.session.refresh(pup)
    assert pup.status == MenteeStatus.EXITED


def test_marked_pairs_continue_into_the_next_term_and_the_others_close(client, login):
    program, carmen = program_run_by()
    keep = active_pair(mentor(program), mentee(program))
    end = active_pair(mentor(program), mentee(program))
    login(carmen)
    client.post(f"/mentoring/pairs/{keep.id}/renew", data={"renew": "yes"})
    preview = client.get(f"/mentoring/programs/{program.id}/next-term").text
    assert "1 pair will continue" in preview and "1 pair will close" in preview

    page = client.post(
        f"/mentoring/programs/{program.id}/next-term",
        data={"term_start": "2026-09-01", "term_end": "2027-06-04"},
        follow_redirects=True,
    ).text

    assert "Pairs continuing: 1. Pairs closed: 1." in page
    db.session.refresh(keep), db.session.refresh(end), db.session.refresh(program)
    assert (keep.status, keep.terms, keep.renew_next_term) == (PairStatus.ACTIVE, 2, False)
    assert (end.status, end.close_reason) == (PairStatus.CLOSED, CloseReason.SCHOOL_YEAR_ENDED)
    assert end.mentee.status == MenteeStatus.WAITING
    assert (program.term_start, program.term_end) == (date(2026, 9, 1), date(2027, 6, 4))


def test_the_mentor_sees_the_meeting_time_and_place_the_coordinator_sets(client, login):
    program, carmen = program_run_by()
    wolf = mentor(program)
    pair = active_pair(wolf, mentee(program))
    login(carmen)
    client.post(
        f"/mentoring/pairs/{pair.id}/plan",
        data={"meeting_time": "Tuesdays 3:15 pm", "meeting_place": "Lakeview library"},
    )
    login(wolf.user)
    home = client.get(f"/mentoring/programs/{program.id}/me").text
    assert "Tuesdays 3:15 pm" in home and "Lakeview library" in home


def test_nobody_logs_meetings_on_a_closed_pair(client, login):
    program, carmen = program_run_by()
    wolf = mentor(program)
    pair = active_pair(wolf, mentee(program))
    login(carmen)
    client.post(f"/mentoring/pairs/{pair.id}/close", data={"reason": "other"})
    page = client.post(
        f"/mentoring/pairs/{pair.id}/meetings", data=_meeting(pair, TODAY), follow_redirects=True
    )
    assert "This pair is no longer active." in page.text
    assert db.session.scalar(select(Meeting)) is None
