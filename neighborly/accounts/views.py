"""Sign-up, sign-in, passwords, profile, communities and roles."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from neighborly.accounts import policies, services
from neighborly.accounts.forms import (
    ChangePasswordForm,
    CommunityForm,
    ConfirmForm,
    CoordinatorForm,
    ForgotPasswordForm,
    JoinForm,
    LanguageForm,
    LoginForm,
    ProfileForm,
    RegisterForm,
    ResetPasswordForm,
)
from neighborly.accounts.models import Role, TokenPurpose
from neighborly.errors import Conflict, NotFound
from neighborly.extensions import limiter
from neighborly.policy import policy

bp = Blueprint("accounts", __name__)

AUTH_LIMIT = "20 per minute; 200 per hour"


def _safe_next(target: str | None) -> str:
    """Only follow a `next` that stays on this site."""
    if target and target.startswith("/") and not target.startswith("//"):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("pages.home")


@bp.route("/account/register", methods=["GET", "POST"])
@policy(policies.signed_out)
@limiter.limit(AUTH_LIMIT, methods=["POST"])
def register():
    """Open an account; the same answer whether or not the email is known."""
    form = RegisterForm()
    if form.validate_on_submit():
        services.register(
            services.Registration(
                email=form.email.data,
                password=form.password.data,
                first_name=form.first_name.data,
                last_name=form.last_name.data,
                locale=form.locale.data,
            )
        )
        return render_template("accounts/check_email.html", email_sent_for="register")
    return render_template("accounts/register.html", form=form)


@bp.route("/account/confirm/<token>", methods=["GET", "POST"])
@policy(policies.anyone)
def confirm_email(token: str):
    """Show a confirm button for an emailed link; the POST confirms."""
    form = ConfirmForm()
    if request.method == "POST" and form.validate_on_submit():
        try:
            services.confirm_email(token)
        except services.InvalidToken:
            return render_template("accounts/link_expired.html"), 400
        flash(_("Thank you! Your email is confirmed. You can sign in now."), "success")
        return redirect(url_for("accounts.login"))
    if not services.check_token(token, TokenPurpose.CONFIRM_EMAIL):
        return render_template("accounts/link_expired.html"), 400
    return render_template("accounts/confirm.html", form=form)


def _account_limit() -> str:
    """How many failed sign-ins one account allows, from whatever address they come."""
    return current_app.config["LOGIN_ACCOUNT_LIMIT"]


def _account_key() -> str:
    """The per-account rate-limit bucket: a keyed hash of the normalised email, never the email."""
    return "login-account:" + services.throttle_key(request.form.get("email", ""))


def _failed_sign_in(response) -> bool:
    """A sign-in failed when the form came back instead of a redirect."""
    return response.status_code == 200


def _start_session(user) -> None:
    """Sign a person in with a fresh CSRF secret, so a token from before sign-in is refused."""
    session.pop("csrf_token", None)
    g.pop("csrf_token", None)
    login_user(user)
    session["locale"] = user.locale


@bp.route("/account/login", methods=["GET", "POST"])
@policy(policies.signed_out)
@limiter.limit(AUTH_LIMIT, methods=["POST"])
@limiter.limit(_account_limit, key_func=_account_key, methods=["POST"], deduct_when=_failed_sign_in)
def login():
    """Sign in with email and password."""
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is None:
            form.password.errors.append(_("That email and password do not match an account."))
        elif user.email_confirmed_at is None:
            form.email.errors.append(
                _("Please confirm your email first: use the link we sent you.")
            )
        else:
            _start_session(user)
            flash(_("Welcome back, %(name)s.", name=user.first_name), "success")
            return redirect(_safe_next(request.args.get("next")))
    return render_template("accounts/login.html", form=form)


@bp.post("/account/logout")
@policy(policies.signed_in)
def logout():
    """Sign out here and on every other device: old cookies stop working."""
    services.end_sessions(current_user)
    logout_user()
    flash(_("You are signed out on this and every other device. See you soon."), "info")
    return redirect(url_for("pages.home"))


@bp.route("/account/forgot", methods=["GET", "POST"])
@policy(policies.signed_out)
@limiter.limit(AUTH_LIMIT, methods=["POST"])
def forgot_password():
    """Ask for a reset link; the same answer whether or not the email is known."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        return render_template("accounts/check_email.html", email_sent_for="reset")
    return render_template("accounts/forgot.html", form=form)


@bp.route("/account/reset/<token>", methods=["GET", "POST"])
@policy(policies.anyone)
@limiter.limit(AUTH_LIMIT, methods=["POST"])
def reset_password(token: str):
    """Choose a new password with a single-use link."""
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            services.reset_password(token, form.password.data)
        except services.InvalidToken:
            return render_template("accounts/link_expired.html"), 400
        logout_user()
        flash(_("Your password is changed. Please sign in with it."), "success")
        return redirect(url_for("accounts.login"))
    if request.method == "GET" and not services.check_token(token, TokenPurpose.RESET_PASSWORD):
        return render_template("accounts/link_expired.html"), 400
    return render_template("accounts/reset.html", form=form)


@bp.route("/account/profile", methods=["GET", "POST"])
@policy(policies.signed_in)
def profile():
    """Edit your own details."""
    form = ProfileForm(obj=current_user)
    if form.validate_on_submit():
        services.update_profile(
            current_user,
            form.first_name.data,
            form.last_name.data,
            form.phone.data,
            form.locale.data,
        )
        session["locale"] = form.locale.data
        flash(_("Your profile is saved."), "success")
        return redirect(url_for("accounts.profile"))
    communities = services.communities_for(current_user)
    return render_template("accounts/profile.html", form=form, communities=communities)


@bp.route("/account/password", methods=["GET", "POST"])
@policy(policies.signed_in)
@limiter.limit(AUTH_LIMIT, methods=["POST"])
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
            _start_session(user)
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
    return redirect(_safe_next(request.form.get("next")))


@bp.get("/communities")
@policy(policies.anyone)
def communities():
    """Every community on Neighborly."""
    return render_template("accounts/communities.html", communities=services.all_communities())


@bp.route("/c/<slug>", methods=["GET"])
@policy(policies.anyone)
def community(slug: str):
    """A community's front page."""
    community = _community_or_404(slug)
    roles = current_user.roles_in(community.id) if current_user.is_authenticated else set()
    return render_template(
        "accounts/community.html", community=community, roles=roles, form=JoinForm()
    )


@bp.post("/c/<slug>/join")
@policy(policies.signed_in)
def join(slug: str):
    """Join a community as a resident or volunteer."""
    community = _community_or_404(slug)
    form = JoinForm()
    if form.validate_on_submit():
        role = Role(form.role.data)
        services.grant_role(current_user, current_user, community, role)
        flash(_("Welcome to %(name)s!", name=community.name), "success")
    return redirect(url_for("accounts.community", slug=slug))


@bp.route("/admin/communities", methods=["GET", "POST"])
@policy(policies.site_admin)
def admin_communities():
    """Site admins list and open communities."""
    form = CommunityForm()
    if form.validate_on_submit():
        try:
            created = services.create_community(
                current_user,
                form.name.data,
                form.slug.data,
                form.timezone.data,
                (form.centre_lat.data, form.centre_lng.data),
                form.postal_codes.data or "",
            )
        except Conflict:
            form.slug.errors.append(_("Another community already uses this web name."))
        else:
            flash(_("%(name)s is open.", name=created.name), "success")
            return redirect(url_for("accounts.admin_communities"))
    return render_template(
        "accounts/admin_communities.html", form=form, communities=services.all_communities()
    )


@bp.route("/admin/communities/<slug>/coordinators", methods=["GET", "POST"])
@policy(policies.site_admin)
def admin_coordinators(slug: str):
    """Site admins name a community's coordinators."""
    community = _community_or_404(slug)
    form = CoordinatorForm()
    if form.validate_on_submit():
        try:
            user = services.name_coordinator(current_user, community, form.email.data)
        except NotFound:
            form.email.errors.append(_("No account uses this email. Ask them to register first."))
        else:
            flash(
                _(
                    "%(community)s is now coordinated by %(name)s",
                    name=user.display_name,
                    community=community.name,
                ),
                "success",
            )
            return redirect(url_for("accounts.admin_coordinators", slug=slug))
    coordinators = [
        user for user, roles in services.members_of(community) if Role.COORDINATOR in roles
    ]
    return render_template(
        "accounts/admin_coordinators.html",
        form=form,
        community=community,
        coordinators=coordinators,
    )


def _community_or_404(slug: str):
    """Load a community by slug (NotFound answers 404)."""
    return services.community_by_slug(slug)
