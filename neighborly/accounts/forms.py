"""Account, profile and community forms."""

from __future__ import annotations

from zoneinfo import available_timezones

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    EmailField,
    FloatField,
    PasswordField,
    SelectField,
    StringField,
    TelField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    Email,
    EqualTo,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from neighborly.accounts.passwords import is_common_password
from neighborly.forms import BaseForm

LANGUAGE_CHOICES = [SelectChoice("en", "English"), SelectChoice("es", "Español")]
PASSWORD_HINT = _l("At least 10 characters. A short sentence is easy to remember.")


def _not_common(form, field) -> None:
    """Refuse passwords from the shipped list of the most common ones."""
    if field.data and is_common_password(field.data):
        raise ValidationError(
            _l("Many people use this password, so it is easy to guess. Please choose another.")
        )


def _new_password_field(label):
    """A new-password field with the shared rules: 10 to 200 characters, not a common one."""
    return PasswordField(
        label,
        validators=[
            InputRequired(_l("Choose a password.")),
            Length(min=10, max=200, message=_l("Use at least 10 characters.")),
            _not_common,
        ],
        description=PASSWORD_HINT,
        render_kw={"autocomplete": "new-password"},
    )


def _strip(value: str | None) -> str | None:
    """Drop spaces people type by accident around a value."""
    return value.strip() if isinstance(value, str) else value


def _email_field():
    """An email field with a friendly message."""
    return EmailField(
        _l("Email address"),
        validators=[
            InputRequired(_l("Enter your email address.")),
            Email(_l("Enter an email address like name@example.com."), check_deliverability=False),
            Length(max=254),
        ],
        filters=[_strip],
        render_kw={"autocomplete": "email"},
    )


class RegisterForm(BaseForm):
    """Open an account."""

    first_name = StringField(
        _l("First name"),
        validators=[InputRequired(_l("Enter your first name.")), Length(max=80)],
        render_kw={"autocomplete": "given-name"},
    )
    last_name = StringField(
        _l("Last name"),
        validators=[InputRequired(_l("Enter your last name.")), Length(max=80)],
        description=_l("Neighbours only see its first letter."),
        render_kw={"autocomplete": "family-name"},
    )
    email = _email_field()
    password = _new_password_field(_l("Password"))
    locale = SelectField(_l("Language"), choices=LANGUAGE_CHOICES, default="en")
    agree = BooleanField(
        _l("I agree to the terms and the privacy notice"),
        validators=[
            DataRequired(_l("Please read the terms and the privacy notice, and tick the box."))
        ],
    )


class AcceptTermsForm(BaseForm):
    """Accept a new version of the terms and privacy notice."""

    agree = BooleanField(
        _l("I agree to the terms and the privacy notice"),
        validators=[
            DataRequired(_l("Please read the terms and the privacy notice, and tick the box."))
        ],
    )


class LoginForm(BaseForm):
    """Sign in."""

    email = _email_field()
    password = PasswordField(
        _l("Password"),
        validators=[InputRequired(_l("Enter your password."))],
        render_kw={"autocomplete": "current-password"},
    )


class ForgotPasswordForm(BaseForm):
    """Ask for a reset link."""

    email = _email_field()


class ResetPasswordForm(BaseForm):
    """Choose a new password."""

    password = _new_password_field(_l("New password"))
    confirm = PasswordField(
        _l("Type the new password again"),
        validators=[
            InputRequired(_l("Type the new password again.")),
            EqualTo("password", _l("The two passwords are not the same.")),
        ],
        render_kw={"autocomplete": "new-password"},
    )


class ChangePasswordForm(ResetPasswordForm):
    """Change the password while signed in: the current one first."""

    current = PasswordField(
        _l("Current password"),
        validators=[InputRequired(_l("Enter your current password."))],
        render_kw={"autocomplete": "current-password"},
    )


class ProfileForm(BaseForm):
    """Edit your own name, phone and language."""

    first_name = StringField(
        _l("First name"), validators=[InputRequired(_l("Enter your first name.")), Length(max=80)]
    )
    last_name = StringField(
        _l("Last name"), validators=[InputRequired(_l("Enter your last name.")), Length(max=80)]
    )
    phone = TelField(
        _l("Phone (optional)"),
        validators=[
            Optional(),
            Length(max=40),
            Regexp(r"^[0-9 +().-]{7,40}$", message=_l("Enter a phone number like 708-555-0100.")),
        ],
        description=_l("Only a volunteer who accepts your request and coordinators see it."),
        render_kw={"autocomplete": "tel"},
    )
    sms_consent = BooleanField(
        _l("Send me short texts about my requests at this number"),
        description=_l("Only if it is a mobile phone. Never your address."),
    )
    locale = SelectField(_l("Language"), choices=LANGUAGE_CHOICES)


class LanguageForm(BaseForm):
    """Switch the site's language."""

    locale = SelectField(_l("Language"), choices=LANGUAGE_CHOICES)


class ConfirmForm(BaseForm):
    """A single button that confirms an action (CSRF only)."""


def _known_timezone(form, field) -> None:
    """Accept only real IANA time zone names."""
    if field.data not in available_timezones():
        raise ValidationError(_l("Enter a time zone like America/Chicago."))


class CommunityForm(BaseForm):
    """A site admin opens a community."""

    name = StringField(
        _l("Community name"), validators=[InputRequired(_l("Enter a name.")), Length(max=120)]
    )
    slug = StringField(
        _l("Short web name"),
        validators=[
            InputRequired(_l("Enter a short web name.")),
            Length(min=2, max=60),
            Regexp(r"^[a-z0-9-]+$", message=_l("Use lowercase letters, digits and dashes.")),
        ],
        description=_l("Used in web addresses, for example proviso."),
    )
    timezone = StringField(
        _l("Time zone"),
        default="America/Chicago",
        validators=[InputRequired(_l("Enter a time zone.")), _known_timezone],
    )
    centre_lat = FloatField(
        _l("Centre latitude"),
        validators=[
            InputRequired(_l("Enter a latitude.")),
            NumberRange(-90, 90, _l("Latitude is between -90 and 90.")),
        ],
    )
    centre_lng = FloatField(
        _l("Centre longitude"),
        validators=[
            InputRequired(_l("Enter a longitude.")),
            NumberRange(-180, 180, _l("Longitude is between -180 and 180.")),
        ],
    )
    postal_codes = StringField(
        _l("Postal codes (optional)"),
        validators=[Optional(), Length(max=400)],
        description=_l("Separate them with commas."),
    )


class CoordinatorForm(BaseForm):
    """Name an existing account as a coordinator."""

    email = _email_field()


class JoinForm(BaseForm):
    """Join a community as a resident (the page's button) or a volunteer."""

    role = SelectField(
        _l("I would like to"),
        default="resident",
        choices=[
            SelectChoice("resident", _l("Ask for help")),
            SelectChoice("volunteer", _l("Help neighbours")),
        ],
    )


def _code_field(label, description):
    """A one-time code: six digits from an app, or a recovery code."""
    return StringField(
        label,
        validators=[InputRequired(_l("Enter the code.")), Length(max=40)],
        filters=[_strip],
        description=description,
        render_kw={"autocomplete": "one-time-code", "inputmode": "text", "spellcheck": "false"},
    )


class TwoFactorSetupForm(BaseForm):
    """Confirm the app is set up by typing the code it shows now."""

    code = StringField(
        _l("The 6-digit code your app shows now"),
        validators=[InputRequired(_l("Enter the code.")), Length(max=20)],
        filters=[_strip],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"},
    )


class SignInCodeForm(BaseForm):
    """The second sign-in step: a code from the app, or a recovery code."""

    code = _code_field(
        _l("Code"),
        _l("The 6 digits your app shows now, or one of your recovery codes."),
    )


class ConfirmIdentityForm(BaseForm):
    """Confirm it's you: the password, and a code when two-step sign-in is on."""

    password = PasswordField(
        _l("Password"),
        validators=[InputRequired(_l("Enter your password."))],
        render_kw={"autocomplete": "current-password"},
    )
    code = _code_field(
        _l("Code"),
        _l("The 6 digits your app shows now, or one of your recovery codes."),
    )


class ChangeEmailForm(BaseForm):
    """Ask to move the account to a new email address."""

    email = _email_field()
