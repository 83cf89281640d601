"""Snow-day words: reasons for each line, why nobody could go, distances in the community's unit."""

from __future__ import annotations

from datetime import date, timedelta

from flask_babel import format_date, format_decimal, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from neighborly.help_requests import dispatch

KM_PER_MILE = 1.609344

BOARD_LABELS = {
    "nobody": _l("Nobody yet"),
    "covered": _l("Covered"),
    "done": _l("Done"),
    "confirmed": _l("Confirmed by the neighbour"),
    "unreachable": _l("Nobody can reach"),
}


def distance_words(km: float | None, unit: str) -> str:
    """'0.4 mi' or '0.6 km' in the reader's number format."""
    if km is None:
        return ""
    if unit == "mi":
        return _("%(num)s mi", num=format_decimal(round(km / KM_PER_MILE, 1), format="0.0"))
    return _("%(num)s km", num=format_decimal(round(km, 1), format="0.0"))


def reason_words(line, unit: str) -> str:
    """Why the plan sends this volunteer, or why nobody goes."""
    far = distance_words(line.distance_km, unit)
    left = line.capacity_left
    room = (
        ngettext("room for %(num)d more", "room for %(num)d more", left)
        if left > 0
        else _("their list is full")
    )
    if line.volunteer_id is None:
        if line.reason == dispatch.NOBODY_WITHIN_WALK:
            return _("Nobody who clears snow lives within walking distance.")
        if line.reason == dispatch.EVERYONE_NEARBY_FULL:
            return ngettext(
                "%(num)d volunteer lives within walking distance, but their list is full.",
                "%(num)d volunteers live within walking distance, but their lists are full.",
                line.nearby_volunteers,
            )
        return _("Left unassigned by a coordinator.")
    if line.reason == dispatch.REGULAR:
        return _("Their regular helper, %(far)s from home; %(room)s.", far=far, room=room)
    if line.reason == dispatch.NEAREST:
        return _("The nearest volunteer who can walk there, %(far)s; %(room)s.", far=far, room=room)
    if line.reason == dispatch.NEARER_FULL:
        return _(
            "%(far)s away: nearer volunteers are full with streets only they can reach; %(room)s.",
            far=far,
            room=room,
        )
    return _("Chosen by a coordinator, %(far)s away.", far=far)


def time_left_words(left: timedelta) -> str:
    """'5 hours 20 minutes left', or 'The deadline has passed.'"""
    minutes = int(left.total_seconds() // 60)
    if minutes <= 0:
        return _("The deadline has passed.")
    hours, minutes = divmod(minutes, 60)
    return _(
        "%(hours)s and %(minutes)s left",
        hours=ngettext("%(num)d hour", "%(num)d hours", hours),
        minutes=ngettext("%(num)d minute", "%(num)d minutes", minutes),
    )


def snowfall_words(amount: float, unit: str) -> str:
    """'4 in' or '10 cm'."""
    number = format_decimal(amount, format="0.#")
    if unit == "in":
        return _("%(num)s inches", num=number)
    return _("%(num)s cm", num=number)


def day_words(day: date) -> str:
    """'December 14, 2026' in the reader's language."""
    return format_date(day, format="long")
