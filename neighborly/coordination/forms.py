"""The coordinator console's forms."""

from __future__ import annotations

from zoneinfo import available_timezones

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from neighborly.accounts.community_settings import clean_codes
from neighborly.accounts.models import Role
from neighborly.accounts.safety_models import ReportOutcome
from neighborly.coordination.period import LONGEST
from neighborly.forms import BaseForm, choices_from
from neighborly.geo.geocoding import POSTAL_CODE
from neighborly.help_requests.forms import CATEGORY_LABELS
from neighborly.help_requests.models import Status

STATUS_LABELS = {
    Status.OPEN.value: _l("Open"),
    Status.ACCEPTED.value: _l("Accepted"),
    Status.COMPLETED.value: _l("Done, not confirmed yet"),
    Status.CONFIRMED.value: _l("Confirmed"),
    Status.CANCELLED.value: _l("Cancelled"),
    Status.EXPIRED.value: _l("Expired"),
}


class PeriodForm(BaseForm):
    """Which days the figures cover (a GET form: it changes nothing, so no CSRF token)."""

    class Meta:
        csrf = False

    start = DateField(_l("From"), validators=[InputRequired(_l("Enter the first day."))])
    end = DateField(_l("To"), validators=[InputRequired(_l("Enter the last day."))])

    def validate_end(self, field) -> None:
        """The last day is on or after the first, and the range is at most three years."""
        if self.start.data is None or field.data is None:
            return
        if field.data < self.start.data:
            raise ValidationError(_l("The last day must be on or after the first day."))
        if field.data - self.start.data > LONGEST:
            raise ValidationError(_l("Choose at most three years."))


class VerifyForm(BaseForm):
    """What the coordinator checked before vouching for a volunteer."""

    id_seen = BooleanField(_l("I saw a photo ID"))
    references_checked = BooleanField(_l("I checked references"))
    background_check_on = DateField(
        _l("Background check date (if one was done)"), validators=[Optional()]
    )

    def validate(self, extra_validators=None) -> bool:
        """At least one check must have been done."""
        valid = super().validate(extra_validators)
        if valid and not (
            self.id_seen.data or self.references_checked.data or self.background_check_on.data
        ):
            self.id_seen.errors.append(_l("Record at least one thing you checked."))
            return False
        return valid


class RevokeForm(BaseForm):
    """Take a verification back (a button)."""


class RequestFilterForm(BaseForm):
    """Narrow the requests list (a GET form)."""

    class Meta:
        csrf = False

    name = StringField(_l("Asker's name starts with"), validators=[Optional(), Length(max=80)])
    status = SelectField(_l("Status"), validators=[Optional()])
    category = SelectField(_l("Kind of help"), validators=[Optional()])
    postal_code = StringField(_l("ZIP code"), validators=[Optional(), Length(max=12)])
    start = DateField(_l("Posted from"), validators=[Optional()])
    end = DateField(_l("Posted until"), validators=[Optional()])

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.status.choices = choices_from({"": _l("Any status"), **STATUS_LABELS})
        self.category.choices = choices_from({"": _l("Any kind"), **CATEGORY_LABELS})

    def validate_end(self, field) -> None:
        """The last day is on or after the first."""
        if self.start.data and field.data and field.data < self.start.data:
            raise ValidationError(_l("The last day must be on or after the first day."))


ROLE_LABELS = {
    Role.RESIDENT.value: _l("Residents"),
    Role.VOLUNTEER.value: _l("Volunteers"),
    Role.COORDINATOR.value: _l("Coordinators"),
}
VERIFIED_LABELS = {"yes": _l("Verified"), "no": _l("Waiting to be verified")}


class PeopleFilterForm(BaseForm):
    """Narrow the members list (a GET form)."""

    class Meta:
        csrf = False

    name = StringField(_l("Name starts with"), validators=[Optional(), Length(max=80)])
    role = SelectField(_l("Role"), validators=[Optional()])
    verified = SelectField(_l("Volunteers"), validators=[Optional()])

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.role.choices = choices_from({"": _l("Everyone"), **ROLE_LABELS})
        self.verified.choices = choices_from({"": _l("Verified or not"), **VERIFIED_LABELS})


def _known_timezone(form, field) -> None:
    """Accept only real IANA time zone names."""
    if field.data not in available_timezones():
        raise ValidationError(_l("Enter a time zone like America/Chicago."))


def _zip_list(form, field) -> None:
    """Five-digit ZIP codes separated by commas."""
    codes = [c for c in clean_codes(field.data or "").split(", ") if c]
    wrong = [code for code in codes if not POSTAL_CODE.match(code)]
    if wrong:
        # eager gettext: a lazy string carrying typed text would skip HTML escaping
        raise ValidationError(
            _("These are not 5-digit ZIP codes: %(codes)s", codes=", ".join(wrong))
        )


def _minutes(label, hint=None):
    """A whole number of minutes between 5 minutes and a week."""
    return IntegerField(
        label,
        validators=[
            InputRequired(_l("Enter a number of minutes.")),
            NumberRange(5, 10080, _l("Enter between 5 and 10080 minutes (a week).")),
        ],
        description=hint,
    )


class SettingsForm(BaseForm):
    """What a coordinator may change about the community."""

    description = TextAreaField(
        _l("What newcomers read about this community"),
        validators=[Optional(), Length(max=2000)],
    )
    towns = StringField(
        _l("Towns and neighbourhoods served"),
        validators=[Optional(), Length(max=400)],
        description=_l("For example: Maywood, Bellwood, Melrose Park."),
    )
    postal_codes = StringField(
        _l("ZIP codes served"),
        validators=[Optional(), Length(max=400), _zip_list],
        description=_l("Separate them with commas. Requests from other ZIP codes are refused."),
    )
    timezone = StringField(
        _l("Time zone"), validators=[InputRequired(_l("Enter a time zone.")), _known_timezone]
    )
    require_verified_volunteers = BooleanField(
        _l("Volunteers must be verified before they can take requests")
    )
    invitations_per_round = IntegerField(
        _l("Volunteers asked in each round of invitations"),
        validators=[
            InputRequired(_l("Enter a number.")),
            NumberRange(1, 50, _l("Enter a number from 1 to 50.")),
        ],
    )
    invitation_wait_urgent_minutes = _minutes(_l("Minutes to wait for a yes: urgent requests"))
    invitation_wait_soon_minutes = _minutes(_l("Minutes to wait for a yes: soon"))
    invitation_wait_flexible_minutes = _minutes(_l("Minutes to wait for a yes: flexible"))


class AuditFilterForm(BaseForm):
    """Narrow the audit log (a GET form)."""

    class Meta:
        csrf = False

    actor = StringField(_l("Who (name starts with)"), validators=[Optional(), Length(max=80)])
    action = StringField(
        _l("What (action starts with)"),
        validators=[Optional(), Length(max=64)],
        description=_l("For example: request. or address.revealed or export."),
    )
    object_type = StringField(_l("Kind of record"), validators=[Optional(), Length(max=40)])
    object_id = IntegerField(
        _l("Record number"),
        validators=[Optional(), NumberRange(1, 2**31 - 1, _l("Enter a record number."))],
    )
    start = DateField(_l("From"), validators=[Optional()])
    end = DateField(_l("To"), validators=[Optional()])


class ReportForm(BaseForm):
    """Tell the coordinators about a worry."""

    reason = TextAreaField(
        _l("What happened?"),
        validators=[
            InputRequired(_l("Tell us in a few words what happened.")),
            Length(max=2000),
        ],
        description=_l("Only this community's coordinators read it."),
    )
    block = BooleanField(_l("Also block this person: never match me with them again"))


OUTCOME_LABELS = {
    ReportOutcome.NO_ACTION.value: _l("Looked into it; nothing to do"),
    ReportOutcome.SPOKE_WITH.value: _l("Spoke with the people involved"),
    ReportOutcome.BLOCKED.value: _l("Block them from each other"),
    ReportOutcome.SUSPENDED.value: _l("Suspend the account reported"),
}


class HandleReportForm(BaseForm):
    """A coordinator closes a report with an outcome."""

    outcome = SelectField(
        _l("What did you do?"),
        choices=choices_from(OUTCOME_LABELS),
        validators=[InputRequired(_l("Choose what you did."))],
    )
    notes = StringField(
        _l("Notes for other coordinators (optional)"), validators=[Optional(), Length(max=1000)]
    )


class ButtonForm(BaseForm):
    """A form that is only a button (its CSRF token)."""
