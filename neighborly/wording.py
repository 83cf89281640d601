"""Words every domain shares: the names of the weekdays, keyed by their availability codes."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

DAY_LABELS = {
    "mon": _l("Monday"),
    "tue": _l("Tuesday"),
    "wed": _l("Wednesday"),
    "thu": _l("Thursday"),
    "fri": _l("Friday"),
    "sat": _l("Saturday"),
    "sun": _l("Sunday"),
}
DAY_SHORT_LABELS = {
    "mon": _l("Mon"),
    "tue": _l("Tue"),
    "wed": _l("Wed"),
    "thu": _l("Thu"),
    "fri": _l("Fri"),
    "sat": _l("Sat"),
    "sun": _l("Sun"),
}
