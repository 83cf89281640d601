"""What every reader sees alike is cached for a short time, and a curator's change shows at once."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from neighborly import cache
from neighborly.extensions import db
from neighborly.resources import services
from neighborly.resources.models import Resource
from tests.core.test_bounded_work import counting
from tests.factories.accounts import UserFactory
from tests.factories.resources import make_resource


@pytest.fixture()
def cached(app):
    """The app with the shared cache on, as in production."""
    app.config["SHARED_CACHE_SECONDS"] = 60
    cache.clear()
    yield app
    cache.clear()
    app.config["SHARED_CACHE_SECONDS"] = 0


def _featured_titles() -> list[str]:
    return [card.title for card in services.featured_resources()]


def test_cards_are_read_once_then_kept_for_everyone(cached):
    make_resource(title="Porch chats", featured=True)
    assert _featured_titles() == ["Porch chats"]
    db.session.execute(update(Resource).values(title="Renamed behind the cache's back"))
    db.session.commit()
    with counting() as statements:
        titles = _featured_titles()

    assert titles == ["Porch chats"] and statements == []  # kept for the time to live


def test_cached_cards_expire_after_their_time_to_live(cached, monkeypatch):
    make_resource(title="Porch chats", featured=True)
    assert _featured_titles() == ["Porch chats"]
    db.session.execute(update(Resource).values(title="Supper club"))
    db.session.commit()
    clock = cache.time.monotonic()
    monkeypatch.setattr(cache.time, "monotonic", lambda: clock + 61)

    assert _featured_titles() == ["Supper club"]


def test_a_curators_change_shows_at_once_despite_the_cache(cached):
    curator = UserFactory(is_site_admin=True)
    resource = make_resource(title="Porch chats", featured=True)
    assert _featured_titles() == ["Porch chats"]

    services.set_featured(resource.id, False, curator)

    assert _featured_titles() == []


def test_with_the_cache_off_every_read_goes_to_the_database(app):
    make_resource(title="Porch chats", featured=True)
    assert _featured_titles() == ["Porch chats"]
    db.session.execute(update(Resource).values(title="Supper club"))
    db.session.commit()

    assert _featured_titles() == ["Supper club"]


def _found(words: str, viewer=None) -> list[str]:
    return [card.title for card in services.search(viewer, words)]


def test_a_search_is_read_once_then_kept_for_everyone_who_searches_those_words(cached):
    make_resource(title="Porch chats", summary="Neighbours talking on porches.")
    assert _found("porch") == ["Porch chats"]
    db.session.execute(update(Resource).values(title="Renamed behind the cache's back"))
    db.session.commit()
    with counting() as statements:
        titles = _found("  PORCH ")  # the same words, however typed

    assert titles == ["Porch chats"] and statements == []


def test_curators_and_readers_never_share_a_cached_search(cached):
    curator = UserFactory(is_site_admin=True)
    make_resource(title="Porch chats", summary="Porches.")
    make_resource(title="Porch drafts", summary="Porches.", published=False)

    assert _found("porch", curator) == ["Porch chats", "Porch drafts"]
    assert _found("porch") == ["Porch chats"]
    assert _found("porch", curator) == ["Porch chats", "Porch drafts"]


def test_a_curators_change_shows_in_searches_at_once_despite_the_cache(cached):
    curator = UserFactory(is_site_admin=True)
    resource = make_resource(title="Porch chats", summary="Porches.")
    assert _found("porch") == ["Porch chats"]

    services.set_published(resource.id, False, curator)

    assert _found("porch") == []


def test_the_home_page_lists_communities_from_the_cache_and_a_new_one_shows_at_once(
    cached, client
):
    from neighborly.accounts.services import create_community
    from tests.factories.accounts import CommunityFactory

    CommunityFactory(name="Maywood", slug="maywood")
    assert "Maywood" in client.get("/").text
    with counting() as statements:
        page = client.get("/").text  # a visitor's home page: every part is cached

    assert "Maywood" in page and statements == []

    admin = UserFactory(is_site_admin=True)
    create_community(admin, "Bellwood", "bellwood", "America/Chicago", (41.88, -87.88))

    assert "Bellwood" in client.get("/").text
