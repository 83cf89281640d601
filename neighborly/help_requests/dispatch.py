"""Snow-day batch assignment: regular helpers first, then a min-cost max-flow (pure).

Input is plain data: the day's occurrences (a cell point, minutes, maybe a regular helper) and
the volunteers (home point, walking limit, capacity for the day, categories). The plan covers
as many occurrences as any assignment can, and among those walks the fewest kilometres, never
sending anyone past their walking limit or over their capacity. Candidate pairs come from a
spatial grid as wide as the longest walking limit, so the work grows with the pairs within
walking distance, not with occurrences times volunteers. Each assignment carries its reason
as a code with the figures for its words; unreachable occurrences say why.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from ortools.graph.python import min_cost_flow

EARTH_RADIUS_KM = 6371.0088
KM_PER_DEGREE = EARTH_RADIUS_KM * math.pi / 180
COST_PER_KM = 1_000_000  # the solver counts whole millimetres

REGULAR = "regular"  # their regular helper, within walking distance with room
NEAREST = "nearest"  # the nearest volunteer who can walk there
NEARER_FULL = "nearer_full"  # nearer volunteers' lists are full with requests only they reach
NOBODY_WITHIN_WALK = "nobody_within_walk"
EVERYONE_NEARBY_FULL = "everyone_nearby_full"


@dataclass(frozen=True)
class Occurrence:
    """One snow-day job at its public cell point."""

    id: int
    lat: float
    lng: float
    minutes: int = 30
    regular_helper_id: int | None = None
    category: str = "snow"


@dataclass(frozen=True)
class Volunteer:
    """One volunteer's home, how far they will walk and how many jobs they take that day."""

    id: int
    lat: float
    lng: float
    walking_km: float
    capacity: int
    categories: frozenset[str] = frozenset({"snow"})


@dataclass(frozen=True)
class Assignment:
    """An occurrence given to a volunteer, with the reason code and its figures."""

    occurrence_id: int
    volunteer_id: int
    distance_km: float
    reason: str
    capacity_left: int = 0
    nearest_km: float = 0.0


@dataclass(frozen=True)
class Unreachable:
    """An occurrence nobody could take, and why."""

    occurrence_id: int
    reason: str
    volunteers_within_walk: int = 0


@dataclass(frozen=True)
class DispatchPlan:
    """The whole day's plan."""

    assignments: tuple[Assignment, ...]
    unreachable: tuple[Unreachable, ...]
    loads: dict[int, int] = field(default_factory=dict)

    @property
    def covered(self) -> int:
        """How many occurrences have a volunteer."""
        return len(self.assignments)

    @property
    def total_km(self) -> float:
        """The walking the plan asks for, in km."""
        return float(sum(a.distance_km for a in self.assignments))


def haversine_km(lat1, lng1, lat2, lng2):
    """Great-circle distance in km, elementwise on numpy arrays (or floats)."""
    phi1, phi2 = np.radians(lat1), np.radians(lat2)
    dphi = phi2 - phi1
    dlam = np.radians(np.asarray(lng2) - np.asarray(lng1))
    a = np.sin(dphi / 2) ** 2 + np.cos(phi1) * np.cos(phi2) * np.sin(dlam / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(a)))


def distance_km(occurrence: Occurrence, volunteer: Volunteer) -> float:
    """The distance the plan uses between one occurrence and one volunteer's home."""
    return float(haversine_km(occurrence.lat, occurrence.lng, volunteer.lat, volunteer.lng))


@dataclass(frozen=True)
class Candidates:
    """Every (occurrence, volunteer) pair within the volunteer's walking limit, as arrays."""

    occ: np.ndarray  # occurrence index
    vol: np.ndarray  # volunteer index
    km: np.ndarray  # distance


def candidates(occurrences: Sequence[Occurrence], volunteers: Sequence[Volunteer]) -> Candidates:
    """Pairs within walking distance (and category), found through a grid of the longest walk."""
    empty = Candidates(np.zeros(0, int), np.zeros(0, int), np.zeros(0))
    if not occurrences or not volunteers:
        return empty
    o_lat = np.array([o.lat for o in occurrences], dtype=float)
    o_lng = np.array([o.lng for o in occurrences], dtype=float)
    v_lat = np.array([v.lat for v in volunteers], dtype=float)
    v_lng = np.array([v.lng for v in volunteers], dtype=float)
    walk = np.array([max(0.0, v.walking_km) for v in volunteers], dtype=float)
    reach = max(float(walk.max()), 1e-6) * 1.001 + 1e-6
    dlat = reach / KM_PER_DEGREE
    widest = min(89.9, max(np.abs(o_lat).max(), np.abs(v_lat).max()) + dlat)
    columns = max(1, int(360 / min(360.0, dlat / math.cos(math.radians(widest)))))
    dlng = 360 / columns

    def keys(lat, lng):
        return np.floor((lat + 90) / dlat).astype(np.int64), (
            np.floor((lng + 180) / dlng).astype(np.int64) % columns
        )

    v_row, v_col = keys(v_lat, v_lng)
    buckets: dict[tuple[int, int], list[int]] = defaultdict(list)
    for index, key in enumerate(zip(v_row.tolist(), v_col.tolist(), strict=True)):
        buckets[key].append(index)
    o_row, o_col = keys(o_lat, o_lng)
    groups: dict[tuple[int, int], list[int]] = defaultdict(list)
    for index, key in enumerate(zip(o_row.tolist(), o_col.tolist(), strict=True)):
        groups[key].append(index)
    o_cat = [o.category for o in occurrences]
    serves = {c: np.array([c in v.categories for v in volunteers]) for c in set(o_cat)}
    everyone_serves = all(mask.all() for mask in serves.values())
    parts_o, parts_v, parts_d = [], [], []
    for (row, col), members in groups.items():
        near = [
            v
            for dr in (-1, 0, 1)
            for dc in sorted({(col + d) % columns for d in (-1, 0, 1)})
            for v in buckets.get((row + dr, dc), ())
        ]
        if not near:
            continue
        o_idx = np.array(members)
        v_idx = np.array(near)
        km = haversine_km(o_lat[o_idx, None], o_lng[o_idx, None], v_lat[v_idx], v_lng[v_idx])
        ok = km <= walk[v_idx]
        if not everyone_serves:
            ok &= np.stack([serves[o_cat[i]][v_idx] for i in members])
        r, k = np.nonzero(ok)
        parts_o.append(o_idx[r])
        parts_v.append(v_idx[k])
        parts_d.append(km[r, k])
    if not parts_o:
        return empty
    return Candidates(np.concatenate(parts_o), np.concatenate(parts_v), np.concatenate(parts_d))


def without(
    pairs: Candidates,
    occurrences: Sequence[Occurrence],
    volunteers: Sequence[Volunteer],
    forbidden: set[tuple[int, int]],
) -> Candidates:
    """The pairs minus forbidden (occurrence id, volunteer id) ones, e.g. blocked people."""
    if not forbidden or len(pairs.occ) == 0:
        return pairs
    o_ids = np.array([o.id for o in occurrences], dtype=np.int64)[pairs.occ]
    v_ids = np.array([v.id for v in volunteers], dtype=np.int64)[pairs.vol]
    keep = np.array(
        [(o, v) not in forbidden for o, v in zip(o_ids.tolist(), v_ids.tolist(), strict=True)],
        dtype=bool,
    )
    return Candidates(pairs.occ[keep], pairs.vol[keep], pairs.km[keep])


def _regulars_first(
    occurrences: Sequence[Occurrence], volunteers: Sequence[Volunteer], pairs: Candidates
) -> dict[int, tuple[int, float]]:
    """Occurrence index -> (volunteer index, km): regular helpers within limits, nearest first."""
    position = {v.id: i for i, v in enumerate(volunteers)}
    regular = np.array([position.get(o.regular_helper_id, -1) for o in occurrences], dtype=int)
    if len(pairs.occ) == 0 or not (regular >= 0).any():
        return {}
    mine = regular[pairs.occ] == pairs.vol
    room = [v.capacity for v in volunteers]
    offers = sorted(
        zip(
            pairs.km[mine].tolist(), pairs.occ[mine].tolist(), pairs.vol[mine].tolist(), strict=True
        )
    )
    chosen: dict[int, tuple[int, float]] = {}
    for km, o, v in offers:
        if room[v] > 0:
            room[v] -= 1
            chosen[o] = (v, km)
    return chosen


def _solve_flow(n: int, m: int, occ, vol, km, capacity: np.ndarray) -> dict[int, tuple[int, float]]:
    """Max flow with min cost: most occurrences covered, then least walking."""
    if len(occ) == 0:
        return {}
    source, sink = n + m, n + m + 1
    flow = min_cost_flow.SimpleMinCostFlow()
    tails = np.concatenate((np.full(n, source), occ, n + np.arange(m)))
    heads = np.concatenate((np.arange(n), n + vol, np.full(m, sink)))
    caps = np.concatenate((np.ones(n, np.int64), np.ones(len(occ), np.int64), capacity))
    costs = np.concatenate(
        (np.zeros(n, np.int64), np.rint(km * COST_PER_KM).astype(np.int64), np.zeros(m, np.int64))
    )
    arcs = flow.add_arcs_with_capacity_and_unit_cost(
        tails.astype(np.int32), heads.astype(np.int32), caps.astype(np.int64), costs
    )
    flow.set_node_supply(source, n)
    flow.set_node_supply(sink, -n)
    status = flow.solve_max_flow_with_min_cost()
    if status != flow.OPTIMAL:  # pragma: no cover - the graph is always well formed
        raise RuntimeError(f"min cost flow failed: {status}")
    used = flow.flows(arcs[n : n + len(occ)]) > 0
    return {
        int(o): (int(v), float(d)) for o, v, d in zip(occ[used], vol[used], km[used], strict=True)
    }


def _plan(
    occurrences: Sequence[Occurrence],
    volunteers: Sequence[Volunteer],
    pairs: Candidates,
    chosen: dict[int, tuple[int, float]],
    regular: set[int],
) -> DispatchPlan:
    """Words' data for every assignment, and why the rest are unreachable."""
    nearest = np.full(len(occurrences), np.inf)
    np.minimum.at(nearest, pairs.occ, pairs.km)
    within = np.bincount(pairs.occ, minlength=len(occurrences))
    loads: dict[int, int] = defaultdict(int)
    for v, _km in chosen.values():
        loads[volunteers[v].id] += 1
    assignments, unreachable = [], []
    for i, occurrence in enumerate(occurrences):
        if i in chosen:
            v, km = chosen[i]
            volunteer = volunteers[v]
            if i in regular:
                reason = REGULAR
            elif km <= nearest[i] + 1e-9:
                reason = NEAREST
            else:
                reason = NEARER_FULL
            left = volunteer.capacity - loads[volunteer.id]
            assignments.append(
                Assignment(occurrence.id, volunteer.id, km, reason, left, float(nearest[i]))
            )
        elif within[i] == 0:
            unreachable.append(Unreachable(occurrence.id, NOBODY_WITHIN_WALK, 0))
        else:
            unreachable.append(Unreachable(occurrence.id, EVERYONE_NEARBY_FULL, int(within[i])))
    return DispatchPlan(tuple(assignments), tuple(unreachable), dict(loads))


def dispatch(
    occurrences: Sequence[Occurrence],
    volunteers: Sequence[Volunteer],
    pairs: Candidates | None = None,
) -> DispatchPlan:
    """The optimal plan: regulars first, then most covered, then least walking."""
    pairs = pairs if pairs is not None else candidates(occurrences, volunteers)
    chosen = _regulars_first(occurrences, volunteers, pairs)
    capacity = np.array([max(0, v.capacity) for v in volunteers], dtype=np.int64)
    for v, _km in chosen.values():
        capacity[v] -= 1
    free = ~np.isin(pairs.occ, np.fromiter(chosen, dtype=int, count=len(chosen)))
    free &= capacity[pairs.vol] > 0
    solved = _solve_flow(
        len(occurrences),
        len(volunteers),
        pairs.occ[free],
        pairs.vol[free],
        pairs.km[free],
        capacity,
    )
    regular = set(chosen)
    chosen.update(solved)
    return _plan(occurrences, volunteers, pairs, chosen, regular)


def greedy_nearest_first(
    occurrences: Sequence[Occurrence],
    volunteers: Sequence[Volunteer],
    pairs: Candidates | None = None,
) -> DispatchPlan:
    """The baseline: regulars first, then each occurrence in turn takes the nearest with room."""
    pairs = pairs if pairs is not None else candidates(occurrences, volunteers)
    chosen = _regulars_first(occurrences, volunteers, pairs)
    regular = set(chosen)
    room = [max(0, v.capacity) for v in volunteers]
    for v, _km in chosen.values():
        room[v] -= 1
    order = np.lexsort((pairs.km, pairs.occ))
    occ, vol, km = pairs.occ[order], pairs.vol[order].tolist(), pairs.km[order].tolist()
    starts = np.searchsorted(occ, np.arange(len(occurrences) + 1)).tolist()
    for o in range(len(occurrences)):
        if o in chosen:
            continue
        for k in range(starts[o], starts[o + 1]):  # its candidates, nearest first
            if room[vol[k]] > 0:
                room[vol[k]] -= 1
                chosen[o] = (vol[k], km[k])
                break
    return _plan(occurrences, volunteers, pairs, chosen, regular)
