"""Near me's cards say, byte for byte, what the template's own per-row calls used to say."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from flask import render_template_string, url_for
from flask_babel import force_locale

from neighborly.geo.units import KILOMETRES, MILES
from neighborly.help_requests import matching
from neighborly.help_requests.models import Category, Urgency
from neighborly.help_requests.services import NearbyRequest
from neighborly.help_requests.views.near_me_words import MARKER_ID, id_url, near_me_cards
from neighborly.help_requests.wording import reason_words

NOW = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)

# The row markup the template had before the words moved to near_me_cards.
PER_ROW_TEMPLATE = (
    "{{ url_for('help_requests.detail', request_id=row.request_id) }}|"
    '{{ _("for %(name)s", name=row.requester_name) }}|'
    '{{ ngettext("about %(num)d minute", "about %(num)d minutes", row.estimated_minutes) }}|'
    "{% for reason in row.details %}{{ reason_text(reason, unit) }}"
    "{% if not loop.last %} · {% endif %}{% endfor %}"
)
CARD_TEMPLATE = "{{ w.href }}|{{ w.asker }}|{{ w.minutes }}|{{ w.reasons }}"


def _row(request_id: int, name: str, minutes: int, **facts) -> NearbyRequest:
    """A Near-me row whose reasons come from matching itself."""
    candidate = matching.Candidate(
        request_id=request_id,
        category="errands",
        lat=41.88,
        lng=-87.63,
        created_at=facts.get("created_at", NOW - timedelta(hours=5)),
        requester_id=request_id + 100,
        requester_first_name=name.split()[0],
        needed_by=facts.get("needed_by"),
    )
    prefs = matching.VolunteerPrefs(
        lat=41.881,
        lng=-87.631,
        radius_km=20,
        categories=frozenset({"errands"}),
        availability=frozenset({"mon-9", "tue-18"}),
        helped_requesters=facts.get("helped", {}),
        time_zone="America/Chicago",
    )
    (ranked,) = matching.nearest_first([candidate], prefs, NOW)
    return NearbyRequest(
        request_id=request_id,
        title="Bins to the curb",
        category=Category.ERRANDS,
        urgency=Urgency.FLEXIBLE,
        needed_by=candidate.needed_by,
        estimated_minutes=minutes,
        requester_name=name,
        public_lat=candidate.lat,
        public_lng=candidate.lng,
        distance_km=ranked.distance_km,
        band=ranked.band,
        details=ranked.details,
    )


ROWS = [
    _row(1, "Rosa M.", 1),
    _row(2, "O'Brien <b>J.</b>", 30, needed_by=NOW + timedelta(hours=3)),
    _row(3, "Ana & Bo", 45, needed_by=NOW + timedelta(days=3, minutes=17)),
    _row(4, "Li W.", 30, needed_by=NOW + timedelta(days=40), created_at=NOW - timedelta(days=9)),
    _row(5, "Rosa M.", 60, created_at=NOW, helped={105: date(2024, 7, 2)}),
    _row(MARKER_ID, "Max T.", 15, needed_by=NOW + timedelta(days=1)),
]


@pytest.mark.parametrize("locale", ["en", "es"])
@pytest.mark.parametrize("unit", [KILOMETRES, MILES])
def test_cards_say_what_the_template_said_row_by_row(app, locale, unit):
    with app.test_request_context("/"), force_locale(locale):
        before = [
            render_template_string(PER_ROW_TEMPLATE, row=row, unit=unit, reason_text=reason_words())
            for row in ROWS
        ]
        after = [
            render_template_string(CARD_TEMPLATE, w=words)
            for _row_, words in near_me_cards(ROWS, unit)
        ]

    assert after == before
    assert "O&#39;Brien &lt;b&gt;J.&lt;/b&gt;" in after[1]
    assert any("Rosa" in text and "2024" in text for text in after)


def test_cards_keep_the_rows_in_their_order(app):
    with app.test_request_context("/"):
        cards = near_me_cards(ROWS, KILOMETRES)

    assert [row.request_id for row, _words in cards] == [row.request_id for row in ROWS]


@pytest.mark.parametrize("request_id", [1, 7, 10, 123456, MARKER_ID])
def test_a_record_link_is_the_url_flask_builds(app, request_id):
    with app.test_request_context("/"):
        link = id_url("help_requests.detail", "request_id")

        assert link(request_id) == url_for("help_requests.detail", request_id=request_id)
