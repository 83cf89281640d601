"""Links are plain web addresses: http or https only, refused beside the field otherwise."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select, update

from neighborly.extensions import db
from neighborly.resources import services
from neighborly.resources.models import Resource, ResourceKind, ResourceSuggestion
from tests.factories.resources import make_resource, topics

UNSAFE = [
    "javascript:alert(1)",
    "JavaScript:alert(document.cookie)",
    " javascript:alert(1)",
    "javascript://example.org/%0Aalert(1)",
    "data:text/html,<script>alert(1)</script>",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    "ftp://example.org/guide.pdf",
    "file:///etc/passwd",
    "https://exa mple.org/",
    "https://",
    "//example.org/guide",
    "example.org:8080/guide",
]
ADD = {
    "title": "A guide",
    "summary": "Plain advice for neighbours.",
    "kind": "guide",
    "source": "Neighbourhood Press",
    "topics": ["social-connection"],
    "language": "en",
    "published": "y",
}


def _url_error(page_text: str) -> str:
    """The message shown beside the link field."""
    found = re.search(r'<p class="error-message" id="url-error">(.*?)</p>', page_text, re.S)
    assert found, "no message beside the link field"
    return found.group(1)


@pytest.mark.parametrize("link", UNSAFE)
def test_a_coordinator_adding_a_non_web_link_is_told_beside_the_field_and_nothing_is_saved(
    client, login, curator, link
):
    topics()
    login(curator)
    page = client.post("/resources/new", data={**ADD, "url": link})
    assert page.status_code == 200
    assert "Please check the form" in page.text
    assert "web address" in _url_error(page.text)
    assert 'aria-invalid="true"' in page.text
    assert db.session.scalar(select(func.count(Resource.id))) == 0


@pytest.mark.parametrize("link", ["javascript:alert(1)", "data:text/html,hi"])
def test_a_neighbour_suggesting_a_non_web_link_is_told_and_nothing_is_saved(
    client, login, neighbour, link
):
    topics()
    login(neighbour)
    page = client.post(
        "/resources/suggest", data={"title": "Tip", "summary": "Helps.", "url": link}
    )
    assert "Use a web address that starts with https:// or http://." in _url_error(page.text)
    assert db.session.scalar(select(func.count(ResourceSuggestion.id))) == 0


@pytest.mark.parametrize("link", ["javascript:alert(1)", "data:text/html,hi"])
def test_editing_a_resource_to_a_non_web_link_keeps_the_old_link(client, login, curator, link):
    resource = make_resource(url="https://example.org/guide")
    login(curator)
    page = client.post(f"/resources/{resource.id}/edit", data={**ADD, "url": link})
    assert "web address" in _url_error(page.text)
    db.session.expire_all()
    assert db.session.get(Resource, resource.id).url == "https://example.org/guide"


@pytest.mark.parametrize("link", ["https://example.org/guide?x=1#top", "http://example.org"])
def test_http_and_https_links_are_kept(client, login, curator, link):
    topics()
    login(curator)
    client.post("/resources/new", data={**ADD, "url": link})
    assert db.session.scalar(select(Resource.url)) == link


def test_an_address_typed_without_https_gets_it_added(client, login, neighbour):
    topics()
    login(neighbour)
    client.post(
        "/resources/suggest",
        data={"title": "Tip", "summary": "Helps.", "url": "www.Example.org/porch?x=1"},
    )
    assert db.session.scalar(select(ResourceSuggestion.url)) == "https://www.Example.org/porch?x=1"


def test_the_services_refuse_unsafe_links_whoever_calls_them(app, curator):
    topics()
    draft = services.ResourceDraft(
        title="Sneaky", url="javascript:alert(1)", summary="x", kind=ResourceKind.TOOL
    )
    with pytest.raises(services.UnsafeLink):
        services.add_resource(draft, curator)
    assert db.session.scalar(select(func.count(Resource.id))) == 0


def test_open_never_redirects_to_a_link_that_became_unsafe(client):
    resource = make_resource(url="https://example.org/guide")
    db.session.execute(
        update(Resource).where(Resource.id == resource.id).values(url="javascript:alert(1)")
    )
    db.session.commit()
    response = client.get(f"/resources/{resource.id}/open")
    assert response.status_code == 404
    assert "Location" not in response.headers


def test_text_people_type_is_shown_as_text_never_as_markup(client):
    make_resource(title="<script>alert(1)</script>", summary="<b>bold</b>", source="<i>me</i>")
    page = client.get("/resources").text
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    assert "<b>bold</b>" not in page and "<i>me</i>" not in page
