"""Neighbours suggest; coordinators review, approve (published or not) or turn down."""

from __future__ import annotations

from sqlalchemy import func, select

from neighborly.audit import AuditEvent
from neighborly.extensions import db
from neighborly.resources import services
from neighborly.resources.models import Resource, ResourceSuggestion, SuggestionStatus
from tests.factories.resources import topics

SUGGESTION = {
    "title": "Porch chats in Bellwood",
    "url": "https://example.org/porch-chats",
    "summary": "Neighbours meet on porches every Sunday.",
    "source": "Bellwood Library",
    "topics": ["social-connection"],
}


def _approve_data(**overrides) -> dict:
    """The approval form as a coordinator sends it."""
    return {
        **SUGGESTION,
        "kind": "story_original",
        "topics": ["social-connection", "belonging-civic-muscle"],
        "language": "en",
        **overrides,
    }


def _suggest(client, login, neighbour) -> ResourceSuggestion:
    """The neighbour sends the standard suggestion."""
    topics()
    login(neighbour)
    page = client.post("/resources/suggest", data=SUGGESTION, follow_redirects=True)
    assert "Thank you! A coordinator will look at your suggestion soon." in page.text
    return db.session.scalar(select(ResourceSuggestion))


def test_suggestion_is_reviewed_approved_and_featured(client, login, neighbour, curator):
    suggestion = _suggest(client, login, neighbour)
    assert "Waiting for a coordinator" in client.get("/resources/suggest").text
    assert "Porch chats" not in client.get("/resources").text

    login(curator)
    queue = client.get("/resources/suggestions").text
    assert "Porch chats in Bellwood" in queue and "Suggested by Rosa M." in queue
    review = client.get(f"/resources/suggestions/{suggestion.id}").text
    assert 'value="Porch chats in Bellwood"' in review
    approved = client.post(
        f"/resources/suggestions/{suggestion.id}",
        data=_approve_data(published="y"),
        follow_redirects=True,
    )
    assert "Approved. “Porch chats in Bellwood” is in the library." in approved.text
    resource = db.session.scalar(select(Resource))
    featured = client.post(f"/resources/{resource.id}/feature", follow_redirects=True)
    assert "Featured on the home page." in featured.text
    assert [r.title for r in services.featured_resources()] == ["Porch chats in Bellwood"]

    login(neighbour)
    assert "Added to the library. Thank you!" in client.get("/resources/suggest").text
    assert "Porch chats in Bellwood" in client.get("/resources/topics/social-connection").text
    db.session.expire_all()
    assert suggestion.status == SuggestionStatus.APPROVED
    assert (suggestion.resource_id, suggestion.reviewed_by_id) == (resource.id, curator.id)
    assert {t.slug for t in resource.topics} == {"social-connection", "belonging-civic-muscle"}
    assert "Porch chats in Bellwood" not in client.get("/resources/suggestions").text


def test_a_suggestion_approved_unpublished_stays_hidden_from_neighbours(
    client, login, neighbour, curator
):
    suggestion = _suggest(client, login, neighbour)
    login(curator)
    client.post(f"/resources/suggestions/{suggestion.id}", data=_approve_data())
    resource = db.session.scalar(select(Resource))
    assert resource.published is False
    login(neighbour)
    assert client.get(f"/resources/{resource.id}").status_code == 404
    assert "Porch chats" not in client.get("/resources?q=porch").text


def test_a_turned_down_suggestion_shows_the_neighbour_the_reason(client, login, neighbour, curator):
    suggestion = _suggest(client, login, neighbour)
    login(curator)
    empty = client.post(f"/resources/suggestions/{suggestion.id}/reject", data={"reason": " "})
    assert "Say why, so the neighbour understands." in empty.text
    db.session.expire_all()
    assert suggestion.status == SuggestionStatus.PENDING
    done = client.post(
        f"/resources/suggestions/{suggestion.id}/reject",
        data={"reason": "The page asks for payment."},
        follow_redirects=True,
    )
    assert "The suggestion is turned down." in done.text
    login(neighbour)
    mine = client.get("/resources/suggest").text
    assert "Not added" in mine and "The page asks for payment." in mine
    assert db.session.scalar(select(func.count(Resource.id))) == 0


def test_a_suggestion_can_be_approved_only_once(client, login, neighbour, curator):
    suggestion = _suggest(client, login, neighbour)
    login(curator)
    client.post(f"/resources/suggestions/{suggestion.id}", data=_approve_data(published="y"))
    again = client.post(
        f"/resources/suggestions/{suggestion.id}",
        data=_approve_data(published="y"),
        follow_redirects=True,
    )
    assert "Another coordinator has already reviewed this suggestion." in again.text
    late_reject = client.post(
        f"/resources/suggestions/{suggestion.id}/reject",
        data={"reason": "Too late."},
        follow_redirects=True,
    )
    assert "Another coordinator has already reviewed this suggestion." in late_reject.text
    assert db.session.scalar(select(func.count(Resource.id))) == 1
    db.session.expire_all()
    assert suggestion.status == SuggestionStatus.APPROVED and suggestion.reject_reason is None
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"resource.suggested", "resource.suggestion_approved"} <= actions


def test_only_signed_in_people_suggest_and_only_curators_review(client, login, neighbour):
    topics()
    assert client.get("/resources/suggest").status_code == 302
    login(neighbour)
    assert client.get("/resources/suggest").status_code == 200
    assert client.get("/resources/suggestions").status_code == 403
