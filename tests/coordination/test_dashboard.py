"""The coordinator dashboard: a coordinator's overview of their own community, no one else's."""

from __future__ import annotations

from neighborly.accounts.models import Role
from neighborly.help_requests.models import Status
from tests.factories.accounts import CommunityFactory, UserFactory, member
from tests.factories.help_requests import HelpRequestFactory, volunteer
from tests.factories.resources import make_resource


def test_coordinator_of_one_community_gets_403_on_another_communitys_pages(client, login):
    proviso = CommunityFactory(slug="proviso")
    algoma = CommunityFactory(slug="algoma")
    coordinator = member(proviso, Role.COORDINATOR)
    login(coordinator)
    assert client.get("/c/proviso/coordinate").status_code == 200
    assert client.get("/c/algoma/coordinate").status_code == 403
    assert algoma.id


def test_residents_and_volunteers_cannot_open_the_coordinator_dashboard(client, login):
    community = CommunityFactory(slug="proviso")
    for role in (Role.RESIDENT, Role.VOLUNTEER):
        login(member(community, role))
        assert client.get("/c/proviso/coordinate").status_code == 403


def test_site_admin_is_not_a_coordinator_by_default(client, login):
    CommunityFactory(slug="proviso")
    login(UserFactory(is_site_admin=True))
    assert client.get("/c/proviso/coordinate").status_code == 403


def test_a_signed_out_visitor_is_sent_to_sign_in(client):
    CommunityFactory(slug="proviso")
    response = client.get("/c/proviso/coordinate")
    assert response.status_code == 302
    assert "/account/login" in response.headers["Location"]


def test_the_console_says_what_needs_the_coordinator(client, login):
    proviso = CommunityFactory(slug="proviso", name="Proviso Township")
    carmen = member(proviso, Role.COORDINATOR, first_name="Carmen", last_name="Diaz")
    waiting = volunteer(proviso, verified_at=None, categories="snow,bins")
    HelpRequestFactory(community=proviso, title="Rake the leaves")
    caller = member(proviso, Role.RESIDENT, email=None, first_name="Ida", last_name="Wells")
    HelpRequestFactory(
        community=proviso,
        requester=caller,
        status=Status.COMPLETED,
        title="Bring in the bins",
        volunteer=waiting,
    )
    HelpRequestFactory(community=CommunityFactory(slug="algoma"), title="Other town")
    login(carmen)

    page = client.get("/c/proviso/coordinate").text

    assert "<h1>Coordinator console: Proviso Township</h1>" in page
    assert "1 volunteer waiting to be verified" in page
    assert "Trash and recycling bins, Snow shovelling" in page
    assert "1 request nobody has said yes to" in page
    assert "Rake the leaves" in page
    assert "1 caller to phone back" in page
    assert "Bring in the bins" in page and "for Ida W." in page
    assert "Other town" not in page


def test_a_wrong_date_range_is_explained_beside_the_field(client, login):
    proviso = CommunityFactory(slug="proviso")
    login(member(proviso, Role.COORDINATOR))

    page = client.get("/c/proviso/coordinate?start=2026-05-01&end=2026-04-01")

    assert page.status_code == 200
    assert 'id="end-error"' in page.text
    assert "The last day must be on or after the first day." in page.text
    assert client.get("/c/proviso/coordinate?start=nonsense&end=").status_code == 200


def test_the_dashboard_links_to_the_coordinators_tools(client, login):
    proviso = CommunityFactory(slug="proviso")
    login(member(proviso, Role.COORDINATOR))

    page = client.get("/c/proviso/coordinate").text

    assert '<a href="/c/proviso/coordinate/requests">Open requests</a>' in page
    assert '<a href="/c/proviso/coordinate/phone-in">Post a request for a caller</a>' in page
    assert '<a href="/c/proviso/mentoring">Mentoring programs</a>' in page
    assert '<a href="/resources/manage">Manage the resource library</a>' in page


def test_the_dashboard_suggests_published_reading_for_coordinators(client, login):
    proviso = CommunityFactory(slug="proviso")
    login(member(proviso, Role.COORDINATOR))
    make_resource(title="Building civic muscle", topic_slugs=("belonging-civic-muscle",))
    make_resource(title="A civic draft", topic_slugs=("belonging-civic-muscle",), published=False)

    page = client.get("/c/proviso/coordinate").text

    assert "For coordinators" in page
    assert "Building civic muscle" in page
    assert "A civic draft" not in page
