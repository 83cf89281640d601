"""Benchmark the snow-day dispatch: the optimal plan against greedy nearest-first, same run.

Run: python benchmarks/dispatch.py

What it measures:

- A seeded town of about 14 x 14 km around Proviso Township (IL): 20,000 snow-day
  occurrences (a tenth of them with a regular helper) and 5,000 volunteers, both denser
  in a few neighbourhoods than elsewhere, every volunteer with a capacity of 1-5 for the
  day and a walking limit.
- Two scenarios:
  *scarce*: capacities 1-5 evenly (about 15,000 places for 20,000 jobs), walks of
  0.4-1.2 km: not everything can be covered;
  *ample*: capacities 1-5 leaning to 5 (about 22,000 places), walks of 0.5-1.25 km.
- For each scenario, end to end: building the data, the candidate pairs within walking
  distance (spatial grid), `dispatch` (regular helpers first, then min-cost max-flow) and
  `greedy_nearest_first` (regular helpers first, then each occurrence in turn takes the
  nearest volunteer with room) on the same pairs, and a check of both plans against
  every capacity and walking limit. Each scenario must finish within 10 s.
- coverage_gain_scarce: occurrences the optimal plan covers beyond greedy in *scarce*.
- distance_ratio_ample: the optimal plan's walking per covered occurrence divided by
  greedy's, in *ample* (both cover the same number or the optimal more; below 1 means
  shorter walks).

The last line is machine-readable:
    dispatch: seconds=<slowest scenario> coverage_gain_scarce=<c> distance_ratio_ample=<d>
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from neighborly.help_requests.dispatch import (  # noqa: E402
    Occurrence,
    Volunteer,
    candidates,
    dispatch,
    greedy_nearest_first,
    haversine_km,
)

SEED = 20261129
OCCURRENCES = 20_000
VOLUNTEERS = 5_000
BUDGET_SECONDS = 10.0
CENTRE = (41.87, -87.87)
HALF_SIDE_DEG = (0.063, 0.085)  # ~7 km each way
SCENARIOS = {
    "scarce": {"capacity_p": (0.2, 0.2, 0.2, 0.2, 0.2), "walks": (0.4, 0.6, 0.8, 1.2)},
    "ample": {"capacity_p": (0.02, 0.03, 0.05, 0.1, 0.8), "walks": (0.5, 0.75, 1.0, 1.25)},
}


def _points(rng: np.random.Generator, n: int, hubs: np.ndarray) -> np.ndarray:
    """Half spread evenly over the town, half around neighbourhood hubs."""
    lat0, lng0 = CENTRE
    dlat, dlng = HALF_SIDE_DEG
    even = n // 2
    spread = np.column_stack(
        (rng.uniform(lat0 - dlat, lat0 + dlat, even), rng.uniform(lng0 - dlng, lng0 + dlng, even))
    )
    which = rng.integers(0, len(hubs), n - even)
    clustered = hubs[which] + rng.normal(0, 1, (n - even, 2)) * (0.006, 0.008)
    return np.vstack((spread, clustered))


def build(name: str) -> tuple[list[Occurrence], list[Volunteer]]:
    """The scenario's seeded town."""
    rng = np.random.default_rng(SEED)
    lat0, lng0 = CENTRE
    dlat, dlng = HALF_SIDE_DEG
    hubs = np.column_stack(
        (rng.uniform(lat0 - dlat, lat0 + dlat, 12), rng.uniform(lng0 - dlng, lng0 + dlng, 12))
    )
    homes = _points(rng, VOLUNTEERS, hubs)
    settings = SCENARIOS[name]
    capacities = rng.choice(np.arange(1, 6), VOLUNTEERS, p=settings["capacity_p"])
    walks = rng.choice(settings["walks"], VOLUNTEERS)
    volunteers = [
        Volunteer(i, float(lat), float(lng), float(w), int(c))
        for i, ((lat, lng), w, c) in enumerate(zip(homes, walks, capacities, strict=True))
    ]
    jobs = _points(rng, OCCURRENCES, hubs)
    regular = np.where(rng.random(OCCURRENCES) < 0.1, rng.integers(0, VOLUNTEERS, OCCURRENCES), -1)
    occurrences = [
        Occurrence(i, float(lat), float(lng), 30, int(r) if r >= 0 else None)
        for i, ((lat, lng), r) in enumerate(zip(jobs, regular, strict=True))
    ]
    return occurrences, volunteers


def check(plan, occurrences, volunteers) -> None:
    """Every capacity and walking limit kept; nobody given twice."""
    load = Counter(a.volunteer_id for a in plan.assignments)
    assert all(load[v.id] <= v.capacity for v in volunteers), "over capacity"
    ids = [a.occurrence_id for a in plan.assignments]
    assert len(ids) == len(set(ids)), "an occurrence given twice"
    o = np.array(
        [
            (occurrences[a.occurrence_id].lat, occurrences[a.occurrence_id].lng)
            for a in plan.assignments
        ]
    ).reshape(-1, 2)
    v = np.array(
        [
            (
                volunteers[a.volunteer_id].lat,
                volunteers[a.volunteer_id].lng,
                volunteers[a.volunteer_id].walking_km,
            )
            for a in plan.assignments
        ]
    ).reshape(-1, 3)
    assert (haversine_km(o[:, 0], o[:, 1], v[:, 0], v[:, 1]) <= v[:, 2] + 1e-9).all(), "too far"


def measure(name: str) -> dict:
    """One scenario end to end."""
    started = time.perf_counter()
    occurrences, volunteers = build(name)
    pairs = candidates(occurrences, volunteers)
    solve_started = time.perf_counter()
    optimal = dispatch(occurrences, volunteers, pairs)
    solve_seconds = time.perf_counter() - solve_started
    greedy = greedy_nearest_first(occurrences, volunteers, pairs)
    check(optimal, occurrences, volunteers)
    check(greedy, occurrences, volunteers)
    seconds = time.perf_counter() - started
    return {
        "scenario": name,
        "seconds": seconds,
        "solve": solve_seconds,
        "pairs": len(pairs.occ),
        "places": sum(v.capacity for v in volunteers),
        "opt_cov": optimal.covered,
        "greedy_cov": greedy.covered,
        "opt_km": optimal.total_km,
        "greedy_km": greedy.total_km,
        "opt_mean": optimal.total_km / max(1, optimal.covered),
        "greedy_mean": greedy.total_km / max(1, greedy.covered),
    }


COLUMNS = (  # key, heading, format
    ("scenario", "scenario", "8s"),
    ("seconds", "total s", "8.2f"),
    ("solve", "solve s", "8.2f"),
    ("pairs", "pairs", "9d"),
    ("places", "places", "7d"),
    ("opt_cov", "opt cov", "8d"),
    ("greedy_cov", "greedy cov", "10d"),
    ("opt_km", "opt km", "9.1f"),
    ("greedy_km", "greedy km", "10.1f"),
    ("opt_mean", "opt km/job", "10.3f"),
    ("greedy_mean", "greedy km/job", "13.3f"),
)


def main() -> int:
    """Print a table, then the summary line; exit 1 if over budget or no gain."""
    print(f"snow-day dispatch: seed {SEED}, {OCCURRENCES} occurrences, {VOLUNTEERS} volunteers")
    print(" ".join(heading.rjust(int(fmt[:-1].split(".")[0])) for _, heading, fmt in COLUMNS))
    rows = {name: measure(name) for name in SCENARIOS}
    for row in rows.values():
        print(" ".join(format(row[key], fmt) for key, _, fmt in COLUMNS))
    seconds = max(row["seconds"] for row in rows.values())
    gain = rows["scarce"]["opt_cov"] - rows["scarce"]["greedy_cov"]
    ratio = rows["ample"]["opt_mean"] / rows["ample"]["greedy_mean"]
    summary = f"seconds={seconds:.2f} coverage_gain_scarce={gain} distance_ratio_ample={ratio:.3f}"
    print(f"dispatch: {summary}")
    return 0 if seconds <= BUDGET_SECONDS and gain > 0 and ratio < 1 else 1


if __name__ == "__main__":
    raise SystemExit(main())
