"""Weekly free time: weekdays, parts of the day and the one slot code (pure: no Flask, no database).

A slot is one weekly moment, written as a code like "tue-15" (Tuesdays at 3 pm) or
"mon-1230" (Mondays at 12:30 pm): a weekday code, a dash, then the hour (no leading
zero) or the hour and minutes as four digits. A volunteer's free hour "tue-9" and a
mentor's "after school" time "tue-15" are written the same way, stored the same way
(codes joined with commas) and compared the same way.

Volunteers tick blocks ("tue-morning"): a weekday and a part of the day, each block
standing for the whole hours it covers. Labels people read live in the wording modules.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import NamedTuple

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")  # index = datetime.weekday()
SCHOOL_DAYS = DAYS[:5]
# English names, independent of the process locale (wording modules translate from the codes).
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class PartOfDay(NamedTuple):
    """A part of the day a volunteer can tick, and the whole hours it covers."""

    code: str
    hours: range


PARTS_OF_DAY = (
    PartOfDay("morning", range(8, 12)),
    PartOfDay("afternoon", range(12, 17)),
    PartOfDay("evening", range(17, 21)),
)
_PART_HOURS = {part.code: part.hours for part in PARTS_OF_DAY}


class Slot(NamedTuple):
    """One weekly moment: weekday (0 = Monday), hour (0-23) and minute (0-59)."""

    day: int
    hour: int
    minute: int = 0


def format_slot(slot: Slot) -> str:
    """The code of a slot: Slot(1, 15) -> "tue-15", Slot(0, 12, 30) -> "mon-1230"."""
    day, hour, minute = slot
    if not (0 <= day < len(DAYS) and 0 <= hour < 24 and 0 <= minute < 60):
        raise ValueError(f"not a weekly slot: {slot!r}")
    time = f"{hour}" if minute == 0 else f"{hour:02d}{minute:02d}"
    return f"{DAYS[day]}-{time}"


def parse_slot(code: str) -> Slot:
    """The slot a code names; raise ValueError for anything but a code format_slot writes."""
    day, _dash, time = code.partition("-")
    if day not in DAYS or not time.isascii() or not time.isdigit():
        raise ValueError(f"not a slot code: {code!r}")
    hour, minute = (int(time), 0) if len(time) <= 2 else (int(time[:2]), int(time[2:]))
    slot = Slot(DAYS.index(day), hour, minute)
    if len(time) not in (1, 2, 4) or format_slot_or_none(slot) != code:
        raise ValueError(f"not a slot code: {code!r}")
    return slot


def format_slot_or_none(slot: Slot) -> str | None:
    """The code of a slot, or None when it is not a weekly moment."""
    try:
        return format_slot(slot)
    except ValueError:
        return None


def slot_or_none(code: str) -> Slot | None:
    """The slot a code names, or None for an unknown code."""
    try:
        return parse_slot(code)
    except ValueError:
        return None


def slot_code(day: int, hour: int, minute: int = 0) -> str:
    """The code for a weekday and a time: slot_code(1, 15) -> "tue-15"."""
    return format_slot(Slot(day, hour, minute))


@functools.lru_cache(maxsize=4096)
def order_key(code: str) -> tuple[int, int, int, str]:
    """Sort codes by weekday and time, Monday first, unknown codes last."""
    slot = slot_or_none(code)
    return (*(slot or (len(DAYS), 0, 0)), code)


def sorted_codes(codes: Iterable[str]) -> list[str]:
    """Codes in week order, unknown codes last."""
    return sorted(codes, key=order_key)


@functools.lru_cache(maxsize=4096)
def parse_codes(text: str | None) -> frozenset[str]:
    """The slot codes stored in a comma-separated text; raise ValueError on an unknown one."""
    codes = frozenset(code.strip() for code in (text or "").split(",") if code.strip())
    for code in codes:
        parse_slot(code)
    return codes


def format_codes(codes: Iterable[str]) -> str:
    """Slot codes as stored: comma-separated, in week order; raise ValueError on an unknown one."""
    return ",".join(sorted(set(codes), key=lambda code: parse_slot(code)))


def block_code(day: int, part: str) -> str:
    """The checkbox code of a weekday and a part of the day: (1, "morning") -> "tue-morning"."""
    if part not in _PART_HOURS:
        raise ValueError(f"not a part of the day: {part!r}")
    return f"{DAYS[day]}-{part}"


def block_slots(code: str) -> frozenset[str]:
    """The hourly slot codes a block covers: "tue-morning" -> {"tue-8", ..., "tue-11"}."""
    day, _dash, part = code.partition("-")
    if day not in DAYS or part not in _PART_HOURS:
        raise ValueError(f"not a block code: {code!r}")
    return frozenset(slot_code(DAYS.index(day), hour) for hour in _PART_HOURS[part])


def blocks_of(codes: Iterable[str]) -> list[str]:
    """The blocks touching any of these slots, in week order (the checkboxes to show ticked)."""
    hours = {(slot.day, slot.hour) for slot in map(parse_slot, codes)}
    return [
        block_code(day, part.code)
        for day in range(len(DAYS))
        for part in PARTS_OF_DAY
        if any((day, hour) in hours for hour in part.hours)
    ]


def slots_of_blocks(codes: Iterable[str]) -> frozenset[str]:
    """Every hourly slot the ticked blocks cover."""
    return frozenset().union(*(block_slots(code) for code in codes))


def weekly_hours(codes: Iterable[str]) -> frozenset[tuple[int, int]]:
    """(weekday, hour) pairs the slots start in, for comparing with a clock."""
    if isinstance(codes, frozenset):
        return _weekly_hours_of_set(codes)
    return frozenset((slot.day, slot.hour) for slot in map(parse_slot, codes))


@functools.lru_cache(maxsize=4096)
def _weekly_hours_of_set(codes: frozenset[str]) -> frozenset[tuple[int, int]]:
    """weekly_hours of a stored set (the same few sets come back for every volunteer)."""
    return frozenset((slot.day, slot.hour) for slot in map(parse_slot, codes))
