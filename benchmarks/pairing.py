"""Benchmark mentor-mentee pairing: optimal solve time and its gain over the greedy baseline.

Run: python benchmarks/pairing.py

What it measures:

- Seeded random programs of n mentees and n mentors of capacity 2 (n = 1,000 and 5,000):
  a dozen interests with uneven popularity, 20 weekly slots (mentees only after school),
  English for everyone and Spanish for some (about 9% of mentees need a Spanish speaker),
  three high schools each fed by three elementary schools, a few stated gender
  preferences, 8% of mentors with unfinished requirements, a minimum grade gap of 3 and
  n/50 do-not-pair rules.
- `propose_pairings` end to end (encoding, scoring, solving, the optimality certificate,
  reasons and alternatives), median wall-clock time of RUNS runs, which must agree.
- `greedy_assignment` (highest score first) on the same program, for the total-score gain.
- Both plans are checked against every hard constraint and every capacity.

The last line is machine-readable:
    pairing: n=5000 seconds=<median optimal seconds> gain_vs_greedy_pct=<gain over greedy>
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from neighborly.availability import SCHOOL_DAYS, slot_code  # noqa: E402
from neighborly.mentoring.pairing import (  # noqa: E402
    MenteeCandidate,
    MentorCandidate,
    PairingRules,
    blocking_constraints,
    greedy_assignment,
    propose_pairings,
)

SEED = 20170
SIZES = (1000, 5000)
BUDGET_SECONDS = 5.0
RUNS = 3
INTERESTS = (
    "soccer", "drawing", "reading", "minecraft", "basketball", "music",
    "cooking", "science", "dance", "animals", "legos", "video games",
)  # fmt: skip
POPULARITY = np.array([9, 6, 5, 8, 6, 5, 3, 4, 3, 6, 5, 8], dtype=float)
AFTER_SCHOOL = tuple(
    slot_code(day, hour) for day in range(len(SCHOOL_DAYS)) for hour in (15, 16, 17)
)
SLOTS = AFTER_SCHOOL + ("sat-10", "sat-11", "sat-13", "sun-13", "sun-14")
HIGH_SCHOOLS = ("North High", "River High", "Lake High")
FEEDERS = {  # fictional schools
    "North High": ("Maple Elementary", "Birch Elementary", "Cedar Elementary"),
    "River High": ("Oak Elementary", "Pine Elementary", "Elm Elementary"),
    "Lake High": ("Aspen Elementary", "Willow Elementary", "Spruce Elementary"),
}
ELEMENTARY = tuple(school for schools in FEEDERS.values() for school in schools)


def _pick(
    rng: np.random.Generator,
    pool: tuple[str, ...],
    low: int,
    high: int,
    weights: np.ndarray | None = None,
) -> frozenset[str]:
    """Choose between low and high distinct values from pool."""
    p = None if weights is None else weights / weights.sum()
    size = int(rng.integers(low, high + 1))
    return frozenset(pool[i] for i in rng.choice(len(pool), size=size, replace=False, p=p))


def _gender(rng: np.random.Generator) -> str | None:
    """Mostly f/m, a few nonbinary or unstated."""
    return [None, "f", "m", "x"][int(rng.choice(4, p=[0.02, 0.48, 0.48, 0.02]))]


def _preference(rng: np.random.Generator, share: float) -> str | None:
    """A stated gender preference for some people."""
    return str(rng.choice(["f", "m"])) if rng.random() < share else None


def make_mentor(rng: np.random.Generator, mentor_id: int) -> MentorCandidate:
    """A realistic high-school (or, sometimes, adult) mentor."""
    spanish = rng.random() < 0.22
    return MentorCandidate(
        id=mentor_id,
        grade=None if rng.random() < 0.05 else int(rng.integers(9, 13)),
        school=str(rng.choice(HIGH_SCHOOLS)),
        interests=_pick(rng, INTERESTS, 2, 5, POPULARITY),
        languages=frozenset({"en", "es"} if spanish else {"en"}),
        slots=_pick(rng, SLOTS, 2, 6),
        gender=_gender(rng),
        gender_preference=_preference(rng, 0.15),
        capacity=2,
        requirements_complete=rng.random() < 0.92,
    )


def make_mentee(rng: np.random.Generator, mentee_id: int) -> MenteeCandidate:
    """A realistic elementary-school mentee; some need a Spanish speaker."""
    spanish = rng.random() < 0.3
    return MenteeCandidate(
        id=mentee_id,
        grade=int(rng.integers(1, 7)),
        school=str(rng.choice(ELEMENTARY)),
        interests=_pick(rng, INTERESTS, 1, 4, POPULARITY),
        languages=frozenset({"en", "es"} if spanish else {"en"}),
        needed_language="es" if spanish and rng.random() < 0.3 else None,
        slots=_pick(rng, AFTER_SCHOOL, 2, 5),
        gender=_gender(rng),
        gender_preference=_preference(rng, 0.2),
    )


def make_program(n: int, seed: int = SEED) -> tuple[list, list, PairingRules]:
    """n mentees and n mentors (capacity 2) with feeder schools and a few do-not-pair rules."""
    rng = np.random.default_rng(seed + n)
    mentors = [make_mentor(rng, 1 + i) for i in range(n)]
    mentees = [make_mentee(rng, 100_000 + i) for i in range(n)]
    pairs = zip(rng.integers(1, n + 1, n // 50), rng.integers(0, n, n // 50), strict=True)
    blocked = frozenset((int(a), 100_000 + int(b)) for a, b in pairs)
    feeders = frozenset((low, high) for high, lows in FEEDERS.items() for low in lows)
    rules = PairingRules(min_grade_gap=3, do_not_pair=blocked, feeder_schools=feeders)
    return mentors, mentees, rules


def _valid(plan, mentors: list, mentees: list, rules: PairingRules) -> bool:
    """Every proposal passes the hard constraints and no mentor goes over capacity."""
    mentor_by_id = {m.id: m for m in mentors}
    mentee_by_id = {m.id: m for m in mentees}
    load: dict[int, int] = {}
    for p in plan.proposals:
        load[p.mentor_id] = load.get(p.mentor_id, 0) + 1
        if blocking_constraints(mentor_by_id[p.mentor_id], mentee_by_id[p.mentee_id], rules):
            return False
    return all(load[i] <= mentor_by_id[i].capacity for i in load)


def _timed(solve, *args) -> tuple[float, object]:
    """Wall-clock seconds for one call, and its result."""
    start = time.perf_counter()
    result = solve(*args)
    return time.perf_counter() - start, result


def measure(n: int) -> dict[str, float]:
    """Time the optimal solve (median of RUNS) and the greedy baseline on one program."""
    mentors, mentees, rules = make_program(n)
    runs = [_timed(propose_pairings, mentors, mentees, rules) for _ in range(RUNS)]
    optimal = runs[0][1]
    assert all(plan == optimal for _, plan in runs), "same input must give the same plan"
    greedy_seconds, greedy = _timed(greedy_assignment, mentors, mentees, rules)
    assert _valid(optimal, mentors, mentees, rules) and _valid(greedy, mentors, mentees, rules)
    return {
        "n": n,
        "seconds": statistics.median(s for s, _ in runs),
        "best": min(s for s, _ in runs),
        "greedy_seconds": greedy_seconds,
        "optimal_total": optimal.total_score,
        "greedy_total": greedy.total_score,
        "optimal_pairs": len(optimal.proposals),
        "greedy_pairs": len(greedy.proposals),
        "gain_pct": (optimal.total_score - greedy.total_score) / greedy.total_score * 100,
    }


COLUMNS = (  # key, heading, format
    ("n", "n", "6d"),
    ("seconds", "opt s (median)", "14.2f"),
    ("best", "opt s (best)", "12.2f"),
    ("greedy_seconds", "greedy s", "8.2f"),
    ("optimal_total", "opt total", "10.2f"),
    ("greedy_total", "greedy total", "12.2f"),
    ("optimal_pairs", "opt pairs", "9d"),
    ("greedy_pairs", "greedy pairs", "12d"),
    ("gain_pct", "gain %", "7.3f"),
)


def main() -> int:
    """Print a table, then the summary line; exit 1 if over budget or no gain."""
    print(f"mentor-mentee pairing: seed {SEED}, median of {RUNS} runs, n mentors of capacity 2")
    print(" ".join(heading.rjust(int(fmt[:-1].split(".")[0])) for _, heading, fmt in COLUMNS))
    rows = [measure(n) for n in SIZES]
    for row in rows:
        print(" ".join(format(row[key], fmt) for key, _, fmt in COLUMNS))
    last = rows[-1]
    print(
        f"pairing: n={last['n']} seconds={last['seconds']:.2f} "
        f"gain_vs_greedy_pct={last['gain_pct']:.3f}"
    )
    return 0 if last["seconds"] <= BUDGET_SECONDS and last["gain_pct"] > 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
