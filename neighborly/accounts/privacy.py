"""A person's own account data: terms accepted, the account part of an export, erasure.

What other domains hold about a person (requests, volunteer profiles, mentoring, suggestions) is
gathered and erased by `neighborly.my_data`, which may import every domain; accounts may not,
or the packages would import each other.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select

from neighborly.accounts.models import (
    AuthToken,
    Community,
    Membership,
    RecoveryCode,
    Role,
    User,
)
from neighborly.audit import record_audit
from neighborly.errors import Conflict
from neighborly.extensions import db
from neighborly.notifications.models import OutboxMessage
from neighborly.timeutil import utcnow

FORMER_NEIGHBOUR = "Former neighbour"
DELETED_EMAIL_DOMAIN = "deleted.invalid"


class LastCoordinator(Conflict):
    """The person is the only coordinator of a community: someone must take over first."""

    def __init__(self, communities: list[str]):
        super().__init__(", ".join(communities))
        self.communities = communities


def needs_terms(user: User, version: str) -> bool:
    """Whether a signed-in person has yet to accept this version of the terms."""
    return user.terms_version != version


def accept_terms(user: User, version: str, now: datetime | None = None) -> None:
    """Record that the person accepted this version of the terms and privacy notice."""
    user.terms_version = version
    user.terms_accepted_at = now or utcnow()
    record_audit(user.id, "account.terms_accepted", "user", user.id, now=now)
    db.session.commit()


def account_export(user: User) -> dict:
    """The person's account fields and memberships, as plain JSON-ready values."""
    memberships = db.session.execute(
        select(Community.name, Membership.role, Membership.created_at)
        .join(Community, Community.id == Membership.community_id)
        .where(Membership.user_id == user.id)
        .order_by(Community.name, Membership.role)
    ).all()
    return {
        "account": {
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "phone": user.phone,
            "language": user.locale,
            "created_at": iso(user.created_at),
            "email_confirmed_at": iso(user.email_confirmed_at),
            "terms_version": user.terms_version,
            "terms_accepted_at": iso(user.terms_accepted_at),
            "texts_agreed": user.sms_consent,
            "two_step_sign_in": user.has_two_factor,
        },
        "memberships": [
            {"community": name, "role": str(role), "since": iso(since)}
            for name, role, since in memberships
        ],
    }


def iso(value: datetime | None) -> str | None:
    """A datetime (or date) as ISO 8601 text, None stays None."""
    return value.isoformat() if value is not None else None


def sole_coordinator_of(user: User) -> list[str]:
    """The communities in which this person is the only coordinator, by name."""
    mine = select(Membership.community_id).where(
        Membership.user_id == user.id, Membership.role == Role.COORDINATOR
    )
    others = (
        select(func.count(Membership.id))
        .where(
            Membership.community_id == Community.id,
            Membership.role == Role.COORDINATOR,
            Membership.user_id != user.id,
        )
        .scalar_subquery()
    )
    return list(
        db.session.scalars(
            select(Community.name)
            .where(Community.id.in_(mine), others == 0)
            .order_by(Community.name)
        )
    )


def erase_account(user: User, now: datetime) -> None:
    """Anonymise the person's row in the caller's transaction; the caller commits.

    The row stays so the community's history (requests, thanks) keeps its shape; nothing on it
    names, reaches or signs in as the person any more."""
    old_email = user.email
    db.session.execute(delete(AuthToken).where(AuthToken.user_id == user.id))
    db.session.execute(delete(Membership).where(Membership.user_id == user.id))
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    if old_email:
        db.session.execute(delete(OutboxMessage).where(OutboxMessage.to_address == old_email))
    # Texts to their phone, and anything else queued for them.
    db.session.execute(delete(OutboxMessage).where(OutboxMessage.user_id == user.id))
    user.first_name = FORMER_NEIGHBOUR
    user.last_name = ""
    user.email = f"deleted-{user.id}@{DELETED_EMAIL_DOMAIN}"
    user.phone = None
    user.sms_consent = False
    user.password_hash = None
    user.totp_secret_encrypted = user.totp_enabled_at = user.totp_last_step = None
    user.is_active_account = False
    user.session_version += 1
    user.deleted_at = now
    db.session.expire(user, ["memberships"])
    record_audit(user.id, "account.deleted", "user", user.id, now=now)
