"""Coordinators add, edit, publish, unpublish, feature and stop featuring resources."""

from __future__ import annotations

from sqlalchemy import select

from neighborly.audit import AuditEvent
from neighborly.extensions import db
from neighborly.resources.models import Resource, ResourceKind
from tests.factories.resources import fresh, make_resource, topics

ADD = {
    "title": "Block party kit",
    "url": "https://example.org/block-party",
    "summary": "Everything to plan a street party.",
    "kind": "tool",
    "source": "Street Friends",
    "topics": ["belonging-civic-muscle"],
    "language": "es",
}


def test_a_coordinator_adds_a_resource_kept_hidden_until_published(client, login, curator):
    topics()
    login(curator)
    page = client.post("/resources/new", data=ADD, follow_redirects=True)
    assert "“Block party kit” is in the library." in page.text
    assert 'lang="es"' in page.text
    resource = db.session.scalar(select(Resource))
    assert (resource.kind, resource.language, resource.published) == (
        ResourceKind.TOOL,
        "es",
        False,
    )
    assert resource.created_by_id == curator.id
    published = client.post(f"/resources/{resource.id}/publish", follow_redirects=True)
    assert "Published: everyone can see it now." in published.text
    again = client.post(f"/resources/{resource.id}/publish", follow_redirects=True)
    assert "It was already published." in again.text
    assert fresh(resource.id).published is True


def test_a_coordinator_edits_unpublishes_and_unfeatures(client, login, curator):
    resource = make_resource(title="Old title", featured=True)
    login(curator)
    form = client.get(f"/resources/{resource.id}/edit").text
    assert 'value="Old title"' in form
    client.post(
        f"/resources/{resource.id}/edit",
        data={**ADD, "title": "New title", "published": "y", "featured": "y"},
    )
    assert fresh(resource.id).title == "New title"
    client.post(f"/resources/{resource.id}/unpublish")
    client.post(f"/resources/{resource.id}/unfeature")
    changed = fresh(resource.id)
    assert (changed.published, changed.featured) == (False, False)
    actions = list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))
    assert actions == ["resource.edited", "resource.unpublished", "resource.unfeatured"]


def test_missing_fields_are_explained_beside_them(client, login, curator):
    topics()
    login(curator)
    page = client.post("/resources/new", data={"kind": "tool", "language": "en"})
    for message in (
        "Enter the title.",
        "Say in a sentence or two what it is.",
        "Choose at least one topic.",
    ):
        assert message in page.text
    assert db.session.scalar(select(Resource.id)) is None


def test_publishing_an_unknown_resource_is_not_found(client, login, curator):
    login(curator)
    assert client.post("/resources/999/publish").status_code == 404
