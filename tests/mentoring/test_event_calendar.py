"""Mentors see the program's coming events and can add them to their own calendar."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from icalendar import Calendar

from neighborly.extensions import db
from neighborly.mentoring.calendar import CalendarEvent, event_calendar, one_line
from neighborly.mentoring.models import EnrollmentStatus, GroupEvent
from neighborly.mentoring.services import local_today
from tests.factories.mentoring import mentor, program_run_by

TODAY = local_today("America/Chicago")


@pytest.fixture(autouse=True)
def _today_when_the_test_runs():
    """TODAY as the test runs, not as the module was collected (a run can cross midnight)."""
    global TODAY
    TODAY = local_today("America/Chicago")
STAMP = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


def _event(program, held_on: date, name: str = "Wolf Den dinner") -> GroupEvent:
    """A group event stored directly."""
    event = GroupEvent(
        program_id=program.id,
        community_id=program.community_id,
        name=name,
        held_on=held_on,
        minutes=90,
        place="Algoma High cafeteria",
    )
    db.session.add(event)
    db.session.commit()
    return event


def test_an_approved_mentor_sees_coming_events_and_downloads_one_as_a_calendar_file(client, login):
    program, _carmen = program_run_by()
    wolf = mentor(program)
    coming = _event(program, TODAY + timedelta(days=7))
    _event(program, TODAY - timedelta(days=7), name="Fall picnic")
    login(wolf.user)

    page = client.get(f"/mentoring/programs/{program.id}/me").text
    assert "Coming up" in page and "Wolf Den dinner" in page and "Fall picnic" not in page

    download = client.get(f"/mentoring/events/{coming.id}/calendar.ics")
    assert download.status_code == 200 and download.mimetype == "text/calendar"
    (entry,) = Calendar.from_ical(download.data).walk("VEVENT")
    assert entry.decoded("dtstart") == coming.held_on
    assert str(entry["summary"]) == f"Wolf Den dinner ({program.name})"
    assert str(entry["location"]) == "Algoma High cafeteria"


def test_applicants_and_strangers_cannot_download_a_programs_event(client, login):
    program, _carmen = program_run_by()
    applicant = mentor(program, status=EnrollmentStatus.APPLIED)
    other_program, stranger = program_run_by()
    event = _event(program, TODAY + timedelta(days=3))

    login(applicant.user)
    assert client.get(f"/mentoring/events/{event.id}/calendar.ics").status_code == 404
    assert "Coming up" not in client.get(f"/mentoring/programs/{program.id}/me").text
    login(stranger)  # told the same as for an event that does not exist
    assert client.get(f"/mentoring/events/{event.id}/calendar.ics").status_code == 404
    assert client.get("/mentoring/events/999999/calendar.ics").status_code == 404


def test_the_coordinator_finds_the_calendar_link_on_the_event_page(client, login):
    program, carmen = program_run_by()
    event = _event(program, TODAY + timedelta(days=3))
    login(carmen)
    page = client.get(f"/mentoring/events/{event.id}").text
    assert f"/mentoring/events/{event.id}/calendar.ics" in page
    assert client.get(f"/mentoring/events/{event.id}/calendar.ics").status_code == 200


@example(name="Wolf\\Night", place="Room\\N4; by the gym, left", held_on=date(2026, 12, 3))
@given(
    name=st.text(min_size=1, max_size=120),
    place=st.text(max_size=120),
    held_on=st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)),
)
def test_any_event_name_and_place_survive_a_round_trip_through_the_calendar_file(
    name, place, held_on
):
    event = CalendarEvent("e-1@test", name, "Wolves and Pups", held_on, place, "http://x/me")
    (entry,) = Calendar.from_ical(event_calendar(event, STAMP)).walk("VEVENT")
    assert str(entry["summary"]) == one_line(f"{name} (Wolves and Pups)")
    assert entry.decoded("dtstart") == held_on
    assert entry.decoded("dtend") == held_on + timedelta(days=1)
    assert str(entry.get("location", "")) == one_line(place)


def test_a_calendar_file_links_to_the_public_site_not_the_host_asked(
    app, client, login, monkeypatch
):
    monkeypatch.setitem(app.config, "PUBLIC_URL", "https://neighborly.example.org")
    program, _carmen = program_run_by()
    wolf = mentor(program)
    coming = _event(program, TODAY + timedelta(days=7))
    login(wolf.user)

    download = client.get(f"/mentoring/events/{coming.id}/calendar.ics")

    (entry,) = Calendar.from_ical(download.data).walk("VEVENT")
    assert str(entry["url"]) == f"https://neighborly.example.org/mentoring/programs/{program.id}/me"
    assert str(entry["uid"]) == f"mentoring-event-{coming.id}@neighborly.example.org"
