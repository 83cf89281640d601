"""Anti-automation: asking, suggesting and registering are limited per person and per address.

Only what went through counts; the page that answers a limit says what happened and when to
try again."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from config import Config
from neighborly import create_app
from neighborly.accounts.models import User
from neighborly.extensions import db, limiter
from neighborly.help_requests.models import HelpRequest
from neighborly.resources.models import ResourceSuggestion
from tests.conftest import IsolatedClient, make_test_config
from tests.factories.accounts import CommunityFactory, resident

ASK = {
    "category": "snow",
    "title": "Shovel my front steps",
    "details": "",
    "street_address": "4217 Elmwood Lane",
    "postal_code": "60153",
    "needed_by": "",
    "estimated_minutes": "30",
    "urgency": "soon",
}
SUGGESTION = {"title": "Soup night", "summary": "Neighbours meet over soup.", "url": ""}


@pytest.fixture(autouse=True)
def _shared_limiter_restored():
    """Put the shared Limiter's switches and storage back after a limited app used it."""
    saved = dict(vars(limiter))
    yield
    vars(limiter).clear()
    vars(limiter).update(saved)


@pytest.fixture()
def limited(app, database_url):
    """An app with limits on, small enough to reach in a test."""
    limited = create_app(
        make_test_config(
            database_url,
            RATELIMIT_ENABLED=True,
            ASK_LIMIT_PER_PERSON="2 per day",
            ASK_LIMIT_PER_ADDRESS="3 per day",
            SUGGEST_LIMIT_PER_PERSON="2 per day",
            SUGGEST_LIMIT_PER_ADDRESS="3 per day",
            REGISTER_LIMIT_PER_ADDRESS="2 per hour",
        )
    )
    limited.test_client_class = IsolatedClient
    with limited.app_context():
        yield limited


def _client_for(app, user=None, address="198.51.100.7"):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    if user is not None:
        with client.session_transaction() as session:
            session["_user_id"] = user.get_id()
    return client


def _count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count(model.id)))


def test_one_person_asking_from_many_addresses_is_limited(limited):
    rosa = resident(CommunityFactory(slug="proviso"))
    statuses = [
        _client_for(limited, rosa, f"198.51.100.{n}").post("/c/proviso/ask", data=ASK).status_code
        for n in range(3)
    ]
    assert statuses == [302, 302, 429]
    assert _count(HelpRequest) == 2


def test_many_people_asking_from_one_address_are_limited(limited):
    home = CommunityFactory(slug="proviso")
    people = [resident(home) for _ in range(4)]
    statuses = [
        _client_for(limited, person).post("/c/proviso/ask", data=ASK).status_code
        for person in people
    ]
    assert statuses == [302, 302, 302, 429]
    assert _count(HelpRequest) == 3


def test_a_request_sent_back_with_a_message_does_not_count(limited):
    home = CommunityFactory(slug="proviso")
    client = _client_for(limited, resident(home))
    for _ in range(4):
        page = client.post("/c/proviso/ask", data={**ASK, "postal_code": ""})
        assert page.status_code == 200
    assert client.post("/c/proviso/ask", data=ASK).status_code == 302


def test_the_limit_page_says_what_happened_and_when_to_try_again(limited):
    home = CommunityFactory(slug="proviso")
    client = _client_for(limited, resident(home))
    client.post("/c/proviso/ask", data=ASK)
    client.post("/c/proviso/ask", data=ASK)

    page = client.post("/c/proviso/ask", data=ASK)

    assert page.status_code == 429
    assert "Too many tries" in page.text
    assert "You have done this many times in a short while" in page.text
    assert "You can try again in about 24 hours." in page.text
    assert "Nothing you sent just now was saved" in page.text
    assert 23 * 3600 < int(page.headers["Retry-After"]) <= 24 * 3600


def test_one_person_suggesting_from_many_addresses_is_limited(limited):
    rosa = resident(CommunityFactory())
    statuses = [
        _client_for(limited, rosa, f"203.0.113.{n}")
        .post("/resources/suggest", data=SUGGESTION)
        .status_code
        for n in range(3)
    ]
    assert statuses == [302, 302, 429]
    assert _count(ResourceSuggestion) == 2


def test_many_people_suggesting_from_one_address_are_limited(limited):
    home = CommunityFactory()
    statuses = [
        _client_for(limited, resident(home)).post("/resources/suggest", data=SUGGESTION).status_code
        for _ in range(4)
    ]
    assert statuses == [302, 302, 302, 429]


def _registration(n: int) -> dict:
    return {
        "first_name": "Rosa",
        "last_name": "M",
        "email": f"rosa{n}@example.org",
        "password": "plenty long password",
        "locale": "en",
        "agree": "y",
    }


def test_registrations_from_one_address_are_limited_and_nothing_is_created(limited):
    client = _client_for(limited)
    statuses = [
        client.post("/account/register", data=_registration(n)).status_code for n in range(3)
    ]
    assert statuses == [200, 200, 429]
    assert _count(User) == 2
    other = _client_for(limited, address="192.0.2.44")
    assert other.post("/account/register", data=_registration(9)).status_code == 200


def test_a_registration_sent_back_with_a_message_does_not_count(limited):
    client = _client_for(limited)
    for n in range(3):
        unticked = {**_registration(n), "agree": ""}
        assert "tick the box" in client.post("/account/register", data=unticked).text
    assert client.post("/account/register", data=_registration(5)).status_code == 200
    assert _count(User) == 1


def test_the_shipped_limits_are_sensible():
    assert Config.ASK_LIMIT_PER_PERSON == "10 per day"
    assert Config.ASK_LIMIT_PER_ADDRESS == "30 per day"
    assert Config.SUGGEST_LIMIT_PER_PERSON == "5 per day"
    assert Config.REGISTER_LIMIT_PER_ADDRESS == "5 per hour"
