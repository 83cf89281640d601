"""Snow days as a coordinator runs them: declare, review, change a line, send, watch coverage."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import event, select
from sqlalchemy.exc import IntegrityError

from neighborly.accounts.models import Role
from neighborly.extensions import db
from neighborly.geo.cells import cell_of
from neighborly.help_requests.models import (
    Category,
    HelpRequest,
    SeriesKind,
    Status,
    VolunteerProfile,
)
from neighborly.help_requests.services import snow
from neighborly.help_requests.snow_models import LineOutcome, SnowEvent, SnowLine, SnowLoad
from neighborly.notifications.models import OutboxMessage
from neighborly.timeutil import utcnow
from tests.factories.accounts import CommunityFactory, member
from tests.factories.help_requests import MAYWOOD, HelpRequestFactory, volunteer, weekly_series

FAR = (MAYWOOD[0] + 0.2, MAYWOOD[1])


def _far_request(community, **fields):
    return HelpRequestFactory(
        community=community, lat=FAR[0], lng=FAR[1], cell=cell_of(*FAR), **fields
    )


def _day(client, slug="proviso"):
    return client.post(
        f"/c/{slug}/snow-days",
        data={"day": "2026-12-14", "snowfall": "4", "deadline_hours": "24"},
        follow_redirects=True,
    )


def _setup():
    community = CommunityFactory(slug="proviso", distance_unit="mi")
    coordinator = member(community, Role.COORDINATOR)
    ana = volunteer(community, snow_capacity=1, walking_km=1.0)
    ana.first_name, ana.last_name = "Ana", "Diaz"
    ben = volunteer(community, snow_capacity=2, walking_km=1.0, home_lat=MAYWOOD[0] + 0.002)
    ben.first_name, ben.last_name = "Ben", "Okafor"
    steps = HelpRequestFactory(community=community, title="Clear the front steps")
    drive = HelpRequestFactory(community=community, title="Shovel the driveway")
    far = _far_request(community, title="Salt the long lane")
    bins = HelpRequestFactory(community=community, category=Category.BINS, title="Bins out")
    db.session.commit()
    return community, coordinator, ana, ben, (steps, drive, far, bins)


def test_declaring_a_snow_day_plans_every_open_snow_request_with_reasons(client, login):
    community, coordinator, ana, ben, (steps, drive, far, bins) = _setup()
    login(coordinator)
    page = _day(client)
    assert "Snow day plan for December 14, 2026" in page.text
    assert "4 inches" in page.text
    assert "Clear the front steps" in page.text and "Shovel the driveway" in page.text
    assert "Bins out" not in page.text
    assert "Nobody who clears snow lives within walking distance." in page.text
    assert "The nearest volunteer who can walk there" in page.text
    lines = db.session.scalars(select(SnowLine)).all()
    assert {line.request_id for line in lines} == {steps.id, drive.id, far.id}
    given = {line.request_id: line.volunteer_id for line in lines}
    assert given[far.id] is None
    assert {given[steps.id], given[drive.id]} <= {ana.id, ben.id}
    assert db.session.get(HelpRequest, steps.id).status == Status.OPEN


def test_a_coordinator_changes_a_line_then_sends_and_volunteers_get_their_lists(client, login):
    community, coordinator, ana, ben, (steps, drive, far, bins) = _setup()
    login(coordinator)
    _day(client)
    event = db.session.scalar(select(SnowEvent))
    line = db.session.scalar(select(SnowLine).where(SnowLine.request_id == steps.id))
    form = client.get(f"/snow-days/{event.id}/lines/{line.id}").text
    assert "Ben O." in form and "Leave it unassigned" in form
    changed = client.post(
        f"/snow-days/{event.id}/lines/{line.id}",
        data={"volunteer": str(ben.id)},
        follow_redirects=True,
    )
    assert "The plan is changed." in changed.text
    assert "Chosen by a coordinator" in changed.text
    sent = client.post(f"/snow-days/{event.id}/send", follow_redirects=True)
    assert "Sent. 2 requests have a volunteer for the morning." in sent.text
    assert "Snow day coverage for December 14, 2026" in sent.text
    db.session.expire_all()
    assert db.session.get(HelpRequest, steps.id).volunteer_id == ben.id
    assert db.session.get(HelpRequest, steps.id).status == Status.ACCEPTED
    assert db.session.get(HelpRequest, drive.id).status == Status.ACCEPTED
    subjects = [m.subject for m in db.session.scalars(select(OutboxMessage))]
    assert subjects.count("Your snow-day list for the morning") == len(
        {db.session.get(HelpRequest, r.id).volunteer_id for r in (steps, drive)}
    )
    again = client.post(f"/snow-days/{event.id}/send", follow_redirects=True)
    assert "This snow day was sent already." in again.text


def test_the_coverage_board_moves_as_volunteers_finish(client, login):
    community, coordinator, ana, ben, (steps, drive, far, bins) = _setup()
    login(coordinator)
    _day(client)
    event = db.session.scalar(select(SnowEvent))
    client.post(f"/snow-days/{event.id}/send")
    board = client.get(f"/snow-days/{event.id}/board").text
    assert 'class="count-covered">2<' in board and 'class="count-done">0<' in board
    assert 'class="count-unreachable">1<' in board
    helper = db.session.get(HelpRequest, steps.id).volunteer
    login(helper)
    client.post(f"/requests/{steps.id}/complete", data={"minutes": "20"})
    login(coordinator)
    board = client.get(f"/snow-days/{event.id}/board?show=done").text
    assert 'class="count-covered">1<' in board and 'class="count-done">1<' in board
    assert "Clear the front steps" in board and "Shovel the driveway" not in board
    assert "left" in board


def test_sending_never_puts_a_volunteer_over_capacity_or_takes_a_request_already_taken(app):
    community, coordinator, ana, ben, (steps, drive, far, bins) = _setup()
    event = snow.declare_snow_day(community, coordinator, snow.SnowDayDraft(date.today(), 3))
    # After planning, Ben lowers his snow capacity to 0 and someone accepts the driveway.
    planned = {line.request_id: line.volunteer_id for line in db.session.scalars(select(SnowLine))}
    holder = planned[steps.id]
    other = ana if holder == ben.id else ben
    db.session.execute(
        VolunteerProfile.__table__.update()
        .where(VolunteerProfile.user_id == holder)
        .values(snow_capacity=0)
    )
    db.session.execute(
        HelpRequest.__table__.update()
        .where(HelpRequest.id == drive.id)
        .values(status=Status.ACCEPTED, volunteer_id=other.id)
    )
    db.session.commit()
    outcomes = snow.send_snow_day(event.id, coordinator)
    outcome = {
        line.request_id: line.outcome
        for line in db.session.scalars(select(SnowLine).execution_options(populate_existing=True))
    }
    assert outcome[steps.id] == LineOutcome.FULL
    assert outcome[drive.id] == LineOutcome.TAKEN_MEANWHILE
    assert outcome[far.id] == LineOutcome.UNASSIGNED
    assert LineOutcome.SENT not in outcomes
    assert all(load.taken <= load.capacity for load in db.session.scalars(select(SnowLoad)))
    assert db.session.get(HelpRequest, steps.id).status == Status.OPEN


def test_a_volunteer_without_room_cannot_be_chosen_by_hand(client, login):
    community, coordinator, ana, ben, (steps, drive, far, bins) = _setup()
    event = snow.declare_snow_day(community, coordinator, snow.SnowDayDraft(date.today(), 3))
    lines = {line.request_id: line for line in db.session.scalars(select(SnowLine))}
    ana_line = next((line for line in lines.values() if line.volunteer_id == ana.id), None)
    other = lines[steps.id] if ana_line is not lines[steps.id] else lines[drive.id]
    login(coordinator)
    page = client.post(f"/snow-days/{event.id}/lines/{other.id}", data={"volunteer": str(ana.id)})
    assert "Not a valid choice" in page.text or "no room" in page.text
    db.session.refresh(other)
    assert other.volunteer_id != ana.id and other.by_hand is False


def test_only_the_communitys_coordinators_see_snow_days(client, login):
    community, coordinator, ana, ben, _ = _setup()
    event = snow.declare_snow_day(community, coordinator, snow.SnowDayDraft(date.today(), 3))
    login(ana)
    assert client.get(f"/snow-days/{event.id}").status_code == 404
    assert client.get("/c/proviso/snow-days").status_code in (403, 404)
    assert client.post(f"/snow-days/{event.id}/send").status_code in (400, 403, 404)
    assert db.session.get(SnowEvent, event.id).status == "review"


def test_a_bad_snowfall_is_refused_next_to_the_field(client, login):
    community, coordinator, *_ = _setup()
    login(coordinator)
    page = client.post(
        "/c/proviso/snow-days", data={"day": "2026-12-14", "snowfall": "lots", "deadline_hours": ""}
    )
    assert "Expected snowfall (inches)" in page.text and "Please check the form" in page.text
    assert db.session.scalar(select(SnowEvent)) is None


def test_the_deadline_counts_down_from_the_declaration(app):
    community, coordinator, *_ = _setup()
    then = utcnow() - timedelta(hours=30)
    event = snow.declare_snow_day(
        community, coordinator, snow.SnowDayDraft(date.today(), 3, 24), now=then
    )
    assert snow.coverage(event).time_left == timedelta(0)
    assert snow.coverage(event, now=then + timedelta(hours=20)).time_left == timedelta(hours=4)


def test_standing_snow_series_occurrences_join_the_plan_with_their_regular_helper_first(app):
    community, coordinator, ana, ben, (steps, drive, far, bins) = _setup()
    series = weekly_series(
        community,
        bins.requester,
        kind=SeriesKind.SNOW,
        category=Category.SNOW,
        title="Shovel after every snowfall",
        weekday=None,
        start_minute=None,
        min_snow_inches=2,
        regular_id=ben.id,
    )
    light = weekly_series(
        community,
        bins.requester,
        kind=SeriesKind.SNOW,
        category=Category.SNOW,
        title="Only after a big snowfall",
        weekday=None,
        start_minute=None,
        min_snow_inches=6,
    )
    db.session.commit()
    snow.declare_snow_day(community, coordinator, snow.SnowDayDraft(date.today(), 3))
    lines = {line.request_id: line for line in db.session.scalars(select(SnowLine))}
    occurrence = db.session.scalar(select(HelpRequest).where(HelpRequest.series_id == series.id))
    assert occurrence.occurrence_date == date.today()
    assert set(lines) == {steps.id, drive.id, far.id, occurrence.id}
    assert (lines[occurrence.id].volunteer_id, lines[occurrence.id].reason) == (ben.id, "regular")
    assert db.session.scalar(select(HelpRequest).where(HelpRequest.series_id == light.id)) is None


def test_the_database_refuses_a_snow_load_over_capacity(app):
    community, coordinator, ana, *_ = _setup()
    event = snow.declare_snow_day(community, coordinator, snow.SnowDayDraft(date.today(), 3))
    db.session.add(
        SnowLoad(
            community_id=community.id, event_id=event.id, volunteer_id=ana.id, capacity=1, taken=2
        )
    )
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_a_volunteer_says_how_many_walks_and_how_far_on_a_snow_day(client, login):
    community = CommunityFactory(slug="proviso", distance_unit="mi")
    person = member(community, Role.RESIDENT)
    login(person)
    form = {
        "postal_code": "60104",
        "radius_km": "4",
        "categories": ["snow"],
        "capacity": "2",
        "snow_capacity": "5",
        "walking_km": "1.5",
    }
    saved = client.post("/c/proviso/volunteer/profile", data=form, follow_redirects=True)
    assert "Your volunteer profile is saved." in saved.text
    profile = db.session.scalar(select(VolunteerProfile))
    assert (profile.snow_capacity, profile.walking_km) == (5, 1.5)
    page = client.get("/c/proviso/volunteer/profile").text
    assert "On a snow day, how many driveways or walks can you clear?" in page
    refused = client.post(
        "/c/proviso/volunteer/profile", data={**form, "walking_km": "40"}, follow_redirects=True
    )
    assert "Enter between 0.1 and 10 km." in refused.text
    db.session.refresh(profile)
    assert profile.walking_km == 1.5


def _statements(client, url: str) -> int:
    seen: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return len(seen)


def test_the_plan_and_the_board_cost_the_same_statements_for_30_or_90_requests(client, login):
    community, coordinator, ana, ben, _ = _setup()
    login(coordinator)
    counts = []
    for extra in (27, 60):
        for _ in range(extra):
            HelpRequestFactory(community=community, requester=member(community, Role.RESIDENT))
        db.session.commit()
        day = snow.declare_snow_day(community, coordinator, snow.SnowDayDraft(date.today(), 3))
        counts.append(
            (
                _statements(client, f"/snow-days/{day.id}"),
                _statements(client, f"/snow-days/{day.id}/board"),
            )
        )
        db.session.execute(SnowLine.__table__.delete())
        db.session.commit()
    assert counts[0] == counts[1]
    assert max(counts[0]) < 20, counts  # one page loads in a fixed few statements, not per row
