"""The Wolves and Pups plan: who each Wolf and Pup slot is, and the school calendar (pure)."""

from __future__ import annotations

import functools
import random
from dataclasses import dataclass
from datetime import date, timedelta

from neighborly.accounts.models import Community, User
from neighborly.demo.data.wolves import (
    AFTER_SCHOOL,
    APPLIED,
    APPLIED_FROM,
    APPROVED,
    BOYS,
    ELEMENTARY,
    FAMILY_PREFERS,
    FIRST_PUPS,
    FRIDAY,
    GIRLS,
    GRADE_COUNTS,
    GUARDIANS,
    INTERESTS,
    LATER_PUPS,
    MOTIVATIONS,
    PUP_BOYS,
    PUP_GIRLS,
    PUP_INTEREST_WEIGHTS,
    PUP_NOTES,
    REFERRALS,
    SAME_GENDER_WOLF,
    SPANISH_PUP,
    SPANISH_PUPS,
    SPANISH_REFERRAL,
    SPANISH_SURNAMES,
    SPANISH_WOLVES,
    TEACHERS,
    TWO_PUPS,
    UNTRAINED,
    UNTRAINED_SLOT,
    WOLF_INTEREST_WEIGHTS,
)
from neighborly.demo.people import email_name
from neighborly.mentoring import services

# --------------------------------------------------------------------------- the plan


@dataclass(frozen=True)
class Setting:
    """Where the program runs and who is there already (from the community demo)."""

    community: Community
    coordinator: User  # the community's coordinator account runs the program
    mentor: User  # the mentor account: an approved Wolf with one Pup
    teens: tuple[User, ...]  # teen volunteers, in order: the first Wolves
    first_names: tuple[str, ...]  # for students who join only to mentor
    last_names: tuple[str, ...]
    area_code: str
    email_domain: str
    password_hash: str  # the bulk people's shared, unusable hash
    seed: int


@dataclass(frozen=True)
class WolfPlan:
    """What one Wolf slot applies with, and how far screening has got."""

    slot: int
    status: str  # APPROVED, UNTRAINED or APPLIED
    grade: int
    capacity: int
    interests: frozenset[str]
    languages: frozenset[str]
    slots: frozenset[str]
    same_gender: bool
    motivation: str


# The demo mentor account: Kaylee D., a junior who was a Pup herself.
MENTOR_PLAN = WolfPlan(
    slot=-1,
    status=APPROVED,
    grade=11,
    capacity=1,
    interests=frozenset({"reading", "art", "animals"}),
    languages=frozenset({"en"}),
    slots=frozenset({"tue-15", "wed-15", "thu-15"}),
    same_gender=False,
    motivation=(
        "I was a Pup in second grade. My Wolf taught me to draw horses and I still have the "
        "sketchbook. I want to be that person for someone."
    ),
)


@dataclass(frozen=True)
class PupPlan:
    """One fictional child, as the guardian's consent form describes them."""

    number: int
    draft: services.MenteeDraft  # guardian_consent_on is set when the form comes back
    later: bool  # referred after the activity day


def wolf_plan(slot: int, seed: int) -> WolfPlan:
    """Wolf slot `slot`: the same seed gives the same plan, whoever fills the slot."""
    rng = random.Random(f"{seed}:wolves:{slot}")
    return WolfPlan(
        slot=slot,
        status=_status(slot),
        grade=11 if slot in TWO_PUPS else rng.choice((10, 10, 11)),
        capacity=2 if slot in TWO_PUPS else 1,
        interests=_pick(INTERESTS, WOLF_INTEREST_WEIGHTS, rng.randint(2, 4), rng),
        languages=frozenset({"en", "es"} if slot in SPANISH_WOLVES else {"en"}),
        slots=_free_times(rng),
        same_gender=slot == SAME_GENDER_WOLF,
        motivation=rng.choice(MOTIVATIONS),
    )


def _status(slot: int) -> str:
    """How far a Wolf slot's application has got."""
    if slot >= APPLIED_FROM:
        return APPLIED
    return UNTRAINED if slot == UNTRAINED_SLOT else APPROVED


def pup_plan(number: int, setting: Setting) -> PupPlan:
    """Pup number `number` (pure: the same seed gives the same child)."""
    rng = random.Random(f"{setting.seed}:pups:{number}")
    languages, needed, referral = {"en"}, None, rng.choice(REFERRALS)
    if number == SPANISH_PUP:
        first_name, gender = rng.choice(SPANISH_PUPS)
        languages, needed, referral = {"en", "es"}, "es", SPANISH_REFERRAL
        surname = rng.choice(SPANISH_SURNAMES)
    else:
        first_name, gender = _pup_names(setting.seed)[number % (len(PUP_GIRLS) + len(PUP_BOYS))]
        surname = rng.choice(setting.last_names)
    grade = _grades(setting.seed)[number]
    relation, _share, names = rng.choices(GUARDIANS, [g[1] for g in GUARDIANS])[0]
    guardian = rng.choice(names)
    contact = (
        f"({setting.area_code}) 555-01{_guardian_phones(setting.seed)[number]:02d} · "
        f"{email_name(guardian)}.{email_name(surname)}.guardian@{setting.email_domain}"
    )
    return PupPlan(
        number=number,
        later=number >= FIRST_PUPS,
        draft=services.MenteeDraft(
            first_name=first_name,
            last_initial=email_name(surname)[:1].upper(),
            grade=grade,
            school=ELEMENTARY,
            teacher=rng.choice(TEACHERS[grade]),
            interests=_pick(INTERESTS, PUP_INTEREST_WEIGHTS, rng.randint(2, 4), rng),
            languages=frozenset(languages),
            needed_language=needed,
            slots=_free_times(rng),
            gender=gender,
            gender_preference=gender if number == FAMILY_PREFERS else None,
            referral_reason=referral,
            guardian_name=f"{guardian} {surname} ({relation})",
            guardian_contact=contact,
            guardian_consent_on=None,
            notes=rng.choice(PUP_NOTES),
        ),
    )


@functools.cache
def _pup_names(seed: int) -> tuple[tuple[str, str], ...]:
    """Children's (first name, gender), shuffled once per seed so no two Pups share one."""
    names = [(name, "f") for name in PUP_GIRLS] + [(name, "m") for name in PUP_BOYS]
    random.Random(f"{seed}:pup-names").shuffle(names)
    return tuple(names)


@functools.cache
def _grades(seed: int) -> tuple[int, ...]:
    """Each Pup's grade, dealt from GRADE_COUNTS in an order shuffled once per seed."""
    grades = [grade for grade, count in GRADE_COUNTS.items() for _ in range(count)]
    random.Random(f"{seed}:grades").shuffle(grades)
    return tuple(grades)


@functools.cache
def _guardian_phones(seed: int) -> tuple[int, ...]:
    """The last two digits of each guardian's fictional 555-01xx number, all different."""
    return tuple(random.Random(f"{seed}:phones").sample(range(100), FIRST_PUPS + LATER_PUPS))


def _pick(options: tuple, weights: tuple, count: int, rng: random.Random) -> frozenset[str]:
    """`count` different options, drawn by weight."""
    left, chosen = dict(zip(options, weights, strict=True)), set()
    while len(chosen) < count:
        option = rng.choices(list(left), list(left.values()))[0]
        chosen.add(option)
        del left[option]
    return frozenset(chosen)


def _free_times(rng: random.Random) -> frozenset[str]:
    """Two or three after-school days, now and then Friday too."""
    times = set(rng.sample(AFTER_SCHOOL, rng.choice((2, 2, 3))))
    if rng.random() < 0.2:
        times.add(FRIDAY)
    return frozenset(times)


def gender_of(first_name: str) -> str | None:
    """What the demo knows of a teen's gender from their first name (None: not said)."""
    if first_name in GIRLS:
        return "f"
    return "m" if first_name in BOYS else None


def school_year(today: date) -> tuple[date, date]:
    """The Wisconsin school year that has begun: after Labor Day to the first Friday of June.

    Until the next one begins it is the year just ended (the program has not moved on yet).
    """

    def first_day(year: int) -> date:
        september = date(year, 9, 1)
        return september + timedelta(days=(0 - september.weekday()) % 7 + 1)  # Labor Day + 1

    year = today.year if today >= first_day(today.year) else today.year - 1
    june = date(year + 1, 6, 1)
    return first_day(year), june + timedelta(days=(4 - june.weekday()) % 7)


def no_school(day: date) -> bool:
    """Weekends, Thanksgiving and the day after, and the winter break."""
    if day.weekday() >= 5:
        return True
    thanksgiving = date(day.year, 11, 1) + timedelta(days=(3 - date(day.year, 11, 1).weekday()) % 7)
    thanksgiving += timedelta(weeks=3)
    if day in (thanksgiving, thanksgiving + timedelta(days=1)):
        return True
    return (day.month == 12 and day.day >= 23) or (day.month == 1 and day.day <= 1)
