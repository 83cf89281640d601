"""Optimal mentor-mentee pairing with plain-words reasons (pure: no Flask, no database).

The coordinator's program proposes; staff approve. This module takes plain dataclasses
and returns a `PairingPlan`: the maximum-total-score set of proposals under the hard
constraints, two ranked alternatives per mentee, and why anyone was left unmatched.

How the optimum is found (exactly, and fast at 5000 x 5000):
1. Feasibility and scores are computed with numpy on 0/1 matrices, a block of mentees
   at a time, and only each mentee's top candidates are kept.
2. That sparse problem is solved as an assignment problem with
   `scipy.sparse.csgraph.min_weight_full_bipartite_matching`: each mentor becomes one
   column per free seat and each mentee gets a private "unmatched" column, so nobody
   is ever forced into a pair.
3. Optimality for the *full* problem is then proved with LP duality: node potentials
   from Bellman-Ford on the residual graph must price every pruned feasible pair as
   no better than what it would displace. Pairs that fail are added and the problem
   is solved again, until the certificate holds.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import bellman_ford, min_weight_full_bipartite_matching

CRITERIA = ("interests", "schedule", "school", "language")
CONSTRAINTS = (
    "requirements",
    "shared_time",
    "needed_language",
    "mentee_preference",
    "mentor_preference",
    "grade_gap",
    "do_not_pair",
)
CAPACITY = "capacity"
NO_MENTORS = "no_mentors"
ZERO_SCORE = "zero_score"
SATURATION = 3  # a fourth shared interest or time adds nothing more

LANGUAGE_NAMES = {
    "ar": "Arabic",
    "de": "German",
    "en": "English",
    "es": "Spanish",
    "fr": "French",
    "hmn": "Hmong",
    "pl": "Polish",
    "vi": "Vietnamese",
    "zh": "Chinese",
}
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

_BLOCK_CELLS = 2_000_000  # mentee rows x mentors scored at once (about 16 MB of float64)
_GREEDY_LIST = 16
_TOLERANCE = 1e-9


@dataclass(frozen=True)
class MentorCandidate:
    """A mentor ("Wolf") as the pairing sees them; grade None means an adult."""

    id: int
    grade: int | None
    school: str | None
    interests: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()
    slots: frozenset[str] = frozenset()
    gender: str | None = None
    gender_preference: str | None = None
    capacity: int = 1
    requirements_complete: bool = True


@dataclass(frozen=True)
class MenteeCandidate:
    """A mentee ("Pup") as the pairing sees them."""

    id: int
    grade: int
    school: str | None
    interests: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()
    needed_language: str | None = None
    slots: frozenset[str] = frozenset()
    gender: str | None = None
    gender_preference: str | None = None


@dataclass(frozen=True)
class Weights:
    """Points for each criterion at its best (each criterion scores between 0 and 1)."""

    interests: float = 1.0
    schedule: float = 1.0
    school: float = 1.0
    language: float = 1.0


@dataclass(frozen=True)
class PairingRules:
    """A program's pairing settings; feeder_schools holds (feeder school, school it feeds)."""

    min_grade_gap: int = 1
    do_not_pair: frozenset[tuple[int, int]] = frozenset()
    feeder_schools: frozenset[tuple[str, str]] = frozenset()
    fixed: tuple[tuple[int, int], ...] = ()
    weights: Weights = field(default_factory=Weights)


@dataclass(frozen=True)
class Reason:
    """One criterion's reason: stable code, English words, and the raw items to translate."""

    criterion: str
    words: str
    items: tuple[str, ...]


@dataclass(frozen=True)
class PairScore:
    """A pair's total score, per-criterion points and reasons."""

    total: float
    breakdown: tuple[tuple[str, float], ...]
    reasons: tuple[Reason, ...]


@dataclass(frozen=True)
class Proposal:
    """A proposed (or kept) pairing with its explanation."""

    mentor_id: int
    mentee_id: int
    score: float
    breakdown: tuple[tuple[str, float], ...]
    reasons: tuple[Reason, ...]


@dataclass(frozen=True)
class Alternative:
    """A next-best mentor for a mentee; has_room is False if the plan already fills them."""

    mentor_id: int
    score: float
    breakdown: tuple[tuple[str, float], ...]
    reasons: tuple[Reason, ...]
    has_room: bool


@dataclass(frozen=True)
class Unmatched:
    """A mentee left without a proposal, with the constraint that blocked them."""

    mentee_id: int
    blocked_by: str
    words: str


@dataclass(frozen=True)
class PairingPlan:
    """The result: new proposals, kept (fixed) pairs, alternatives, unmatched, total score."""

    proposals: tuple[Proposal, ...]
    kept: tuple[Proposal, ...]
    alternatives: Mapping[int, tuple[Alternative, ...]]
    unmatched: tuple[Unmatched, ...]
    total_score: float


# ---------------------------------------------------------------- words


def language_name(code: str) -> str:
    """Name a language code in English ("es" -> "Spanish"); unknown codes pass through."""
    return LANGUAGE_NAMES.get(code, code)


def _slot_parts(code: str) -> tuple[int, int] | None:
    """Split "tue-15" or "tue-1530" into (day index, minutes after midnight)."""
    day, _, time = code.lower().partition("-")
    if day not in DAYS or not time.isdigit() or len(time) not in (1, 2, 4):
        return None
    hour, minute = (int(time), 0) if len(time) <= 2 else (int(time[:2]), int(time[2:]))
    if hour > 23 or minute > 59:
        return None
    return DAYS.index(day), hour * 60 + minute


def describe_slot(code: str) -> str:
    """Say a weekly slot code in plain words: "tue-15" -> "Tue 3 pm"."""
    parts = _slot_parts(code)
    if parts is None:
        return code
    day, minutes = parts
    hour, minute = divmod(minutes, 60)
    clock = str(hour % 12 or 12) + (f":{minute:02d}" if minute else "")
    return f"{DAYS[day].title()} {clock} {'am' if hour < 12 else 'pm'}"


def _slot_order(code: str) -> tuple[int, int, str]:
    """Sort slots by weekday and time, unknown codes last."""
    parts = _slot_parts(code)
    return (*(parts or (len(DAYS), 0)), code)


def _plural(count: int, noun: str) -> str:
    """Say "1 shared time" or "2 shared times"."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


# ---------------------------------------------------------------- one pair


def _school_link(mentor: MentorCandidate, mentee: MenteeCandidate, rules: PairingRules) -> str:
    """Return "same", "feeder" or "" for the school criterion."""
    if mentor.school is None or mentee.school is None:
        return ""
    if mentor.school == mentee.school:
        return "same"
    return "feeder" if (mentee.school, mentor.school) in rules.feeder_schools else ""


def _reasons(mentor: MentorCandidate, mentee: MenteeCandidate, link: str) -> tuple[Reason, ...]:
    """Explain what the pair shares, one reason per criterion that has something."""
    reasons = []
    if interests := sorted(mentor.interests & mentee.interests):
        reasons.append(Reason("interests", "both like " + ", ".join(interests), tuple(interests)))
    if slots := sorted(mentor.slots & mentee.slots, key=_slot_order):
        said = ", ".join(describe_slot(s) for s in slots)
        reasons.append(Reason("schedule", f"{_plural(len(slots), 'shared time')}: {said}", tuple(slots)))
    if link == "same":
        reasons.append(Reason("school", "same school", (str(mentee.school),)))
    elif link == "feeder":
        words = f"feeder school: {mentee.school} feeds {mentor.school}"
        reasons.append(Reason("school", words, (str(mentee.school), str(mentor.school))))
    if languages := sorted(mentor.languages & mentee.languages):
        said = ", ".join(language_name(code) for code in languages)
        reasons.append(Reason("language", "both speak " + said, tuple(languages)))
    return tuple(reasons)


def score_pair(mentor: MentorCandidate, mentee: MenteeCandidate, rules: PairingRules) -> PairScore:
    """Score one pair (hard constraints are not checked here) and explain it."""
    weights, link = rules.weights, _school_link(mentor, mentee, rules)
    shared_languages = len(mentor.languages & mentee.languages)
    language = shared_languages / len(mentee.languages) if mentee.languages else 0.0
    points = (
        weights.interests * (min(len(mentor.interests & mentee.interests), SATURATION) / SATURATION),
        weights.schedule * (min(len(mentor.slots & mentee.slots), SATURATION) / SATURATION),
        weights.school * (1.0 if link else 0.0),
        weights.language * language,
    )
    total = points[0] + points[1] + points[2] + points[3]
    return PairScore(total, tuple(zip(CRITERIA, points, strict=True)), _reasons(mentor, mentee, link))


def blocking_constraints(
    mentor: MentorCandidate, mentee: MenteeCandidate, rules: PairingRules
) -> tuple[str, ...]:
    """List the hard constraints (capacity aside) that forbid this pair; empty means allowed."""
    gap_ok = mentor.grade is None or mentor.grade - mentee.grade >= rules.min_grade_gap
    checks = (
        mentor.requirements_complete,
        bool(mentor.slots & mentee.slots),
        mentee.needed_language is None or mentee.needed_language in mentor.languages,
        mentee.gender_preference is None or mentee.gender_preference == mentor.gender,
        mentor.gender_preference is None or mentor.gender_preference == mentee.gender,
        gap_ok,
        (mentor.id, mentee.id) not in rules.do_not_pair,
    )
    return tuple(code for code, ok in zip(CONSTRAINTS, checks, strict=True) if not ok)


def unmatched_words(code: str, mentee: MenteeCandidate, rules: PairingRules) -> str:
    """Say in plain English why a mentee could not be paired."""
    gap = rules.min_grade_gap
    words = {
        NO_MENTORS: "no mentors are enrolled",
        "requirements": "no mentor has finished their requirements",
        "shared_time": "no mentor shares a free time",
        "needed_language": f"no mentor speaks {language_name(mentee.needed_language or '')}",
        "mentee_preference": "no mentor is the gender this mentee prefers",
        "mentor_preference": "every mentor left prefers a mentee of another gender",
        "grade_gap": f"no mentor is at least {_plural(gap, 'grade')} ahead",
        "do_not_pair": "every suitable mentor is on the do-not-pair list",
        CAPACITY: "every suitable mentor is full",
        ZERO_SCORE: "suitable mentors score zero with these weights",
    }
    return words[code]


# ---------------------------------------------------------------- encoding


def _vocabulary(*groups: Iterable[Iterable[str]]) -> dict[str, int]:
    """Number every distinct value, in sorted order."""
    values = sorted({value for group in groups for values in group for value in values})
    return {value: index for index, value in enumerate(values)}


def _indicator(sets: Sequence[frozenset[str]], vocabulary: dict[str, int]) -> np.ndarray:
    """Encode sets as a 0/1 float32 matrix, one row per set."""
    out = np.zeros((len(sets), len(vocabulary)), dtype=np.float32)
    cells = [(row, vocabulary[value]) for row, values in enumerate(sets) for value in values]
    if cells:
        rows, cols = zip(*cells, strict=True)
        out[list(rows), list(cols)] = 1.0
    return out


def _codes(values: Sequence[str | None], vocabulary: dict[str, int], missing: int) -> np.ndarray:
    """Encode optional labels as integers, `missing` for None."""
    return np.array([missing if v is None else vocabulary[v] for v in values], dtype=np.int64)


@dataclass(frozen=True)
class _Side:
    """One side's attributes as arrays (row i is person i in id order)."""

    interests: np.ndarray
    slots: np.ndarray
    languages: np.ndarray
    school: np.ndarray
    gender: np.ndarray
    preference: np.ndarray
    grade: np.ndarray


@dataclass(frozen=True)
class _Problem:
    """Sorted people, rules, array encodings and seats left after the fixed pairs."""

    mentors: tuple[MentorCandidate, ...]
    mentees: tuple[MenteeCandidate, ...]
    rules: PairingRules
    mentor: _Side
    mentee: _Side
    ready: np.ndarray
    adult: np.ndarray
    needed: np.ndarray
    mentee_language_count: np.ndarray
    feeds: np.ndarray
    do_not_pair: dict[int, np.ndarray]
    seats: np.ndarray
    fixed: tuple[tuple[int, int], ...]
    rows: np.ndarray


def _encode_side(people: Sequence, vocab: dict[str, dict[str, int]]) -> _Side:
    """Encode mentors or mentees with the shared vocabularies."""
    return _Side(
        interests=_indicator([p.interests for p in people], vocab["interests"]),
        slots=_indicator([p.slots for p in people], vocab["slots"]),
        languages=_indicator([p.languages for p in people], vocab["languages"]),
        school=_codes([p.school for p in people], vocab["schools"], -1) + 1,
        gender=_codes([p.gender for p in people], vocab["genders"], -2),
        preference=_codes([p.gender_preference for p in people], vocab["genders"], -1),
        grade=np.array([0 if p.grade is None else p.grade for p in people], dtype=np.int64),
    )


def _vocabularies(
    mentors: Sequence[MentorCandidate], mentees: Sequence[MenteeCandidate]
) -> dict[str, dict[str, int]]:
    """Build the value-to-column maps shared by both sides."""
    people = (*mentors, *mentees)
    needed = [[m.needed_language] for m in mentees if m.needed_language is not None]
    labels = (p.gender for p in people), (p.gender_preference for p in people)
    return {
        "interests": _vocabulary(p.interests for p in people),
        "slots": _vocabulary(p.slots for p in people),
        "languages": _vocabulary((p.languages for p in people), needed),
        "schools": _vocabulary([p.school] for p in people if p.school is not None),
        "genders": _vocabulary([v] for group in labels for v in group if v is not None),
    }


def _feeder_matrix(rules: PairingRules, schools: dict[str, int]) -> np.ndarray:
    """feeds[a, b] is True when school code a feeds school code b (code 0 is "no school")."""
    feeds = np.zeros((len(schools) + 1, len(schools) + 1), dtype=bool)
    for low, high in rules.feeder_schools:
        if low in schools and high in schools:
            feeds[schools[low] + 1, schools[high] + 1] = True
    return feeds


def _check_people(mentors: Sequence[MentorCandidate], mentees: Sequence[MenteeCandidate],
                  rules: PairingRules) -> None:
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


def _prepare(mentors: Iterable[MentorCandidate], mentees: Iterable[MenteeCandidate],
             rules: PairingRules) -> _Problem:
    """Validate, sort by id, encode, and take the fixed pairs' seats away."""
    mentors = tuple(sorted(mentors, key=lambda m: m.id))
    mentees = tuple(sorted(mentees, key=lambda m: m.id))
    _check_people(mentors, mentees, rules)
    vocab = _vocabularies(mentors, mentees)
    mentor_at = {m.id: i for i, m in enumerate(mentors)}
    mentee_at = {m.id: i for i, m in enumerate(mentees)}
    seats = np.array([m.capacity for m in mentors], dtype=np.int64)
    for mentor_id, _ in rules.fixed:
        seats[mentor_at[mentor_id]] -= 1
    fixed_rows = {mentee_at[mentee_id] for _, mentee_id in rules.fixed}
    blocked: dict[int, list[int]] = {}
    for mentor_id, mentee_id in sorted(rules.do_not_pair):
        if mentor_id in mentor_at and mentee_id in mentee_at:
            blocked.setdefault(mentee_at[mentee_id], []).append(mentor_at[mentor_id])
    needed = _codes([m.needed_language for m in mentees], vocab["languages"], -1)
    return _Problem(
        mentors=mentors,
        mentees=mentees,
        rules=rules,
        mentor=_encode_side(mentors, vocab),
        mentee=_encode_side(mentees, vocab),
        ready=np.array([m.requirements_complete for m in mentors], dtype=bool),
        adult=np.array([m.grade is None for m in mentors], dtype=bool),
        needed=needed,
        mentee_language_count=np.array([len(m.languages) for m in mentees], dtype=np.float64),
        feeds=_feeder_matrix(rules, vocab["schools"]),
        do_not_pair={row: np.array(cols, dtype=np.int64) for row, cols in blocked.items()},
        seats=np.maximum(seats, 0),
        fixed=tuple(sorted((mentor_at[a], mentee_at[b]) for a, b in rules.fixed)),
        rows=np.array([i for i in range(len(mentees)) if i not in fixed_rows], dtype=np.int64),
    )


# ---------------------------------------------------------------- vectorised scoring


@dataclass(frozen=True)
class _Block:
    """Scores and the hard-constraint masks for some mentee rows against every mentor."""

    rows: np.ndarray
    scores: np.ndarray
    masks: tuple[tuple[str, np.ndarray], ...]

    def feasible(self, problem: _Problem) -> np.ndarray:
        """Pairs allowed by every hard constraint, with a seat left, and scoring above zero."""
        allowed = (self.scores > 0) & (problem.seats > 0)[None, :]
        for _, mask in self.masks:
            allowed &= mask
        return allowed


def _shared(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Count shared values between every row of a and every row of b, as float64."""
    return (a @ b.T).astype(np.float64)


def _block_scores(problem: _Problem, rows: np.ndarray, slots: np.ndarray) -> np.ndarray:
    """Vectorised `score_pair` totals (same float operations, same order)."""
    weights, mentee, mentor = problem.rules.weights, problem.mentee, problem.mentor
    interests = _shared(mentee.interests[rows], mentor.interests)
    school_codes = mentee.school[rows][:, None]
    linked = (school_codes == mentor.school[None, :]) & (school_codes > 0)
    linked |= problem.feeds[school_codes, mentor.school[None, :]]
    counts = problem.mentee_language_count[rows][:, None]
    languages = _shared(mentee.languages[rows], mentor.languages)
    languages = np.divide(languages, counts, out=np.zeros_like(languages), where=counts > 0)
    total = weights.interests * (np.minimum(interests, SATURATION) / SATURATION)
    total += weights.schedule * (np.minimum(slots, SATURATION) / SATURATION)
    total += weights.school * linked.astype(np.float64)
    total += weights.language * languages
    return total


def _language_mask(problem: _Problem, rows: np.ndarray) -> np.ndarray:
    """Mentors who speak each mentee's needed language (everyone if none is needed)."""
    needed = problem.needed[rows]
    speaks = problem.mentor.languages.T > 0
    mask = np.ones((len(rows), len(problem.mentors)), dtype=bool)
    mask[needed >= 0] = speaks[needed[needed >= 0]]
    return mask


def _do_not_pair_mask(problem: _Problem, rows: np.ndarray) -> np.ndarray:
    """False where a mentee row is on the do-not-pair list with a mentor."""
    mask = np.ones((len(rows), len(problem.mentors)), dtype=bool)
    for local, row in enumerate(rows.tolist()):
        if row in problem.do_not_pair:
            mask[local, problem.do_not_pair[row]] = False
    return mask


def _block_masks(problem: _Problem, rows: np.ndarray, slots: np.ndarray) -> tuple:
    """Each hard constraint as a boolean mask (broadcastable to rows x mentors), in order."""
    mentee, mentor = problem.mentee, problem.mentor
    wants, gender = mentee.preference[rows][:, None], mentee.gender[rows][:, None]
    gap = mentor.grade[None, :] - mentee.grade[rows][:, None]
    return (
        ("requirements", problem.ready[None, :]),
        ("shared_time", slots > 0),
        ("needed_language", _language_mask(problem, rows)),
        ("mentee_preference", (wants < 0) | (wants == mentor.gender[None, :])),
        ("mentor_preference", (mentor.preference[None, :] < 0) | (mentor.preference == gender)),
        ("grade_gap", problem.adult[None, :] | (gap >= problem.rules.min_grade_gap)),
        ("do_not_pair", _do_not_pair_mask(problem, rows)),
    )


def _block(problem: _Problem, rows: np.ndarray) -> _Block:
    """Score and check some mentee rows against every mentor."""
    slots = _shared(problem.mentee.slots[rows], problem.mentor.slots)
    return _Block(rows, _block_scores(problem, rows, slots), _block_masks(problem, rows, slots))


def _blocks(problem: _Problem, rows: np.ndarray) -> Iterator[_Block]:
    """Walk the given mentee rows in memory-bounded blocks."""
    size = max(1, _BLOCK_CELLS // max(1, len(problem.mentors)))
    for start in range(0, len(rows), size):
        yield _block(problem, rows[start : start + size])


# ---------------------------------------------------------------- candidate lists


@dataclass(frozen=True)
class _Candidates:
    """Each solved mentee's best feasible mentors, by score then mentor order (-1 pads)."""

    mentors: np.ndarray
    scores: np.ndarray


def _top(scores: np.ndarray, width: int) -> tuple[np.ndarray, np.ndarray]:
    """Top `width` columns per row by (score desc, column asc); -inf marks infeasible."""
    width = min(width, scores.shape[1])
    part = np.argpartition(-scores, width - 1, axis=1)[:, :width]
    floor = np.take_along_axis(scores, part, axis=1).min(axis=1, keepdims=True)
    above = scores > floor
    ties = scores == floor
    room = width - above.sum(axis=1, keepdims=True)
    chosen = above | (ties & (np.cumsum(ties, axis=1) <= room))
    cols = np.nonzero(chosen)[1].reshape(len(scores), width)
    vals = np.take_along_axis(scores, cols, axis=1)
    order = np.lexsort((cols, -vals), axis=1)
    cols, vals = np.take_along_axis(cols, order, 1), np.take_along_axis(vals, order, 1)
    return np.where(np.isfinite(vals), cols, -1), vals


def _candidates(problem: _Problem, width: int) -> _Candidates:
    """Best `width` feasible mentors for every mentee being solved."""
    n, m = len(problem.rows), len(problem.mentors)
    mentors = np.full((n, width), -1, dtype=np.int64)
    scores = np.full((n, width), -np.inf)
    done = 0
    for block in _blocks(problem, problem.rows) if m else iter(()):
        cols, vals = _top(np.where(block.feasible(problem), block.scores, -np.inf), width)
        mentors[done : done + len(cols), : cols.shape[1]] = cols
        scores[done : done + len(cols), : cols.shape[1]] = vals
        done += len(block.rows)
    return _Candidates(mentors, scores)


def _edges(candidates: _Candidates, limit: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The first `limit` candidates per mentee as (local row, mentor, score) arrays."""
    mentors, scores = candidates.mentors[:, :limit], candidates.scores[:, :limit]
    rows, slot = np.nonzero(mentors >= 0)
    return rows, mentors[rows, slot], scores[rows, slot]


# ---------------------------------------------------------------- optimal solve


def _match(problem: _Problem, edges: tuple) -> np.ndarray:
    """Max-score assignment on the sparse edges; returns mentor per local row or -1."""
    rows, mentors, scores = edges
    n = len(problem.rows)
    seats = problem.seats
    first_seat = np.concatenate(([0], np.cumsum(seats)))
    copies = seats[mentors]
    edge_of = np.repeat(np.arange(len(rows)), copies)
    offset = np.arange(len(edge_of)) - np.repeat(np.cumsum(copies) - copies, copies)
    ceiling = (scores.max() if len(scores) else 0.0) + 1.0
    cols = np.concatenate((first_seat[mentors[edge_of]] + offset, first_seat[-1] + np.arange(n)))
    weights = np.concatenate((ceiling - scores[edge_of], np.full(n, ceiling)))
    graph = sparse.csr_matrix(
        (weights, (np.concatenate((rows[edge_of], np.arange(n))), cols)),
        shape=(n, first_seat[-1] + n),
    )
    _, chosen = min_weight_full_bipartite_matching(graph)
    owner = np.concatenate((np.repeat(np.arange(len(seats)), seats), np.full(n, -1)))
    return owner[chosen]


def _potentials(problem: _Problem, edges: tuple, assignment: np.ndarray) -> np.ndarray:
    """Dual prices from Bellman-Ford on the residual graph of an optimal sparse assignment."""
    rows, mentors, scores = edges
    n, m = len(problem.rows), len(problem.mentors)
    sink, root = n + m, n + m + 1
    used = assignment[rows] == mentors
    load = np.bincount(assignment[assignment >= 0], minlength=m)
    open_mentors = np.nonzero(problem.seats > load)[0]
    busy_mentors = np.nonzero(load > 0)[0]
    matched = assignment >= 0
    arcs = (
        (rows[~used], n + mentors[~used], -scores[~used]),
        (n + mentors[used], rows[used], scores[used]),
        (n + open_mentors, np.full(len(open_mentors), sink), np.zeros(len(open_mentors))),
        (np.full(len(busy_mentors), sink), n + busy_mentors, np.zeros(len(busy_mentors))),
        (np.nonzero(matched)[0], np.full(matched.sum(), sink), np.zeros(matched.sum())),
        (np.full((~matched).sum(), sink), np.nonzero(~matched)[0], np.zeros((~matched).sum())),
        (np.full(root, root), np.arange(root), np.zeros(root)),
    )
    tails, heads, costs = (np.concatenate(parts) for parts in zip(*arcs, strict=True))
    graph = sparse.csr_matrix((costs, (tails, heads)), shape=(root + 1, root + 1))
    return bellman_ford(graph, directed=True, indices=root)


def _violations(problem: _Problem, edges: tuple, prices: np.ndarray) -> tuple:
    """Feasible pairs left out of `edges` that the dual prices say could raise the total."""
    rows, mentors, _ = edges
    n, m = len(problem.rows), len(problem.mentors)
    known = sparse.csr_matrix((np.ones(len(rows), dtype=bool), (rows, mentors)), shape=(n, m))
    found = []
    start = 0
    for block in _blocks(problem, problem.rows):
        local = np.arange(start, start + len(block.rows))
        gain = block.scores - (prices[local][:, None] - prices[n : n + m][None, :])
        bad = block.feasible(problem) & (gain > _TOLERANCE) & ~known[local].toarray()
        r, c = np.nonzero(bad)
        found.append((local[r], c, block.scores[r, c]))
        start += len(block.rows)
    return tuple(np.concatenate(parts) for parts in zip(*found, strict=True)) if found else ()


def _optimal(problem: _Problem, candidates: _Candidates, limit: int) -> np.ndarray:
    """Solve on the candidate edges, adding pruned pairs until the dual certificate holds."""
    edges = _edges(candidates, limit)
    while True:
        assignment = _match(problem, edges)
        missing = _violations(problem, edges, _potentials(problem, edges, assignment))
        if not missing or not len(missing[0]):
            return assignment
        edges = tuple(np.concatenate(pair) for pair in zip(edges, missing, strict=True))


# ---------------------------------------------------------------- greedy baseline


def _full_row(problem: _Problem, local: int) -> tuple[np.ndarray, np.ndarray]:
    """Every feasible mentor for one solved mentee, best first."""
    block = _block(problem, problem.rows[local : local + 1])
    cols, vals = _top(np.where(block.feasible(problem), block.scores, -np.inf), len(problem.mentors))
    keep = cols[0] >= 0
    return cols[0][keep], vals[0][keep]


def _greedy(problem: _Problem, candidates: _Candidates) -> np.ndarray:
    """Highest score first (ties: mentee order, then mentor order), never undoing a pair."""
    assignment = np.full(len(problem.rows), -1, dtype=np.int64)
    seats = problem.seats.copy()
    lists = {a: (candidates.mentors[a], candidates.scores[a]) for a in range(len(problem.rows))}
    heap = [(-lists[a][1][0], a, 0) for a in lists if lists[a][0][0] >= 0]
    heapq.heapify(heap)
    while heap:
        _, a, at = heapq.heappop(heap)
        mentor = int(lists[a][0][at])
        if seats[mentor] > 0:
            seats[mentor] -= 1
            assignment[a] = mentor
            continue
        if at + 1 == len(lists[a][0]) and len(lists[a][0]) == candidates.mentors.shape[1]:
            lists[a] = _full_row(problem, a)
        if at + 1 < len(lists[a][0]) and lists[a][0][at + 1] >= 0:
            heapq.heappush(heap, (-lists[a][1][at + 1], a, at + 1))
    return assignment


# ---------------------------------------------------------------- the plan


def _proposal(problem: _Problem, mentor: int, mentee: int) -> Proposal:
    """Score and explain one pair as a Proposal."""
    a, b = problem.mentors[mentor], problem.mentees[mentee]
    scored = score_pair(a, b, problem.rules)
    return Proposal(a.id, b.id, scored.total, scored.breakdown, scored.reasons)


def _alternatives(problem: _Problem, candidates: _Candidates, local: int, chosen: int,
                  room: np.ndarray) -> tuple[Alternative, ...]:
    """The two best feasible mentors other than the proposed one."""
    picks = [int(j) for j in candidates.mentors[local] if j >= 0 and j != chosen][:2]
    mentee = problem.mentees[problem.rows[local]]
    out = []
    for j in picks:
        scored = score_pair(problem.mentors[j], mentee, problem.rules)
        has_room = bool(room[j] > 0)
        out.append(Alternative(problem.mentors[j].id, scored.total, scored.breakdown,
                               scored.reasons, has_room))
    return tuple(out)


def _diagnose(problem: _Problem, locals_: np.ndarray, room: np.ndarray) -> list[Unmatched]:
    """Name the constraint that emptied each unmatched mentee's list of possible mentors."""
    out = []
    if not len(locals_):
        return out
    rows = problem.rows[locals_]
    block = _block(problem, rows) if problem.mentors else None
    for k, row in enumerate(rows.tolist()):
        code = _first_blocker(problem, block, k, room)
        mentee = problem.mentees[row]
        out.append(Unmatched(mentee.id, code, unmatched_words(code, mentee, problem.rules)))
    return out


def _first_blocker(problem: _Problem, block: _Block | None, k: int, room: np.ndarray) -> str:
    """Apply the constraints in order and report the one that leaves nobody."""
    if block is None:
        return NO_MENTORS
    alive = np.ones(len(problem.mentors), dtype=bool)
    for code, mask in block.masks:
        alive &= np.broadcast_to(mask, (len(block.rows), len(alive)))[k]
        if not alive.any():
            return code
    return CAPACITY if not (alive & (room > 0)).any() else ZERO_SCORE


def _plan(problem: _Problem, candidates: _Candidates, assignment: np.ndarray) -> PairingPlan:
    """Turn an assignment (mentor per solved mentee, -1 unmatched) into the explained plan."""
    load = np.bincount(assignment[assignment >= 0], minlength=len(problem.mentors))
    room = problem.seats - load
    proposals = tuple(
        _proposal(problem, int(j), int(problem.rows[a])) for a, j in enumerate(assignment) if j >= 0
    )
    kept = tuple(_proposal(problem, j, i) for j, i in problem.fixed)
    kept = tuple(sorted(kept, key=lambda p: p.mentee_id))
    alternatives = {
        problem.mentees[row].id: _alternatives(problem, candidates, a, int(assignment[a]), room)
        for a, row in enumerate(problem.rows.tolist())
    }
    unmatched = tuple(_diagnose(problem, np.nonzero(assignment < 0)[0], room))
    total = float(sum(p.score for p in (*kept, *proposals)))
    return PairingPlan(proposals, kept, alternatives, unmatched, total)


def propose_pairings(
    mentors: Iterable[MentorCandidate],
    mentees: Iterable[MenteeCandidate],
    rules: PairingRules | None = None,
    *,
    candidate_limit: int = 8,
) -> PairingPlan:
    """Propose the maximum-total-score pairing; fixed pairs stay and use up seats."""
    if candidate_limit < 1:
        raise ValueError("candidate_limit must be at least 1")
    problem = _prepare(mentors, mentees, rules or PairingRules())
    candidates = _candidates(problem, max(candidate_limit, 3))
    assignment = _optimal(problem, candidates, candidate_limit) if len(problem.rows) else None
    return _plan(problem, candidates, _or_empty(assignment))


def greedy_assignment(
    mentors: Iterable[MentorCandidate],
    mentees: Iterable[MenteeCandidate],
    rules: PairingRules | None = None,
) -> PairingPlan:
    """Baseline: take the highest-scoring allowed pair first, repeatedly (not optimal)."""
    problem = _prepare(mentors, mentees, rules or PairingRules())
    candidates = _candidates(problem, _GREEDY_LIST)
    return _plan(problem, candidates, _greedy(problem, candidates))


def _or_empty(assignment: np.ndarray | None) -> np.ndarray:
    """An empty assignment when there was nobody to solve."""
    return np.zeros(0, dtype=np.int64) if assignment is None else assignment
