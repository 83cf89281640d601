"""Words looked up once per page still follow the reader's language, and force_locale."""

from __future__ import annotations

from flask_babel import force_locale

from neighborly.help_requests.models import Category
from neighborly.help_requests.views.common import category_names
from neighborly.wording import page_locale


def test_the_page_language_follows_the_reader_and_force_locale(app):
    with app.test_request_context("/", headers={"Accept-Language": "es"}):
        first = page_locale()
        with force_locale("en"):
            inside = page_locale()
        after = page_locale()

    assert (first, inside, after) == ("es", "en", "es")


def test_kinds_of_help_are_named_in_the_reader_language_on_every_page(app):
    with app.test_request_context("/", headers={"Accept-Language": "es"}):
        spanish = category_names()[Category.SNOW]
        with force_locale("en"):
            english = category_names()[Category.SNOW]
        again = category_names()[Category.SNOW]

    assert (spanish, english, again) == (
        "Quitar la nieve con pala",
        "Snow shovelling",
        "Quitar la nieve con pala",
    )
