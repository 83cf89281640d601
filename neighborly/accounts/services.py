"""Account and community rules: registration, sign-in, tokens, roles."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, with_expression

from neighborly import cache
from neighborly.accounts.models import AuthToken, Community, Membership, Role, TokenPurpose, User
from neighborly.accounts.passwords import hash_password, verify_password
from neighborly.audit import record_audit
from neighborly.errors import Conflict, DomainError, NotFound
from neighborly.extensions import db
from neighborly.notifications.inbox import unread_count_of
from neighborly.notifications.services import absolute_url, deliver_pending, notify
from neighborly.paging import PAGE_SIZE, Key, Page, keyset_page
from neighborly.timeutil import utcnow

COMMUNITY_LISTINGS = "accounts.communities"  # the shared cache's name for all_communities
# What every page reads with the signed-in person, in the same statement: their communities
# (navigation, time zone) and the header's unread count. Built once: the count is correlated to
# the row read, so the options hold no id (and a refresh of the person reuses them as they are).
SIGNED_IN_PERSON = (
    joinedload(User.memberships).joinedload(Membership.community),
    with_expression(User.unread_notices, unread_count_of(User.id)),
)


class InvalidToken(DomainError):
    """The link is unknown, already used or expired."""


@dataclass(frozen=True)
class Registration:
    """What a person types to open an account."""

    email: str
    password: str
    first_name: str
    last_name: str
    locale: str = "en"
    phone: str | None = None
    terms_version: str | None = None  # the terms and privacy notice the person accepted


def normalise_email(email: str) -> str:
    """Compare emails without case or surrounding space."""
    return email.strip().lower()


def throttle_key(email: str) -> str:
    """A keyed hash of a normalised email: one rate-limit bucket per account, no email stored."""
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, normalise_email(email).encode(), hashlib.sha256).hexdigest()[:32]


def find_user_by_email(email: str) -> User | None:
    """Look a person up by email."""
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def register(details: Registration) -> None:
    """Open an account and send a confirmation link; an existing email gets a notice instead."""
    existing = find_user_by_email(details.email)
    if existing is not None:
        hash_password(details.password)  # same cost as a new account, so timing says nothing
        send_account_exists_notice(existing)
    else:
        user = _create_user(details)
        record_audit(user.id, "account.registered", "user", user.id)
        _send_confirmation(user)
    db.session.commit()
    deliver_pending()


def _create_user(details: Registration, now: datetime | None = None) -> User:
    """Insert the user row (flushes so it has an id)."""
    user = User(
        created_at=now or utcnow(),
        email=normalise_email(details.email),
        password_hash=hash_password(details.password),
        first_name=details.first_name.strip(),
        last_name=details.last_name.strip(),
        phone=(details.phone or "").strip() or None,
        locale=details.locale,
        terms_version=details.terms_version,
        terms_accepted_at=(now or utcnow()) if details.terms_version else None,
    )
    db.session.add(user)
    db.session.flush()
    return user


def create_confirmed_user(
    details: Registration, is_site_admin: bool = False, now: datetime | None = None
) -> User:
    """Create an account that needs no email confirmation (setup and demo data).

    The operator running setup, and the demo's people, are taken to accept the current terms."""
    user = _create_user(details, now=now)
    user.email_confirmed_at = user.created_at
    user.terms_version = user.terms_version or current_app.config["TERMS_VERSION"]
    user.terms_accepted_at = user.terms_accepted_at or user.created_at
    user.is_site_admin = is_site_admin
    return user


def authenticate(email: str, password: str) -> User | None:
    """Return the user when the email and password match, else None (same cost either way)."""
    user = find_user_by_email(email)
    if not verify_password(user.password_hash if user else None, password):
        return None
    if user is None or not user.is_active:
        return None
    return user


def record_sign_in(user: User, now: datetime | None = None) -> bool:
    """Note that this person signed in; True when it is their very first time."""
    now = now or utcnow()
    first = user.last_signed_in_at is None
    user.last_signed_in_at = now
    db.session.commit()
    return first


def load_session_user(session_id: str) -> User | None:
    """Resolve a Flask-Login session id, refusing revoked sessions."""
    user_id, _sep, version = session_id.partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    user = db.session.get(User, int(user_id), options=SIGNED_IN_PERSON)
    if user is None or user.session_version != int(version) or not user.is_active:
        return None
    return user


def end_sessions(user: User) -> None:
    """Sign out: bump the session version so every cookie issued so far stops working."""
    user.session_version += 1
    record_audit(user.id, "account.signed_out", "user", user.id)
    db.session.commit()


def _issue_token(user: User, purpose: TokenPurpose, lifetime: timedelta) -> str:
    """Store the hash of a new random token and return the token itself."""
    token = secrets.token_urlsafe(32)
    db.session.add(
        AuthToken(
            user_id=user.id,
            purpose=purpose,
            token_hash=token_digest(token),
            expires_at=utcnow() + lifetime,
        )
    )
    return token


def token_digest(token: str) -> str:
    """Hash a token so the database never holds a usable link."""
    return hashlib.sha256(token.encode()).hexdigest()


def consume_token(token: str, purpose: TokenPurpose) -> User:
    """Mark a token used exactly once and return its user, or raise InvalidToken."""
    now = utcnow()
    stored = db.session.scalar(
        select(AuthToken).where(
            AuthToken.token_hash == token_digest(token), AuthToken.purpose == purpose
        )
    )
    if stored is None:
        raise InvalidToken()
    changed = db.session.execute(
        update(AuthToken)
        .where(
            AuthToken.id == stored.id,
            AuthToken.used_at.is_(None),
            AuthToken.expires_at > now,
        )
        .values(used_at=now)
    ).rowcount
    if changed != 1:
        db.session.rollback()
        raise InvalidToken()
    return db.session.get(User, stored.user_id)


def check_token(token: str, purpose: TokenPurpose) -> bool:
    """Say whether a token could still be used (for showing the right page)."""
    return (
        db.session.scalar(
            select(func.count(AuthToken.id)).where(
                AuthToken.token_hash == token_digest(token),
                AuthToken.purpose == purpose,
                AuthToken.used_at.is_(None),
                AuthToken.expires_at > utcnow(),
            )
        )
        == 1
    )


def _send_confirmation(user: User) -> None:
    """Email a link that confirms the address."""
    lifetime = timedelta(hours=current_app.config["CONFIRM_TOKEN_MAX_AGE_HOURS"])
    token = _issue_token(user, TokenPurpose.CONFIRM_EMAIL, lifetime)
    link = absolute_url("accounts.confirm_email", token=token)
    notify(user, _l("Confirm your email for Neighborly"), "accounts/email/confirm.txt", link=link)


def send_account_exists_notice(user: User) -> None:
    """Tell the owner someone tried to register with their email."""
    link = absolute_url("accounts.forgot_password")
    subject = _l("You already have a Neighborly account")
    notify(user, subject, "accounts/email/exists.txt", link=link)


def confirm_email(token: str) -> User:
    """Use a confirmation link once; return the confirmed user."""
    user = consume_token(token, TokenPurpose.CONFIRM_EMAIL)
    if user.email_confirmed_at is None:
        user.email_confirmed_at = utcnow()
    record_audit(user.id, "account.email_confirmed", "user", user.id)
    db.session.commit()
    return user


def request_password_reset(email: str) -> None:
    """Email a reset link if the account exists; say nothing either way."""
    user = find_user_by_email(email)
    if user is None or not user.is_active:
        return
    lifetime = timedelta(minutes=current_app.config["RESET_TOKEN_MAX_AGE_MINUTES"])
    token = _issue_token(user, TokenPurpose.RESET_PASSWORD, lifetime)
    link = absolute_url("accounts.reset_password", token=token)
    notify(user, _l("Reset your Neighborly password"), "accounts/email/reset.txt", link=link)
    record_audit(user.id, "account.reset_requested", "user", user.id)
    db.session.commit()
    deliver_pending()


def reset_password(token: str, new_password: str) -> User:
    """Use a reset link once: set the password and sign out every other session."""
    user = consume_token(token, TokenPurpose.RESET_PASSWORD)
    user.password_hash = hash_password(new_password)
    user.session_version += 1
    if user.email_confirmed_at is None:
        user.email_confirmed_at = utcnow()
    record_audit(user.id, "account.password_reset", "user", user.id)
    db.session.commit()
    return user


class WrongPassword(DomainError):
    """The current password given does not match."""


def change_password(user: User, current: str, new_password: str) -> User:
    """Set a new password after checking the current one; every other session is signed out."""
    if not verify_password(user.password_hash, current):
        raise WrongPassword()
    user.password_hash = hash_password(new_password)
    user.session_version += 1
    record_audit(user.id, "account.password_changed", "user", user.id)
    db.session.commit()
    return user


def update_profile(
    user: User,
    first_name: str,
    last_name: str,
    phone: str | None,
    locale: str,
    sms_consent: bool | None = None,
) -> None:
    """Change the person's own name, phone, language and consent to texts."""
    user.first_name = first_name.strip()
    user.last_name = last_name.strip()
    user.phone = (phone or "").strip() or None
    user.locale = locale
    if sms_consent is not None:
        user.sms_consent = bool(sms_consent) and user.phone is not None
    record_audit(user.id, "account.profile_updated", "user", user.id)
    db.session.commit()


def set_locale(user: User, locale: str) -> None:
    """Remember the person's chosen language."""
    user.locale = locale
    db.session.commit()


def create_community(
    actor: User,
    name: str,
    slug: str,
    timezone: str,
    centre: tuple[float, float],
    postal_codes: str = "",
    now: datetime | None = None,
    *,
    description: str = "",
    towns: str = "",
    distance_unit: str = "mi",
) -> Community:
    """A site admin opens a new community (what a newcomer reads about it is optional)."""
    now = now or utcnow()
    community = Community(
        created_at=now,
        name=name.strip(),
        slug=slug.strip().lower(),
        timezone=timezone,
        centre_lat=centre[0],
        centre_lng=centre[1],
        postal_codes=postal_codes,
        description=description,
        towns=towns,
        distance_unit=distance_unit,
    )
    db.session.add(community)
    try:
        db.session.flush()
    except IntegrityError as error:
        db.session.rollback()
        raise Conflict("slug") from error
    record_audit(actor.id, "community.created", "community", community.id, community.id, now=now)
    db.session.commit()
    cache.forget(COMMUNITY_LISTINGS)
    return community


def community_by_slug(slug: str) -> Community:
    """Find a community by its address name or raise NotFound."""
    community = db.session.scalar(select(Community).where(Community.slug == slug))
    if community is None:
        raise NotFound(slug)
    return community


def grant_role(
    actor: User | None, user: User, community: Community, role: Role, now: datetime | None = None
) -> bool:
    """Give a person a role in a community; return False when they already had it."""
    if role in user.roles_in(community.id):
        return False
    now = now or utcnow()
    db.session.add(Membership(user=user, community=community, role=role, created_at=now))
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        return False
    record_audit(
        actor.id if actor else user.id,
        f"role.granted.{role.value}",
        "user",
        user.id,
        community.id,
        now=now,
    )
    db.session.commit()
    return True


def name_coordinator(actor: User, community: Community, email: str) -> User:
    """A site admin or coordinator makes an existing account a coordinator."""
    user = find_user_by_email(email)
    if user is None:
        raise NotFound(email)
    grant_role(actor, user, community, Role.COORDINATOR)
    return user


def revoke_role(actor: User, user: User, community: Community, role: Role) -> None:
    """Take a role away from a person in one community."""
    membership = db.session.scalar(
        select(Membership).where(
            Membership.user_id == user.id,
            Membership.community_id == community.id,
            Membership.role == role,
        )
    )
    if membership is None:
        raise NotFound("membership")
    db.session.delete(membership)
    record_audit(actor.id, f"role.revoked.{role.value}", "user", user.id, community.id)
    db.session.commit()


def members_of(community: Community) -> list[tuple[User, list[Role]]]:
    """Everyone in a community with their roles, by name."""
    rows = db.session.execute(
        select(User, Membership.role)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.community_id == community.id)
        .order_by(User.first_name, User.last_name, User.id)
    ).all()
    grouped: dict[int, tuple[User, list[Role]]] = {}
    for user, role in rows:
        grouped.setdefault(user.id, (user, []))[1].append(role)
    return list(grouped.values())


def coordinators_of(community: Community, limit: int = 200) -> list[User]:
    """A community's coordinators by name (a short list; at most `limit`)."""
    return list(
        db.session.scalars(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.community_id == community.id, Membership.role == Role.COORDINATOR)
            .order_by(User.first_name, User.last_name, User.id)
            .limit(limit)
        )
    )


def community_page(
    after: int | None = None, before: int | None = None, size: int = PAGE_SIZE
) -> Page:
    """One page of every community, by name."""
    return keyset_page(
        select(Community),
        (Key(Community.name), Key(Community.id)),
        after=after,
        before=before,
        size=size,
    )


def communities_for(user: User) -> list[Community]:
    """The communities a person belongs to."""
    return list(
        db.session.scalars(
            select(Community)
            .join(Membership, Membership.community_id == Community.id)
            .where(Membership.user_id == user.id)
            .distinct()
            .order_by(Community.name)
        )
    )


@dataclass(frozen=True)
class CommunityListing:
    """A community as the lists of communities show it: plain facts, safe to cache."""

    id: int
    slug: str
    name: str


@cache.shared(COMMUNITY_LISTINGS)
def all_communities() -> tuple[CommunityListing, ...]:
    """Every community, by name (the same for everyone: cached; opening one forgets it)."""
    rows = db.session.execute(
        select(Community.id, Community.slug, Community.name).order_by(Community.name)
    )
    return tuple(CommunityListing(*row) for row in rows)
