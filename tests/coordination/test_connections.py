"""Connection metrics: month by month, drawn as accessible SVG charts with their numbers."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from neighborly.accounts.models import Role
from neighborly.help_requests.models import Status
from tests.factories.accounts import CommunityFactory, member
from tests.factories.help_requests import HelpRequestFactory, volunteer


def _help(community, asker, helper, month: int, note: str | None = None, status=Status.CONFIRMED):
    done = datetime(2026, month, 10, 15, tzinfo=UTC)
    return HelpRequestFactory(
        community=community,
        requester=asker,
        volunteer=helper,
        status=status,
        created_at=done,
        accepted_at=done,
        completed_at=done,
        confirmed_at=done,
        minutes_spent=90,
        thank_you_note=note,
    )


def _row(page: str, chart: str) -> list[str]:
    """The numbers of one chart's table, in month order."""
    section = page[page.index(f'id="{chart}-heading"') :]
    section = section[: section.index("</table>")]
    return re.findall(r"</th><td>([^<]*)</td>", section)


def test_a_coordinator_sees_pairs_becoming_regular_month_by_month(client, login):
    proviso = CommunityFactory(slug="proviso")
    rosa = member(proviso, Role.RESIDENT)
    ana = volunteer(proviso)
    for month in (1, 2, 3):
        _help(proviso, rosa, ana, month, note="Thank you!" if month == 2 else None)
    _help(CommunityFactory(), rosa, ana, 1)
    login(member(proviso, Role.COORDINATOR))

    page = client.get("/c/proviso/coordinate/connections?start=2026-01-01&end=2026-03-31").text

    assert _row(page, "chart-new-pairs") == ["1", "0", "0"]
    assert _row(page, "chart-regular") == ["0", "0", "1"]
    assert _row(page, "chart-hours") == ["1.5", "1.5", "1.5"]
    assert _row(page, "chart-thanks") == ["0", "1", "0"]
    assert '<th scope="row">Jan 2026</th>' in page


def test_each_chart_is_one_labelled_image_without_inline_styles(client, login):
    proviso = CommunityFactory(slug="proviso")
    login(member(proviso, Role.COORDINATOR))

    page = client.get("/c/proviso/coordinate/connections").text

    svgs = re.findall(r"<svg [^>]*>", page)
    assert len(svgs) == 5
    for svg in svgs:
        assert 'role="img"' in svg and "aria-labelledby=" in svg
    assert '<title id="chart-hours-title">Hours of confirmed help</title>' in page
    assert "<style" not in page and "<script" not in page and 'style="' not in page


def test_the_charts_are_in_spanish_for_a_spanish_reader(client, login):
    proviso = CommunityFactory(slug="proviso")
    login(member(proviso, Role.COORDINATOR, locale="es"))
    client.post("/language", data={"locale": "es"})

    page = client.get("/c/proviso/coordinate/connections?start=2026-01-01&end=2026-02-28").text

    assert "ene 2026" in page.lower()
