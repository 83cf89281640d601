"""The coordination blueprint and what its views share."""

from __future__ import annotations

from flask import Blueprint, request

from neighborly.coordination.forms import PeriodForm
from neighborly.coordination.period import Period, default_period
from neighborly.coordination.wording import category_words, share_words, wait_words
from neighborly.help_requests.forms import CATEGORY_LABELS
from neighborly.paging import page_url
from neighborly.timeutil import utcnow

bp = Blueprint("coordination", __name__)


@bp.context_processor
def _wording() -> dict:
    """The console's number wording (and the pager's links) for every coordination template."""
    return {
        "page_url": page_url,
        "category_labels": CATEGORY_LABELS,
        "wait_words": wait_words,
        "share_words": share_words,
        "category_words": category_words,
    }


def period_from_query(form: PeriodForm, timezone: str, default_days: int = 90) -> Period:
    """The period in the query string when it is valid, else the last `default_days` days."""
    if request.args and form.validate():
        return Period(form.start.data, form.end.data, timezone)
    period = default_period(timezone, utcnow(), default_days)
    if not request.args:
        form.start.data, form.end.data = period.first, period.last
    return period
