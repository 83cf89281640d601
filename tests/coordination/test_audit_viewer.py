"""The audit log viewer: one community's events only, filters, paging and CSV."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime, timedelta

from neighborly.accounts.models import Role
from neighborly.audit import AuditEvent, record_audit
from neighborly.extensions import db
from tests.factories.accounts import CommunityFactory, member

AT = datetime(2026, 4, 1, 12, tzinfo=UTC)


def _actions(page: str) -> list[str]:
    return re.findall(r"<code>([^<]*)</code>", page)


def test_a_coordinator_sees_their_communitys_events_filtered(client, login):
    proviso = CommunityFactory(slug="proviso")
    algoma = CommunityFactory(slug="algoma")
    rosa = member(proviso, Role.VOLUNTEER, first_name="Rosa", last_name="Martinez")
    record_audit(rosa.id, "address.revealed", "help_request", 7, proviso.id, now=AT)
    record_audit(rosa.id, "request.accepted", "help_request", 7, proviso.id, now=AT)
    record_audit(None, "mentee.viewed", "mentee", 3, proviso.id, now=AT - timedelta(days=40))
    record_audit(rosa.id, "address.revealed", "help_request", 9, algoma.id, now=AT)
    db.session.commit()
    login(member(proviso, Role.COORDINATOR))

    everything = client.get("/c/proviso/coordinate/audit").text
    assert sorted(_actions(everything)) == ["address.revealed", "mentee.viewed", "request.accepted"]
    assert "help_request 9" not in everything
    assert _actions(client.get("/c/proviso/coordinate/audit?actor=ros&action=address").text) == [
        "address.revealed"
    ]
    assert _actions(
        client.get("/c/proviso/coordinate/audit?object_type=mentee&object_id=3").text
    ) == ["mentee.viewed"]
    recent = client.get("/c/proviso/coordinate/audit?start=2026-03-15").text
    assert _actions(recent) == ["request.accepted", "address.revealed"]


def test_the_log_is_paged_and_downloadable_and_the_download_is_recorded(client, login):
    proviso = CommunityFactory(slug="proviso")
    for n in range(60):
        record_audit(None, f"thing.{n:02d}", "thing", n, proviso.id, now=AT + timedelta(minutes=n))
    db.session.commit()
    coordinator = member(proviso, Role.COORDINATOR)
    login(coordinator)

    first = client.get("/c/proviso/coordinate/audit").text
    assert _actions(first)[0] == "thing.59" and len(_actions(first)) == 50
    following = re.search(r'rel="next" href="([^"]+)"', first).group(1).replace("&amp;", "&")
    assert _actions(client.get(following).text) == [f"thing.{n:02d}" for n in range(9, -1, -1)]

    response = client.get("/c/proviso/coordinate/audit.csv?action=thing")
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert len(rows) == 60 and rows[0]["action"] == "thing.59"
    assert db.session.scalar(db.select(AuditEvent.actor_id).filter_by(action="export.audit")) == (
        coordinator.id
    )


def test_another_communitys_audit_pages_are_refused(client, login):
    proviso = CommunityFactory(slug="proviso")
    CommunityFactory(slug="algoma")
    login(member(proviso, Role.COORDINATOR))

    assert client.get("/c/algoma/coordinate/audit").status_code == 403
    assert client.get("/c/algoma/coordinate/audit.csv").status_code == 403
    login(member(proviso, Role.VOLUNTEER))
    assert client.get("/c/proviso/coordinate/audit").status_code == 403
