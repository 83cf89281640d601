"""Changing the email of an account: the new address confirms by a link, the old one is told."""

from __future__ import annotations

import secrets
from datetime import timedelta
from types import SimpleNamespace

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from neighborly.accounts.models import AuthToken, TokenPurpose, User
from neighborly.accounts.services import (
    InvalidToken,
    consume_token,
    find_user_by_email,
    normalise_email,
    send_account_exists_notice,
    token_digest,
)
from neighborly.audit import record_audit
from neighborly.errors import Conflict
from neighborly.extensions import db
from neighborly.notifications.services import absolute_url, deliver_pending, notify
from neighborly.timeutil import utcnow

__all__ = ["InvalidToken", "confirm_email_change", "pending_email_change", "request_email_change"]


def _notify_at(user: User, address: str, subject, template: str, **context) -> None:
    """Email the person at an address other than the account's own (its new or old one)."""
    recipient = SimpleNamespace(email=address, locale=user.locale, first_name=user.first_name)
    notify(recipient, subject, template, **context)


def request_email_change(user: User, new_email: str) -> None:
    """Email a confirmation link to the new address; the same answer when it is taken."""
    new_email = normalise_email(new_email)
    owner = find_user_by_email(new_email)
    if owner is not None:
        if owner.id != user.id:
            send_account_exists_notice(owner)  # that address's owner learns of the attempt
    else:
        token = secrets.token_urlsafe(32)
        lifetime = timedelta(hours=current_app.config["CHANGE_EMAIL_TOKEN_MAX_AGE_HOURS"])
        db.session.add(
            AuthToken(
                user_id=user.id,
                purpose=TokenPurpose.CHANGE_EMAIL,
                token_hash=token_digest(token),
                new_email=new_email,
                expires_at=utcnow() + lifetime,
            )
        )
        link = absolute_url("accounts.confirm_email_change", token=token)
        _notify_at(
            user,
            new_email,
            _l("Confirm your new email for Neighborly"),
            "accounts/email/change_email.txt",
            link=link,
        )
    record_audit(user.id, "account.email_change_requested", "user", user.id)
    db.session.commit()
    deliver_pending()


def pending_email_change(token: str) -> str | None:
    """The new address a still-usable change link would set, or None."""
    stored = db.session.scalar(
        select(AuthToken).where(
            AuthToken.token_hash == token_digest(token),
            AuthToken.purpose == TokenPurpose.CHANGE_EMAIL,
            AuthToken.used_at.is_(None),
            AuthToken.expires_at > utcnow(),
        )
    )
    return stored.new_email if stored else None


def confirm_email_change(token: str) -> User:
    """Use a change link once: the account moves to the new address; the old one is told."""
    new_email = pending_email_change(token)
    user = consume_token(token, TokenPurpose.CHANGE_EMAIL)
    if new_email is None:
        db.session.rollback()
        raise InvalidToken()
    if find_user_by_email(new_email) is not None:
        db.session.rollback()
        raise Conflict("email taken")
    old_email = user.email
    user.email = new_email
    user.email_confirmed_at = utcnow()
    _notify_at(
        user,
        old_email,
        _l("Your Neighborly email was changed"),
        "accounts/email/email_changed.txt",
    )
    record_audit(user.id, "account.email_changed", "user", user.id)
    db.session.commit()
    deliver_pending()
    return user
