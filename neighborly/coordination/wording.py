"""How the console words its numbers, in the reader's language."""

from __future__ import annotations

from flask_babel import format_percent, ngettext

from neighborly.help_requests.forms import CATEGORY_LABELS
from neighborly.help_requests.models import Category

DAY = 86400
CATEGORY_CODES = frozenset(c.value for c in Category)


def wait_words(seconds: float | None) -> str:
    """'35 minutes', '5 hours', '2 days 4 hours'; a dash when there is nothing to measure."""
    if seconds is None:
        return "–"
    minutes = round(seconds / 60)
    if seconds < DAY:
        hours, rest = divmod(minutes, 60)
        if not hours:
            return ngettext("%(num)d minute", "%(num)d minutes", rest)
        return ngettext("%(num)d hour", "%(num)d hours", hours) + (
            " " + ngettext("%(num)d minute", "%(num)d minutes", rest) if rest else ""
        )
    days, hours = divmod(round(seconds / 3600), 24)
    return ngettext("%(num)d day", "%(num)d days", days) + (
        " " + ngettext("%(num)d hour", "%(num)d hours", hours) if hours else ""
    )


def share_words(share: float | None) -> str:
    """A share as a whole percentage; a dash when there is nothing to divide."""
    return "–" if share is None else format_percent(share)


def category_words(codes: tuple[str, ...]) -> str:
    """Category codes as their names, comma separated."""
    return ", ".join(
        str(CATEGORY_LABELS[Category(code)]) for code in codes if code in CATEGORY_CODES
    )
