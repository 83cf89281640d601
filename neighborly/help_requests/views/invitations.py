"""Invitations: a volunteer answers "Yes, I'll do it" or "Not this time"."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from neighborly.help_requests import policies, services
from neighborly.help_requests.forms import DeclineForm
from neighborly.help_requests.views.common import bp
from neighborly.policy import policy


@bp.get("/invitations/<int:invitation_id>")
@policy(policies.invitee)
def invitation(invitation_id: int):
    """One invitation: what the neighbour needs, roughly where, and two buttons."""
    invited = services.invitation_for(invitation_id, current_user)
    return render_template(
        "help_requests/invitation.html", invitation=invited, req=invited.request, form=DeclineForm()
    )


@bp.post("/invitations/<int:invitation_id>/yes")
@policy(policies.invitee)
def invitation_yes(invitation_id: int):
    """Yes, I'll do it: the same atomic accept; a late yes hears kindly who was first."""
    try:
        outcome = services.say_yes(invitation_id, current_user)
    except services.AtCapacity:
        flash(_("You already hold as many requests as you offered. Finish one first."), "info")
        return redirect(url_for("help_requests.invitation", invitation_id=invitation_id))
    except services.NeedsVerification:
        flash(_("A coordinator needs to verify you before you can take requests."), "info")
        return redirect(url_for("help_requests.invitation", invitation_id=invitation_id))
    if outcome.won:
        flash(_("Thank you! The address is now on the request page."), "success")
        return redirect(url_for("help_requests.detail", request_id=outcome.request_id))
    flash(_("Another neighbour just took it. Thank you for saying yes!"), "info")
    if outcome.next_nearest is not None:
        flash(_("Here is the next nearest request you could help with."), "info")
        return redirect(url_for("help_requests.detail", request_id=outcome.next_nearest.request_id))
    return redirect(url_for("help_requests.volunteer_home", slug=current_user_slug(invitation_id)))


def current_user_slug(invitation_id: int) -> str:
    """The community of an invitation, for the way back."""
    return services.invitation_for(invitation_id, current_user).request.community.slug


@bp.post("/invitations/<int:invitation_id>/no")
@policy(policies.invitee)
def invitation_no(invitation_id: int):
    """Not this time, with an optional reason; this request will not be offered again."""
    form = DeclineForm()
    invited = services.invitation_for(invitation_id, current_user)
    if not form.validate_on_submit():
        return render_template(
            "help_requests/invitation.html", invitation=invited, req=invited.request, form=form
        ), 400
    try:
        services.say_no(invitation_id, current_user, form.reason.data)
    except services.NotOpen:
        flash(_("You have already answered this invitation."), "info")
    else:
        flash(_("Thanks for letting us know. We will ask someone else."), "success")
    return redirect(url_for("help_requests.volunteer_home", slug=invited.request.community.slug))
