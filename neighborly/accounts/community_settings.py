"""A coordinator changes their community's settings (what a newcomer reads, where it serves)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from neighborly.accounts.models import Community, User
from neighborly.audit import record_audit
from neighborly.extensions import db
from neighborly.timeutil import utcnow


@dataclass(frozen=True)
class CommunitySettings:
    """Everything a coordinator may change about their community."""

    description: str
    towns: str
    postal_codes: str
    timezone: str
    require_verified_volunteers: bool
    invitations_per_round: int
    invitation_wait_urgent_minutes: int
    invitation_wait_soon_minutes: int
    invitation_wait_flexible_minutes: int


def clean_codes(text: str) -> str:
    """Comma-separated ZIP codes, trimmed, without repeats, in the order given."""
    seen: list[str] = []
    for code in text.replace(";", ",").replace(" ", ",").split(","):
        if code.strip() and code.strip() not in seen:
            seen.append(code.strip())
    return ", ".join(seen)


def settings_of(community: Community) -> CommunitySettings:
    """The community's current settings."""
    return CommunitySettings(
        **{name: getattr(community, name) for name in CommunitySettings.__dataclass_fields__}
    )


def update_settings(
    community: Community,
    coordinator: User,
    settings: CommunitySettings,
    now: datetime | None = None,
) -> None:
    """Save new settings and record who changed them (an audit event, no values)."""
    for name in CommunitySettings.__dataclass_fields__:
        setattr(community, name, getattr(settings, name))
    community.description = settings.description.strip()
    community.towns = settings.towns.strip()
    community.postal_codes = clean_codes(settings.postal_codes)
    record_audit(
        coordinator.id,
        "community.settings_changed",
        "community",
        community.id,
        community.id,
        now=now or utcnow(),
    )
    db.session.commit()
