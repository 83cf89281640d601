"""One place turns domain errors into responses: the app factory's error handler."""

from __future__ import annotations

import pytest
from flask import Flask

from neighborly import create_app
from neighborly.errors import Conflict, DomainError, NotAllowed, NotFound
from neighborly.policy import policy
from tests.conftest import make_test_config
from tests.factories.accounts import UserFactory


@pytest.fixture(scope="module")
def raising_app(database_url: str) -> Flask:
    """A fresh app with one extra view that raises whichever domain error the URL names."""
    errors = {
        "missing": NotFound,
        "forbidden": NotAllowed,
        "changed": Conflict,
        "rule": DomainError,
    }
    fresh = create_app(make_test_config(database_url))

    @policy(lambda user, args: True)
    def raise_domain_error(kind: str):
        raise errors[kind]("test")

    fresh.add_url_rule("/__raise/<kind>", view_func=raise_domain_error)
    return fresh


@pytest.mark.parametrize(
    ("kind", "status", "words"),
    [
        ("missing", 404, "We could not find that page"),
        ("forbidden", 403, "This page is not open to you"),
        ("changed", 409, "Someone changed this just before you"),
        ("rule", 400, "Something in that request was not right"),
    ],
)
def test_an_unhandled_domain_error_answers_with_its_status_page(raising_app, kind, status, words):
    page = raising_app.test_client().get(f"/__raise/{kind}")
    assert page.status_code == status
    assert words in page.get_data(as_text=True)


def test_an_unknown_object_in_a_policy_check_answers_404_not_500(client, login):
    login(UserFactory())
    assert client.get("/requests/987654/edit").status_code == 404
    assert client.get("/mentoring/programs/987654").status_code == 404
