"""Text in a URL path can't carry a control character to the database: such URLs are 404."""

from __future__ import annotations

import pytest
from werkzeug.routing import IntegerConverter

from tests.url_rules import rule_url

CONTROL_TEXTS = ("a%00b", "%00", "a%01b", "a%7Fb")


def _text_rules(app):
    """Every rule with at least one text (slug) variable."""
    for rule in app.url_map.iter_rules():
        texts = [
            name
            for name, converter in rule._converters.items()
            if not isinstance(converter, IntegerConverter)
        ]
        if texts:
            yield rule, texts


def test_every_text_variable_in_a_url_refuses_a_null_character(app, client):
    rules = list(_text_rules(app))
    assert len(rules) > 5  # community pages, topics, resources...
    for rule, texts in rules:
        for bad in CONTROL_TEXTS:
            args = {name: (bad if name in texts else 1) for name in rule.arguments}
            url = rule_url(rule, args)
            for method in sorted((rule.methods or set()) & {"GET", "POST"}):
                response = client.open(url, method=method)
                assert response.status_code == 404, (method, url, response.status_code)


@pytest.mark.parametrize("url", ["/c/a%00b", "/resources/topics/a%00b", "/c/a%00b/mentoring"])
def test_a_null_in_a_slug_is_a_plain_not_found_page(client, url):
    page = client.get(url)
    assert page.status_code == 404
    assert "We could not find that page" in page.text
