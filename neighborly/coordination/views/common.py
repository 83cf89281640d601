"""The coordination blueprint and what its views share."""

from __future__ import annotations

from flask import Blueprint

from neighborly.coordination.wording import category_words, share_words, wait_words
from neighborly.help_requests.forms import CATEGORY_LABELS
from neighborly.paging import page_url

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
