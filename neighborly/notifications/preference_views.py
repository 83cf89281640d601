"""A person's notification preferences, and the one-click unsubscribe page (no sign-in)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from flask_login import current_user

from neighborly.notifications import policies, preferences
from neighborly.notifications.preference_forms import PreferencesForm, UnsubscribeForm
from neighborly.policy import policy

bp = Blueprint("notification_settings", __name__)


@bp.route("/account/notifications", methods=["GET", "POST"], endpoint="preferences")
@policy(policies.signed_in)
def preferences_page():
    """Choose, kind by kind, email and texts; stop all email; quiet hours."""
    can_text = preferences.can_text(current_user)
    form = PreferencesForm()
    if form.validate_on_submit():
        choices = preferences.Choices(
            email_kinds=frozenset(form.email_kinds.data or ()),
            sms_kinds=frozenset(form.sms_kinds.data or ()) if can_text else frozenset(),
            no_email=form.no_email.data,
            quiet_start=int(form.quiet_start.data),
            quiet_end=int(form.quiet_end.data),
        )
        preferences.save_choices(current_user.id, choices)
        flash(_("Your choices are saved."), "success")
        return redirect(url_for("notification_settings.preferences"))
    if not form.is_submitted():
        now = preferences.current_choices(current_user)
        form.email_kinds.data = sorted(now.email_kinds)
        form.sms_kinds.data = sorted(now.sms_kinds)
        form.no_email.data = now.no_email
        form.quiet_start.data, form.quiet_end.data = str(now.quiet_start), str(now.quiet_end)
    return render_template(
        "notifications/preferences.html",
        form=form,
        can_text=can_text,
        has_phone=bool(current_user.phone),
    )


@bp.route("/notifications/unsubscribe/<token>", methods=["GET", "POST"])
@policy(policies.holder_of_link)
def unsubscribe(token: str):
    """Confirm, then stop the email a signed link names; works without signing in."""
    named = preferences.read_unsubscribe_token(token)
    if named is None:
        abort(404)
    form = UnsubscribeForm()
    with force_locale(named.locale or str(get_locale() or "en")):
        if form.validate_on_submit():
            if not preferences.unsubscribe(named.user_id, named.kind):
                abort(404)
            template = "notifications/unsubscribed.html"
        else:
            template = "notifications/unsubscribe.html"
        return render_template(
            template, form=form, kind=named.kind, labels=preferences.CHOOSABLE_KINDS
        )
