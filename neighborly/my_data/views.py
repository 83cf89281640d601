"""Your data: download it as a file, or delete your account."""

from __future__ import annotations

import json

from flask import Blueprint, Response, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from neighborly.accounts import policies
from neighborly.my_data import services
from neighborly.my_data.forms import DeleteAccountForm, DownloadForm
from neighborly.policy import policy

bp = Blueprint("my_data", __name__)


@bp.get("/account/my-data")
@policy(policies.signed_in)
def overview():
    """What Neighborly keeps about you, a button to download it and the way to delete it."""
    return render_template("my_data/overview.html", form=DownloadForm())


@bp.post("/account/my-data/download")
@policy(policies.signed_in)
def download():
    """Answer with a JSON file of everything Neighborly holds about you."""
    form = DownloadForm()
    if not form.validate_on_submit():
        return redirect(url_for("my_data.overview"))
    data = services.export_my_data(current_user._get_current_object())
    return Response(
        json.dumps(data, ensure_ascii=False, indent=2),
        mimetype="application/json",
        headers={"Content-Disposition": 'attachment; filename="neighborly-my-data.json"'},
    )


@bp.route("/account/delete", methods=["GET", "POST"])
@policy(policies.signed_in)
def delete_account():
    """Explain what deleting does; the POST, with the password, deletes."""
    form = DeleteAccountForm()
    refusal = None
    if form.validate_on_submit():
        try:
            services.delete_my_account(current_user._get_current_object(), form.password.data)
        except services.WrongPassword:
            form.password.errors.append(_("That is not your password."))
        except services.LastCoordinator as error:
            refusal = _(
                "You are the only coordinator of %(communities)s. Please name another "
                "coordinator first, so the neighbours there are not left without one.",
                communities=", ".join(error.communities),
            )
        except services.MentorWithActivePairs:
            refusal = _(
                "You are mentoring a child right now. Please talk to your program coordinator "
                "first: they close the pair with the family, then you can delete your account."
            )
        else:
            logout_user()
            session.clear()
            flash(_("Your account is deleted. Thank you for being a neighbour."), "info")
            return redirect(url_for("pages.home"))
    return render_template("my_data/delete.html", form=form, refusal=refusal)
