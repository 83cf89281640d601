"""Asking, finding, accepting, finishing and thanking."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from neighborly.accounts.services import community_by_slug
from neighborly.extensions import limiter
from neighborly.help_requests import policies, services
from neighborly.help_requests.forms import (
    CATEGORY_LABELS,
    URGENCY_LABELS,
    AssignForm,
    CompleteForm,
    ConfirmHelpForm,
    PhoneInForm,
    RequestForm,
    VolunteerProfileForm,
    WithdrawForm,
)
from neighborly.help_requests.models import Category, Urgency
from neighborly.help_requests.services.assigning import assign_candidates
from neighborly.help_requests.services.service_area import OutsideServiceArea
from neighborly.help_requests.wording import reason_text
from neighborly.limits import configured, counted_if_done, per_person
from neighborly.policy import policy
from neighborly.resources import services as resources

bp = Blueprint("help_requests", __name__)


@bp.context_processor
def _labels() -> dict:
    """Category and urgency names and reason wording for every help template."""
    return {
        "category_labels": CATEGORY_LABELS,
        "urgency_labels": URGENCY_LABELS,
        "reason_text": reason_text,
    }


def _community(slug: str):
    """The community in the URL (NotFound answers 404)."""
    return community_by_slug(slug)


def _request(request_id: int):
    """The request in the URL (NotFound answers 404)."""
    return services.get_request(request_id)


def _draft(form: RequestForm, timezone: str) -> services.RequestDraft:
    """Turn a valid request form into a draft."""
    return services.RequestDraft(
        category=Category(form.category.data),
        title=form.title.data,
        details=form.details.data or "",
        street_address=form.street_address.data,
        postal_code=form.postal_code.data,
        needed_by=form.needed_by_utc(timezone),
        estimated_minutes=form.estimated_minutes.data,
        urgency=Urgency(form.urgency.data),
        lat=form.lat.data,
        lng=form.lng.data,
    )


def outside_area_message(community, outside: OutsideServiceArea) -> str:
    """Why a ZIP code was refused, and which ones the community serves."""
    return _(
        "%(name)s helps only in these ZIP codes: %(codes)s.",
        name=community.name,
        codes=", ".join(outside.served),
    )


def assign_choices(help_request) -> list[tuple[int, str]]:
    """Volunteers with room, nearest first, each with distance, load and teen-mentor mark."""
    choices = []
    for found in assign_candidates(help_request):
        words = _(
            "%(name)s: %(km)s km, holds %(load)d of %(capacity)d",
            name=found.name,
            km=f"{found.km:.1f}",
            load=found.load,
            capacity=found.capacity,
        )
        choices.append((found.user_id, words + (_(", teen mentor") if found.teen_mentor else "")))
    return choices


@bp.route("/c/<slug>/ask", methods=["GET", "POST"])
@policy(policies.member_of_community)
@limiter.limit(configured("ASK_LIMIT_PER_PERSON"), key_func=per_person, **counted_if_done)
@limiter.limit(configured("ASK_LIMIT_PER_ADDRESS"), **counted_if_done)
def ask(slug: str):
    """A resident asks for help."""
    community = _community(slug)
    form = RequestForm()
    if form.validate_on_submit():
        try:
            created = services.post_request(
                community, current_user, _draft(form, community.timezone)
            )
        except services.LocationNotFound:
            form.postal_code.errors.append(_("We could not find this ZIP code."))
        except OutsideServiceArea as outside:
            form.postal_code.errors.append(outside_area_message(community, outside))
        else:
            flash(
                _("Your request is posted. We will let you know when a neighbour takes it."),
                "success",
            )
            return redirect(url_for("help_requests.detail", request_id=created.id))
    return render_template("help_requests/ask.html", form=form, community=community)


@bp.get("/requests/<int:request_id>")
@policy(policies.member_of_request_community)
def detail(request_id: int):
    """One request, showing only what this viewer may see."""
    help_request = _request(request_id)
    actions = services.actions_for(help_request, current_user)
    assign_form = None
    if actions.can_assign:
        assign_form = AssignForm()
        assign_form.volunteer_id.choices = assign_choices(help_request)
    related = []
    if help_request.is_finished:
        topics = resources.topics_for_help_category(help_request.category.value)
        related = resources.related_resources(topics, limit=3)
    return render_template(
        "help_requests/detail.html",
        req=help_request,
        actions=actions,
        related=related,
        complete_form=CompleteForm(),
        confirm_form=ConfirmHelpForm(),
        withdraw_form=WithdrawForm(),
        assign_form=assign_form,
    )


@bp.route("/requests/<int:request_id>/edit", methods=["GET", "POST"])
@policy(policies.member_of_request_community)
def edit(request_id: int):
    """Change an open request."""
    help_request = services.editable_request(request_id, current_user)
    form = RequestForm(obj=help_request)
    if request.method == "GET":
        form.category.data = help_request.category.value
        form.urgency.data = help_request.urgency.value
        form.lat.data = form.lng.data = None
    if form.validate_on_submit():
        try:
            services.edit_request(
                request_id, current_user, _draft(form, help_request.community.timezone)
            )
        except services.LocationNotFound:
            form.postal_code.errors.append(_("We could not find this ZIP code."))
        except services.NotOpen:
            flash(
                _("A neighbour has already taken this request, so it can no longer be changed."),
                "info",
            )
            return redirect(url_for("help_requests.detail", request_id=request_id))
        else:
            flash(_("Your changes are saved."), "success")
            return redirect(url_for("help_requests.detail", request_id=request_id))
    return render_template("help_requests/edit.html", form=form, req=help_request)


@bp.post("/requests/<int:request_id>/cancel")
@policy(policies.member_of_request_community)
def cancel(request_id: int):
    """Call a request off."""
    try:
        services.cancel_request(request_id, current_user)
    except services.NotOpen:
        flash(_("This request can no longer be cancelled."), "info")
    else:
        flash(_("The request is cancelled."), "success")
    return redirect(url_for("help_requests.detail", request_id=request_id))


@bp.post("/requests/<int:request_id>/accept")
@policy(policies.volunteer_of_request_community)
def accept(request_id: int):
    """Take a request: exactly one volunteer wins."""
    help_request = _request(request_id)
    slug = help_request.community.slug
    try:
        services.accept_request(request_id, current_user)
    except services.AlreadyTaken:
        flash(_("Another neighbour just took this one."), "info")
        return redirect(url_for("help_requests.near_me", slug=slug, taken=request_id))
    except services.NeedsVerification:
        flash(
            _(
                "A coordinator needs to verify you before you can take requests. "
                "Please make sure your volunteer profile is filled in."
            ),
            "info",
        )
        return redirect(url_for("help_requests.volunteer_profile", slug=slug))
    except services.AtCapacity:
        flash(
            _(
                "You already hold as many requests as you offered. Finish one first, or raise "
                "your number in your volunteer profile."
            ),
            "info",
        )
        return redirect(url_for("help_requests.volunteer_home", slug=slug))
    flash(_("Thank you! The address is now on the request page."), "success")
    return redirect(url_for("help_requests.detail", request_id=request_id))


@bp.post("/requests/<int:request_id>/assign")
@policy(policies.coordinator_of_request_community)
def assign(request_id: int):
    """A coordinator gives an open request to a volunteer."""
    form = AssignForm()
    form.volunteer_id.choices = assign_choices(_request(request_id))
    if not form.validate_on_submit():
        flash(_("Choose a volunteer from the list."), "error")
        return redirect(url_for("help_requests.detail", request_id=request_id))
    try:
        volunteer = services.assign_request(request_id, form.volunteer_id.data, current_user)
    except services.AlreadyTaken:
        flash(_("Another neighbour just took this one."), "info")
    except services.NeedsVerification:
        flash(_("This volunteer is not verified yet."), "error")
    except services.AtCapacity:
        flash(_("This volunteer already holds as many requests as they offered."), "error")
    else:
        flash(_("Assigned to %(name)s", name=volunteer.display_name), "success")
    return redirect(url_for("help_requests.detail", request_id=request_id))


@bp.post("/requests/<int:request_id>/withdraw")
@policy(policies.volunteer_of_request_community)
def withdraw(request_id: int):
    """The volunteer steps back."""
    form = WithdrawForm()
    if not form.validate_on_submit():
        flash(_("Please say briefly why you are stepping back."), "error")
        return redirect(url_for("help_requests.detail", request_id=request_id))
    try:
        services.withdraw_request(request_id, current_user, form.reason.data)
    except services.NotOpen:
        flash(_("This request is not yours to step back from."), "info")
    else:
        flash(
            _("Thanks for letting us know. The request is open for other neighbours again."),
            "success",
        )
    return redirect(url_for("help_requests.detail", request_id=request_id))


@bp.post("/requests/<int:request_id>/complete")
@policy(policies.volunteer_of_request_community)
def complete(request_id: int):
    """The volunteer marks the help done."""
    form = CompleteForm()
    if not form.validate_on_submit():
        help_request = _request(request_id)
        return render_template(
            "help_requests/detail.html",
            req=help_request,
            actions=services.actions_for(help_request, current_user),
            complete_form=form,
            confirm_form=ConfirmHelpForm(),
            withdraw_form=WithdrawForm(),
            assign_form=None,
        ), 400
    try:
        services.complete_request(request_id, current_user, form.minutes.data)
    except services.NotOpen:
        flash(_("This request is not yours to complete."), "info")
    else:
        flash(_("Thank you for helping! We have asked your neighbour to confirm."), "success")
    return redirect(url_for("help_requests.detail", request_id=request_id))


@bp.post("/requests/<int:request_id>/confirm")
@policy(policies.member_of_request_community)
def confirm(request_id: int):
    """The resident confirms the help and may say thanks."""
    form = ConfirmHelpForm()
    if not form.validate_on_submit():
        flash(_("Please keep the note under 1000 characters."), "error")
        return redirect(url_for("help_requests.detail", request_id=request_id))
    try:
        services.confirm_request(request_id, current_user, form.thank_you.data)
    except services.NotOpen:
        flash(_("This request cannot be confirmed now."), "info")
    else:
        flash(_("Thank you! Your helper will see your note."), "success")
    return redirect(url_for("help_requests.detail", request_id=request_id))


@bp.get("/c/<slug>/near-me")
@policy(policies.volunteer_of_community)
def near_me(slug: str):
    """Open requests near this volunteer, best first, with reasons."""
    community = _community(slug)
    profile = services.volunteer_profile(current_user, community.id)
    rows = services.near_me(current_user, community)
    taken = request.args.get("taken", type=int)
    nearest = min(rows, key=lambda r: (r.distance_km, r.request_id)) if taken and rows else None
    return render_template(
        "help_requests/near_me.html",
        community=community,
        profile=profile,
        rows=rows,
        nearest=nearest,
    )


@bp.route("/c/<slug>/volunteer/profile", methods=["GET", "POST"])
@policy(policies.member_of_community)
def volunteer_profile(slug: str):
    """Say where, what and when you help."""
    community = _community(slug)
    profile = services.volunteer_profile(current_user, community.id)
    form = VolunteerProfileForm()
    if request.method == "GET" and profile is not None:
        form.postal_code.data = profile.home_postal_code
        form.radius_km.data = profile.radius_km
        form.categories.data = sorted(profile.category_set)
        form.availability.data = form.availability_codes(profile.slot_set)
        form.capacity.data = profile.capacity
    if form.validate_on_submit():
        draft = services.ProfileDraft(
            postal_code=form.postal_code.data,
            radius_km=form.radius_km.data,
            categories=frozenset(form.categories.data),
            slots=form.slots(),
            capacity=form.capacity.data,
            lat=form.lat.data,
            lng=form.lng.data,
        )
        try:
            services.save_volunteer_profile(current_user, community, draft)
        except services.LocationNotFound:
            form.postal_code.errors.append(_("We could not find this ZIP code."))
        except services.TooManyAreaChanges as refused:
            field = form.radius_km if refused.field == "radius" else form.postal_code
            field.errors.append(_area_limit_message())
        else:
            flash(_("Your volunteer profile is saved."), "success")
            return redirect(url_for("help_requests.near_me", slug=slug))
    return render_template(
        "help_requests/volunteer_profile.html",
        form=form,
        community=community,
        profile=profile,
    )


def _area_limit_message() -> str:
    """Why a change of where one helps was refused, and what to do."""
    return ngettext(
        "You can change where you help (your ZIP code, home point or distance) %(num)d time "
        "a day. Nothing was changed; please try again tomorrow.",
        "You can change where you help (your ZIP code, home point or distance) %(num)d times "
        "a day. Nothing was changed; please try again tomorrow.",
        services.AREA_CHANGES_PER_DAY,
    )


@bp.get("/c/<slug>/volunteer")
@policy(policies.volunteer_of_community)
def volunteer_home(slug: str):
    """A volunteer's page: what they hold now, hours given, neighbours helped."""
    community = _community(slug)
    profile = services.volunteer_profile(current_user, community.id)
    categories = sorted(profile.category_set) if profile else []
    return render_template(
        "help_requests/volunteer_home.html",
        community=community,
        related=resources.related_resources(
            resources.topics_for_help_categories(categories), limit=3
        ),
        holding=services.assigned_to(current_user, community.id),
        summary=services.volunteer_summary(current_user, community.id),
    )


@bp.get("/c/<slug>/my-requests")
@policy(policies.member_of_community)
def my_requests(slug: str):
    """A resident's requests and who helped."""
    community = _community(slug)
    return render_template(
        "help_requests/my_requests.html",
        community=community,
        requests=services.requests_of(current_user, community.id),
    )


@bp.route("/c/<slug>/coordinate/phone-in", methods=["GET", "POST"])
@policy(policies.coordinator_of_community)
def phone_in(slug: str):
    """A coordinator posts a request for a resident who called."""
    community = _community(slug)
    form = PhoneInForm()
    if form.validate_on_submit():
        resident = services.PhoneInResident(
            first_name=form.resident_first_name.data,
            last_name=form.resident_last_name.data,
            phone=form.resident_phone.data,
            notes=form.intake_notes.data or "",
        )
        try:
            created = services.post_for_phone_in_resident(
                community, current_user, resident, _draft(form, community.timezone)
            )
        except services.LocationNotFound:
            form.postal_code.errors.append(_("We could not find this ZIP code."))
        except OutsideServiceArea as outside:
            form.postal_code.errors.append(outside_area_message(community, outside))
        else:
            flash(
                _("The request for %(name)s is posted.", name=created.requester.display_name),
                "success",
            )
            return redirect(url_for("help_requests.detail", request_id=created.id))
    return render_template("help_requests/phone_in.html", form=form, community=community)


@bp.get("/c/<slug>/coordinate/requests")
@policy(policies.coordinator_of_community)
def unclaimed(slug: str):
    """Open requests, oldest first, with the ageing ones flagged."""
    community = _community(slug)
    open_requests = services.unclaimed(community.id)
    return render_template(
        "help_requests/unclaimed.html",
        community=community,
        rows=[(r, services.is_ageing(r)) for r in open_requests],
        awaiting=services.volunteers_awaiting_verification(community.id),
    )


@bp.post("/c/<slug>/coordinate/volunteers/<int:profile_id>/verify")
@policy(policies.coordinator_of_community)
def verify(slug: str, profile_id: int):
    """A coordinator verifies a volunteer of their own community."""
    services.verify_volunteer(profile_id, current_user)
    flash(_("The volunteer is verified."), "success")
    return redirect(url_for("help_requests.unclaimed", slug=slug))
