"""The help blueprint and what its view modules share: loaders, the draft, labels."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from types import MappingProxyType

from flask import Blueprint

from neighborly.availability import DAYS
from neighborly.help_requests import policies, services
from neighborly.help_requests.forms import CATEGORY_LABELS, URGENCY_LABELS, RequestForm
from neighborly.help_requests.models import Category, Urgency
from neighborly.help_requests.wording import (
    SERIES_STATUS_LABELS,
    area_text,
    band_text,
    distance_text,
    reason_words,
    series_time,
)
from neighborly.wording import DAY_LABELS, page_locale

bp = Blueprint("help_requests", __name__)


@bp.context_processor
def _labels() -> dict:
    """Category and urgency names and reason wording for every help template."""
    return {
        "category_labels": CATEGORY_LABELS,
        "urgency_labels": URGENCY_LABELS,
        "reason_text": reason_words(),
        "band_text": band_text,
        "distance_text": distance_text,
        "area_text": area_text,
        "day_labels": [DAY_LABELS[code] for code in DAYS],
        "series_time": series_time,
        "series_status_labels": SERIES_STATUS_LABELS,
    }


def category_names() -> Mapping[Category, str]:
    """Each kind of help's name in the reader's language (worded once per language)."""
    return _category_names(page_locale())


@lru_cache(maxsize=8)
def _category_names(locale: str) -> Mapping[Category, str]:
    """The names in one language (`locale` is the reader's: the labels translate to it)."""
    return MappingProxyType({code: str(label) for code, label in CATEGORY_LABELS.items()})


def load_community(slug: str):
    """The community in the URL (NotFound answers 404); read once when the policy read it."""
    return policies.community_in_url(slug)


def load_request(request_id: int):
    """The request in the URL (NotFound answers 404)."""
    return services.get_request(request_id)


def draft_from(form: RequestForm, timezone: str) -> services.RequestDraft:
    """Turn a valid request form into a draft."""
    return services.RequestDraft(
        category=Category(form.category.data),
        title=form.title.data,
        details=form.details.data or "",
        street_address=form.street_address.data,
        postal_code=form.postal_code.data,
        needed_by=form.needed_by_utc(timezone),
        needed_from=form.needed_from_utc(timezone),
        estimated_minutes=form.estimated_minutes.data,
        urgency=Urgency(form.urgency.data),
        lat=form.lat.data,
        lng=form.lng.data,
    )
