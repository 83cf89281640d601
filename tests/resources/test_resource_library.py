"""The starting library loads once, with its topics, and never guesses a link."""

from __future__ import annotations

from sqlalchemy import func, select

from neighborly.extensions import db
from neighborly.resources import services
from neighborly.resources.library import STARTING_RESOURCES, load_starting_library
from neighborly.resources.models import Resource, Topic

ACTION_GUIDE = "https://www.social-connection.org/action-guide/"


def test_the_starting_library_loads_once(app):
    assert load_starting_library() == len(STARTING_RESOURCES) == 9
    assert load_starting_library() == 0
    assert db.session.scalar(select(func.count(Resource.id))) == 9
    assert db.session.scalar(select(func.count(Topic.id))) == 5


def test_only_the_action_guide_has_a_link_and_the_rest_show_link_coming(client):
    load_starting_library()
    links = dict(db.session.execute(select(Resource.title, Resource.url)).all())
    assert {title: url for title, url in links.items() if url} == {
        "Action Guide for Building Socially Connected Communities": ACTION_GUIDE
    }
    belonging = db.session.scalar(
        select(Resource).where(Resource.title == "Belonging Creates and Undoes Us")
    )
    page = client.get(f"/resources/{belonging.id}").text
    assert "No web link yet" in page and "On Being (podcast)" in page


def test_every_topic_has_a_page_with_starting_resources(client):
    load_starting_library()
    for topic in services.all_topics():
        page = client.get(f"/resources/topics/{topic.slug}")
        assert page.status_code == 200
        assert page.text.count('class="resource-card"') >= 2, topic.slug
    assert client.get("/resources/topics/no-such-topic").status_code == 404


def test_reloading_keeps_a_coordinators_changes(app, curator):
    load_starting_library()
    belonging = db.session.scalar(select(Resource).where(Resource.library_key == "proviso-love"))
    services.set_published(belonging.id, False, curator)
    load_starting_library()
    db.session.expire_all()
    assert db.session.get(Resource, belonging.id).published is False


def test_the_home_page_features_only_starting_resources_that_can_be_opened(app):
    load_starting_library()
    featured = services.featured_resources()
    # Proviso's and the Wolves and Pups stories have no link yet: they wait in the library.
    assert {r.library_key for r in featured} == {"action-guide"}
    assert all(r.url for r in featured)
