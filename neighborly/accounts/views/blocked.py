"""The people a person has blocked, each with an Unblock button."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from neighborly.accounts import blocking, policies
from neighborly.accounts.forms import ConfirmForm
from neighborly.accounts.views.common import bp
from neighborly.policy import policy


@bp.get("/account/blocked")
@policy(policies.signed_in)
def blocked():
    """Names of the people you blocked; no more than that."""
    people = blocking.blocked_by(current_user._get_current_object())
    return render_template("accounts/blocked.html", people=people)


@bp.post("/account/blocked/<int:user_id>/unblock")
@policy(policies.signed_in)
def unblock(user_id: int):
    """Take a block back (only your own)."""
    if ConfirmForm().validate_on_submit():
        blocking.unblock_person(current_user._get_current_object(), user_id)
        flash(_("Unblocked. You may be matched with this person again."), "success")
    return redirect(url_for("accounts.blocked"))
