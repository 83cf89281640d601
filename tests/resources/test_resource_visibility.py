"""Unpublished resources appear nowhere for anyone but curators."""

from __future__ import annotations

import pytest
from flask import render_template

from neighborly.resources import services
from tests.factories.resources import make_resource

HIDDEN = "Hidden draft about belonging"


@pytest.fixture()
def hidden(app):
    """An unpublished, featured resource on a topic, plus a published one beside it."""
    make_resource(title="Shown guide about belonging", topic_slugs=("belonging-civic-muscle",))
    return make_resource(
        title=HIDDEN, topic_slugs=("belonging-civic-muscle",), published=False, featured=True
    )


def _pages(client) -> dict[str, object]:
    """Every reader-facing page that could show the resource."""
    return {
        "browse": client.get("/resources"),
        "kind": client.get("/resources?kind=guide"),
        "topic": client.get("/resources/topics/belonging-civic-muscle"),
        "search": client.get("/resources?q=belonging"),
    }


@pytest.mark.parametrize("who", ["signed_out", "neighbour"])
def test_an_unpublished_resource_appears_nowhere_for_neighbours(
    client, login, neighbour, hidden, who
):
    if who == "neighbour":
        login(neighbour)
    for name, page in _pages(client).items():
        assert page.status_code == 200, name
        assert "Shown guide about belonging" in page.text, name
        assert HIDDEN not in page.text, name
    assert client.get(f"/resources/{hidden.id}").status_code == 404
    assert client.get(f"/resources/{hidden.id}/open").status_code == 404
    assert HIDDEN not in [r.title for r in services.featured_resources()]
    assert HIDDEN not in [r.title for r in services.related_resources(["belonging-civic-muscle"])]


def test_the_home_page_partial_shows_featured_resources_only_when_published(app, hidden):
    make_resource(title="Featured and published", featured=True)
    with app.test_request_context("/"):
        html = render_template(
            "resources/_cards.html", resources=services.featured_resources(), heading="Featured"
        )
    assert "Featured and published" in html and HIDDEN not in html


def test_curators_see_unpublished_resources_marked_as_such(client, login, curator, hidden):
    login(curator)
    for name, page in _pages(client).items():
        assert HIDDEN in page.text, name
        assert "Not published" in page.text, name
    page = client.get(f"/resources/{hidden.id}")
    assert page.status_code == 200 and "No, only coordinators can see it" in page.text


def test_the_partial_renders_nothing_for_an_empty_list(app):
    with app.test_request_context("/"):
        assert render_template("resources/_cards.html", resources=[]).strip() == ""


def test_neighbours_cannot_reach_curator_pages(client, login, neighbour):
    resource = make_resource()
    for url in (
        "/resources/manage",
        "/resources/new",
        "/resources/suggestions",
        f"/resources/{resource.id}/edit",
    ):
        assert client.get(url).status_code == 302, url  # signed out: sign in first
    login(neighbour)
    for url in ("/resources/manage", "/resources/new", "/resources/suggestions"):
        assert client.get(url).status_code == 403, url
    assert client.get(f"/resources/{resource.id}/edit").status_code == 404  # names a record
    assert client.post(f"/resources/{resource.id}/unpublish").status_code == 404
    assert services.visible_resource(resource.id, neighbour).published is True


def test_a_coordinator_of_any_community_and_a_site_admin_curate(client, login, curator):
    from tests.factories.accounts import UserFactory

    login(curator)
    assert client.get("/resources/manage").status_code == 200
    login(UserFactory(is_site_admin=True))
    assert client.get("/resources/manage").status_code == 200
