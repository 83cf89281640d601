"""Benchmark mentor-mentee pairing: optimal solve time and its gain over the greedy baseline.

Run: python benchmarks/pairing.py
The last line is machine-readable: pairing: n=5000 seconds=<s> gain_vs_greedy_pct=<g>
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

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
INTERESTS = (
    "soccer", "drawing", "reading", "minecraft", "basketball", "music",
    "cooking", "science", "dance", "animals", "legos", "video games",
)  # fmt: skip
POPULARITY = np.array([9, 6, 5, 8, 6, 5, 3, 4, 3, 6, 5, 8], dtype=float)
SLOTS = tuple(f"{day}-{hour}" for day in ("mon", "tue", "wed", "thu", "fri") for hour in (15, 16, 17))
SLOTS += ("sat-10", "sat-11", "sat-13", "sun-13", "sun-14")
HIGH_SCHOOLS = ("Algoma High", "Proviso East", "Proviso West")
FEEDERS = {
    "Algoma High": ("Algoma Elementary", "Lakeview Elementary", "Northside Elementary"),
    "Proviso East": ("Garfield Elementary", "Lincoln Elementary", "Irving Elementary"),
    "Proviso West": ("Hillside Elementary", "Roosevelt Elementary", "Westdale Elementary"),
}
ELEMENTARY = tuple(school for schools in FEEDERS.values() for school in schools)


def _pick(rng: np.random.Generator, pool: tuple[str, ...], low: int, high: int,
          weights: np.ndarray | None = None) -> frozenset[str]:
    """Choose between low and high distinct values from pool."""
    p = None if weights is None else weights / weights.sum()
    size = int(rng.integers(low, high + 1))
    return frozenset(pool[i] for i in rng.choice(len(pool), size=size, replace=False, p=p))


def _gender(rng: np.random.Generator) -> str | None:
    """Mostly f/m, a few nonbinary or unstated."""
    return str(rng.choice(["f", "m", "x", "none"], p=[0.48, 0.48, 0.02, 0.02])).replace("none", "")


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
        gender=_gender(rng) or None,
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
        slots=_pick(rng, SLOTS[:15], 2, 5),
        gender=_gender(rng) or None,
        gender_preference=_preference(rng, 0.2),
    )


def make_program(n: int, seed: int = SEED) -> tuple[list, list, PairingRules]:
    """n mentees and n mentors (capacity 2) with feeder schools and a few do-not-pair rules."""
    rng = np.random.default_rng(seed + n)
    mentors = [make_mentor(rng, 1 + i) for i in range(n)]
    mentees = [make_mentee(rng, 100_000 + i) for i in range(n)]
    blocked = {(int(rng.integers(1, n + 1)), int(100_000 + rng.integers(0, n))) for _ in range(n // 50)}
    feeders = frozenset((low, high) for high, lows in FEEDERS.items() for low in lows)
    rules = PairingRules(min_grade_gap=3, do_not_pair=frozenset(blocked), feeder_schools=feeders)
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


def measure(n: int) -> dict[str, float]:
    """Time the optimal solve and the greedy baseline on one program of size n."""
    mentors, mentees, rules = make_program(n)
    start = time.perf_counter()
    optimal = propose_pairings(mentors, mentees, rules)
    seconds = time.perf_counter() - start
    start = time.perf_counter()
    greedy = greedy_assignment(mentors, mentees, rules)
    greedy_seconds = time.perf_counter() - start
    assert _valid(optimal, mentors, mentees, rules) and _valid(greedy, mentors, mentees, rules)
    return {
        "n": n,
        "seconds": seconds,
        "greedy_seconds": greedy_seconds,
        "optimal_total": optimal.total_score,
        "greedy_total": greedy.total_score,
        "optimal_pairs": len(optimal.proposals),
        "greedy_pairs": len(greedy.proposals),
        "unmatched": len(optimal.unmatched),
        "gain_pct": (optimal.total_score - greedy.total_score) / greedy.total_score * 100,
    }


def main() -> int:
    """Print a table, then the summary line; fail if over budget or no gain."""
    header = f"{'n':>6} {'opt s':>7} {'greedy s':>8} {'opt total':>10} {'greedy tot':>10}"
    print(header + f" {'opt pairs':>9} {'grd pairs':>9} {'unmatched':>9} {'gain %':>7}")
    rows = [measure(n) for n in SIZES]
    for r in rows:
        print(
            f"{r['n']:>6} {r['seconds']:>7.2f} {r['greedy_seconds']:>8.2f}"
            f" {r['optimal_total']:>10.2f} {r['greedy_total']:>10.2f} {r['optimal_pairs']:>9}"
            f" {r['greedy_pairs']:>9} {r['unmatched']:>9} {r['gain_pct']:>7.3f}"
        )
    last = rows[-1]
    print(f"pairing: n={last['n']} seconds={last['seconds']:.2f} "
          f"gain_vs_greedy_pct={last['gain_pct']:.3f}")
    return 0 if last["seconds"] <= BUDGET_SECONDS and last["gain_pct"] > 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
