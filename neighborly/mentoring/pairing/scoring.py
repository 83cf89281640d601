"""One mentor and one mentee: their score, its reasons in plain words, what blocks them."""

from __future__ import annotations

import functools

from neighborly.availability import DAYS, slot_or_none, sorted_codes
from neighborly.mentoring.pairing.model import (
    CAPACITY,
    CONSTRAINTS,
    CRITERIA,
    LANGUAGE_NAMES,
    NO_MENTORS,
    SATURATION,
    ZERO_SCORE,
    MenteeCandidate,
    MentorCandidate,
    PairingRules,
    PairScore,
    Reason,
    Weights,
)


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
