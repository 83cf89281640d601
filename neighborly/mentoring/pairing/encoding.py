"""Many pairs at once: people as bitsets, scores and masks a block of mentees at a time."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from neighborly.mentoring.pairing.model import (
    _BLOCK_CELLS,
    CRITERIA,
    SATURATION,
    MenteeCandidate,
    MentorCandidate,
    PairingRules,
    Weights,
)
from neighborly.mentoring.pairing.scoring import (
    _accepts,
    _ahead,
    _is_wanted,
    _linked,
    _points,
    _speaks,
    _total,
)


def _vocabulary(values: Iterable[Iterable[str]]) -> dict[str, int]:
    """Number every distinct value, in sorted order."""
    return {value: index for index, value in enumerate(sorted({v for vs in values for v in vs}))}


def _bits(sets: Sequence[frozenset[str]], vocabulary: dict[str, int]) -> np.ndarray:
    """Encode sets as bitsets: one row per set, 64 values per uint64 word."""
    out = np.zeros((len(sets), max(1, -(-len(vocabulary) // 64))), dtype=np.uint64)
    rows = np.repeat(np.arange(len(sets)), [len(values) for values in sets])
    cols = np.array([vocabulary[value] for values in sets for value in values], dtype=np.int64)
    bits = np.left_shift(np.uint64(1), (cols % 64).astype(np.uint64))
    np.bitwise_or.at(out, (rows, cols // 64), bits)
    return out


_BYTE_COUNTS = np.array([bin(b).count("1") for b in range(256)], dtype=np.uint16)


def _popcount(words: np.ndarray) -> np.ndarray:
    """Count set bits of uint64 words (numpy 2 has this built in)."""
    if hasattr(np, "bitwise_count"):
        return np.bitwise_count(words).astype(np.uint16)
    counts = _BYTE_COUNTS[words.view(np.uint8)].reshape(*words.shape, 8).sum(axis=-1)
    return counts.astype(np.uint16)


def _shared(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Count the values each row of bitsets a shares with each row of b (uint16)."""
    counts = _popcount(a[:, 0, None] & b[None, :, 0])
    for word in range(1, a.shape[1]):
        counts += _popcount(a[:, word, None] & b[None, :, word])
    return counts


@dataclass(frozen=True)
class _Sets:
    """One side's interests, slots and languages as bitsets (row i is person i in id order)."""

    interests: np.ndarray
    slots: np.ndarray
    languages: np.ndarray


@dataclass(frozen=True)
class _Lookup:
    """A per-mentee-value row of mentors: table[index[mentee]] is that mentee's row."""

    code: str
    table: np.ndarray
    index: np.ndarray

    def rows(self, mentees: np.ndarray) -> np.ndarray:
        """The rows for these mentee indices."""
        return self.table[self.index[mentees]]


@dataclass(frozen=True)
class _Table:
    """Every possible score's rank, at index spoken * width + pair code; values by rank."""

    ranks: np.ndarray
    width: int
    values: np.ndarray


@dataclass(frozen=True)
class _Problem:
    """Sorted people, rules, array encodings and seats left after the fixed pairs."""

    mentors: tuple[MentorCandidate, ...]
    mentees: tuple[MenteeCandidate, ...]
    rules: PairingRules
    mentor: _Sets
    mentee: _Sets
    ready: np.ndarray
    lookups: tuple[_Lookup, ...]
    schools: _Lookup
    spoken: np.ndarray
    table: _Table
    do_not_pair: dict[int, np.ndarray]
    seats: np.ndarray
    fixed: tuple[tuple[int, int], ...]
    rows: np.ndarray


def _encode_sets(people: Sequence, vocab: dict[str, dict[str, int]]) -> _Sets:
    """Encode mentors' or mentees' sets with the shared vocabularies."""
    return _Sets(
        interests=_bits([p.interests for p in people], vocab["interests"]),
        slots=_bits([p.slots for p in people], vocab["slots"]),
        languages=_bits([p.languages for p in people], vocab["languages"]),
    )


def _vocabularies(mentors: Sequence, mentees: Sequence) -> dict[str, dict[str, int]]:
    """Build the value-to-bit maps shared by both sides."""
    people = (*mentors, *mentees)
    return {
        "interests": _vocabulary(p.interests for p in people),
        "slots": _vocabulary(p.slots for p in people),
        "languages": _vocabulary(p.languages for p in people),
    }


def _lookup(code: str, mentors: Sequence, keys: Sequence, allowed: Callable) -> _Lookup:
    """Tabulate `allowed(mentor, key)` once per distinct mentee key instead of per pair."""
    distinct = list(dict.fromkeys(keys))
    table = np.array([[allowed(m, key) for m in mentors] for key in distinct], dtype=bool)
    position = {key: row for row, key in enumerate(distinct)}
    index = np.array([position[key] for key in keys], dtype=np.int64)
    return _Lookup(code, table.reshape(len(distinct), len(mentors)), index)


def _lookups(mentors: Sequence, mentees: Sequence, rules: PairingRules) -> tuple[_Lookup, ...]:
    """The per-value hard constraints, in `CONSTRAINTS` order."""
    gap = rules.min_grade_gap
    return (
        _lookup("needed_language", mentors, [m.needed_language for m in mentees], _speaks),
        _lookup("mentee_preference", mentors, [m.gender_preference for m in mentees], _is_wanted),
        _lookup("mentor_preference", mentors, [m.gender for m in mentees], _accepts),
        _lookup("grade_gap", mentors, [m.grade for m in mentees], lambda m, g: _ahead(m, g, gap)),
    )


def _school_lookup(mentors: Sequence, mentees: Sequence, rules: PairingRules) -> _Lookup:
    """Which mentors share or are fed by each mentee's school."""
    keys = [m.school for m in mentees]
    return _lookup(
        "school", mentors, keys, lambda m, school: bool(_linked(m.school, school, rules))
    )


def _pair_code(interests: int, slots: int, linked: int, shared: int) -> int:
    """Pack saturated shared counts into one small integer (see `_block_ranks`)."""
    return min(interests, SATURATION) + 4 * min(slots, SATURATION) + 16 * linked + 32 * shared


@functools.lru_cache(maxsize=64)
def _score_table(weights: Weights, most_spoken: int) -> _Table:
    """Tabulate `_points` for every code, and rank the distinct positive totals best first."""
    width = _pair_code(SATURATION, SATURATION, 1, most_spoken) + 1
    scores = np.zeros((most_spoken + 1, width))
    for spoken, code in np.ndindex(scores.shape):
        parts = (code % 4, code // 4 % 4, code // 16 % 2, code // 32)
        points = _points(weights, parts[0], parts[1], bool(parts[2]), parts[3], spoken)
        scores[spoken, code] = _total(points)
    values = np.unique(scores[scores > 0])[::-1]
    ranks = np.full(scores.shape, len(values), dtype=np.int16)
    for rank, value in enumerate(values):
        ranks[scores == value] = rank
    table = _Table(ranks.ravel(), width, np.append(values, -np.inf))
    table.ranks.flags.writeable = table.values.flags.writeable = False  # cached and shared
    return table


def _check_people(mentors: Sequence, mentees: Sequence, rules: PairingRules) -> None:
    """Reject inputs the solver cannot honour."""
    if len({m.id for m in mentors}) != len(mentors) or len({m.id for m in mentees}) != len(mentees):
        raise ValueError("mentor and mentee ids must be unique")
    if any(m.capacity < 0 for m in mentors):
        raise ValueError("mentor capacity cannot be negative")
    if any(getattr(rules.weights, name) < 0 for name in CRITERIA):
        raise ValueError("weights cannot be negative")
    fixed_mentees = [mentee_id for _, mentee_id in rules.fixed]
    if len(set(fixed_mentees)) != len(fixed_mentees):
        raise ValueError("a mentee can be in only one fixed pair")
    mentor_ids, mentee_ids = {m.id for m in mentors}, {m.id for m in mentees}
    if any(a not in mentor_ids or b not in mentee_ids for a, b in rules.fixed):
        raise ValueError("a fixed pair names an unknown mentor or mentee")


def _blocked(mentors: Sequence, mentees: Sequence, rules: PairingRules) -> dict[int, np.ndarray]:
    """Do-not-pair mentor indices per mentee index (unknown ids are ignored)."""
    mentor_at = {m.id: i for i, m in enumerate(mentors)}
    mentee_at = {m.id: i for i, m in enumerate(mentees)}
    blocked: dict[int, list[int]] = {}
    for mentor_id, mentee_id in sorted(rules.do_not_pair):
        if mentor_id in mentor_at and mentee_id in mentee_at:
            blocked.setdefault(mentee_at[mentee_id], []).append(mentor_at[mentor_id])
    return {row: np.array(cols, dtype=np.int64) for row, cols in blocked.items()}


def _prepare(
    mentors: Iterable[MentorCandidate], mentees: Iterable[MenteeCandidate], rules: PairingRules
) -> _Problem:
    """Validate, sort by id, encode, and take the fixed pairs' seats away."""
    mentors = tuple(sorted(mentors, key=lambda m: m.id))
    mentees = tuple(sorted(mentees, key=lambda m: m.id))
    _check_people(mentors, mentees, rules)
    vocab = _vocabularies(mentors, mentees)
    mentor_at = {m.id: i for i, m in enumerate(mentors)}
    mentee_at = {m.id: i for i, m in enumerate(mentees)}
    fixed = tuple(sorted((mentor_at[a], mentee_at[b]) for a, b in rules.fixed))
    taken = np.bincount([j for j, _ in fixed], minlength=len(mentors)).astype(np.int64)
    spoken = np.array([len(m.languages) for m in mentees], dtype=np.int64)
    return _Problem(
        mentors=mentors,
        mentees=mentees,
        rules=rules,
        mentor=_encode_sets(mentors, vocab),
        mentee=_encode_sets(mentees, vocab),
        ready=np.array([m.requirements_complete for m in mentors], dtype=bool),
        lookups=_lookups(mentors, mentees, rules),
        schools=_school_lookup(mentors, mentees, rules),
        spoken=spoken,
        table=_score_table(rules.weights, int(spoken.max(initial=0))),
        do_not_pair=_blocked(mentors, mentees, rules),
        seats=np.maximum(np.array([m.capacity for m in mentors], dtype=np.int64) - taken, 0),
        fixed=fixed,
        rows=np.setdiff1d(np.arange(len(mentees)), [i for _, i in fixed]).astype(np.int64),
    )


@dataclass(frozen=True)
class _Block:
    """Score ranks and hard-constraint masks for some mentee rows against every mentor."""

    rows: np.ndarray
    ranks: np.ndarray
    masks: tuple[tuple[str, np.ndarray], ...]

    def feasible_ranks(self, problem: _Problem) -> np.ndarray:
        """Ranks where the pair is allowed, has a seat and scores above zero; else the worst."""
        allowed = np.broadcast_to(problem.seats > 0, self.ranks.shape).copy()
        for _, mask in self.masks:
            allowed &= mask
        return np.where(allowed, self.ranks, len(problem.table.values) - 1)


def _block_ranks(problem: _Problem, rows: np.ndarray, slots: np.ndarray) -> np.ndarray:
    """Vectorised `score_pair`: pack shared counts into a code and look its rank up."""
    mentee, mentor = problem.mentee, problem.mentor
    code = np.minimum(_shared(mentee.interests[rows], mentor.interests), SATURATION)
    code = code.astype(np.int32)
    code += np.minimum(slots, SATURATION) * 4
    code += problem.schools.rows(rows).view(np.uint8) * np.uint16(16)
    code += _shared(mentee.languages[rows], mentor.languages) * 32
    code += (problem.spoken[rows] * problem.table.width)[:, None]
    return problem.table.ranks.take(code)


def _do_not_pair_mask(problem: _Problem, rows: np.ndarray) -> np.ndarray:
    """False where a mentee row is on the do-not-pair list with a mentor."""
    mask = np.ones((len(rows), len(problem.mentors)), dtype=bool)
    for local, row in enumerate(rows.tolist()):
        if row in problem.do_not_pair:
            mask[local, problem.do_not_pair[row]] = False
    return mask


def _block_masks(problem: _Problem, rows: np.ndarray, slots: np.ndarray) -> tuple:
    """Each hard constraint as a boolean mask (broadcastable to rows x mentors), in order."""
    return (
        ("requirements", problem.ready[None, :]),
        ("shared_time", slots > 0),
        *((lookup.code, lookup.rows(rows)) for lookup in problem.lookups),
        ("do_not_pair", _do_not_pair_mask(problem, rows)),
    )


def _block(problem: _Problem, rows: np.ndarray) -> _Block:
    """Score and check some mentee rows against every mentor."""
    slots = _shared(problem.mentee.slots[rows], problem.mentor.slots)
    return _Block(rows, _block_ranks(problem, rows, slots), _block_masks(problem, rows, slots))


def _blocks(problem: _Problem, local: np.ndarray) -> Iterator[tuple[int, _Block]]:
    """Walk some solved mentees (local row numbers) in small blocks, with each block's start."""
    size = max(1, _BLOCK_CELLS // max(1, len(problem.mentors)))
    for start in range(0, len(local), size):
        yield start, _block(problem, problem.rows[local[start : start + size]])


def _best(problem: _Problem, ranks: np.ndarray, width: int) -> tuple[np.ndarray, np.ndarray]:
    """Each row's `width` best-ranked mentors (ties: mentor order) as (mentors, ranks)."""
    m, worst = len(problem.mentors), len(problem.table.values) - 1
    width = min(width, m)
    keys = ranks.astype(np.int64) * m + np.arange(m)
    keys = np.sort(np.partition(keys, width - 1, axis=1)[:, :width], axis=1)
    ranks = keys // m
    return np.where(ranks < worst, keys % m, -1), ranks


@dataclass(frozen=True)
class _Candidates:
    """Each solved mentee's best feasible mentors, best first (-1 and -inf pad)."""

    mentors: np.ndarray
    scores: np.ndarray


def _candidates(problem: _Problem, width: int) -> _Candidates:
    """Best `width` feasible mentors for every mentee being solved."""
    mentors = np.full((len(problem.rows), width), -1, dtype=np.int64)
    scores = np.full((len(problem.rows), width), -np.inf)
    everyone = np.arange(len(problem.rows))
    for start, block in _blocks(problem, everyone) if problem.mentors else ():
        best, ranks = _best(problem, block.feasible_ranks(problem), width)
        stop = start + len(block.rows)
        mentors[start:stop, : best.shape[1]] = best
        scores[start:stop, : best.shape[1]] = problem.table.values[ranks]
    return _Candidates(mentors, scores)


def _edges(candidates: _Candidates, limit: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The first `limit` candidates per mentee as (local row, mentor, score) arrays."""
    mentors, scores = candidates.mentors[:, :limit], candidates.scores[:, :limit]
    rows, slot = np.nonzero(mentors >= 0)
    return rows, mentors[rows, slot], scores[rows, slot]
