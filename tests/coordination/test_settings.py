"""Community settings: a coordinator changes them; requests outside the ZIP codes are refused."""

from __future__ import annotations

from sqlalchemy import func, select

from neighborly.accounts.models import Community, Role
from neighborly.extensions import db
from neighborly.help_requests.models import HelpRequest
from tests.factories.accounts import CommunityFactory, member

SETTINGS = {
    "description": "Neighbours helping neighbours west of Chicago.",
    "towns": "Maywood, Bellwood",
    "postal_codes": "60153 60104, 60153",
    "timezone": "America/Chicago",
    "require_verified_volunteers": "y",
    "invitations_per_round": "4",
    "invitation_wait_urgent_minutes": "20",
    "invitation_wait_soon_minutes": "120",
    "invitation_wait_flexible_minutes": "1440",
}
ASK = {
    "category": "snow",
    "title": "Shovel my steps",
    "street_address": "1 Main St",
    "estimated_minutes": "30",
    "urgency": "soon",
}


def test_a_coordinator_changes_the_settings_and_newcomers_read_them(client, login):
    proviso = CommunityFactory(slug="proviso")
    login(member(proviso, Role.COORDINATOR))

    client.post("/c/proviso/coordinate/settings", data=SETTINGS)

    stored = db.session.get(Community, proviso.id)
    assert stored.postal_codes == "60153, 60104"
    assert stored.invitations_per_round == 4 and stored.invitation_wait_urgent_minutes == 20
    public = client.get("/c/proviso").text
    assert "Neighbours helping neighbours west of Chicago." in public
    assert "Maywood, Bellwood" in public and "60153, 60104" in public


def test_wrong_settings_are_explained_beside_the_field_and_nothing_changes(client, login):
    proviso = CommunityFactory(slug="proviso", postal_codes="60153")
    login(member(proviso, Role.COORDINATOR))

    page = client.post(
        "/c/proviso/coordinate/settings",
        data={**SETTINGS, "postal_codes": "60153, ABCDE", "timezone": "Mars/Olympus"},
    ).text

    assert 'id="postal_codes-error"' in page and "ABCDE" in page
    assert 'id="timezone-error"' in page
    assert db.session.get(Community, proviso.id).postal_codes == "60153"


def test_a_zip_code_outside_the_community_is_refused_beside_the_field(client, login):
    proviso = CommunityFactory(slug="proviso", name="Proviso", postal_codes="60153, 60104")
    login(member(proviso, Role.RESIDENT))

    page = client.post("/c/proviso/ask", data={**ASK, "postal_code": "60601"}).text

    assert 'id="postal_code-error"' in page
    assert "This ZIP code is outside the community&#39;s area (60153, 60104)." in page
    assert db.session.scalar(select(func.count(HelpRequest.id))) == 0


def test_only_this_communitys_coordinators_may_change_its_settings(client, login):
    proviso = CommunityFactory(slug="proviso")
    CommunityFactory(slug="algoma")
    login(member(proviso, Role.COORDINATOR))
    assert client.get("/c/algoma/coordinate/settings").status_code == 403
    login(member(proviso, Role.VOLUNTEER))
    assert client.post("/c/proviso/coordinate/settings", data=SETTINGS).status_code == 403


def test_typed_text_in_a_zip_code_error_is_escaped(client, login):
    proviso = CommunityFactory(slug="proviso")
    login(member(proviso, Role.COORDINATOR))
    page = client.post(
        "/c/proviso/coordinate/settings", data={**SETTINGS, "postal_codes": "<b>bold</b>"}
    ).text
    assert "These are not 5-digit ZIP codes" in page
    assert "<b>bold</b>" not in page
    assert "&lt;b&gt;bold&lt;/b&gt;" in page
