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
3. Optimality for the *full* problem is then proved with LP duality: the least dual
   prices that fit the assignment must price every pruned feasible pair at least at
   its score. Pairs that fail are added and the problem is solved again, until the
   certificate holds, so the answer is optimal, not just usually optimal.
"""

from __future__ import annotations

import functools
import heapq
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

from neighborly.availability import DAYS, slot_or_none, sorted_codes

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

_BLOCK_CELLS = 100_000  # mentee rows x mentors per block: small arrays stay in cache and heap
_GREEDY_LIST = 16
_TOLERANCE = 1e-7  # score units; far below any real difference between two plans
_ROUNDING = 1e-12


def _freeze(instance: object, *names: str) -> None:
    """Store set-like fields as frozensets, so callers may pass lists or sets."""
    for name in names:
        object.__setattr__(instance, name, frozenset(getattr(instance, name)))


@dataclass(frozen=True)
class MentorCandidate:
    """A mentor ("Wolf") as the pairing sees them; grade None means an adult."""

    id: int
    grade: int | None
    school: str | None
    interests: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()  # codes such as "en", "es"
    slots: frozenset[str] = frozenset()  # weekly slot codes such as "tue-15"
    gender: str | None = None
    gender_preference: str | None = None  # preferred mentee gender
    capacity: int = 1  # most mentees at once, approved pairs included
    requirements_complete: bool = True  # consent, training, background check

    def __post_init__(self) -> None:
        """Accept any iterables for the set fields."""
        _freeze(self, "interests", "languages", "slots")


@dataclass(frozen=True)
class MenteeCandidate:
    """A mentee ("Pup") as the pairing sees them."""

    id: int
    grade: int  # kindergarten is 0
    school: str | None
    interests: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()
    needed_language: str | None = None  # the mentor must speak it
    slots: frozenset[str] = frozenset()
    gender: str | None = None
    gender_preference: str | None = None  # preferred mentor gender

    def __post_init__(self) -> None:
        """Accept any iterables for the set fields."""
        _freeze(self, "interests", "languages", "slots")


@dataclass(frozen=True)
class Weights:
    """Points for each criterion at its best (each criterion scores between 0 and 1)."""

    interests: float = 1.0
    schedule: float = 1.0
    school: float = 1.0
    language: float = 1.0


@dataclass(frozen=True)
class PairingRules:
    """A program's pairing settings."""

    min_grade_gap: int = 1  # a student mentor's grade minus the mentee's, at least
    do_not_pair: frozenset[tuple[int, int]] = frozenset()  # (mentor id, mentee id)
    feeder_schools: frozenset[tuple[str, str]] = frozenset()  # (feeder school, school it feeds)
    fixed: tuple[tuple[int, int], ...] = ()  # approved (mentor id, mentee id): kept as they are
    weights: Weights = field(default_factory=Weights)

    def __post_init__(self) -> None:
        """Accept any iterables of pairs."""
        for name in ("do_not_pair", "feeder_schools"):
            object.__setattr__(self, name, frozenset(tuple(p) for p in getattr(self, name)))
        object.__setattr__(self, "fixed", tuple(tuple(p) for p in self.fixed))


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


@functools.lru_cache(maxsize=4096)
def describe_slot(code: str) -> str:
    """Say a weekly slot code in plain words: "tue-15" -> "Tue 3 pm"; unknown codes pass through."""
    slot = slot_or_none(code)
    if slot is None:
        return code
    clock = str(slot.hour % 12 or 12) + (f":{slot.minute:02d}" if slot.minute else "")
    return f"{DAYS[slot.day].title()} {clock} {'am' if slot.hour < 12 else 'pm'}"


def _plural(count: int, noun: str) -> str:
    """Say "1 shared time" or "2 shared times"."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


# ---------------------------------------------------------------- one pair


def _linked(mentor_school: str | None, mentee_school: str | None, rules: PairingRules) -> str:
    """Return "same", "feeder" or "" for the school criterion."""
    if mentor_school is None or mentee_school is None:
        return ""
    if mentor_school == mentee_school:
        return "same"
    return "feeder" if (mentee_school, mentor_school) in rules.feeder_schools else ""


def _speaks(mentor: MentorCandidate, needed: str | None) -> bool:
    """Hard constraint: the mentor speaks the mentee's needed language, if any."""
    return needed is None or needed in mentor.languages


def _is_wanted(mentor: MentorCandidate, wanted: str | None) -> bool:
    """Hard constraint: the mentor is the gender the mentee prefers, if any."""
    return wanted is None or mentor.gender == wanted


def _accepts(mentor: MentorCandidate, gender: str | None) -> bool:
    """Hard constraint: the mentee is the gender the mentor prefers, if any."""
    return mentor.gender_preference is None or mentor.gender_preference == gender


def _ahead(mentor: MentorCandidate, grade: int, gap: int) -> bool:
    """Hard constraint: adults always; students at least `gap` grades above the mentee."""
    return mentor.grade is None or mentor.grade - grade >= gap


@functools.lru_cache(maxsize=8192)
def _interests_reason(shared: frozenset[str]) -> Reason | None:
    """Say which interests a pair shares (reasons are immutable, so they are cached)."""
    names = sorted(shared)
    return Reason("interests", "both like " + ", ".join(names), tuple(names)) if names else None


@functools.lru_cache(maxsize=8192)
def _schedule_reason(shared: frozenset[str]) -> Reason | None:
    """Say which weekly times a pair shares."""
    slots = sorted_codes(shared)
    said = ", ".join(describe_slot(s) for s in slots)
    words = f"{_plural(len(slots), 'shared time')}: {said}"
    return Reason("schedule", words, tuple(slots)) if slots else None


@functools.lru_cache(maxsize=8192)
def _school_reason(link: str, mentee_school: str, mentor_school: str) -> Reason | None:
    """Say how the schools connect."""
    if link == "same":
        return Reason("school", "same school", (mentee_school,))
    if link == "feeder":
        words = f"feeder school: {mentee_school} feeds {mentor_school}"
        return Reason("school", words, (mentee_school, mentor_school))
    return None


@functools.lru_cache(maxsize=1024)
def _language_reason(shared: frozenset[str]) -> Reason | None:
    """Say which languages a pair both speak."""
    codes = sorted(shared)
    said = ", ".join(language_name(code) for code in codes)
    return Reason("language", "both speak " + said, tuple(codes)) if codes else None


def _points(
    weights: Weights, interests: int, slots: int, linked: bool, shared: int, spoken: int
) -> tuple[float, float, float, float]:
    """Points per criterion from shared counts (the one formula both scorers use)."""
    return (
        weights.interests * (min(interests, SATURATION) / SATURATION),
        weights.schedule * (min(slots, SATURATION) / SATURATION),
        weights.school * (1.0 if linked else 0.0),
        weights.language * (shared / spoken if spoken else 0.0),
    )


def _total(points: tuple[float, float, float, float]) -> float:
    """Add the points in one fixed order so both scorers agree to the last bit."""
    return points[0] + points[1] + points[2] + points[3]


def score_pair(mentor: MentorCandidate, mentee: MenteeCandidate, rules: PairingRules) -> PairScore:
    """Score one pair (hard constraints are not checked here) and explain it."""
    interests = mentor.interests & mentee.interests
    slots = mentor.slots & mentee.slots
    languages = mentor.languages & mentee.languages
    link = _linked(mentor.school, mentee.school, rules)
    spoken = len(mentee.languages)
    points = _points(rules.weights, len(interests), len(slots), bool(link), len(languages), spoken)
    reasons = (
        _interests_reason(interests),
        _schedule_reason(slots),
        _school_reason(link, str(mentee.school), str(mentor.school)),
        _language_reason(languages),
    )
    breakdown = tuple(zip(CRITERIA, points, strict=True))
    return PairScore(_total(points), breakdown, tuple(r for r in reasons if r is not None))


def blocking_constraints(
    mentor: MentorCandidate, mentee: MenteeCandidate, rules: PairingRules
) -> tuple[str, ...]:
    """List the hard constraints (capacity aside) that forbid this pair; empty means allowed."""
    checks = (
        mentor.requirements_complete,
        bool(mentor.slots & mentee.slots),
        _speaks(mentor, mentee.needed_language),
        _is_wanted(mentor, mentee.gender_preference),
        _accepts(mentor, mentee.gender),
        _ahead(mentor, mentee.grade, rules.min_grade_gap),
        (mentor.id, mentee.id) not in rules.do_not_pair,
    )
    return tuple(code for code, ok in zip(CONSTRAINTS, checks, strict=True) if not ok)


def unmatched_words(code: str, mentee: MenteeCandidate, rules: PairingRules) -> str:
    """Say in plain English why a mentee could not be paired."""
    words = {
        NO_MENTORS: "no mentors are enrolled",
        "requirements": "no mentor has finished their requirements",
        "shared_time": "no mentor shares a free time",
        "needed_language": f"no mentor speaks {language_name(mentee.needed_language or '')}",
        "mentee_preference": "no mentor is the gender this mentee prefers",
        "mentor_preference": "every mentor left prefers a mentee of another gender",
        "grade_gap": f"no mentor is at least {_plural(rules.min_grade_gap, 'grade')} ahead",
        "do_not_pair": "every suitable mentor is on the do-not-pair list",
        CAPACITY: "every suitable mentor is full",
        ZERO_SCORE: "suitable mentors score zero with these weights",
    }
    return words[code]


# ---------------------------------------------------------------- encoding


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


# ---------------------------------------------------------------- vectorised scoring


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


# ---------------------------------------------------------------- candidate lists


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


# ---------------------------------------------------------------- optimal solve


def _match(problem: _Problem, edges: tuple) -> np.ndarray:
    """Max-score assignment on the sparse edges; returns mentor per local row or -1."""
    rows, mentors, scores = edges
    n, seats = len(problem.rows), problem.seats
    first_seat = np.concatenate(([0], np.cumsum(seats)))
    copies = seats[mentors]
    edge_of = np.repeat(np.arange(len(rows)), copies)
    offset = np.arange(len(edge_of)) - np.repeat(np.cumsum(copies) - copies, copies)
    ceiling = scores.max(initial=0.0) + 1.0
    cols = np.concatenate((first_seat[mentors[edge_of]] + offset, first_seat[-1] + np.arange(n)))
    weights = np.concatenate((ceiling - scores[edge_of], np.full(n, ceiling)))
    graph = sparse.csr_matrix(
        (weights, (np.concatenate((rows[edge_of], np.arange(n))), cols)),
        shape=(n, first_seat[-1] + n),
    )
    _, chosen = min_weight_full_bipartite_matching(graph)
    owner = np.concatenate((np.repeat(np.arange(len(seats)), seats), np.full(n, -1)))
    return owner[chosen]


def _duals(problem: _Problem, edges: tuple, assignment: np.ndarray) -> tuple:
    """Least LP dual prices (mentee u, mentor v) that fit this assignment."""
    # Wanted: u[i] + v[j] >= score on every edge, with equality on assigned pairs, u = 0 for
    # unmatched mentees, v = 0 for mentors with a free seat, u and v >= 0. Raising v from zero
    # until nothing changes is Bellman-Ford on the residual graph (so it settles: the sparse
    # assignment is optimal); the least v leaves the most room to prove pruned pairs useless.
    rows, mentors, scores = edges
    m, matched = len(problem.mentors), assignment >= 0
    used = assignment[rows] == mentors
    own = np.zeros(len(assignment))
    own[rows[used]] = scores[used]
    full = np.bincount(assignment[matched], minlength=m) >= problem.seats
    rows, mentors, scores = rows[~used], mentors[~used], scores[~used]
    prices = np.zeros(m)
    for _ in range(m + 2):
        u = own.copy()
        u[matched] -= prices[assignment[matched]]
        wanted = np.zeros(m)
        np.maximum.at(wanted, mentors, scores - u[rows])
        raised = np.maximum(prices, np.where(full, wanted, 0.0))
        if np.all(raised - prices <= _ROUNDING):
            return u, prices
        prices = raised
    raise RuntimeError("pairing duals did not settle")


def _check_known(edges: tuple, duals: tuple) -> None:
    """The prices must cover every solved edge; failing here would be a solver bug."""
    (rows, mentors, scores), (u, v) = edges, duals
    if (u < -_TOLERANCE).any() or (scores - u[rows] - v[mentors] > _TOLERANCE).any():
        raise RuntimeError("pairing optimality certificate failed")


def _suspects(problem: _Problem, candidates: _Candidates, limit: int, u: np.ndarray) -> np.ndarray:
    """Rows whose pruned pairs could beat their prices (pruned scores <= the row's last kept)."""
    width = min(limit, candidates.mentors.shape[1])
    last = candidates.mentors[:, width - 1] >= 0
    return np.flatnonzero(last & (candidates.scores[:, width - 1] - u > _TOLERANCE))


def _violations(problem: _Problem, edges: tuple, duals: tuple, suspects: np.ndarray) -> tuple:
    """Pruned feasible pairs that beat their dual prices (they may raise the total)."""
    # Each suspect row brings at most as many new pairs as rows have edges on average.
    (u, v), (rows, mentors, _) = duals, edges
    n, m, worst = len(problem.rows), len(problem.mentors), len(problem.table.values) - 1
    known = sparse.csr_matrix((np.ones(len(rows), dtype=bool), (rows, mentors)), shape=(n, m))
    per_row = max(1, len(rows) // max(1, n))
    found = [(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0))]
    for start, block in _blocks(problem, suspects):
        local = suspects[start : start + len(block.rows)]
        ranks = block.feasible_ranks(problem)
        gain = problem.table.values[ranks] - u[local][:, None] - v[None, :]
        bad = (gain > _TOLERANCE) & ~known[local].toarray()
        best, ranks = _best(problem, np.where(bad, ranks, worst), per_row)
        r, c = np.nonzero(best >= 0)
        found.append((local[r], best[r, c], problem.table.values[ranks[r, c]]))
    return tuple(np.concatenate(parts) for parts in zip(*found, strict=True))


def _optimal(problem: _Problem, candidates: _Candidates, limit: int) -> np.ndarray:
    """Solve on the candidate edges, adding pruned pairs until the dual certificate holds."""
    edges = _edges(candidates, limit)
    while True:
        assignment = _match(problem, edges)
        duals = _duals(problem, edges, assignment)
        _check_known(edges, duals)
        suspects = _suspects(problem, candidates, limit, duals[0])
        missing = _violations(problem, edges, duals, suspects)
        if not len(missing[0]):
            return assignment
        edges = tuple(np.concatenate(pair) for pair in zip(edges, missing, strict=True))


# ---------------------------------------------------------------- greedy baseline


def _full_row(problem: _Problem, local: int) -> tuple[np.ndarray, np.ndarray]:
    """Every feasible mentor for one solved mentee, best first."""
    block = _block(problem, problem.rows[local : local + 1])
    best, ranks = _best(problem, block.feasible_ranks(problem), len(problem.mentors))
    keep = best[0] >= 0
    return best[0][keep], problem.table.values[ranks[0][keep]]


def _greedy(problem: _Problem, candidates: _Candidates) -> np.ndarray:
    """Highest score first (ties: mentee order, then mentor order), never undoing a pair."""
    assignment = np.full(len(problem.rows), -1, dtype=np.int64)
    seats, width = problem.seats.copy(), candidates.mentors.shape[1]
    lists = [(candidates.mentors[a], candidates.scores[a]) for a in range(len(problem.rows))]
    heap = [(-lists[a][1][0], a, 0) for a in range(len(lists)) if lists[a][0][0] >= 0]
    heapq.heapify(heap)
    while heap:
        _, a, at = heapq.heappop(heap)
        mentor = int(lists[a][0][at])
        if seats[mentor] > 0:
            seats[mentor] -= 1
            assignment[a] = mentor
            continue
        if at + 1 == width == len(lists[a][0]):
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


def _alternatives(
    problem: _Problem, candidates: _Candidates, local: int, chosen: int, room: np.ndarray
) -> tuple[Alternative, ...]:
    """The two best feasible mentors other than the proposed one."""
    picks = [j for j in candidates.mentors[local].tolist() if j >= 0 and j != chosen][:2]
    mentee = problem.mentees[problem.rows[local]]
    out = []
    for j in picks:
        s = score_pair(problem.mentors[j], mentee, problem.rules)
        has_room = bool(room[j] > 0)
        out.append(Alternative(problem.mentors[j].id, s.total, s.breakdown, s.reasons, has_room))
    return tuple(out)


def _first_blocker(problem: _Problem, block: _Block, k: int, room: np.ndarray) -> str:
    """Apply the constraints in order and report the one that leaves nobody."""
    alive = np.ones(len(problem.mentors), dtype=bool)
    for code, mask in block.masks:
        alive &= np.broadcast_to(mask, (len(block.rows), len(alive)))[k]
        if not alive.any():
            return code
    return CAPACITY if not (alive & (room > 0)).any() else ZERO_SCORE


def _diagnose(problem: _Problem, unmatched: np.ndarray, room: np.ndarray) -> tuple:
    """Say, for each unmatched mentee, which constraint emptied their list of mentors."""
    codes = [NO_MENTORS] * len(unmatched)
    for start, block in _blocks(problem, unmatched) if problem.mentors else ():
        for k in range(len(block.rows)):
            codes[start + k] = _first_blocker(problem, block, k, room)
    mentees = [problem.mentees[row] for row in problem.rows[unmatched].tolist()]
    return tuple(
        Unmatched(mentee.id, code, unmatched_words(code, mentee, problem.rules))
        for mentee, code in zip(mentees, codes, strict=True)
    )


def _plan(problem: _Problem, candidates: _Candidates, assignment: np.ndarray) -> PairingPlan:
    """Turn an assignment (mentor per solved mentee, -1 unmatched) into the explained plan."""
    room = problem.seats - np.bincount(assignment[assignment >= 0], minlength=len(problem.mentors))
    pairs = [(j, int(problem.rows[a])) for a, j in enumerate(assignment.tolist()) if j >= 0]
    proposals = tuple(_proposal(problem, j, i) for j, i in pairs)
    kept = tuple(sorted((_proposal(problem, j, i) for j, i in problem.fixed), key=_by_mentee))
    alternatives = {
        problem.mentees[row].id: _alternatives(problem, candidates, a, chosen, room)
        for a, (row, chosen) in enumerate(
            zip(problem.rows.tolist(), assignment.tolist(), strict=True)
        )
    }
    unmatched = _diagnose(problem, np.flatnonzero(assignment < 0), room)
    total = float(sum(p.score for p in (*kept, *proposals)))
    return PairingPlan(proposals, kept, alternatives, unmatched, total)


def _by_mentee(proposal: Proposal) -> int:
    """Sort key: mentee id."""
    return proposal.mentee_id


def propose_pairings(
    mentors: Iterable[MentorCandidate],
    mentees: Iterable[MenteeCandidate],
    rules: PairingRules | None = None,
    *,
    candidate_limit: int = 16,
) -> PairingPlan:
    """Propose the maximum-total-score pairing; fixed pairs stay and use up seats."""
    if candidate_limit < 1:
        raise ValueError("candidate_limit must be at least 1")
    problem = _prepare(mentors, mentees, rules or PairingRules())
    candidates = _candidates(problem, max(candidate_limit, 3))
    if not len(problem.rows):
        return _plan(problem, candidates, np.zeros(0, dtype=np.int64))
    return _plan(problem, candidates, _optimal(problem, candidates, candidate_limit))


def greedy_assignment(
    mentors: Iterable[MentorCandidate],
    mentees: Iterable[MenteeCandidate],
    rules: PairingRules | None = None,
) -> PairingPlan:
    """Baseline: take the highest-scoring allowed pair first, repeatedly (not optimal)."""
    problem = _prepare(mentors, mentees, rules or PairingRules())
    candidates = _candidates(problem, _GREEDY_LIST)
    return _plan(problem, candidates, _greedy(problem, candidates))
