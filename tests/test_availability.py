"""The one slot encoding: codes and slots convert both ways, sort by the week, refuse strangers."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from neighborly.availability import (
    DAYS,
    PARTS_OF_DAY,
    Slot,
    block_code,
    blocks_of,
    format_codes,
    format_slot,
    order_key,
    parse_codes,
    parse_slot,
    slot_or_none,
    slots_of_blocks,
    sorted_codes,
)

slots = st.builds(Slot, st.integers(0, 6), st.integers(0, 23), st.integers(0, 59))
hourly = st.builds(Slot, st.integers(0, 6), st.integers(0, 23), st.just(0))
blocks = st.builds(block_code, st.integers(0, 6), st.sampled_from([p.code for p in PARTS_OF_DAY]))


@given(slots)
def test_a_slot_survives_formatting_and_parsing(slot):
    assert parse_slot(format_slot(slot)) == slot


@given(slots)
def test_a_code_is_written_one_way_only(slot):
    code = format_slot(slot)
    assert format_slot(parse_slot(code)) == code


@given(st.lists(slots))
def test_codes_sort_like_the_week(some):
    codes = [format_slot(slot) for slot in some]
    assert [parse_slot(code) for code in sorted_codes(codes)] == sorted(some)


@given(st.frozensets(slots))
def test_stored_text_reads_back_as_the_same_codes(some):
    codes = frozenset(format_slot(slot) for slot in some)
    text = format_codes(codes)
    assert parse_codes(text) == codes
    assert [parse_slot(code) for code in text.split(",") if code] == sorted(some)


@given(st.frozensets(blocks))
def test_ticked_blocks_come_back_ticked(ticked):
    assert set(blocks_of(slots_of_blocks(ticked))) == ticked


@given(st.frozensets(hourly))
def test_the_blocks_shown_cover_every_free_hour_inside_a_part_of_day(free):
    shown = blocks_of(format_slot(slot) for slot in free)
    covered = {parse_slot(code) for code in slots_of_blocks(shown)}
    in_blocks = {s for s in free if any(s.hour in part.hours for part in PARTS_OF_DAY)}
    assert in_blocks <= covered


@pytest.mark.parametrize(
    "code",
    ["", "tue", "tue-", "Tue-15", "tue-07", "tue-1500", "tue-24", "tue-2460", "tue-123",
     "1-9", "evenings", "tue-morning", "tue--1", "tue-١٥", "tue-15,wed-15", " tue-15"],
)  # fmt: skip
def test_unknown_codes_are_refused(code):
    with pytest.raises(ValueError):
        parse_slot(code)
    assert slot_or_none(code) is None


@given(st.text(max_size=8))
def test_anything_parse_accepts_it_writes_back_the_same(code):
    slot = slot_or_none(code)
    if slot is not None:
        assert format_slot(slot) == code


def test_unknown_codes_sort_last():
    assert sorted_codes(["evenings", "sun-20", "mon-8"]) == ["mon-8", "sun-20", "evenings"]
    assert order_key("mon-8") < order_key("mon-12") < order_key("tue-0")


def test_stored_text_with_an_unknown_code_is_refused():
    with pytest.raises(ValueError):
        parse_codes("tue-15,someday")
    with pytest.raises(ValueError):
        format_codes(["tue-15", "someday"])


def test_out_of_range_slots_cannot_be_written():
    for slot in (Slot(7, 0), Slot(-1, 0), Slot(0, 24), Slot(0, 0, 60)):
        with pytest.raises(ValueError):
            format_slot(slot)


def test_a_morning_block_is_its_four_hours():
    assert slots_of_blocks(["tue-morning"]) == {"tue-8", "tue-9", "tue-10", "tue-11"}
    assert blocks_of(["tue-9", "sun-20"]) == ["tue-morning", "sun-evening"]
    assert DAYS[1] == "tue"
