"""Miles or kilometres: a community's distance unit, and conversions for what people type (pure)."""

from __future__ import annotations

KM_PER_MILE = 1.609344
FEET_PER_MILE = 5280
MILES = "mi"
KILOMETRES = "km"
UNITS = (MILES, KILOMETRES)


def km_to_unit(km: float, unit: str) -> float:
    """A distance in kilometres, in the community's unit."""
    return km / KM_PER_MILE if unit == MILES else km


def unit_to_km(value: float, unit: str) -> float:
    """A distance typed in the community's unit, in kilometres (how it is stored)."""
    return value * KM_PER_MILE if unit == MILES else value


def shown_radius(km: float, unit: str) -> float:
    """A stored radius as the form shows it: one decimal in the community's unit."""
    return round(km_to_unit(km, unit), 1)


def typed_radius_km(typed: float, unit: str, stored_km: float | None) -> float:
    """The radius to store for what was typed; unchanged when the shown value came back as is.

    Rounding for display must not look like a change of area (those are limited per day).
    """
    if stored_km is not None and shown_radius(stored_km, unit) == round(typed, 1):
        return stored_km
    return unit_to_km(typed, unit)


def short_distance(metres: float, unit: str) -> tuple[float, str]:
    """A short distance as (number, "ft" or "m"), rounded to a friendly step."""
    if unit == MILES:
        feet = metres / 1000 / KM_PER_MILE * FEET_PER_MILE
        return float(round(feet, -2)), "ft"
    return float(round(metres, -1)), "m"
