"""The requests list: filters, search by name and keyset paging, one community only."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from neighborly.accounts.models import Role
from neighborly.help_requests.models import Category, Status
from tests.factories.accounts import CommunityFactory, member
from tests.factories.help_requests import HelpRequestFactory

START = datetime(2026, 3, 1, 15, tzinfo=UTC)


def _titles(page: str) -> list[str]:
    return re.findall(r'<td><a href="/requests/\d+">([^<]*)</a></td>', page)


def test_requests_are_paged_newest_first_and_the_next_page_continues(client, login):
    proviso = CommunityFactory(slug="proviso")
    for n in range(30):
        HelpRequestFactory(
            community=proviso, title=f"Ask {n:02d}", created_at=START + timedelta(hours=n)
        )
    HelpRequestFactory(community=CommunityFactory(), title="Elsewhere")
    login(member(proviso, Role.COORDINATOR))

    first = client.get("/c/proviso/coordinate/all-requests").text
    assert _titles(first) == [f"Ask {n:02d}" for n in range(29, 4, -1)]
    following = re.search(r'rel="next" href="([^"]+)"', first).group(1).replace("&amp;", "&")
    second = client.get(following).text
    assert _titles(second) == [f"Ask {n:02d}" for n in range(4, -1, -1)]
    assert 'rel="next"' not in second


def test_requests_can_be_narrowed_by_status_kind_name_and_date(client, login):
    proviso = CommunityFactory(slug="proviso")
    rosa = member(proviso, Role.RESIDENT, first_name="Rosa", last_name="Martinez")
    HelpRequestFactory(
        community=proviso,
        requester=rosa,
        title="Rosa bins",
        category=Category.BINS,
        created_at=START,
    )
    HelpRequestFactory(
        community=proviso,
        requester=rosa,
        title="Rosa snow done",
        status=Status.CONFIRMED,
        created_at=START,
    )
    HelpRequestFactory(
        community=proviso, title="Someone bins", category=Category.BINS, created_at=START
    )
    HelpRequestFactory(
        community=proviso,
        requester=rosa,
        title="Rosa old bins",
        category=Category.BINS,
        created_at=START - timedelta(days=60),
    )
    login(member(proviso, Role.COORDINATOR))

    page = client.get(
        "/c/proviso/coordinate/all-requests?name=ros&status=open&category=bins&start=2026-02-15"
    ).text

    assert _titles(page) == ["Rosa bins"]


def test_a_wrong_filter_is_explained_and_another_community_is_refused(client, login):
    proviso = CommunityFactory(slug="proviso")
    CommunityFactory(slug="algoma")
    login(member(proviso, Role.COORDINATOR))

    page = client.get("/c/proviso/coordinate/all-requests?status=nonsense").text
    assert 'id="status-error"' in page
    assert client.get("/c/algoma/coordinate/all-requests").status_code == 403


def test_people_are_listed_by_name_with_roles_and_volunteers_waiting(client, login):
    from tests.factories.help_requests import VolunteerProfileFactory

    proviso = CommunityFactory(slug="proviso")
    coordinator = member(proviso, Role.COORDINATOR, first_name="Carmen", last_name="Diaz")
    ana = member(proviso, Role.VOLUNTEER, first_name="Ana", last_name="Bell")
    VolunteerProfileFactory(user=ana, community_id=proviso.id, verified_at=None)
    member(proviso, Role.RESIDENT, first_name="Rosa", last_name="Martinez")
    member(CommunityFactory(), Role.RESIDENT, first_name="Otto", last_name="Berg")
    login(coordinator)

    page = client.get("/c/proviso/coordinate/people").text
    assert page.index("Ana B.") < page.index("Carmen D.") < page.index("Rosa M.")
    assert "Otto" not in page
    waiting = client.get("/c/proviso/coordinate/people?role=volunteer&verified=no").text
    assert "Check and verify Ana B." in waiting and "Rosa M." not in waiting
    assert "Ana B." not in client.get("/c/proviso/coordinate/people?name=mar").text
