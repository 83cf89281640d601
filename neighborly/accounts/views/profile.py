"""A person's own account: profile, password and language."""

from __future__ import annotations

from flask import (
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from neighborly.accounts import policies, services
from neighborly.accounts.forms import (
    ChangePasswordForm,
    LanguageForm,
    ProfileForm,
)
from neighborly.accounts.views.common import AUTH_LIMIT, bp, safe_next, start_session
from neighborly.accounts.views.reauth import recently_confirmed, requires_recent_auth
from neighborly.extensions import limiter
from neighborly.policy import policy


@bp.route("/account/profile", methods=["GET", "POST"])
@policy(policies.signed_in)
def profile():
    """Edit your own details."""
    form = ProfileForm(obj=current_user)
    needs_confirming = False
    if form.validate_on_submit():
        if _phone_changes(form.phone.data) and not recently_confirmed():
            needs_confirming = True  # nothing is saved until the person confirms it's them
            form.phone.errors.append(_("To change your phone number, first confirm it's you."))
        else:
            services.update_profile(
                current_user,
                form.first_name.data,
                form.last_name.data,
                form.phone.data,
                form.locale.data,
                sms_consent=form.sms_consent.data,
            )
            session["locale"] = form.locale.data
            flash(_("Your profile is saved."), "success")
            return redirect(url_for("accounts.profile"))
    communities = services.communities_for(current_user)
    return render_template(
        "accounts/profile.html",
        form=form,
        communities=communities,
        needs_confirming=needs_confirming,
    )


def _phone_changes(phone: str | None) -> bool:
    """Whether the phone typed differs from the one on the account."""
    return ((phone or "").strip() or None) != current_user.phone


@bp.route("/account/password", methods=["GET", "POST"])
@policy(policies.signed_in)
@limiter.limit(AUTH_LIMIT, methods=["POST"])
@requires_recent_auth
def change_password():
    """Change your password; other devices are signed out, this one stays signed in."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            user = services.change_password(
                current_user._get_current_object(), form.current.data, form.password.data
            )
        except services.WrongPassword:
            form.current.errors.append(_("That is not your current password."))
        else:
            start_session(user)
            flash(_("Your password is changed. Your other devices are signed out."), "success")
            return redirect(url_for("accounts.profile"))
    return render_template("accounts/password.html", form=form)


@bp.post("/language")
@policy(policies.anyone)
def choose_language():
    """Switch language and remember it (on the account when signed in)."""
    form = LanguageForm()
    if form.validate_on_submit():
        session["locale"] = form.locale.data
        if current_user.is_authenticated:
            services.set_locale(current_user, form.locale.data)
    return redirect(safe_next(request.form.get("next")))
