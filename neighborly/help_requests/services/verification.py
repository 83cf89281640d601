"""Verifying a volunteer with a record of what was checked, and taking it back."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from neighborly.accounts.models import User
from neighborly.audit import record_audit
from neighborly.errors import NotAllowed, NotFound
from neighborly.extensions import db
from neighborly.help_requests.models import VolunteerProfile
from neighborly.help_requests.services.common import is_coordinator
from neighborly.timeutil import utcnow


@dataclass(frozen=True)
class Checks:
    """What the coordinator checked before vouching for a volunteer."""

    id_seen: bool
    references_checked: bool
    background_check_on: date | None


def profile_for_coordinator(profile_id: int, coordinator: User) -> VolunteerProfile:
    """A volunteer profile in a community this person coordinates, else NotFound/NotAllowed."""
    profile = db.session.get(VolunteerProfile, profile_id)
    if profile is None:
        raise NotFound(profile_id)
    if not is_coordinator(coordinator, profile.community_id):
        raise NotAllowed("coordinator")
    return profile


def verify_with_checks(
    profile_id: int, coordinator: User, checks: Checks, now: datetime | None = None
) -> VolunteerProfile:
    """Vouch for a volunteer, recording what was checked (an audit event)."""
    profile = profile_for_coordinator(profile_id, coordinator)
    now = now or utcnow()
    profile.verified_at, profile.verified_by_id = now, coordinator.id
    profile.verification_revoked_at = None
    profile.id_seen = checks.id_seen
    profile.references_checked = checks.references_checked
    profile.background_check_on = checks.background_check_on
    record_audit(
        coordinator.id,
        "volunteer.verified",
        "volunteer_profile",
        profile.id,
        profile.community_id,
        now=now,
    )
    db.session.commit()
    return profile


def revoke_verification(
    profile_id: int, coordinator: User, now: datetime | None = None
) -> VolunteerProfile:
    """Take a verification back: the volunteer waits again; the checks stay on record."""
    profile = profile_for_coordinator(profile_id, coordinator)
    now = now or utcnow()
    profile.verified_at = None
    profile.verification_revoked_at = now
    record_audit(
        coordinator.id,
        "volunteer.verification_revoked",
        "volunteer_profile",
        profile.id,
        profile.community_id,
        now=now,
    )
    db.session.commit()
    return profile
