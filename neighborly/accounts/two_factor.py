"""Two-step sign-in: TOTP codes from an app, single-use recovery codes, who must have it.

The TOTP secret is stored encrypted (Fernet, key from TWO_FACTOR_KEY or SECRET_KEY); recovery
codes are stored as HMAC-SHA256 with that key (they are random, so a keyed hash suffices).
A code's time step is remembered with a conditional UPDATE, so the same code never works twice.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time

import pyotp
import segno
from cryptography.fernet import Fernet, InvalidToken
from flask import current_app
from sqlalchemy import delete, func, or_, select, update

from neighborly.accounts.models import RecoveryCode, Role, User
from neighborly.audit import record_audit
from neighborly.errors import DomainError, NotAllowed
from neighborly.extensions import db
from neighborly.timeutil import utcnow

RECOVERY_CODE_COUNT = 10
STEP_SECONDS = 30
# Lower-case letters and digits without look-alikes (0/o, 1/l/i), read aloud easily.
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


class WrongCode(DomainError):
    """The code is wrong, too old, or was already used."""


def _key_material() -> bytes:
    """The secret all two-factor keys are derived from."""
    config = current_app.config
    return (config.get("TWO_FACTOR_KEY") or config["SECRET_KEY"]).encode()


def _derived(purpose: bytes) -> bytes:
    """A 32-byte key for one purpose, derived from the key material."""
    return hmac.new(_key_material(), b"neighborly-2fa:" + purpose, hashlib.sha256).digest()


def _fernet() -> Fernet:
    """The cipher that keeps TOTP secrets unreadable in the database and its backups."""
    return Fernet(base64.urlsafe_b64encode(_derived(b"totp-secret")))


def _secret(user: User) -> str | None:
    """The person's TOTP secret in clear, or None."""
    if not user.totp_secret_encrypted:
        return None
    try:
        return _fernet().decrypt(user.totp_secret_encrypted.encode()).decode()
    except InvalidToken:
        return None


def is_staff(user: User) -> bool:
    """Site admins and anyone coordinating a community (they see private data)."""
    if user.is_site_admin:
        return True
    # The signed-in person's memberships are loaded with them (accounts.load_session_user).
    return any(membership.role == Role.COORDINATOR for membership in user.memberships)


def is_required(user: User) -> bool:
    """Whether this person must use two-step sign-in (staff, when the site requires it)."""
    return bool(current_app.config.get("REQUIRE_2FA_FOR_STAFF")) and is_staff(user)


def begin_setup(user: User) -> str:
    """Give the person a new secret to add to their app (kept until confirmed); return it."""
    if user.has_two_factor:
        raise NotAllowed("two-factor already on")
    secret = _secret(user)
    if secret is None:
        secret = pyotp.random_base32()
        user.totp_secret_encrypted = _fernet().encrypt(secret.encode()).decode()
        db.session.commit()
    return secret


def setup_uri(user: User, secret: str) -> str:
    """The otpauth:// address an authenticator app reads from the QR code (no email in it)."""
    issuer = current_app.config.get("TWO_FACTOR_ISSUER", "Neighborly")
    return pyotp.TOTP(secret).provisioning_uri(name=user.first_name, issuer_name=issuer)


def qr_code_data_uri(uri: str) -> str:
    """The QR code for an otpauth address as an SVG data URI, made here (no network)."""
    return segno.make(uri, error="m").svg_data_uri(scale=5, border=2)


def format_secret(secret: str) -> str:
    """The secret in groups of four, easier to type by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _current_step(now: float | None) -> int:
    """The TOTP time step of a moment (30-second steps since 1970)."""
    return int((time.time() if now is None else now) // STEP_SECONDS)


def _matching_step(secret: str, code: str, now: float | None) -> int | None:
    """The time step (now, one before or one after) whose code this is, or None."""
    code = "".join(code.split())
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    current = _current_step(now)
    for step in (current - 1, current, current + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def _use_step(user: User, step: int) -> bool:
    """Remember a used time step; False when it (or a later one) was used already."""
    changed = db.session.execute(
        update(User)
        .where(
            User.id == user.id,
            or_(User.totp_last_step.is_(None), User.totp_last_step < step),
        )
        .values(totp_last_step=step)
    ).rowcount
    return changed == 1


def confirm_setup(user: User, code: str, now: float | None = None) -> list[str]:
    """Turn two-step sign-in on with a first code; return the recovery codes to show once."""
    secret = _secret(user)
    if user.has_two_factor or secret is None:
        raise NotAllowed("no set-up in progress")
    step = _matching_step(secret, code, now)
    if step is None or not _use_step(user, step):
        db.session.rollback()
        raise WrongCode()
    user.totp_enabled_at = utcnow()
    user.session_version += 1  # other devices sign in again, now with a code
    codes = _replace_recovery_codes(user)
    record_audit(user.id, "account.two_factor_enabled", "user", user.id)
    db.session.commit()
    return codes


def verify_code(user: User, code: str, now: float | None = None) -> str:
    """Check an app code or a recovery code once; return "totp" or "recovery", else WrongCode."""
    secret = _secret(user)
    if not user.has_two_factor or secret is None:
        raise WrongCode()
    step = _matching_step(secret, code, now)
    if step is not None:
        if not _use_step(user, step):
            db.session.rollback()
            raise WrongCode()
        db.session.commit()
        return "totp"
    if _use_recovery_code(user, code):
        record_audit(user.id, "account.recovery_code_used", "user", user.id)
        db.session.commit()
        return "recovery"
    db.session.rollback()
    raise WrongCode()


def _normalise_recovery(code: str) -> str:
    """Compare recovery codes without case, spaces or dashes."""
    return "".join(ch for ch in code.lower() if ch.isalnum())


def _recovery_hash(user_id: int, code: str) -> str:
    """A keyed hash of one person's recovery code."""
    message = f"{user_id}:{_normalise_recovery(code)}".encode()
    return hmac.new(_derived(b"recovery-code"), message, hashlib.sha256).hexdigest()


def _use_recovery_code(user: User, code: str) -> bool:
    """Spend one unused recovery code (one conditional UPDATE decides)."""
    if not _normalise_recovery(code):
        return False
    changed = db.session.execute(
        update(RecoveryCode)
        .where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == _recovery_hash(user.id, code),
            RecoveryCode.used_at.is_(None),
        )
        .values(used_at=utcnow())
    ).rowcount
    return changed == 1


def _new_recovery_code() -> str:
    """A random code of ten characters (about 50 bits), shown as xxxxx-xxxxx."""
    chars = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(10))
    return f"{chars[:5]}-{chars[5:]}"


def _replace_recovery_codes(user: User) -> list[str]:
    """Drop the person's recovery codes and store hashes of new ones; return them in clear."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    db.session.add_all(
        RecoveryCode(user_id=user.id, code_hash=_recovery_hash(user.id, code)) for code in codes
    )
    return codes


def regenerate_recovery_codes(user: User) -> list[str]:
    """Replace every recovery code with new ones (the old stop working); return them once."""
    if not user.has_two_factor:
        raise NotAllowed("two-factor is off")
    codes = _replace_recovery_codes(user)
    record_audit(user.id, "account.recovery_codes_regenerated", "user", user.id)
    db.session.commit()
    return codes


def recovery_codes_left(user: User) -> int:
    """How many recovery codes the person has not used."""
    return db.session.scalar(
        select(func.count(RecoveryCode.id)).where(
            RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)
        )
    )


def turn_off(user: User) -> None:
    """Turn two-step sign-in off, for people who may go without it; other devices sign out."""
    if is_required(user):
        raise NotAllowed("two-factor is required for staff")
    user.totp_secret_encrypted = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    user.session_version += 1
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    record_audit(user.id, "account.two_factor_disabled", "user", user.id)
    db.session.commit()
