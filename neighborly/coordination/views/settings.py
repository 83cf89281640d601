"""The community's settings, changed by its coordinators."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from neighborly.accounts import policies
from neighborly.accounts.community_settings import (
    CommunitySettings,
    settings_of,
    update_settings,
)
from neighborly.accounts.services import community_by_slug
from neighborly.coordination.forms import SettingsForm
from neighborly.coordination.views.common import bp
from neighborly.policy import policy


@bp.route("/c/<slug>/coordinate/settings", methods=["GET", "POST"])
@policy(policies.coordinator_of_community)
def settings(slug: str):
    """What newcomers read, where the community serves, and how invitations go out."""
    community = community_by_slug(slug)
    form = SettingsForm(obj=settings_of(community))
    if form.validate_on_submit():
        fields = CommunitySettings.__dataclass_fields__
        update_settings(
            community,
            current_user,
            CommunitySettings(**{name: getattr(form, name).data for name in fields}),
        )
        flash(_("The community's settings are saved."), "success")
        return redirect(url_for("coordination.settings", slug=slug))
    return render_template("coordination/settings.html", community=community, form=form)
