"""Two-step sign-in: setting it up, the code after the password, recovery codes, turning it off."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from neighborly.accounts import policies, services, sessions, two_factor
from neighborly.accounts.forms import ConfirmForm, SignInCodeForm, TwoFactorSetupForm
from neighborly.accounts.views.common import AUTH_LIMIT, bp, safe_next, start_session, welcome
from neighborly.accounts.views.reauth import requires_recent_auth
from neighborly.errors import NotAllowed
from neighborly.extensions import limiter
from neighborly.policy import policy

# How long the code page waits after the right password before asking to start again.
PENDING_MINUTES = 5


def _code_limit() -> str:
    """How many wrong codes one account allows on the second sign-in step."""
    return current_app.config["TWO_FACTOR_CODE_LIMIT"]


def _code_key() -> str:
    """The per-account bucket for wrong codes: the account's id (no personal data)."""
    held = session.get(sessions.PENDING) or {}
    return "2fa-code:" + str(held.get("user", "none") if isinstance(held, dict) else "none")


def _failed_code(response) -> bool:
    """A code failed when the form came back instead of a redirect."""
    return response.status_code == 200


@bp.route("/account/login/code", methods=["GET", "POST"])
@policy(policies.signed_out)
@limiter.limit(AUTH_LIMIT, methods=["POST"])
@limiter.limit(_code_limit, key_func=_code_key, methods=["POST"], deduct_when=_failed_code)
def sign_in_code():
    """The second step of signing in: a code from the app, or a recovery code."""
    held = sessions.pending(session, PENDING_MINUTES)
    user = services.load_session_user(held["user"]) if held else None
    if user is None:
        flash(_("Please sign in again."), "info")
        return redirect(url_for("accounts.login"))
    form = SignInCodeForm()
    if form.validate_on_submit():
        try:
            kind = two_factor.verify_code(user, form.code.data)
        except two_factor.WrongCode:
            form.code.errors.append(
                _(
                    "That code is not right. The app shows a new code every 30 seconds: "
                    "type the newest one."
                )
            )
        else:
            welcome(user)
            if kind == "recovery":
                left = two_factor.recovery_codes_left(user)
                flash(
                    ngettext(
                        "You used a recovery code. You have %(num)d left: "
                        "make new ones from your profile.",
                        "You used a recovery code. You have %(num)d left: "
                        "make new ones from your profile.",
                        left,
                    ),
                    "info",
                )
            return redirect(safe_next(held.get("next")))
    return render_template("accounts/sign_in_code.html", form=form)


@bp.route("/account/two-factor/setup", methods=["GET", "POST"])
@policy(policies.signed_in)
@requires_recent_auth
def two_factor_setup():
    """Add Neighborly to an authenticator app, confirm with a code, see recovery codes once."""
    user = current_user._get_current_object()
    if user.has_two_factor:
        return redirect(url_for("accounts.two_factor_settings"))
    form = TwoFactorSetupForm()
    if form.validate_on_submit():
        try:
            codes = two_factor.confirm_setup(user, form.code.data)
        except two_factor.WrongCode:
            form.code.errors.append(
                _(
                    "That code is not right. Check the app shows Neighborly, "
                    "then type the newest code."
                )
            )
        else:
            start_session(user)  # other devices were signed out; this one stays
            flash(_("Two-step sign-in is on."), "success")
            return render_template(
                "accounts/recovery_codes.html",
                codes=codes,
                next_url=safe_next(request.args.get("next")),
            )
    secret = two_factor.begin_setup(user)
    return render_template(
        "accounts/two_factor_setup.html",
        form=form,
        secret=two_factor.format_secret(secret),
        qr_code=two_factor.qr_code_data_uri(two_factor.setup_uri(user, secret)),
        required=two_factor.is_required(user),
    )


@bp.get("/account/two-factor")
@policy(policies.signed_in)
def two_factor_settings():
    """Whether two-step sign-in is on, recovery codes left, and what can be changed."""
    user = current_user._get_current_object()
    return render_template(
        "accounts/two_factor.html",
        form=ConfirmForm(),
        codes_left=two_factor.recovery_codes_left(user) if user.has_two_factor else 0,
        required=two_factor.is_required(user),
    )


@bp.route("/account/two-factor/recovery-codes", methods=["GET", "POST"])
@policy(policies.signed_in)
@requires_recent_auth
def regenerate_recovery_codes():
    """Make new recovery codes (the old ones stop working) and show them once."""
    form = ConfirmForm()
    if not form.validate_on_submit():
        return redirect(url_for("accounts.two_factor_settings"))
    codes = two_factor.regenerate_recovery_codes(current_user._get_current_object())
    flash(_("You have new recovery codes. The old ones no longer work."), "success")
    return render_template(
        "accounts/recovery_codes.html", codes=codes, next_url=url_for("accounts.profile")
    )


@bp.route("/account/two-factor/off", methods=["GET", "POST"])
@policy(policies.signed_in)
@requires_recent_auth
def turn_off_two_factor():
    """Turn two-step sign-in off (people for whom it is optional); other devices sign out."""
    form = ConfirmForm()
    if not form.validate_on_submit():
        return redirect(url_for("accounts.two_factor_settings"))
    user = current_user._get_current_object()
    try:
        two_factor.turn_off(user)
    except NotAllowed:
        flash(_("Coordinators and site admins must keep two-step sign-in on."), "error")
        return redirect(url_for("accounts.two_factor_settings"))
    start_session(user)
    flash(_("Two-step sign-in is off. Your other devices are signed out."), "info")
    return redirect(url_for("accounts.profile"))
