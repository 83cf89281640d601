"""Confirm it's you before a sensitive change (email, phone, password, two-step sign-in)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import current_app, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from neighborly.accounts import policies, sessions
from neighborly.accounts.forms import ConfirmIdentityForm
from neighborly.accounts.views.common import AUTH_LIMIT, bp, safe_next
from neighborly.extensions import limiter
from neighborly.policy import policy


def recently_confirmed() -> bool:
    """Whether the signed-in person proved who they are in the last few minutes."""
    return sessions.recently_confirmed(session, current_app.config["REAUTH_MINUTES"])


def here() -> str:
    """This page's address, to come back to after confirming (a form is shown again)."""
    return request.full_path.rstrip("?") if request.method == "GET" else request.path


def requires_recent_auth(view: Callable) -> Callable:
    """A view that changes how a person signs in or is reached: confirm it's you first."""

    @wraps(view)
    def checked(*args, **kwargs):
        if not recently_confirmed():
            return redirect(url_for("accounts.reauthenticate", next=here()))
        return view(*args, **kwargs)

    return checked


@bp.route("/account/confirm-it-is-you", methods=["GET", "POST"])
@policy(policies.signed_in)
@limiter.limit(AUTH_LIMIT, methods=["POST"])
def reauthenticate():
    """Type the password (and a code, with two-step sign-in) again; it lasts a few minutes."""
    form = ConfirmIdentityForm()
    user = current_user._get_current_object()
    if not user.has_two_factor:
        del form.code
    if form.validate_on_submit():
        code = form.code.data if user.has_two_factor else None
        try:
            sessions.confirm_identity(session, user, form.password.data, code)
        except sessions.NotConfirmed:
            message = (
                _("That password or code is not right.")
                if user.has_two_factor
                else _("That is not your current password.")
            )
            form.password.errors.append(message)
        else:
            return redirect(safe_next(request.args.get("next")))
    return render_template(
        "accounts/reauthenticate.html",
        form=form,
        minutes=current_app.config["REAUTH_MINUTES"],
    )
