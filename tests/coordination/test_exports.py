"""CSV exports: the period applied, formulas defused, addresses only when asked and audited."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

from neighborly.accounts.models import Role
from neighborly.audit import AuditEvent
from neighborly.extensions import db
from neighborly.help_requests.models import Status
from tests.factories.accounts import CommunityFactory, member
from tests.factories.help_requests import HelpRequestFactory, volunteer

PERIOD = "start=2026-01-01&end=2026-06-30"
IN_PERIOD = datetime(2026, 3, 3, 16, tzinfo=UTC)


def _rows(response) -> list[dict]:
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    return list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))


def test_requests_csv_has_the_periods_requests_without_addresses(client, login):
    proviso = CommunityFactory(slug="proviso")
    HelpRequestFactory(
        community=proviso,
        title='=HYPERLINK("http://evil")',
        street_address="12 Secret Rd",
        created_at=IN_PERIOD,
    )
    HelpRequestFactory(
        community=proviso, title="Too old", created_at=datetime(2025, 1, 1, tzinfo=UTC)
    )
    HelpRequestFactory(community=CommunityFactory(), title="Elsewhere", created_at=IN_PERIOD)
    coordinator = member(proviso, Role.COORDINATOR)
    login(coordinator)

    response = client.get(f"/c/proviso/coordinate/exports/requests.csv?{PERIOD}")
    rows = _rows(response)

    assert [row["title"] for row in rows] == ['\'=HYPERLINK("http://evil")']
    assert "12 Secret Rd" not in response.get_data(as_text=True)
    assert "street_address" not in rows[0]
    event = db.session.scalar(db.select(AuditEvent).filter_by(action="export.requests"))
    assert event.actor_id == coordinator.id and event.community_id == proviso.id


def test_addresses_leave_only_when_asked_for_and_the_export_is_audited(client, login):
    proviso = CommunityFactory(slug="proviso")
    HelpRequestFactory(community=proviso, street_address="12 Elm St", created_at=IN_PERIOD)
    login(member(proviso, Role.COORDINATOR))

    rows = _rows(client.get(f"/c/proviso/coordinate/exports/requests.csv?{PERIOD}&addresses=yes"))

    assert rows[0]["street_address"] == "12 Elm St"
    assert db.session.scalar(
        db.select(AuditEvent.id).filter_by(action="export.requests.with_addresses")
    )


def test_hours_and_people_csv(client, login):
    proviso = CommunityFactory(slug="proviso")
    ana = volunteer(proviso)
    HelpRequestFactory(
        community=proviso,
        volunteer=ana,
        status=Status.CONFIRMED,
        minutes_spent=90,
        completed_at=IN_PERIOD,
        created_at=IN_PERIOD,
    )
    login(member(proviso, Role.COORDINATOR))

    hours = _rows(client.get(f"/c/proviso/coordinate/exports/hours.csv?{PERIOD}"))
    assert [(row["volunteer_id"], row["minutes"], row["hours"]) for row in hours] == [
        (str(ana.id), "90", "1.5")
    ]
    people = _rows(client.get("/c/proviso/coordinate/exports/people.csv"))
    assert {row["role"] for row in people} == {"volunteer", "coordinator"}
    assert all("@" not in value for row in people for value in row.values())


def test_another_communitys_exports_are_refused(client, login):
    proviso = CommunityFactory(slug="proviso")
    CommunityFactory(slug="algoma")
    login(member(proviso, Role.COORDINATOR))

    for kind in ("requests", "hours", "people"):
        assert client.get(f"/c/algoma/coordinate/exports/{kind}.csv").status_code == 403
    assert client.get("/c/proviso/coordinate/exports/secrets.csv").status_code == 404
    assert not db.session.scalar(db.select(AuditEvent.id))
