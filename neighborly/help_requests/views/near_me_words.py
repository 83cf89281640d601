"""Near me's cards in words, worked out once per page instead of once per row in the template.

The template used to call `url_for`, `_`, `ngettext` and `reason_text` for every card; each
call through Jinja costs more than the words. Here the link's routing and the fixed
translations are looked up once per page and every distinct value is worded once. The text
is what the template's own calls gave: translations are markup and their variables are
escaped (Jinja's autoescaped `gettext`), reason words are escaped like `{{ ... }}`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache

from flask import url_for
from markupsafe import Markup

from neighborly.help_requests.services import NearbyRequest
from neighborly.help_requests.wording import reason_words
from neighborly.wording import page_gettext as _
from neighborly.wording import page_ngettext as ngettext

MARKER_ID = 2**31 - 1  # the largest record id: routed once, then replaced by each row's id
BETWEEN = Markup(" · ")


@dataclass(frozen=True, slots=True)
class CardWords:
    """What one Near-me card says besides its title and kind of help."""

    href: str
    asker: Markup
    minutes: Markup
    reasons: Markup


def near_me_cards(
    rows: Sequence[NearbyRequest], unit: str
) -> list[tuple[NearbyRequest, CardWords]]:
    """Each row with its card's words (distances in `unit`)."""
    href = id_url("help_requests.detail", "request_id")
    asker = Markup(_("for %(name)s"))
    minutes = cache(_minutes_words)
    reason = reason_words()
    return [
        (
            row,
            CardWords(
                href=href(row.request_id),
                asker=asker % {"name": row.requester_name},
                minutes=minutes(row.estimated_minutes),
                reasons=BETWEEN.join([reason(detail, unit) for detail in row.details]),
            ),
        )
        for row in rows
    ]


def id_url(endpoint: str, key: str) -> Callable[[int], str]:
    """`url_for(endpoint, key=n)` for any record id n, routed once for the page."""
    marker = str(MARKER_ID)
    head, found, tail = url_for(endpoint, **{key: MARKER_ID}).rpartition(marker)
    if not found:
        return lambda record_id: url_for(endpoint, **{key: record_id})
    return lambda record_id: f"{head}{int(record_id)}{tail}"


def _minutes_words(minutes: int) -> Markup:
    """'about 30 minutes' as the template's `ngettext` gives it (the number needs no escaping)."""
    return Markup(ngettext("about %(num)d minute", "about %(num)d minutes", minutes))
