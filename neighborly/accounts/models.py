"""People, communities and the roles people hold in them."""

from __future__ import annotations

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Boolean, Float, ForeignKey, Integer, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, query_expression, relationship

from neighborly.dbtypes import UTCDateTime, str_enum
from neighborly.extensions import db
from neighborly.timeutil import utcnow


class Role(enum.StrEnum):
    """What a person does in one community."""

    RESIDENT = "resident"
    VOLUNTEER = "volunteer"
    COORDINATOR = "coordinator"


class TokenPurpose(enum.StrEnum):
    """Why a one-time token was issued."""

    CONFIRM_EMAIL = "confirm_email"
    RESET_PASSWORD = "reset_password"
    CHANGE_EMAIL = "change_email"


class User(UserMixin, db.Model):
    """A person with an account."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Residents entered by a coordinator after a phone call have no email and cannot sign in.
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    first_name: Mapped[str] = mapped_column(String(80))
    last_name: Mapped[str] = mapped_column(String(80))
    phone: Mapped[str | None] = mapped_column(String(40))
    # The person agreed to short texts at `phone` (a mobile) about their requests.
    sms_consent: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    locale: Mapped[str] = mapped_column(String(8), default="en")
    email_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    is_site_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    is_active_account: Mapped[bool] = mapped_column(Boolean, default=True)
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    # Which version of the terms and privacy notice the person accepted, and when.
    terms_version: Mapped[str | None] = mapped_column(String(20))
    terms_accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Set when the person deleted their account: the row stays, anonymised, for history.
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # When the person last signed in; None until the first time ("Welcome" vs "Welcome back").
    last_signed_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Two-step sign-in: the TOTP secret encrypted (two_factor.py), set before it is confirmed;
    # on once confirmed; the last time step used, so one code never works twice.
    totp_secret_encrypted: Mapped[str | None] = mapped_column(String(255))
    totp_enabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    totp_last_step: Mapped[int | None] = mapped_column(Integer)

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="user", cascade="all, delete-orphan", order_by="Membership.id"
    )
    # The header's unread count, read with the signed-in person (None when not read so).
    unread_notices: Mapped[int | None] = query_expression()

    @property
    def is_active(self) -> bool:
        """Flask-Login: deactivated accounts cannot sign in."""
        return self.is_active_account

    @property
    def has_account(self) -> bool:
        """Whether this person can sign in (phone-in residents cannot)."""
        return self.email is not None and self.password_hash is not None

    @property
    def display_name(self) -> str:
        """First name and last initial, the way neighbours see each other."""
        initial = f" {self.last_name[:1]}." if self.last_name else ""
        return f"{self.first_name}{initial}"

    @property
    def has_two_factor(self) -> bool:
        """Whether signing in asks for a code after the password."""
        return self.totp_enabled_at is not None

    def __repr__(self) -> str:
        """Ids only: no email, name or secret lands in a log through repr."""
        return f"<User {self.id}>"

    def get_id(self) -> str:
        """Session id carries the session version so a reset signs out old sessions."""
        return f"{self.id}:{self.session_version}"

    def roles_in(self, community_id: int) -> set[Role]:
        """The roles this person holds in one community."""
        return {m.role for m in self.memberships if m.community_id == community_id}


class Community(db.Model):
    """A neighbourhood or town that runs its own help and programs."""

    __tablename__ = "communities"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    timezone: Mapped[str] = mapped_column(String(64), default="America/Chicago")
    centre_lat: Mapped[float] = mapped_column(Float)
    centre_lng: Mapped[float] = mapped_column(Float)
    service_radius_km: Mapped[float] = mapped_column(Float, default=15.0)
    postal_codes: Mapped[str] = mapped_column(String(400), default="")
    require_verified_volunteers: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # What a newcomer reads on the community's page to know whether it is theirs.
    description: Mapped[str] = mapped_column(Text, default="", server_default="")
    towns: Mapped[str] = mapped_column(String(400), default="", server_default="")
    # "mi" (miles and feet, US communities) or "km" (kilometres and metres).
    distance_unit: Mapped[str] = mapped_column(String(2), default="mi", server_default="mi")
    # Invitations: how many volunteers each round asks, and how long a round waits per urgency.
    invitations_per_round: Mapped[int] = mapped_column(Integer, default=5, server_default="5")
    invitation_wait_urgent_minutes: Mapped[int] = mapped_column(
        Integer, default=30, server_default="30"
    )
    invitation_wait_soon_minutes: Mapped[int] = mapped_column(
        Integer, default=180, server_default="180"
    )
    invitation_wait_flexible_minutes: Mapped[int] = mapped_column(
        Integer, default=1440, server_default="1440"
    )

    memberships: Mapped[list[Membership]] = relationship(back_populates="community")

    @property
    def postal_code_list(self) -> list[str]:
        """The community's postal codes as a list."""
        return [code.strip() for code in self.postal_codes.split(",") if code.strip()]


class Membership(db.Model):
    """One role one person holds in one community."""

    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("user_id", "community_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    community_id: Mapped[int] = mapped_column(
        ForeignKey("communities.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[Role] = mapped_column(str_enum(Role, "role"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user: Mapped[User] = relationship(back_populates="memberships")
    community: Mapped[Community] = relationship(back_populates="memberships")


class AuthToken(db.Model):
    """A single-use, expiring token for confirming email or resetting a password."""

    __tablename__ = "auth_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[TokenPurpose] = mapped_column(str_enum(TokenPurpose, "token_purpose"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # For a change of email: the new address, which takes effect when the link is used.
    new_email: Mapped[str | None] = mapped_column(String(254))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class RecoveryCode(db.Model):
    """One single-use recovery code for two-step sign-in, kept only as a keyed hash."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
