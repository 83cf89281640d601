"""The accounts blueprint and what its views share: safe redirects, the rate limit, sign-in."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, g, session, url_for
from flask_babel import gettext as _
from flask_login import login_user

from neighborly.accounts import services, sessions

bp = Blueprint("accounts", __name__)


AUTH_LIMIT = "20 per minute; 200 per hour"


def safe_next(target: str | None) -> str:
    """Only follow a `next` that stays on this site."""
    if target and target.startswith("/") and not target.startswith("//"):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("pages.home")


def start_session(user) -> None:
    """Sign a person in with a fresh CSRF secret (an old token is refused) and fresh clocks."""
    session.pop("csrf_token", None)
    g.pop("csrf_token", None)
    login_user(user)
    session["locale"] = user.locale
    sessions.start(session)


def welcome(user) -> None:
    """Start the session and greet: "Welcome" the very first time, "Welcome back" after."""
    start_session(user)
    first = services.record_sign_in(user)
    session["first_visit"] = first  # the home says "Welcome" rather than "Welcome back"
    if first:
        flash(_("Welcome, %(name)s.", name=user.first_name), "success")
    else:
        flash(_("Welcome back, %(name)s.", name=user.first_name), "success")
