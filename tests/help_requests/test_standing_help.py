"""Standing requests: occurrences made ahead, skipped and moved weeks, regular helpers, snow."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import func, select

from neighborly.extensions import db
from neighborly.help_requests import services
from neighborly.help_requests.models import (
    Category,
    HelpRequest,
    Invitation,
    InvitationStatus,
    SeriesKind,
    SeriesStatus,
    Status,
)
from tests.factories.accounts import CommunityFactory, resident
from tests.factories.help_requests import MAYWOOD, HelpRequestFactory, volunteer

# Monday 12 January 2026, 9 am in Maywood (America/Chicago, UTC-6).
NOW = datetime(2026, 1, 12, 15, 0, tzinfo=UTC)
BINS_OUT = services.SeriesDraft(
    kind=SeriesKind.WEEKLY,
    category=Category.BINS,
    title="Bins to the curb",
    details="Blue and black bins by the garage.",
    street_address="12 Elm Street",
    postal_code="60153",
    weekday=1,  # Tuesday
    start_minute=19 * 60,
    window_minutes=120,
    lat=MAYWOOD[0] + 0.001,
    lng=MAYWOOD[1],
)


def _occurrences(series_id: int) -> list[HelpRequest]:
    return list(
        db.session.scalars(
            select(HelpRequest)
            .where(HelpRequest.series_id == series_id)
            .order_by(HelpRequest.occurrence_date)
        )
    )


def _setup(community=None):
    community = community or CommunityFactory()
    asker = resident(community)
    db.session.commit()
    return community, asker, services.create_series(community, asker, BINS_OUT, now=NOW)


def test_a_weekly_series_makes_three_tuesdays_at_seven_pm(app):
    _community, _asker, series = _setup()

    made = _occurrences(series.id)

    assert [r.occurrence_date for r in made] == [
        date(2026, 1, 13), date(2026, 1, 20), date(2026, 1, 27)
    ]
    first = made[0]
    assert first.needed_from == datetime(2026, 1, 14, 1, 0, tzinfo=UTC)  # 7 pm Chicago
    assert first.needed_by == first.needed_from + timedelta(hours=2)
    assert first.title == "Bins to the curb" and first.status == Status.OPEN


def test_generating_occurrences_twice_creates_nothing_new(app):
    _community, _asker, series = _setup()
    before = len(_occurrences(series.id))

    assert services.generate_occurrences(now=NOW) == 0
    assert services.generate_occurrences(now=NOW + timedelta(minutes=1)) == 0

    assert len(_occurrences(series.id)) == before == 3
    # A week later exactly one new Tuesday appears.
    assert services.generate_occurrences(now=NOW + timedelta(days=7)) == 1


def test_a_skipped_week_has_no_occurrence(app):
    _community, asker, series = _setup()

    services.skip_date(series.id, asker, date(2026, 1, 20), now=NOW)
    services.skip_date(series.id, asker, date(2026, 2, 3), now=NOW)
    services.generate_occurrences(now=NOW + timedelta(days=14))

    by_date = {r.occurrence_date: r.status for r in _occurrences(series.id)}
    assert by_date[date(2026, 1, 20)] == Status.CANCELLED  # made before, called off
    assert date(2026, 2, 3) not in by_date  # never made
    assert by_date[date(2026, 1, 27)] == Status.OPEN
    rows = {row.on: row for row in services.upcoming(series, now=NOW + timedelta(days=14))}
    assert rows[date(2026, 2, 3)].skipped


def test_a_shifted_week_moves_its_window(app):
    _community, asker, series = _setup()
    new_start = datetime(2026, 1, 21, 14, 0, tzinfo=UTC)

    services.shift_date(series.id, asker, date(2026, 1, 20), new_start, now=NOW)

    moved = next(r for r in _occurrences(series.id) if r.occurrence_date == date(2026, 1, 20))
    assert moved.needed_from == new_start and moved.needed_by == new_start + timedelta(hours=2)


def test_pausing_calls_off_coming_dates_and_resuming_brings_them_back(app):
    _community, asker, series = _setup()

    services.set_series_status(series.id, asker, SeriesStatus.PAUSED, now=NOW)
    assert {r.status for r in _occurrences(series.id)} == {Status.CANCELLED}
    assert services.generate_occurrences(now=NOW) == 0

    services.set_series_status(series.id, asker, SeriesStatus.ENDED, now=NOW)
    assert services.get_series(series.id).status == SeriesStatus.ENDED


def test_occurrences_wait_to_invite_until_three_days_before(app):
    community, _asker, series = _setup()
    volunteer(community)
    db.session.commit()

    services.send_invitations(now=NOW)

    invited = db.session.scalars(select(Invitation.request_id)).all()
    first = _occurrences(series.id)[0]
    assert set(invited) == {first.id}


def _helped_twice(community, asker, helper):
    for days in (21, 14):
        HelpRequestFactory(
            community=community, requester=asker, category=Category.BINS,
            status=Status.CONFIRMED, volunteer=helper, completed_at=NOW - timedelta(days=days),
            next_round_at=None,
        )
    db.session.commit()


def test_a_regular_helper_gets_the_occurrence_first_and_the_backup_when_they_decline(app):
    community = CommunityFactory(invitations_per_round=5)
    asker = resident(community)
    regular, backup = volunteer(community), volunteer(community)
    others = [volunteer(community) for _ in range(3)]
    _helped_twice(community, asker, regular)
    HelpRequestFactory(
        community=community, requester=asker, category=Category.SNOW, status=Status.CONFIRMED,
        volunteer=backup, completed_at=NOW - timedelta(days=30), next_round_at=None,
    )
    db.session.commit()
    series = services.create_series(community, asker, BINS_OUT, now=NOW)

    assert services.can_become_regular(series, regular.id)
    assert not services.agree_regular(series.id, asker, regular.id, now=NOW)
    assert services.agree_regular(series.id, regular, regular.id, now=NOW)
    series = services.get_series(series.id)
    assert series.regular_id == regular.id and series.backup_id == backup.id

    services.send_invitations(now=NOW)
    first = _occurrences(series.id)[0]
    assert first.status == Status.ACCEPTED and first.volunteer_id == regular.id
    asked = db.session.scalars(select(Invitation).where(Invitation.request_id == first.id)).all()
    assert [(i.volunteer_id, i.status) for i in asked] == [(regular.id, InvitationStatus.ACCEPTED)]

    services.not_this_week(first.id, regular, now=NOW + timedelta(hours=1))

    asked = db.session.scalars(
        select(Invitation).where(Invitation.request_id == first.id).order_by(Invitation.id)
    ).all()
    assert [(i.volunteer_id, i.status) for i in asked] == [
        (regular.id, InvitationStatus.DECLINED),
        (backup.id, InvitationStatus.INVITED),
    ]
    assert db.session.get(HelpRequest, first.id).status == Status.OPEN
    # If the backup does not answer in time, the next round asks the others (never the regular).
    services.send_invitations(now=NOW + timedelta(days=1))
    later = {i.volunteer_id for i in db.session.scalars(
        select(Invitation).where(Invitation.request_id == first.id, Invitation.round == 1)
    )}
    assert later == {o.id for o in others}


def test_either_side_can_end_a_regular_arrangement(app):
    community = CommunityFactory()
    asker = resident(community)
    regular = volunteer(community)
    _helped_twice(community, asker, regular)
    series = services.create_series(community, asker, BINS_OUT, now=NOW)
    services.agree_regular(series.id, regular, regular.id, now=NOW)
    services.agree_regular(series.id, asker, regular.id, now=NOW)
    services.send_invitations(now=NOW)
    assert _occurrences(series.id)[0].volunteer_id == regular.id

    services.end_regular(series.id, regular, now=NOW + timedelta(hours=1))

    assert services.get_series(series.id).regular_id is None
    first = _occurrences(series.id)[0]
    assert first.status == Status.OPEN and first.next_round_at is not None


def test_a_volunteer_who_helped_once_cannot_become_regular(app):
    community = CommunityFactory()
    asker = resident(community)
    once = volunteer(community)
    HelpRequestFactory(
        community=community, requester=asker, category=Category.BINS, status=Status.CONFIRMED,
        volunteer=once, completed_at=NOW - timedelta(days=3), next_round_at=None,
    )
    db.session.commit()
    series = services.create_series(community, asker, BINS_OUT, now=NOW)
    assert not services.can_become_regular(series, once.id)
    assert services.regular_candidates(series) == []


def test_a_snowfall_opens_one_occurrence_per_snow_series_it_reaches(app):
    community = CommunityFactory()
    asker, other = resident(community), resident(community)
    db.session.commit()
    snow = {**BINS_OUT.__dict__, "kind": SeriesKind.SNOW, "category": Category.SNOW,
            "weekday": None, "start_minute": None}
    two_inches = services.create_series(
        community, asker, services.SeriesDraft(**{**snow, "min_snow_inches": 2.0}), now=NOW
    )
    services.create_series(
        community, other, services.SeriesDraft(**{**snow, "min_snow_inches": 6.0}), now=NOW
    )

    ids = services.open_snow_occurrences(community.id, date(2026, 1, 15), 3.0, now=NOW)
    again = services.open_snow_occurrences(community.id, date(2026, 1, 15), 3.0, now=NOW)

    assert ids == again and len(ids) == 1
    made = db.session.get(HelpRequest, ids[0])
    assert made.series_id == two_inches.id and made.status == Status.OPEN
    assert made.next_round_at is None  # left for the snow-day dispatch
    assert made.needed_by == NOW + timedelta(hours=24)
    assert db.session.scalar(select(func.count(HelpRequest.id))) == 1


def test_my_requests_shows_a_series_once_with_its_next_dates(app, client, login):
    community, asker, series = _setup(CommunityFactory(slug="proviso"))
    login(asker)
    page = client.get("/c/proviso/my-requests")
    assert page.text.count("Bins to the curb") == 1
    assert "Next:" in page.text
    series_page = client.get(f"/standing/{series.id}")
    assert "Next dates" in series_page.text and "Skip one date" in series_page.text


def test_someone_elses_series_is_not_found(app, client, login):
    community, _asker, series = _setup(CommunityFactory(slug="proviso"))
    login(volunteer(community))
    assert client.get(f"/standing/{series.id}").status_code == 404
    assert client.post(f"/standing/{series.id}/end").status_code in (400, 403, 404)
    assert services.get_series(series.id).status == SeriesStatus.ACTIVE
