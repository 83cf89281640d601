"""Hours of confirmed help: per volunteer, a ledger, and a certificate of exactly those hours."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from neighborly.accounts.models import Role
from neighborly.help_requests.models import Status
from tests.factories.accounts import CommunityFactory, member
from tests.factories.help_requests import HelpRequestFactory, volunteer

PERIOD = "start=2026-01-01&end=2026-06-30"


def _help(community, helper, minutes: int, status=Status.CONFIRMED, month: int = 3, asker=None):
    done = datetime(2026, month, 3, 16, tzinfo=UTC)
    return HelpRequestFactory(
        community=community,
        volunteer=helper,
        status=status,
        minutes_spent=minutes,
        accepted_at=done,
        completed_at=done,
        confirmed_at=done,
        created_at=done,
        **({"requester": asker} if asker else {}),
    )


def test_a_certificate_shows_exactly_the_confirmed_hours(client, login):
    proviso = CommunityFactory(slug="proviso", name="Proviso Township")
    ana = volunteer(proviso)
    _help(proviso, ana, 45)
    _help(proviso, ana, 100)
    _help(proviso, ana, 600, status=Status.COMPLETED)  # not confirmed yet: not counted
    _help(proviso, ana, 300, month=8)  # outside the period
    _help(CommunityFactory(), ana, 200)  # another community
    carmen = member(proviso, Role.COORDINATOR, first_name="Carmen", last_name="Diaz")
    login(carmen)

    page = client.get(f"/c/proviso/coordinate/hours/{ana.id}/certificate?{PERIOD}").text

    assert 'data-minutes="145"' in page
    assert "2 hours 25 minutes" in page
    assert "Proviso Township" in page and "Carmen Diaz" in page
    assert f"{ana.first_name} {ana.last_name}" in page


def test_the_ledger_lists_who_was_helped_when_and_for_how_long(client, login):
    proviso = CommunityFactory(slug="proviso")
    ana = volunteer(proviso)
    rosa = member(proviso, Role.RESIDENT, first_name="Rosa", last_name="Martinez")
    _help(proviso, ana, 45, asker=rosa)
    login(member(proviso, Role.COORDINATOR))

    page = client.get(f"/c/proviso/coordinate/hours/{ana.id}?{PERIOD}").text
    assert "Rosa M." in page and "45 minutes" in page
    totals = client.get(f"/c/proviso/coordinate/hours?{PERIOD}").text
    assert re.search(r'data-figure="community-hours">1 confirmed help, 45 minutes', totals)
    assert ana.first_name in totals


def test_another_communitys_volunteer_has_no_ledger_here(client, login):
    proviso = CommunityFactory(slug="proviso")
    stranger = volunteer(CommunityFactory(slug="algoma"))
    login(member(proviso, Role.COORDINATOR))

    assert client.get(f"/c/proviso/coordinate/hours/{stranger.id}").status_code == 404
    assert client.get(f"/c/proviso/coordinate/hours/{stranger.id}/certificate").status_code == 404
    assert client.get("/c/algoma/coordinate/hours").status_code == 403
