"""What pairing takes and gives: candidates, rules, weights, reasons and the plan."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

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
