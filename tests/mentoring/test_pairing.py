"""Mentor-mentee pairing: hard constraints, criteria, explanations and optimality."""

from __future__ import annotations

import random
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linear_sum_assignment

from neighborly.mentoring.pairing import (
    CONSTRAINTS,
    MenteeCandidate,
    MentorCandidate,
    PairingPlan,
    PairingRules,
    Weights,
    blocking_constraints,
    describe_slot,
    greedy_assignment,
    propose_pairings,
    score_pair,
)

HIGH, LAKEVIEW, NORTHSIDE = "Algoma High", "Lakeview Elementary", "Northside Elementary"
FEEDERS = frozenset({(LAKEVIEW, HIGH)})


def mentor(mentor_id: int = 1, **fields) -> MentorCandidate:
    """A ready high-school mentor, free on Tuesdays at 3, unless told otherwise."""
    defaults = dict(
        grade=11,
        school=HIGH,
        interests=frozenset(),
        languages=frozenset({"en"}),
        slots=frozenset({"tue-15"}),
        gender="f",
        gender_preference=None,
        capacity=1,
        requirements_complete=True,
    )
    return MentorCandidate(id=mentor_id, **{**defaults, **fields})


def mentee(mentee_id: int = 100, **fields) -> MenteeCandidate:
    """A third grader free on Tuesdays at 3, unless told otherwise."""
    defaults = dict(
        grade=3,
        school=NORTHSIDE,
        interests=frozenset(),
        languages=frozenset({"en"}),
        needed_language=None,
        slots=frozenset({"tue-15"}),
        gender="m",
        gender_preference=None,
    )
    return MenteeCandidate(id=mentee_id, **{**defaults, **fields})


def pairs(plan: PairingPlan) -> set[tuple[int, int]]:
    """The proposed (mentor id, mentee id) pairs."""
    return {(p.mentor_id, p.mentee_id) for p in plan.proposals}


def only_reason(plan: PairingPlan) -> tuple[str, str]:
    """The single unmatched mentee's (constraint, words)."""
    (unmatched,) = plan.unmatched
    return unmatched.blocked_by, unmatched.words


def reason_words(reasons) -> dict[str, str]:
    """Reasons keyed by criterion."""
    return {r.criterion: r.words for r in reasons}


# ---------------------------------------------------------------- hard constraints


def test_mentor_with_unfinished_requirements_is_not_proposed():
    plan = propose_pairings([mentor(requirements_complete=False)], [mentee()])
    assert plan.proposals == ()
    assert only_reason(plan) == ("requirements", "no mentor has finished their requirements")


def test_mentee_without_shared_slot_is_left_unmatched_with_reason():
    plan = propose_pairings([mentor(slots=frozenset({"wed-16"}))], [mentee()])
    assert plan.proposals == ()
    assert only_reason(plan) == ("shared_time", "no mentor shares a free time")


def test_mentee_who_needs_spanish_gets_the_spanish_speaker_over_a_better_english_match():
    fans = frozenset({"soccer", "drawing", "chess"})
    english = mentor(1, interests=fans, school=HIGH)
    spanish = mentor(2, languages=frozenset({"en", "es"}))
    child = mentee(interests=fans, school=LAKEVIEW, needed_language="es")
    plan = propose_pairings([english, spanish], [child], PairingRules(feeder_schools=FEEDERS))
    assert pairs(plan) == {(2, 100)}


def test_mentee_who_needs_spanish_is_told_no_mentor_speaks_it():
    plan = propose_pairings([mentor()], [mentee(needed_language="es")])
    assert only_reason(plan) == ("needed_language", "no mentor speaks Spanish")


def test_mentee_preference_for_a_mentor_gender_is_honoured():
    plan = propose_pairings(
        [mentor(1, gender="m"), mentor(2, gender="f")], [mentee(gender_preference="f")]
    )
    assert pairs(plan) == {(2, 100)}


def test_mentee_preference_is_not_met_by_a_mentor_of_unknown_gender():
    plan = propose_pairings([mentor(gender=None)], [mentee(gender_preference="f")])
    assert only_reason(plan) == ("mentee_preference", "no mentor is the gender this mentee prefers")


def test_mentor_preference_for_a_mentee_gender_is_honoured():
    plan = propose_pairings(
        [mentor(1, gender_preference="f", capacity=2)],
        [mentee(100, gender="m"), mentee(101, gender="f")],
    )
    assert pairs(plan) == {(1, 101)}
    assert plan.unmatched[0].mentee_id == 100
    assert plan.unmatched[0].blocked_by == "mentor_preference"


def test_do_not_pair_is_never_proposed_and_is_named():
    rules = PairingRules(do_not_pair=frozenset({(1, 100)}))
    plan = propose_pairings([mentor(1)], [mentee(100)], rules)
    assert only_reason(plan) == ("do_not_pair", "every suitable mentor is on the do-not-pair list")
    plan = propose_pairings([mentor(1), mentor(2)], [mentee(100)], rules)
    assert pairs(plan) == {(2, 100)}


def test_student_mentor_must_be_enough_grades_ahead_but_adults_always_qualify():
    rules = PairingRules(min_grade_gap=3)
    plan = propose_pairings([mentor(1, grade=5)], [mentee(grade=3)], rules)
    assert only_reason(plan) == ("grade_gap", "no mentor is at least 3 grades ahead")
    assert pairs(propose_pairings([mentor(1, grade=6)], [mentee(grade=3)], rules)) == {(1, 100)}
    assert pairs(propose_pairings([mentor(1, grade=None)], [mentee(grade=3)], rules)) == {(1, 100)}


def test_full_mentor_leaves_the_next_mentee_unmatched_with_reason():
    plan = propose_pairings([mentor(capacity=1)], [mentee(100), mentee(101)])
    assert len(plan.proposals) == 1
    assert only_reason(plan) == ("capacity", "every suitable mentor is full")


def test_mentor_capacity_two_takes_two_mentees_and_never_three():
    plan = propose_pairings([mentor(capacity=2)], [mentee(100), mentee(101), mentee(102)])
    assert len(plan.proposals) == 2
    assert [u.blocked_by for u in plan.unmatched] == ["capacity"]


def test_earliest_blocking_constraint_is_the_one_reported():
    lonely = mentee(needed_language="es", slots=frozenset({"sat-10"}))
    plan = propose_pairings([mentor(1), mentor(2, languages=frozenset({"es"}))], [lonely])
    assert only_reason(plan)[0] == "shared_time"


def test_blocking_constraints_lists_every_broken_rule():
    bad = mentor(requirements_complete=False, grade=4, gender_preference="f")
    child = mentee(needed_language="es", gender_preference="m", slots=frozenset({"sat-10"}))
    rules = PairingRules(min_grade_gap=2, do_not_pair=frozenset({(1, 100)}))
    assert blocking_constraints(bad, child, rules) == CONSTRAINTS
    assert blocking_constraints(mentor(), mentee(), PairingRules()) == ()


# ---------------------------------------------------------------- criteria and reasons


def test_shared_interests_win_and_are_named():
    child = mentee(interests=frozenset({"soccer", "drawing", "legos"}))
    fan = mentor(1, interests=frozenset({"soccer", "drawing"}))
    plan = propose_pairings([mentor(2, interests=frozenset({"chess"})), fan], [child])
    (proposal,) = plan.proposals
    assert proposal.mentor_id == 1
    assert reason_words(proposal.reasons)["interests"] == "both like drawing, soccer"
    assert dict(proposal.breakdown)["interests"] == pytest.approx(2 / 3)


def test_more_shared_times_score_higher_and_are_spelled_out():
    both = frozenset({"tue-15", "thu-15"})
    plan = propose_pairings([mentor(1), mentor(2, slots=both | {"fri-17"})], [mentee(slots=both)])
    (proposal,) = plan.proposals
    assert proposal.mentor_id == 2
    assert reason_words(proposal.reasons)["schedule"] == "2 shared times: Tue 3 pm, Thu 3 pm"


def test_same_school_and_feeder_school_both_count_and_say_which():
    rules = PairingRules(feeder_schools=FEEDERS)
    same = score_pair(mentor(school=NORTHSIDE), mentee(school=NORTHSIDE), rules)
    feeder = score_pair(mentor(school=HIGH), mentee(school=LAKEVIEW), rules)
    neither = score_pair(mentor(school=HIGH), mentee(school=NORTHSIDE), rules)
    assert reason_words(same.reasons)["school"] == "same school"
    assert reason_words(feeder.reasons)["school"] == f"feeder school: {LAKEVIEW} feeds {HIGH}"
    assert "school" not in reason_words(neither.reasons)
    assert dict(same.breakdown)["school"] == dict(feeder.breakdown)["school"] == 1.0
    assert dict(neither.breakdown)["school"] == 0.0


def test_feeder_school_is_directional():
    rules = PairingRules(feeder_schools=FEEDERS)
    backwards = score_pair(mentor(school=LAKEVIEW), mentee(school=HIGH), rules)
    assert dict(backwards.breakdown)["school"] == 0.0


def test_common_language_is_named_and_scored_by_share_of_the_mentees_languages():
    bilingual = mentee(languages=frozenset({"en", "es"}))
    scored = score_pair(mentor(languages=frozenset({"es"})), bilingual, PairingRules())
    assert reason_words(scored.reasons)["language"] == "both speak Spanish"
    assert dict(scored.breakdown)["language"] == 0.5
    plan = propose_pairings([mentor(1), mentor(2, languages=frozenset({"en", "es"}))], [bilingual])
    assert pairs(plan) == {(2, 100)}


def test_score_is_the_sum_of_its_weighted_breakdown():
    rules = PairingRules(
        feeder_schools=FEEDERS, weights=Weights(interests=2, schedule=0.5, school=3, language=0)
    )
    fans = frozenset({"soccer"})
    scored = score_pair(mentor(interests=fans), mentee(interests=fans, school=LAKEVIEW), rules)
    assert dict(scored.breakdown) == pytest.approx(
        {"interests": 2 / 3, "schedule": 0.5 / 3, "school": 3.0, "language": 0.0}
    )
    assert scored.total == pytest.approx(sum(points for _, points in scored.breakdown))


def test_weights_steer_the_choice():
    child = mentee(interests=frozenset({"soccer"}), school=LAKEVIEW)
    fan, neighbour = mentor(1, interests=frozenset({"soccer"}), school="Elsewhere"), mentor(2)
    school_first = PairingRules(feeder_schools=FEEDERS, weights=Weights(interests=0.1, school=5))
    interests_first = PairingRules(feeder_schools=FEEDERS, weights=Weights(interests=5, school=0.1))
    assert pairs(propose_pairings([fan, neighbour], [child], school_first)) == {(2, 100)}
    assert pairs(propose_pairings([fan, neighbour], [child], interests_first)) == {(1, 100)}


@pytest.mark.parametrize(
    ("code", "words"),
    [
        ("tue-15", "Tue 3 pm"),
        ("sat-10", "Sat 10 am"),
        ("mon-1230", "Mon 12:30 pm"),
        ("sun-0", "Sun 12 am"),
        ("evenings", "evenings"),
    ],
)
def test_slot_codes_read_as_plain_times(code, words):
    assert describe_slot(code) == words


# ---------------------------------------------------------------- the plan


def test_optimal_pairing_gives_a_contested_mentor_to_the_mentee_with_no_other_choice():
    fans = frozenset({"soccer", "drawing", "chess"})
    popular = mentor(1, interests=fans, slots=frozenset({"tue-15", "wed-16"}))
    other = mentor(2, slots=frozenset({"tue-15"}))
    flexible = mentee(100, interests=fans, slots=frozenset({"tue-15"}))
    stuck = mentee(101, slots=frozenset({"wed-16"}))
    optimal = propose_pairings([popular, other], [flexible, stuck])
    greedy = greedy_assignment([popular, other], [flexible, stuck])
    assert pairs(optimal) == {(2, 100), (1, 101)}
    assert pairs(greedy) == {(1, 100)}
    assert optimal.total_score > greedy.total_score
    assert [u.mentee_id for u in greedy.unmatched] == [101]


def test_approved_pair_stays_uses_a_seat_and_the_rest_is_solved_again():
    fans = frozenset({"soccer", "drawing"})
    rules = PairingRules(fixed=((1, 100),))
    mentors = [mentor(1, capacity=1, interests=fans), mentor(2)]
    plan = propose_pairings(mentors, [mentee(100), mentee(101, interests=fans)], rules)
    assert [(p.mentor_id, p.mentee_id) for p in plan.kept] == [(1, 100)]
    assert pairs(plan) == {(2, 101)}
    assert 100 not in plan.alternatives
    assert plan.total_score == pytest.approx(plan.kept[0].score + plan.proposals[0].score)


def test_mentee_displaced_by_an_approved_pair_is_told_every_mentor_is_full():
    plan = propose_pairings(
        [mentor(1)], [mentee(100), mentee(101)], PairingRules(fixed=((1, 101),))
    )
    assert plan.proposals == ()
    assert only_reason(plan) == ("capacity", "every suitable mentor is full")


def test_each_mentee_gets_the_two_next_best_mentors_as_ranked_alternatives():
    child = mentee(interests=frozenset({"soccer", "drawing", "chess"}))
    mentors = [
        mentor(1, interests=frozenset({"soccer"})),
        mentor(2, interests=frozenset({"soccer", "drawing", "chess"})),
        mentor(3),
        mentor(4, interests=frozenset({"soccer", "drawing"})),
        mentor(5, slots=frozenset({"sat-10"})),
    ]
    plan = propose_pairings(mentors, [child])
    assert pairs(plan) == {(2, 100)}
    alternatives = plan.alternatives[100]
    assert [a.mentor_id for a in alternatives] == [4, 1]
    assert alternatives[0].score > alternatives[1].score
    assert reason_words(alternatives[0].reasons)["interests"] == "both like drawing, soccer"
    assert all(a.has_room for a in alternatives)


def test_unmatched_mentee_still_sees_the_full_mentors_as_alternatives():
    plan = propose_pairings([mentor(1), mentor(2)], [mentee(100), mentee(101), mentee(102)])
    (left,) = plan.unmatched
    assert [a.mentor_id for a in plan.alternatives[left.mentee_id]] == [1, 2]
    assert not any(a.has_room for a in plan.alternatives[left.mentee_id])


def test_input_order_does_not_change_the_plan():
    rng = random.Random(7)
    mentors, mentees, rules = random_program(rng, 25, 30)
    plan = propose_pairings(mentors, mentees, rules)
    rng.shuffle(mentors)
    rng.shuffle(mentees)
    assert propose_pairings(mentors, mentees, rules) == plan


FRESH_PROCESS = """
import sys
sys.path.insert(0, sys.argv[1])
import neighborly.mentoring.pairing as pairing
mentors, mentees, rules = eval(sys.stdin.read(), vars(pairing))
print(repr(pairing.propose_pairings(mentors, mentees, rules)))
"""


def test_plan_is_the_same_in_a_fresh_process_with_other_string_hashing():
    program = repr(random_program(random.Random(3), 20, 24))
    root = Path(__file__).resolve().parents[2]
    outputs = {
        subprocess.run(
            [sys.executable, "-c", FRESH_PROCESS, str(root)],
            input=program,
            env={"PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2")
    }
    assert len(outputs) == 1 and "Proposal(" in outputs.pop()


@pytest.mark.parametrize(
    ("mentors", "mentees", "rules"),
    [
        ([mentor(1), mentor(1)], [mentee()], PairingRules()),
        ([mentor(capacity=-1)], [mentee()], PairingRules()),
        ([mentor()], [mentee()], PairingRules(weights=Weights(interests=-1))),
        ([mentor()], [mentee()], PairingRules(fixed=((1, 999),))),
        ([mentor(1), mentor(2)], [mentee()], PairingRules(fixed=((1, 100), (2, 100)))),
    ],
)
def test_inconsistent_input_is_refused(mentors, mentees, rules):
    with pytest.raises(ValueError):
        propose_pairings(mentors, mentees, rules)


def test_lists_and_sets_from_the_database_are_accepted_as_frozensets():
    mentor_from_rows = MentorCandidate(1, 11, HIGH, interests=["soccer"], slots={"tue-15"})
    rules = PairingRules(do_not_pair=[[9, 9]], fixed=[[1, 100]])
    assert mentor_from_rows.interests == frozenset({"soccer"})
    assert rules.do_not_pair == frozenset({(9, 9)}) and rules.fixed == ((1, 100),)
    plan = propose_pairings([mentor_from_rows], [mentee(100)], rules)
    assert [(p.mentor_id, p.mentee_id) for p in plan.kept] == [(1, 100)]


def test_plan_is_the_same_without_numpy_bit_counting(monkeypatch):
    program = random_program(random.Random(5), 20, 30)
    expected = propose_pairings(*program)
    monkeypatch.delattr(np, "bitwise_count", raising=False)
    assert propose_pairings(*program) == expected


def test_empty_programs_give_empty_plans():
    assert propose_pairings([], []).proposals == ()
    assert only_reason(propose_pairings([], [mentee()])) == (
        "no_mentors",
        "no mentors are enrolled",
    )


# ---------------------------------------------------------------- optimality


def random_program(rng: random.Random, n_mentors: int, n_mentees: int) -> tuple:
    """A random, fairly constrained program (used by tests that compare with a reference)."""
    interests = ("soccer", "drawing", "chess", "music", "legos")
    slots = ("mon-15", "tue-15", "wed-16", "thu-15", "sat-10")
    sample = lambda pool, k: frozenset(rng.sample(pool, rng.randint(0, k)))  # noqa: E731
    mentors = [
        mentor(
            i,
            grade=rng.choice([None, 8, 9, 10, 11, 12]),
            school=rng.choice([HIGH, NORTHSIDE]),
            interests=sample(interests, 3),
            languages=rng.choice([frozenset({"en"}), frozenset({"en", "es"}), frozenset({"es"})]),
            slots=sample(slots, 3),
            gender=rng.choice(["f", "m", None]),
            gender_preference=rng.choice([None, None, None, "f", "m"]),
            capacity=rng.randint(0, 3),
            requirements_complete=rng.random() < 0.9,
        )
        for i in range(1, n_mentors + 1)
    ]
    mentees = [
        mentee(
            100 + i,
            grade=rng.randint(1, 8),
            school=rng.choice([LAKEVIEW, NORTHSIDE]),
            interests=sample(interests, 3),
            languages=rng.choice([frozenset({"en"}), frozenset({"en", "es"})]),
            needed_language=rng.choice([None, None, None, "es"]),
            slots=sample(slots, 3),
            gender=rng.choice(["f", "m", None]),
            gender_preference=rng.choice([None, None, None, "f", "m"]),
        )
        for i in range(n_mentees)
    ]
    blocked = {(rng.randint(1, n_mentors), 100 + rng.randrange(n_mentees)) for _ in range(5)}
    rules = PairingRules(min_grade_gap=2, do_not_pair=frozenset(blocked), feeder_schools=FEEDERS)
    return mentors, mentees, rules


def dense_optimum(mentors, mentees, rules: PairingRules) -> float:
    """Reference: scipy's dense linear_sum_assignment with seat columns and 'unmatched' columns."""
    seats = [m for m in mentors for _ in range(m.capacity)]
    cost = np.zeros((len(mentees), len(seats) + len(mentees)))
    for i, child in enumerate(mentees):
        for j, seat in enumerate(seats):
            allowed = not blocking_constraints(seat, child, rules)
            cost[i, j] = -score_pair(seat, child, rules).total if allowed else 1e6
    rows, cols = linear_sum_assignment(cost)
    return float(-cost[rows, cols][cost[rows, cols] < 0].sum())


@pytest.mark.parametrize("seed", range(6))
def test_total_matches_a_dense_assignment_solver_even_with_one_candidate_per_mentee(seed):
    mentors, mentees, rules = random_program(random.Random(seed), 30, 45)
    expected = dense_optimum(mentors, mentees, rules)
    for limit in (1, 2, 16):
        plan = propose_pairings(mentors, mentees, rules, candidate_limit=limit)
        assert plan.total_score == pytest.approx(expected, abs=1e-9)


def brute_force_best(mentors, mentees, rules: PairingRules) -> float:
    """Try every assignment that respects the hard constraints and capacities; return the best."""
    fixed_mentees = {b for _, b in rules.fixed}
    seats = {m.id: m.capacity - sum(a == m.id for a, _ in rules.fixed) for m in mentors}
    free = [c for c in mentees if c.id not in fixed_mentees]
    options = [
        [
            (m.id, score_pair(m, c, rules).total)
            for m in mentors
            if not blocking_constraints(m, c, rules)
        ]
        for c in free
    ]

    def best(k: int) -> float:
        if k == len(free):
            return 0.0
        top = best(k + 1)  # this mentee unmatched
        for mentor_id, score in options[k]:
            if seats[mentor_id] > 0:
                seats[mentor_id] -= 1
                top = max(top, score + best(k + 1))
                seats[mentor_id] += 1
        return top

    by_id = {m.id: m for m in mentors} | {c.id: c for c in mentees}
    kept = sum(score_pair(by_id[a], by_id[b], rules).total for a, b in rules.fixed)
    return kept + best(0)


# ---------------------------------------------------------------- properties

INTERESTS = ("soccer", "drawing", "chess")
SLOTS = ("mon-15", "tue-15", "sat-10")
GENDERS = st.sampled_from(("f", "m", None))
SCHOOLS = st.sampled_from((HIGH, LAKEVIEW, NORTHSIDE))
LANGUAGES = st.frozensets(st.sampled_from(("en", "es")))
MENTORS = st.lists(
    st.builds(
        MentorCandidate,
        id=st.just(0),
        grade=st.one_of(st.none(), st.integers(6, 12)),
        school=SCHOOLS,
        interests=st.frozensets(st.sampled_from(INTERESTS)),
        languages=LANGUAGES,
        slots=st.frozensets(st.sampled_from(SLOTS)),
        gender=GENDERS,
        gender_preference=GENDERS,
        capacity=st.integers(1, 2),
        requirements_complete=st.sampled_from([True, True, True, False]),
    ),
    max_size=6,
)
MENTEES = st.lists(
    st.builds(
        MenteeCandidate,
        id=st.just(0),
        grade=st.integers(1, 8),
        school=SCHOOLS,
        interests=st.frozensets(st.sampled_from(INTERESTS)),
        languages=LANGUAGES,
        needed_language=st.sampled_from([None, None, "es", "en"]),
        slots=st.frozensets(st.sampled_from(SLOTS)),
        gender=GENDERS,
        gender_preference=GENDERS,
    ),
    max_size=7,
)
WEIGHTS = st.sampled_from([Weights(), Weights(interests=2, schedule=0.5, school=0, language=1.5)])


def fixed_pairs(mentors: list, picks: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    """Keep the picked pairs that give each mentee one mentor and no mentor too many."""
    fixed: list[tuple[int, int]] = []
    for mentor_id, mentee_id in picks:
        used = sum(a == mentor_id for a, _ in fixed)
        if mentee_id not in {b for _, b in fixed} and used < mentors[mentor_id - 1].capacity:
            fixed.append((mentor_id, mentee_id))
    return tuple(fixed)


@st.composite
def programs(draw: st.DrawFn) -> tuple[list, list, PairingRules]:
    """Small random programs: up to 6 mentors (capacity 1-2) and 7 mentees."""
    mentors = [replace(m, id=i) for i, m in enumerate(draw(MENTORS), start=1)]
    mentees = [replace(c, id=i) for i, c in enumerate(draw(MENTEES), start=100)]
    every_pair = [(m.id, c.id) for m in mentors for c in mentees] or [(0, 0)]
    some_pairs = st.lists(st.sampled_from(every_pair), max_size=3)
    rules = PairingRules(
        min_grade_gap=draw(st.integers(0, 3)),
        do_not_pair=frozenset(draw(some_pairs)),
        feeder_schools=FEEDERS,
        fixed=fixed_pairs(mentors, draw(some_pairs)) if mentors and mentees else (),
        weights=draw(WEIGHTS),
    )
    return mentors, mentees, rules


PROPERTY = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(programs(), st.sampled_from([1, 2, 16]))
def test_total_score_equals_the_brute_force_optimum(program, limit):
    mentors, mentees, rules = program
    plan = propose_pairings(mentors, mentees, rules, candidate_limit=limit)
    assert plan.total_score == pytest.approx(brute_force_best(mentors, mentees, rules), abs=1e-9)


@PROPERTY
@given(programs(), st.sampled_from([propose_pairings, greedy_assignment]))
def test_no_hard_constraint_or_capacity_is_ever_broken(program, solve):
    mentors, mentees, rules = program
    plan = solve(mentors, mentees, rules)
    by_id = {m.id: m for m in mentors} | {c.id: c for c in mentees}
    for p in plan.proposals:
        assert blocking_constraints(by_id[p.mentor_id], by_id[p.mentee_id], rules) == ()
    load = [p.mentor_id for p in (*plan.proposals, *plan.kept)]
    assert all(load.count(m.id) <= m.capacity for m in mentors)
    placed = [p.mentee_id for p in (*plan.proposals, *plan.kept)] + [
        u.mentee_id for u in plan.unmatched
    ]
    assert sorted(placed) == sorted(c.id for c in mentees)
    assert {(p.mentor_id, p.mentee_id) for p in plan.kept} == set(rules.fixed)


@PROPERTY
@given(programs())
def test_same_input_gives_the_same_plan_and_greedy_never_wins(program):
    mentors, mentees, rules = program
    plan = propose_pairings(mentors, mentees, rules)
    assert propose_pairings(list(reversed(mentors)), list(reversed(mentees)), rules) == plan
    assert greedy_assignment(mentors, mentees, rules).total_score <= plan.total_score + 1e-9


@PROPERTY
@given(programs())
def test_unmatched_reasons_and_alternatives_tell_the_truth(program):
    mentors, mentees, rules = program
    plan = propose_pairings(mentors, mentees, rules)
    by_id = {c.id: c for c in mentees}
    proposed = {p.mentee_id: p.mentor_id for p in plan.proposals}
    for left in plan.unmatched:
        child = by_id[left.mentee_id]
        blocked = [set(blocking_constraints(m, child, rules)) for m in mentors]
        if not mentors:
            assert left.blocked_by == "no_mentors"
        elif left.blocked_by in CONSTRAINTS:
            upto = set(CONSTRAINTS[: CONSTRAINTS.index(left.blocked_by) + 1])
            assert all(b & upto for b in blocked)
            assert not all(b & (upto - {left.blocked_by}) for b in blocked)
        else:
            assert left.blocked_by == "capacity"
            assert any(not b for b in blocked)
    for mentee_id, alternatives in plan.alternatives.items():
        assert len(alternatives) <= 2
        assert proposed.get(mentee_id) not in {a.mentor_id for a in alternatives}
        assert [a.score for a in alternatives] == sorted(
            (a.score for a in alternatives), reverse=True
        )
        for a in alternatives:
            chosen = next(m for m in mentors if m.id == a.mentor_id)
            assert blocking_constraints(chosen, by_id[mentee_id], rules) == ()


@settings(max_examples=40, deadline=None)
@given(programs())
def test_greedy_baseline_takes_the_highest_scoring_pair_first(program):
    mentors, mentees, rules = program
    rules = replace(rules, fixed=())
    plan = greedy_assignment(mentors, mentees, rules)
    allowed = [
        score_pair(m, c, rules).total
        for m in mentors
        for c in mentees
        if not blocking_constraints(m, c, rules) and score_pair(m, c, rules).total > 0
    ]
    if allowed:
        assert max(p.score for p in plan.proposals) == max(allowed)
