"""Asking, finding, accepting, finishing and thanking (the blueprint is in common.py)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from neighborly.extensions import limiter
from neighborly.geo.units import shown_radius, typed_radius_km
from neighborly.help_requests import policies, services
from neighborly.help_requests.forms import (
    AssignForm,
    CompleteForm,
    ConfirmHelpForm,
    PhoneInForm,
    RequestForm,
    VolunteerProfileForm,
    WithdrawForm,
)
from neighborly.help_requests.models import Status
from neighborly.help_requests.services.assigning import assign_candidates
from neighborly.help_requests.services.service_area import OutsideServiceArea
from neighborly.help_requests.views.common import (
    bp,
    category_names,
    draft_from,
    load_community,
    load_request,
)
from neighborly.help_requests.views.near_me_words import near_me_cards
from neighborly.help_requests.wording import distance_text
from neighborly.limits import configured, counted_if_done, per_person
from neighborly.paging import cursor_arg
from neighborly.policy import policy
from neighborly.resources import services as resources
from neighborly.timeutil import utcnow


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
    unit = help_request.community.distance_unit
    for found in assign_candidates(help_request):
        words = _(
            "%(name)s: %(distance)s, holds %(load)d of %(capacity)d",
            name=found.name,
            distance=distance_text(found.km, unit),
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
    community = load_community(slug)
    form = RequestForm()
    if form.validate_on_submit() and form.fits(
        community.postal_code_list, community.timezone, utcnow()
    ):
        try:
            created = services.post_request(
                community, current_user, draft_from(form, community.timezone)
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
    help_request = policies.request_in_url(request_id)
    actions = services.actions_for(help_request, current_user)
    assign_form = None
    if actions.can_assign:
        assign_form = AssignForm()
        assign_form.volunteer_id.choices = assign_choices(help_request)
    related = []
    if help_request.is_finished:
        topics = resources.topics_for_help_category(help_request.category.value)
        related = resources.related_resources(topics, limit=3)
    owner = current_user.id == help_request.requester_id
    open_now = help_request.status == Status.OPEN
    return render_template(
        "help_requests/detail.html",
        req=help_request,
        actions=actions,
        related=related,
        preview=services.neighbour_view(help_request) if owner and open_now else None,
        suits=services.why_it_suits(help_request, current_user) if actions.can_accept else None,
        complete_form=CompleteForm() if actions.can_complete else None,
        confirm_form=ConfirmHelpForm() if actions.can_confirm else None,
        withdraw_form=WithdrawForm() if actions.can_withdraw else None,
        assign_form=assign_form,
        step_back=services.last_step_back(help_request, current_user),
        standing=services.standing_for(help_request, current_user),
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
    community = help_request.community
    if form.validate_on_submit() and form.fits(
        community.postal_code_list, community.timezone, utcnow()
    ):
        try:
            edited = services.edit_request(
                request_id, current_user, draft_from(form, help_request.community.timezone)
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
            saved = _("Your changes are saved.")
            if edited.asks_again:
                saved += " " + _("We are asking nearby volunteers again with the new details.")
            flash(saved, "success")
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
    try:
        services.accept_request(request_id, current_user)
    except (
        services.NotAvailable,
        services.AlreadyTaken,
        services.NeedsVerification,
        services.AtCapacity,
    ) as error:
        return _not_accepted(request_id, error)
    flash(_("Thank you! The address is now on the request page."), "success")
    return redirect(url_for("help_requests.detail", request_id=request_id))


def _not_accepted(request_id: int, error: Exception):
    """Say why the request was not taken, and go where the volunteer can act on it."""
    slug = load_request(request_id).community.slug
    if isinstance(error, services.NotAvailable):
        flash(_("This request is no longer available."), "info")
        return redirect(url_for("help_requests.near_me", slug=slug))
    if isinstance(error, services.AlreadyTaken):
        flash(_("Another neighbour just took this one."), "info")
        return redirect(url_for("help_requests.near_me", slug=slug, taken=request_id))
    if isinstance(error, services.NeedsVerification):
        flash(
            _(
                "A coordinator needs to verify you before you can take requests. "
                "Please make sure your volunteer profile is filled in."
            ),
            "info",
        )
        return redirect(url_for("help_requests.volunteer_profile", slug=slug))
    flash(
        _(
            "You already hold as many requests as you offered. Finish one first, or raise "
            "your number in your volunteer profile."
        ),
        "info",
    )
    return redirect(url_for("help_requests.volunteer_home", slug=slug))


@bp.post("/requests/<int:request_id>/assign")
@policy(policies.coordinator_of_request_community)
def assign(request_id: int):
    """A coordinator gives an open request to a volunteer."""
    form = AssignForm()
    form.volunteer_id.choices = assign_choices(load_request(request_id))
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
        help_request = load_request(request_id)
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
    community = load_community(slug)
    profile = services.volunteer_profile(current_user, community.id)
    page = services.near_me_page(
        current_user, community, after=cursor_arg("after"), profile=profile
    )
    taken = request.args.get("taken", type=int)
    nearest = page.items[0] if taken and page.first and page.items else None
    return render_template(
        "help_requests/near_me.html",
        community=community,
        profile=profile,
        rows=page,
        cards=near_me_cards(page.items, community.distance_unit),
        nearest=nearest,
        category_names=category_names(),
    )


@bp.route("/c/<slug>/volunteer/profile", methods=["GET", "POST"])
@policy(policies.member_of_community)
def volunteer_profile(slug: str):
    """Say where, what and when you help."""
    community = load_community(slug)
    profile = services.volunteer_profile(current_user, community.id)
    unit = community.distance_unit
    form = VolunteerProfileForm()
    form.use_unit(unit)
    if request.method == "GET" and profile is not None:
        form.postal_code.data = profile.home_postal_code
        form.radius_km.data = shown_radius(profile.radius_km, unit)
        form.categories.data = sorted(profile.category_set)
        form.availability.data = form.availability_codes(profile.slot_set)
        form.capacity.data = profile.capacity
        form.snow_capacity.data = profile.snow_capacity
        form.walking_km.data = profile.walking_km
        form.daily_invitations.data = profile.daily_invitations
        form.paused.data = not profile.accepting
    if form.validate_on_submit():
        draft = services.ProfileDraft(
            postal_code=form.postal_code.data,
            radius_km=typed_radius_km(
                form.radius_km.data, unit, profile.radius_km if profile else None
            ),
            categories=frozenset(form.categories.data),
            slots=form.slots(),
            capacity=form.capacity.data,
            snow_capacity=_or(form.snow_capacity.data, profile, "snow_capacity", 3),
            walking_km=_or(form.walking_km.data, profile, "walking_km", 1.0),
            daily_invitations=_or(form.daily_invitations.data, profile, "daily_invitations", 3),
            paused=form.paused.data,
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
            if profile is None and community.require_verified_volunteers:
                flash(
                    _(
                        "Your volunteer profile is saved. A coordinator will verify you soon; "
                        "we will email you when they do."
                    ),
                    "success",
                )
            else:
                flash(_("Your volunteer profile is saved."), "success")
            return redirect(url_for("help_requests.near_me", slug=slug))
    return render_template(
        "help_requests/volunteer_profile.html",
        form=form,
        community=community,
        profile=profile,
    )


def _or(typed, profile, name: str, default):
    """A typed value, else what the profile holds, else the default."""
    if typed is not None:
        return typed
    return getattr(profile, name) if profile is not None else default


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
    community = load_community(slug)
    profile = services.volunteer_profile(current_user, community.id)
    categories = sorted(profile.category_set) if profile else []
    return render_template(
        "help_requests/volunteer_home.html",
        community=community,
        related=resources.related_resources(
            resources.topics_for_help_categories(categories), limit=3
        ),
        holding=services.assigned_to(current_user, community.id),
        invitations=services.waiting_invitations(current_user, community.id),
        summary=services.volunteer_summary(current_user, community.id),
    )


@bp.get("/c/<slug>/my-requests")
@policy(policies.member_of_community)
def my_requests(slug: str):
    """A resident's requests and who helped."""
    community = load_community(slug)
    return render_template(
        "help_requests/my_requests.html",
        community=community,
        requests=services.requests_of(
            current_user, community.id, after=cursor_arg("after"), before=cursor_arg("before")
        ),
        standing=[
            (series, services.upcoming(series)[:3])
            for series in services.series_of(current_user, community.id)
        ],
    )


@bp.route("/c/<slug>/coordinate/phone-in", methods=["GET", "POST"])
@policy(policies.coordinator_of_community)
def phone_in(slug: str):
    """A coordinator posts a request for a resident who called."""
    community = load_community(slug)
    form = PhoneInForm()
    if form.validate_on_submit() and form.fits(
        community.postal_code_list, community.timezone, utcnow()
    ):
        resident = services.PhoneInResident(
            first_name=form.resident_first_name.data,
            last_name=form.resident_last_name.data,
            phone=form.resident_phone.data,
            notes=form.intake_notes.data or "",
            sms_consent=form.resident_sms_consent.data,
            locale=form.resident_language.data or None,
        )
        try:
            created = services.post_for_phone_in_resident(
                community, current_user, resident, draft_from(form, community.timezone)
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
    community = load_community(slug)
    page = services.unclaimed(community.id, after=cursor_arg("after"), before=cursor_arg("before"))
    return render_template(
        "help_requests/unclaimed.html",
        community=community,
        page=page,
        rows=[(r, services.is_ageing(r)) for r in page],
        awaiting=services.volunteers_awaiting_verification(community.id),
    )


@bp.post("/c/<slug>/coordinate/volunteers/<int:profile_id>/verify")
@policy(policies.coordinator_of_community)
def verify(slug: str, profile_id: int):
    """A coordinator verifies a volunteer of their own community."""
    services.verify_volunteer(profile_id, current_user)
    flash(_("The volunteer is verified."), "success")
    return redirect(url_for("help_requests.unclaimed", slug=slug))


@bp.post("/requests/<int:request_id>/on-my-way")
@policy(policies.accepted_volunteer_of_request)
def on_my_way(request_id: int):
    """The accepted volunteer tells the resident they are coming."""
    from neighborly.help_requests.services.on_the_way import say_on_the_way

    try:
        told = say_on_the_way(request_id, current_user)
    except services.NotOpen:
        flash(_("This request is not yours any more."), "info")
    else:
        if told:
            flash(_("We told your neighbour you are on your way."), "success")
        else:
            flash(_("Your neighbour already knows you are on your way today."), "info")
    return redirect(url_for("help_requests.detail", request_id=request_id))
