"""Registering, confirming an email, signing in and out, forgotten passwords."""

from __future__ import annotations

from flask import (
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from neighborly.accounts import policies, services, sessions
from neighborly.accounts.forms import (
    ConfirmForm,
    ForgotPasswordForm,
    LoginForm,
    RegisterForm,
    ResetPasswordForm,
)
from neighborly.accounts.models import TokenPurpose
from neighborly.accounts.views.common import AUTH_LIMIT, bp, safe_next, welcome
from neighborly.extensions import limiter
from neighborly.limits import configured, count_this_action, counted_if_done
from neighborly.policy import policy


@bp.route("/account/register", methods=["GET", "POST"])
@policy(policies.signed_out)
@limiter.limit(AUTH_LIMIT, methods=["POST"])
@limiter.limit(configured("REGISTER_LIMIT_PER_ADDRESS"), **counted_if_done)
def register():
    """Open an account; the same answer whether or not the email is known."""
    form = RegisterForm()
    if form.validate_on_submit():
        services.register(
            services.Registration(
                email=form.email.data,
                password=form.password.data,
                first_name=form.first_name.data,
                last_name=form.last_name.data,
                locale=form.locale.data,
                terms_version=current_app.config["TERMS_VERSION"],
            )
        )
        count_this_action()
        return render_template("accounts/check_email.html", email_sent_for="register")
    return render_template("accounts/register.html", form=form)


@bp.route("/account/confirm/<token>", methods=["GET", "POST"])
@policy(policies.anyone)
def confirm_email(token: str):
    """Show a confirm button for an emailed link; the POST confirms."""
    form = ConfirmForm()
    if request.method == "POST" and form.validate_on_submit():
        try:
            services.confirm_email(token)
        except services.InvalidToken:
            return render_template("accounts/link_expired.html"), 400
        flash(_("Thank you! Your email is confirmed. You can sign in now."), "success")
        return redirect(url_for("accounts.login"))
    if not services.check_token(token, TokenPurpose.CONFIRM_EMAIL):
        return render_template("accounts/link_expired.html"), 400
    return render_template("accounts/confirm.html", form=form)


def _account_limit() -> str:
    """How many failed sign-ins one account allows, from whatever address they come."""
    return current_app.config["LOGIN_ACCOUNT_LIMIT"]


def _account_key() -> str:
    """The per-account rate-limit bucket: a keyed hash of the normalised email, never the email."""
    return "login-account:" + services.throttle_key(request.form.get("email", ""))


def _failed_sign_in(response) -> bool:
    """A sign-in failed when the form came back instead of a redirect."""
    return response.status_code == 200


@bp.route("/account/login", methods=["GET", "POST"])
@policy(policies.signed_out)
@limiter.limit(AUTH_LIMIT, methods=["POST"])
@limiter.limit(_account_limit, key_func=_account_key, methods=["POST"], deduct_when=_failed_sign_in)
def login():
    """Sign in with email and password."""
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is None:
            form.password.errors.append(_("That email and password do not match an account."))
        elif user.email_confirmed_at is None:
            form.email.errors.append(
                _("Please confirm your email first: use the link we sent you.")
            )
        elif user.has_two_factor:
            sessions.hold_for_code(session, user, safe_next(request.args.get("next")))
            return redirect(url_for("accounts.sign_in_code"))
        else:
            welcome(user)
            return redirect(safe_next(request.args.get("next")))
    return render_template("accounts/login.html", form=form)


@bp.post("/account/logout")
@policy(policies.signed_in)
def logout():
    """Sign out here and on every other device: old cookies stop working."""
    services.end_sessions(current_user)
    logout_user()
    sessions.forget(session)
    flash(_("You are signed out on this and every other device. See you soon."), "info")
    return redirect(url_for("pages.home"))


@bp.route("/account/forgot", methods=["GET", "POST"])
@policy(policies.signed_out)
@limiter.limit(AUTH_LIMIT, methods=["POST"])
def forgot_password():
    """Ask for a reset link; the same answer whether or not the email is known."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        return render_template("accounts/check_email.html", email_sent_for="reset")
    return render_template("accounts/forgot.html", form=form)


@bp.route("/account/reset/<token>", methods=["GET", "POST"])
@policy(policies.anyone)
@limiter.limit(AUTH_LIMIT, methods=["POST"])
def reset_password(token: str):
    """Choose a new password with a single-use link."""
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            services.reset_password(token, form.password.data)
        except services.InvalidToken:
            return render_template("accounts/link_expired.html"), 400
        logout_user()
        flash(_("Your password is changed. Please sign in with it."), "success")
        return redirect(url_for("accounts.login"))
    if request.method == "GET" and not services.check_token(token, TokenPurpose.RESET_PASSWORD):
        return render_template("accounts/link_expired.html"), 400
    return render_template("accounts/reset.html", form=form)
