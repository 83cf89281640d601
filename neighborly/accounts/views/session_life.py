"""How long a signed-in session lasts: timeouts on every request, a notice, a page to extend it.

Every request of a signed-in person checks the clocks (sessions.py): after SESSION_IDLE_MINUTES
without a request, or SESSION_ABSOLUTE_HOURS after sign-in, the person is signed out and sent to
sign in again, with a message and the page they wanted. Coordinators and site admins without
two-step sign-in are sent to set it up first. Every page shows when the session will end with a
button that keeps it going, and links to a page that explains (no JavaScript needed).
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from neighborly.accounts import policies, sessions, two_factor
from neighborly.accounts.forms import ConfirmForm
from neighborly.accounts.views.common import bp, safe_next
from neighborly.policy import policy

# What a coordinator or site admin without two-step sign-in may still open: setting it up, and
# accepting new terms (views/privacy.py asks for that first; without these, each would send the
# person to the other's page forever).
OPEN_BEFORE_TWO_FACTOR = frozenset(
    {
        "static",
        "accounts.two_factor_setup",
        "accounts.reauthenticate",
        "accounts.logout",
        "accounts.keep_session",
        "accounts.choose_language",
        "accounts.accept_terms",
        "pages.terms",
        "pages.privacy",
        "pages.health",
    }
)


def _lifetime() -> sessions.Lifetime:
    """The configured idle and absolute timeouts."""
    return sessions.Lifetime.from_config(current_app.config)


def _expired_message(why: sessions.Expiry) -> str:
    """What a person reads after being signed out by a timeout."""
    if why is sessions.Expiry.IDLE:
        return _(
            "For your safety, you were signed out after %(minutes)d minutes without activity. "
            "Please sign in again.",
            minutes=current_app.config["SESSION_IDLE_MINUTES"],
        )
    return _(
        "For your safety, you are signed out %(hours)d hours after signing in. "
        "Please sign in again.",
        hours=current_app.config["SESSION_ABSOLUTE_HOURS"],
    )


def check_session_lifetime():
    """Sign out a session that ran out; keep a live one going; send staff to set up 2FA."""
    fresh_sign_in = bool(session.get("_fresh"))  # read before Flask-Login's session protection
    if request.endpoint == "static" or not current_user.is_authenticated:
        return None
    why = sessions.expiry(session, _lifetime())
    if why is not None:
        logout_user()
        sessions.forget(session)
        flash(_expired_message(why), "info")
        wanted = request.full_path.rstrip("?") if request.method == "GET" else None
        return redirect(url_for("accounts.login", next=wanted))
    sessions.touch(session, fresh_sign_in=fresh_sign_in)
    if request.endpoint in OPEN_BEFORE_TWO_FACTOR or current_user.has_two_factor:
        return None
    if two_factor.is_required(current_user):
        wanted = request.full_path.rstrip("?") if request.method == "GET" else None
        return redirect(url_for("accounts.two_factor_setup", next=wanted))
    return None


@bp.record_once
def _run_first(state) -> None:
    """Decide whether the session is still alive before any other hook looks at the person."""
    state.app.before_request_funcs.setdefault(None, []).insert(0, check_session_lifetime)


def _time_zone() -> str:
    """The time zone of the person's first community, for showing clock times; else UTC."""
    memberships = current_user.memberships
    return memberships[0].community.timezone if memberships else "UTC"


@bp.app_context_processor
def session_notice() -> dict:
    """When the signed-in person's session ends if they do nothing, for the notice on each page."""
    if not current_user.is_authenticated:
        return {}
    end = sessions.ends_at(session, _lifetime())
    if end is None:
        return {}
    moment, absolute = end
    return {
        "session_ends_at": datetime.fromtimestamp(moment, tz=UTC),
        "session_ends_absolute": absolute,
        "session_time_zone": _time_zone(),
    }


@bp.route("/account/session", methods=["GET", "POST"])
@policy(policies.signed_in)
def keep_session():
    """Are you still there? Pressing the button keeps the session going."""
    form = ConfirmForm()
    if form.validate_on_submit():
        flash(_("You are still signed in."), "success")
        return redirect(safe_next(request.form.get("next") or request.args.get("next")))
    return render_template(
        "accounts/session.html",
        form=form,
        idle_minutes=current_app.config["SESSION_IDLE_MINUTES"],
        absolute_hours=current_app.config["SESSION_ABSOLUTE_HOURS"],
    )
