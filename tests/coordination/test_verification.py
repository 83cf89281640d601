"""Verifying a volunteer records what the coordinator checked, and can be taken back."""

from __future__ import annotations

from datetime import date

from neighborly.accounts.models import Role
from neighborly.audit import AuditEvent
from neighborly.extensions import db
from neighborly.help_requests.models import VolunteerProfile
from tests.factories.accounts import CommunityFactory, member
from tests.factories.help_requests import volunteer


def _profile(user) -> VolunteerProfile:
    return db.session.scalar(db.select(VolunteerProfile).filter_by(user_id=user.id))


def test_verifying_records_the_id_and_background_check(client, login):
    proviso = CommunityFactory(slug="proviso")
    coordinator = member(proviso, Role.COORDINATOR)
    profile = _profile(volunteer(proviso, verified_at=None, radius_km=4.0))
    login(coordinator)
    url = f"/c/proviso/coordinate/volunteers/{profile.id}"

    assert "What did you check?" in client.get(url).text
    client.post(url, data={"id_seen": "y", "background_check_on": "2026-10-02"})

    stored = db.session.get(VolunteerProfile, profile.id)
    assert stored.verified_at is not None and stored.verified_by_id == coordinator.id
    assert stored.id_seen and not stored.references_checked
    assert stored.background_check_on == date(2026, 10, 2)
    assert db.session.scalar(db.select(AuditEvent.action).filter_by(object_id=profile.id)) == (
        "volunteer.verified"
    )
    assert "Background check on October 2, 2026" in client.get(url).text


def test_verifying_without_any_check_is_refused_beside_the_box(client, login):
    proviso = CommunityFactory(slug="proviso")
    profile = _profile(volunteer(proviso, verified_at=None))
    login(member(proviso, Role.COORDINATOR))

    page = client.post(f"/c/proviso/coordinate/volunteers/{profile.id}", data={}).text

    assert 'id="id_seen-error"' in page and "Record at least one thing you checked." in page
    assert db.session.get(VolunteerProfile, profile.id).verified_at is None


def test_a_verification_can_be_taken_back_and_the_checks_stay_on_record(client, login):
    proviso = CommunityFactory(slug="proviso")
    profile = _profile(volunteer(proviso))
    profile.references_checked = True
    db.session.commit()
    login(member(proviso, Role.COORDINATOR))

    client.post(f"/c/proviso/coordinate/volunteers/{profile.id}/revoke")

    stored = db.session.get(VolunteerProfile, profile.id)
    assert stored.verified_at is None and stored.verification_revoked_at is not None
    assert stored.references_checked


def test_another_communitys_volunteer_is_not_found(client, login):
    proviso = CommunityFactory(slug="proviso")
    other = _profile(volunteer(CommunityFactory(slug="algoma"), verified_at=None))
    login(member(proviso, Role.COORDINATOR))

    assert client.get(f"/c/proviso/coordinate/volunteers/{other.id}").status_code == 404
    client.post(f"/c/proviso/coordinate/volunteers/{other.id}", data={"id_seen": "y"})
    assert db.session.get(VolunteerProfile, other.id).verified_at is None
