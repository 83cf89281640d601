"""Changing one's email: confirm it's you, then confirm the new address by its link."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from neighborly.accounts import email_change, policies
from neighborly.accounts.forms import ChangeEmailForm, ConfirmForm
from neighborly.accounts.views.common import AUTH_LIMIT, bp
from neighborly.accounts.views.reauth import requires_recent_auth
from neighborly.errors import Conflict
from neighborly.extensions import limiter
from neighborly.policy import policy


@bp.route("/account/email", methods=["GET", "POST"])
@policy(policies.signed_in)
@limiter.limit(AUTH_LIMIT, methods=["POST"])
@requires_recent_auth
def change_email():
    """Ask for a new email address; it takes effect once its link is opened."""
    form = ChangeEmailForm()
    if form.validate_on_submit():
        email_change.request_email_change(current_user._get_current_object(), form.email.data)
        return render_template("accounts/check_email.html", email_sent_for="change_email")
    return render_template("accounts/change_email.html", form=form)


@bp.route("/account/email/confirm/<token>", methods=["GET", "POST"])
@policy(policies.anyone)
def confirm_email_change(token: str):
    """Show the new address and a button; the POST moves the account to it."""
    form = ConfirmForm()
    new_email = email_change.pending_email_change(token)
    if new_email is None:
        return render_template("accounts/link_expired.html"), 400
    if request.method == "POST" and form.validate_on_submit():
        try:
            email_change.confirm_email_change(token)
        except email_change.InvalidToken:
            return render_template("accounts/link_expired.html"), 400
        except Conflict:
            flash(_("Another account already uses this email, so yours stays the same."), "error")
            return redirect(url_for("pages.home"))
        flash(_("Your email is changed. Use the new one to sign in."), "success")
        target = "accounts.profile" if current_user.is_authenticated else "accounts.login"
        return redirect(url_for(target))
    return render_template("accounts/confirm_email_change.html", form=form, new_email=new_email)
