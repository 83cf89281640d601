"""Ranking open requests for one volunteer: who sees what, in what order, and why."""

from __future__ import annotations

import math
import random
import re
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from neighborly.availability import slot_code
from neighborly.geo.cells import EARTH_RADIUS_KM, haversine_km
from neighborly.help_requests.matching import (
    W_AVAILABLE,
    W_HELPED,
    Candidate,
    Ranked,
    Reason,
    VolunteerPrefs,
    clock,
    describe,
    nearest_first,
    rank,
)

NOW = datetime(2025, 1, 20, 15, 0, tzinfo=UTC)  # Monday 10:00 in Toronto
HOME = (45.4215, -75.6972)
KM_PER_DEGREE = math.pi * EARTH_RADIUS_KM / 180
TORONTO = "America/Toronto"


def at(km_north: float = 0.0, km_east: float = 0.0) -> tuple[float, float]:
    """A point roughly km_north / km_east of the volunteer's home."""
    lat = HOME[0] + km_north / KM_PER_DEGREE
    lng = HOME[1] + km_east / (KM_PER_DEGREE * math.cos(math.radians(HOME[0])))
    return lat, lng


def volunteer(**changes) -> VolunteerPrefs:
    """A volunteer at HOME who helps with snow and bins within 5 km."""
    prefs = VolunteerPrefs(
        lat=HOME[0], lng=HOME[1], radius_km=5.0, categories=frozenset({"snow", "bins"})
    )
    return replace(prefs, **changes)


def request(request_id: int = 1, km: float = 0.5, **changes) -> Candidate:
    """A snow request posted an hour ago, km north of the volunteer, no deadline."""
    lat, lng = at(km_north=km)
    candidate = Candidate(
        request_id=request_id,
        category="snow",
        lat=lat,
        lng=lng,
        created_at=NOW - timedelta(hours=1),
        requester_id=100 + request_id,
        requester_first_name="Rosa",
    )
    return replace(candidate, **changes)


def only(ranked: list[Ranked]) -> Ranked:
    """The single ranked request."""
    assert len(ranked) == 1
    return ranked[0]


def ids(ranked: list[Ranked]) -> list[int]:
    """Request ids in ranked order."""
    return [r.request_id for r in ranked]


# --- who sees what -----------------------------------------------------------------


def test_request_beyond_the_radius_is_not_shown():
    assert ids(rank([request(1, km=4.9), request(2, km=5.1)], volunteer(), NOW)) == [1]


def test_request_in_a_category_the_volunteer_does_not_help_with_is_not_shown():
    assert ids(rank([request(1), request(2, category="ride")], volunteer(), NOW)) == [1]


def test_volunteer_with_no_categories_sees_nothing():
    assert rank([request(1)], volunteer(categories=frozenset()), NOW) == []


def test_request_whose_deadline_has_passed_is_not_shown():
    overdue = request(1, needed_by=NOW - timedelta(minutes=1))
    due_now = request(2, needed_by=NOW)
    due_soon = request(3, needed_by=NOW + timedelta(minutes=1))
    assert ids(rank([overdue, due_now, due_soon], volunteer(), NOW)) == [3]


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError):
        request(created_at=datetime(2025, 1, 1, 9))
    with pytest.raises(ValueError):
        rank([request()], volunteer(), datetime(2025, 1, 20, 15))


# --- distance ------------------------------------------------------------------------


def test_closer_request_ranks_first_and_says_its_band_not_its_coordinates():
    near, far = request(1, km=0.4), request(2, km=3.5)
    first, second = rank([far, near], volunteer(), NOW)
    assert (first.request_id, first.band, first.reasons[0]) == (1, "under_1km", "under 1 km")
    assert (second.request_id, second.band, second.reasons[0]) == (2, "3_5km", "3-5 km")
    assert first.distance_km == pytest.approx(0.4, abs=0.001)
    assert first.details[0] == Reason("distance", (("band", "under_1km"),))


def test_within_one_band_the_closer_request_still_scores_higher():
    a, b = rank([request(1, km=0.2), request(2, km=0.4)], volunteer(), NOW)
    assert a.band == b.band == "under_1km"
    assert a.score > b.score


# --- deadline ------------------------------------------------------------------------


def test_sooner_deadline_ranks_first():
    soon = request(1, needed_by=NOW + timedelta(hours=3))
    later = request(2, needed_by=NOW + timedelta(days=3))
    none = request(3)
    assert ids(rank([none, later, soon], volunteer(), NOW)) == [1, 2, 3]


@pytest.mark.parametrize(
    ("needed_by", "words"),
    [
        (datetime(2025, 1, 20, 22, 30, tzinfo=UTC), "needed by 5:30 pm today"),
        (datetime(2025, 1, 21, 14, 0, tzinfo=UTC), "needed by 9 am tomorrow"),
        (datetime(2025, 1, 24, 17, 0, tzinfo=UTC), "needed by noon on Friday"),
        (datetime(2025, 1, 28, 5, 0, tzinfo=UTC), "needed by midnight on January 28"),
        (datetime(2025, 2, 14, 23, 15, tzinfo=UTC), "needed by 6:15 pm on February 14"),
    ],
)
def test_deadline_is_said_in_simple_local_words(needed_by, words):
    ranked = only(rank([request(needed_by=needed_by)], volunteer(time_zone=TORONTO), NOW))
    assert ranked.reasons[1] == words


def test_deadline_reason_keeps_a_structured_local_time_for_translation():
    needed_by = datetime(2025, 1, 21, 14, 0, tzinfo=UTC)
    ranked = only(rank([request(needed_by=needed_by)], volunteer(time_zone=TORONTO), NOW))
    reason = ranked.details[1]
    assert reason.code == "needed_by"
    assert reason.value("day") == "tomorrow"
    assert reason.value("at") == needed_by
    assert reason.value("at").hour == 9


def test_request_without_deadline_gives_no_deadline_reason():
    assert not any(
        r.startswith("needed by") for r in only(rank([request()], volunteer(), NOW)).reasons
    )


# --- waiting -------------------------------------------------------------------------


def test_request_that_has_waited_longer_ranks_first():
    old = request(1, created_at=NOW - timedelta(days=2))
    new = request(2, created_at=NOW - timedelta(minutes=5))
    assert ids(rank([new, old], volunteer(), NOW)) == [1, 2]


@pytest.mark.parametrize(
    ("waited", "words"),
    [
        (timedelta(minutes=10), "just posted"),
        (timedelta(hours=1), "waiting 1 hour"),
        (timedelta(hours=5, minutes=59), "waiting 5 hours"),
        (timedelta(hours=30), "waiting 1 day"),
        (timedelta(days=2, hours=3), "waiting 2 days"),
    ],
)
def test_waiting_time_is_said_in_hours_or_days(waited, words):
    ranked = only(rank([request(created_at=NOW - waited)], volunteer(), NOW))
    assert words in ranked.reasons


# --- availability --------------------------------------------------------------------


def test_volunteer_free_before_the_deadline_gets_a_bonus_and_is_told_so():
    needed_by = datetime(2025, 1, 21, 14, 30, tzinfo=UTC)  # Tuesday 9:30 am Toronto
    tuesday_8am = volunteer(availability=frozenset({"tue-8"}), time_zone=TORONTO)
    free = only(rank([request(needed_by=needed_by)], tuesday_8am, NOW))
    unknown = only(rank([request(needed_by=needed_by)], volunteer(time_zone=TORONTO), NOW))
    assert "you are free before then" in free.reasons
    assert "you are free before then" not in unknown.reasons
    assert free.score == pytest.approx(unknown.score + W_AVAILABLE)


def test_free_time_after_the_deadline_does_not_count():
    needed_by = datetime(2025, 1, 21, 14, 30, tzinfo=UTC)  # Tuesday 9:30 am Toronto
    wednesday = volunteer(availability=frozenset({"wed-8"}), time_zone=TORONTO)
    tuesday_10am = volunteer(availability=frozenset({"tue-10"}), time_zone=TORONTO)
    baseline = only(rank([request(needed_by=needed_by)], volunteer(time_zone=TORONTO), NOW))
    for prefs in (wednesday, tuesday_10am):
        ranked = only(rank([request(needed_by=needed_by)], prefs, NOW))
        assert "you are free before then" not in ranked.reasons
        assert ranked.score == pytest.approx(baseline.score)


def test_the_hour_in_progress_counts_as_free():
    monday_10am = volunteer(availability=frozenset({"mon-10"}), time_zone=TORONTO)
    ranked = only(rank([request(needed_by=NOW + timedelta(minutes=30))], monday_10am, NOW))
    assert "you are free before then" in ranked.reasons


def test_availability_is_read_in_the_volunteers_time_zone():
    needed_by = NOW + timedelta(hours=2)  # noon Monday in Toronto, 5 pm Monday UTC
    eleven_am_toronto = volunteer(availability=frozenset({"mon-11"}), time_zone=TORONTO)
    eleven_am_utc = volunteer(availability=frozenset({"mon-11"}), time_zone="UTC")
    told = "you are free before then"
    assert told in only(rank([request(needed_by=needed_by)], eleven_am_toronto, NOW)).reasons
    assert told not in only(rank([request(needed_by=needed_by)], eleven_am_utc, NOW)).reasons


# --- neighbours helped before ---------------------------------------------------------


def test_neighbour_helped_before_ranks_first_and_is_named():
    rosa = request(1, km=1.5, requester_id=7, requester_first_name="Rosa")
    stranger = request(2, km=1.5, requester_id=8, requester_first_name="Li")
    prefs = volunteer(helped_requesters={7: date(2025, 1, 6)})
    first, second = rank([stranger, rosa], prefs, NOW)
    assert first.request_id == 1
    assert "you helped Rosa in January" in first.reasons
    assert not any("helped" in r for r in second.reasons)
    assert first.score == pytest.approx(second.score + W_HELPED)


@pytest.mark.parametrize(
    ("helped_on", "words"),
    [
        (date(2024, 11, 2), "you helped Rosa in November"),
        (date(2024, 2, 28), "you helped Rosa in February"),
        (date(2024, 1, 31), "you helped Rosa in January 2024"),
        (date(2022, 6, 1), "you helped Rosa in June 2022"),
    ],
)
def test_help_long_ago_names_the_year(helped_on, words):
    prefs = volunteer(helped_requesters={101: helped_on})
    assert words in only(rank([request(1)], prefs, NOW)).reasons


# --- order, words --------------------------------------------------------------------


def test_equal_requests_are_ordered_by_request_id():
    assert ids(rank([request(9), request(3), request(5)], volunteer(), NOW)) == [3, 5, 9]


def test_reasons_come_in_a_fixed_order():
    candidate = request(
        1,
        km=0.2,
        created_at=NOW - timedelta(days=2),
        needed_by=datetime(2025, 1, 21, 14, 0, tzinfo=UTC),
    )
    prefs = volunteer(
        availability=frozenset({"tue-8"}),
        helped_requesters={101: date(2025, 1, 6)},
        time_zone=TORONTO,
    )
    assert only(rank([candidate], prefs, NOW)).reasons == (
        "under 1 km",
        "needed by 9 am tomorrow",
        "waiting 2 days",
        "you are free before then",
        "you helped Rosa in January",
    )


@pytest.mark.parametrize(
    ("hour", "minute", "words"),
    [
        (0, 0, "midnight"),
        (0, 5, "12:05 am"),
        (9, 0, "9 am"),
        (12, 0, "noon"),
        (12, 30, "12:30 pm"),
        (17, 30, "5:30 pm"),
    ],
)
def test_clock_words(hour, minute, words):
    assert clock(datetime(2025, 1, 1, hour, minute, tzinfo=UTC)) == words


def test_unknown_reason_code_is_refused():
    with pytest.raises(ValueError):
        describe(Reason("mystery"))


# --- properties ----------------------------------------------------------------------

CATEGORIES = ("snow", "bins", "ride", "call")


@st.composite
def candidates(draw, request_id: int) -> Candidate:
    """A random request within ~15 km of HOME, posted in the last month."""
    lat, lng = at(draw(st.floats(-15, 15)), draw(st.floats(-15, 15)))
    deadline = draw(st.one_of(st.none(), st.integers(-600, 20_000)))
    return Candidate(
        request_id=request_id,
        category=draw(st.sampled_from(CATEGORIES)),
        lat=lat,
        lng=lng,
        created_at=NOW - timedelta(minutes=draw(st.integers(0, 43_200))),
        requester_id=draw(st.integers(1, 6)),
        requester_first_name=draw(st.sampled_from(["Rosa", "Li", "Ada"])),
        needed_by=None if deadline is None else NOW + timedelta(minutes=deadline),
    )


@st.composite
def candidate_lists(draw, max_size: int = 12) -> list[Candidate]:
    """Up to max_size random requests with distinct ids."""
    request_ids = draw(st.lists(st.integers(1, 10_000), unique=True, max_size=max_size))
    return [draw(candidates(request_id)) for request_id in request_ids]


slots = st.frozensets(st.builds(slot_code, st.integers(0, 6), st.integers(0, 23)), max_size=10)
prefs_strategy = st.builds(
    volunteer,
    radius_km=st.floats(0.5, 12),
    categories=st.frozensets(st.sampled_from(CATEGORIES)),
    availability=slots,
    helped_requesters=st.dictionaries(st.integers(1, 6), st.dates(date(2022, 1, 1), NOW.date())),
    time_zone=st.sampled_from(["UTC", TORONTO, "Asia/Kolkata"]),
)


def eligible(candidate: Candidate, prefs: VolunteerPrefs) -> bool:
    """What the rules say: in range, in category, not overdue."""
    km = haversine_km(prefs.lat, prefs.lng, candidate.lat, candidate.lng)
    on_time = candidate.needed_by is None or candidate.needed_by > NOW
    return km <= prefs.radius_km and candidate.category in prefs.categories and on_time


@settings(max_examples=150, deadline=None)
@given(cands=candidate_lists(), prefs=prefs_strategy)
def test_exactly_the_requests_in_range_category_and_time_are_shown(cands, prefs):
    shown = set(ids(rank(cands, prefs, NOW)))
    assert shown == {c.request_id for c in cands if eligible(c, prefs)}


@settings(max_examples=100, deadline=None)
@given(cands=candidate_lists(), prefs=prefs_strategy, seed=st.integers(0, 2**32))
def test_ranking_is_a_deterministic_sorted_subset_whatever_the_input_order(cands, prefs, seed):
    ranked = rank(cands, prefs, NOW)
    shuffled = list(cands)
    random.Random(seed).shuffle(shuffled)
    assert rank(shuffled, prefs, NOW) == ranked
    assert len(set(ids(ranked))) == len(ranked)
    assert set(ids(ranked)) <= {c.request_id for c in cands}
    assert [r.score for r in ranked] == sorted((r.score for r in ranked), reverse=True)


@settings(max_examples=100, deadline=None)
@given(cands=candidate_lists(), prefs=prefs_strategy, limit=st.integers(0, 8))
def test_a_limit_keeps_exactly_the_top_of_the_full_ranking(cands, prefs, limit):
    assert rank(cands, prefs, NOW, limit=limit) == rank(cands, prefs, NOW)[:limit]


@settings(max_examples=100, deadline=None)
@given(cands=candidate_lists(), prefs=prefs_strategy)
def test_reasons_never_reveal_coordinates(cands, prefs):
    for ranked in rank(cands, prefs, NOW):
        assert not any(re.search(r"\d\.\d", reason) for reason in ranked.reasons)
        values = [v for reason in ranked.details for _, v in reason.values]
        assert not any(isinstance(v, float) for v in values)


def placed(candidate: Candidate, request_id: int, km: float, bearing: float) -> Candidate:
    """The same request under another id, km from HOME at a bearing in radians."""
    lat, lng = at(km * math.cos(bearing), km * math.sin(bearing))
    return replace(candidate, request_id=request_id, lat=lat, lng=lng)


@settings(max_examples=150, deadline=None)
@given(
    base=candidates(1),
    others=candidate_lists(max_size=4),
    prefs=prefs_strategy,
    near=st.floats(0, 12),
    extra=st.floats(0.01, 12),
    bearing=st.floats(0, 2 * math.pi),
)
def test_a_closer_request_with_equal_facts_never_ranks_lower(
    base, others, prefs, near, extra, bearing
):
    closer = placed(base, 20_001, near, bearing)
    farther = placed(base, 20_000, near + extra, bearing + 1.0)  # lower id: ties favour it
    d_closer = haversine_km(HOME[0], HOME[1], closer.lat, closer.lng)
    assume(d_closer < haversine_km(HOME[0], HOME[1], farther.lat, farther.lng))
    ranked = rank([farther, *others, closer], prefs, NOW)
    position = {r.request_id: i for i, r in enumerate(ranked)}
    if 20_000 in position:
        assert position[20_001] < position[20_000]
        closer_score, farther_score = ranked[position[20_001]].score, ranked[position[20_000]].score
        assert closer_score >= farther_score
        if haversine_km(HOME[0], HOME[1], farther.lat, farther.lng) - d_closer > 1e-3:
            assert closer_score > farther_score


@settings(max_examples=150, deadline=None)
@given(cands=candidate_lists(), prefs=prefs_strategy)
def test_nearest_first_shows_the_same_requests_nearest_first_then_best_score(cands, prefs):
    ordered = nearest_first(cands, prefs, NOW)
    assert set(ids(ordered)) == set(ids(rank(cands, prefs, NOW)))
    keys = [(r.distance_km, -r.score, r.request_id) for r in ordered]
    assert keys == sorted(keys)


@settings(max_examples=150, deadline=None)
@given(
    cands=candidate_lists(), prefs=prefs_strategy, cut=st.integers(0, 12), limit=st.integers(0, 6)
)
def test_a_page_after_any_request_continues_the_full_list_exactly(cands, prefs, cut, limit):
    full = nearest_first(cands, prefs, NOW)
    if not full:
        return
    cut %= len(full)
    mark = next(c for c in cands if c.request_id == full[cut].request_id)
    assert nearest_first(cands, prefs, NOW, limit=limit, after=mark) == full[cut + 1 :][:limit]


def test_nearest_first_puts_a_nearer_request_before_a_more_urgent_farther_one():
    urgent_far = request(1, km=2.0, needed_by=NOW + timedelta(minutes=30))
    relaxed_near = request(2, km=0.3)
    assert ids(nearest_first([urgent_far, relaxed_near], volunteer(), NOW)) == [2, 1]
    assert ids(rank([urgent_far, relaxed_near], volunteer(), NOW)) == [1, 2]
