"""The snow-day batch assignment: limits kept, coverage at least greedy's, optimal when small."""

from __future__ import annotations

import itertools
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from neighborly.help_requests.dispatch import (
    EVERYONE_NEARBY_FULL,
    NEARER_FULL,
    NEAREST,
    NOBODY_WITHIN_WALK,
    REGULAR,
    Occurrence,
    Volunteer,
    dispatch,
    distance_km,
    greedy_nearest_first,
)

BASE_LAT, BASE_LNG = 41.88, -87.86
STEP = 0.005  # ~0.55 km north-south


def _point(draw, spread: int) -> tuple[float, float]:
    return (
        BASE_LAT + draw(st.integers(0, spread)) * STEP,
        BASE_LNG + draw(st.integers(0, spread)) * STEP,
    )


@st.composite
def instances(draw, max_occurrences=8, max_volunteers=4, regulars=True):
    """A small neighbourhood: occurrences and volunteers on a grid of ~0.5 km steps."""
    volunteers = []
    for vid in range(draw(st.integers(0, max_volunteers))):
        lat, lng = _point(draw, 6)
        walk = draw(st.sampled_from([0.3, 0.8, 1.5, 2.5]))
        cap = draw(st.integers(0, 3))
        volunteers.append(Volunteer(100 + vid, lat, lng, walk, cap))
    occurrences = []
    for oid in range(draw(st.integers(0, max_occurrences))):
        lat, lng = _point(draw, 6)
        helper = None
        if regulars and volunteers and draw(st.booleans()):
            helper = draw(st.sampled_from(volunteers)).id
        occurrences.append(Occurrence(oid, lat, lng, 30, helper))
    return occurrences, volunteers


def _brute_force(occurrences, volunteers) -> tuple[int, float]:
    """Best (covered, -km) over every assignment that keeps the limits."""
    options = []
    for occurrence in occurrences:
        reach = [None]
        for v in volunteers:
            if distance_km(occurrence, v) <= v.walking_km:
                reach.append(v)
        options.append(reach)
    best = (0, 0.0)
    for choice in itertools.product(*options):
        load = Counter(v.id for v in choice if v is not None)
        if any(load[v.id] > v.capacity for v in volunteers):
            continue
        covered = sum(v is not None for v in choice)
        km = sum(distance_km(o, v) for o, v in zip(occurrences, choice, strict=True) if v)
        if covered > best[0] or (covered == best[0] and km < best[1]):
            best = (covered, km)
    return best


def _keeps_limits(plan, occurrences, volunteers) -> None:
    by_id = {v.id: v for v in volunteers}
    where = {o.id: o for o in occurrences}
    load = Counter(a.volunteer_id for a in plan.assignments)
    for vid, count in load.items():
        assert count <= by_id[vid].capacity
    for a in plan.assignments:
        assert distance_km(where[a.occurrence_id], by_id[a.volunteer_id]) <= (
            by_id[a.volunteer_id].walking_km
        )
    given_out = [a.occurrence_id for a in plan.assignments]
    assert len(given_out) == len(set(given_out))
    assert set(given_out) | {u.occurrence_id for u in plan.unreachable} == set(where)


@settings(max_examples=150, deadline=None)
@given(instances(max_occurrences=12, max_volunteers=6))
def test_no_volunteer_is_sent_past_their_walk_or_over_their_capacity(instance):
    occurrences, volunteers = instance
    plan = dispatch(occurrences, volunteers)
    _keeps_limits(plan, occurrences, volunteers)


@settings(max_examples=150, deadline=None)
@given(instances(max_occurrences=14, max_volunteers=6))
def test_the_plan_never_covers_fewer_than_nearest_first(instance):
    occurrences, volunteers = instance
    plan = dispatch(occurrences, volunteers)
    greedy = greedy_nearest_first(occurrences, volunteers)
    _keeps_limits(greedy, occurrences, volunteers)
    assert plan.covered >= greedy.covered


@settings(max_examples=120, deadline=None)
@given(instances(max_occurrences=6, max_volunteers=3, regulars=False))
def test_small_days_match_brute_force_in_coverage_and_walking(instance):
    occurrences, volunteers = instance
    plan = dispatch(occurrences, volunteers)
    covered, km = _brute_force(occurrences, volunteers)
    assert plan.covered == covered
    # the solver counts whole millimetres, so allow a millimetre per occurrence
    assert abs(plan.total_km - km) <= 1e-6 * (len(occurrences) + 1)


def test_a_regular_helper_gets_their_neighbour_first_even_when_someone_is_nearer():
    home = Occurrence(1, BASE_LAT, BASE_LNG, regular_helper_id=7)
    next_door = Volunteer(8, BASE_LAT, BASE_LNG, 1.0, 1)
    regular = Volunteer(7, BASE_LAT + 0.005, BASE_LNG, 1.0, 1)
    plan = dispatch([home], [next_door, regular])
    (assignment,) = plan.assignments
    assert (assignment.volunteer_id, assignment.reason) == (7, REGULAR)


def test_a_regular_helper_beyond_their_walk_is_not_sent():
    home = Occurrence(1, BASE_LAT, BASE_LNG, regular_helper_id=7)
    far_regular = Volunteer(7, BASE_LAT + 0.05, BASE_LNG, 1.0, 1)
    near = Volunteer(8, BASE_LAT, BASE_LNG, 1.0, 1)
    (assignment,) = dispatch([home], [far_regular, near]).assignments
    assert (assignment.volunteer_id, assignment.reason) == (8, NEAREST)


def test_the_plan_covers_more_than_nearest_first_where_nearest_first_wastes_a_volunteer():
    # A is nearest the second home and also reaches the first; B only reaches the second.
    # Nearest-first gives A the second home and leaves the first uncovered.
    first = Occurrence(1, BASE_LAT, BASE_LNG + 0.012)
    second = Occurrence(2, BASE_LAT, BASE_LNG)
    a = Volunteer(10, BASE_LAT, BASE_LNG + 0.003, 1.0, 1)
    b = Volunteer(11, BASE_LAT, BASE_LNG - 0.004, 0.5, 1)
    greedy = greedy_nearest_first([second, first], [a, b])
    plan = dispatch([second, first], [a, b])
    assert (greedy.covered, plan.covered) == (1, 2)
    reasons = {x.occurrence_id: (x.volunteer_id, x.reason) for x in plan.assignments}
    assert reasons == {1: (10, NEAREST), 2: (11, NEARER_FULL)}


def test_unreachable_requests_say_whether_nobody_walks_there_or_everyone_is_full():
    lonely = Occurrence(1, BASE_LAT + 1, BASE_LNG)
    busy_a = Occurrence(2, BASE_LAT, BASE_LNG)
    busy_b = Occurrence(3, BASE_LAT, BASE_LNG)
    only = Volunteer(10, BASE_LAT, BASE_LNG, 1.0, 1)
    plan = dispatch([lonely, busy_a, busy_b], [only])
    why = {u.occurrence_id: u.reason for u in plan.unreachable}
    assert why[1] == NOBODY_WITHIN_WALK
    assert EVERYONE_NEARBY_FULL in why.values()
    assert plan.covered == 1


def test_each_assignment_says_how_much_room_its_volunteer_has_left():
    jobs = [Occurrence(i, BASE_LAT, BASE_LNG) for i in range(2)]
    plan = dispatch(jobs, [Volunteer(10, BASE_LAT, BASE_LNG, 1.0, 5)])
    assert {a.capacity_left for a in plan.assignments} == {3}
    assert plan.loads == {10: 2}


def test_volunteers_only_get_categories_they_help_with():
    bins = Occurrence(1, BASE_LAT, BASE_LNG, category="bins")
    snow_only = Volunteer(10, BASE_LAT, BASE_LNG, 1.0, 3, frozenset({"snow"}))
    plan = dispatch([bins], [snow_only])
    assert plan.covered == 0
    assert plan.unreachable[0].reason == NOBODY_WITHIN_WALK


def test_an_empty_day_is_an_empty_plan():
    assert dispatch([], []).covered == 0
    assert dispatch([Occurrence(1, BASE_LAT, BASE_LNG)], []).unreachable[0].reason == (
        NOBODY_WITHIN_WALK
    )
