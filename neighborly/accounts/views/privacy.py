"""Accepting the terms again when their version changes (a page before anything else)."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from neighborly.accounts import policies, privacy
from neighborly.accounts.forms import AcceptTermsForm
from neighborly.accounts.views.common import bp, safe_next
from neighborly.policy import policy

# Pages a person may still open before accepting: reading the texts, signing out, language,
# taking their data or deleting the account (refusing the terms must stay possible).
OPEN_BEFORE_ACCEPTING = frozenset(
    {
        "static",
        "accounts.accept_terms",
        "accounts.logout",
        "accounts.choose_language",
        "pages.terms",
        "pages.privacy",
        "pages.health",
        "my_data.overview",
        "my_data.download",
        "my_data.delete_account",
    }
)


@bp.before_app_request
def _ask_to_accept_new_terms():
    """A signed-in person who has not accepted the current terms sees the accept page first."""
    if not current_user or not current_user.is_authenticated:
        return None
    if request.endpoint in OPEN_BEFORE_ACCEPTING or request.endpoint is None:
        return None
    if not privacy.needs_terms(current_user, current_app.config["TERMS_VERSION"]):
        return None
    target = request.full_path if request.method == "GET" else None
    return redirect(url_for("accounts.accept_terms", next=target))


@bp.route("/account/terms", methods=["GET", "POST"])
@policy(policies.signed_in)
def accept_terms():
    """Read what changed and accept the current terms and privacy notice."""
    form = AcceptTermsForm()
    version = current_app.config["TERMS_VERSION"]
    if form.validate_on_submit():
        privacy.accept_terms(current_user._get_current_object(), version)
        flash(_("Thank you. You can carry on."), "success")
        return redirect(safe_next(request.args.get("next")))
    return render_template("accounts/accept_terms.html", form=form, version=version)
