"""Opening a resource counts once per open, for everyone; only curators see the number."""

from __future__ import annotations

from neighborly.extensions import db
from neighborly.resources.models import Resource
from tests.factories.resources import fresh, make_resource


def test_each_open_adds_one_and_goes_to_the_stored_link(client):
    resource = make_resource(url="https://example.org/guide")
    for _ in range(3):
        response = client.get(f"/resources/{resource.id}/open")
        assert response.status_code == 302
        assert response.headers["Location"] == "https://example.org/guide"
    assert fresh(resource.id).clicks == 3


def test_a_link_checker_asking_with_head_is_not_counted(client):
    resource = make_resource(url="https://example.org/guide")
    response = client.head(f"/resources/{resource.id}/open")
    assert response.headers["Location"] == "https://example.org/guide"
    assert fresh(resource.id).clicks == 0


def test_only_coordinators_see_how_often_a_resource_was_opened(client, login, neighbour, curator):
    resource = make_resource(title="Counted guide")
    client.get(f"/resources/{resource.id}/open")
    client.get(f"/resources/{resource.id}/open")
    login(neighbour)
    page = client.get(f"/resources/{resource.id}").text
    assert "Counted guide" in page and "Opened" not in page and "2 times" not in page
    assert client.get("/resources/manage").status_code == 403
    login(curator)
    assert "2 times" in client.get(f"/resources/{resource.id}").text
    manage = client.get("/resources/manage").text
    assert 'data-label="Opened">2<' in manage


def test_a_resource_without_a_link_says_link_coming_and_counts_nothing(client):
    resource = make_resource(title="No link yet", url=None)
    assert "No web link yet" in client.get(f"/resources/{resource.id}").text
    assert client.get(f"/resources/{resource.id}/open").status_code == 404
    assert fresh(resource.id).clicks == 0


def test_a_curator_checking_an_unpublished_link_is_not_counted(client, login, curator):
    resource = make_resource(published=False)
    login(curator)
    assert client.get(f"/resources/{resource.id}/open").status_code == 302
    assert fresh(resource.id).clicks == 0


def test_the_count_is_one_number_with_nothing_about_who_opened(client, login, neighbour):
    resource = make_resource()
    login(neighbour)
    client.get(f"/resources/{resource.id}/open")
    columns = {c.name for c in Resource.__table__.columns}
    assert not {c for c in columns if "user" in c or "ip" in c.split("_")}
    assert db.session.get(Resource, resource.id).clicks == 1
