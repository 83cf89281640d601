"""What the mentoring forms share: choice lists, the school-week grid, text-box lines."""

from __future__ import annotations

from wtforms.fields.choices import SelectChoice

from neighborly.availability import SCHOOL_DAYS
from neighborly.forms import choices_from
from neighborly.mentoring.wording import (
    TIME_HEADINGS,
    slot_label,
)


def optional_choices(labels: dict, empty) -> list[SelectChoice]:
    """Choices with a first, empty option."""
    return [SelectChoice("", empty), *choices_from(labels)]


# The weekly grid of school days and meeting times, each box a slot code such as "tue-15".
SCHOOL_WEEK = dict(
    days=SCHOOL_DAYS,
    times=list(TIME_HEADINGS.items()),
    say=lambda day, time: slot_label(f"{day}-{time}"),
)


def lines_of(text: str | None) -> list[str]:
    """Non-empty stripped lines of a text box."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]
