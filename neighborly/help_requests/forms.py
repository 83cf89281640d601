"""Forms for asking, helping and coordinating."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    FloatField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TelField,
    TextAreaField,
    TimeField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional, Regexp, ValidationError

from neighborly.accounts.forms import LANGUAGE_CHOICES
from neighborly.availability import DAYS, PARTS_OF_DAY, blocks_of, slots_of_blocks
from neighborly.forms import BaseForm, CheckboxesField, WeekGridField, choices_from
from neighborly.geo.geocoding import POSTAL_CODE
from neighborly.help_requests.models import Category, Urgency
from neighborly.help_requests.wording import PART_HEADINGS, PART_LABELS
from neighborly.wording import DAY_LABELS

CATEGORY_LABELS = {
    Category.SNOW: _l("Snow shovelling"),
    Category.BINS: _l("Trash and recycling bins"),
    Category.ERRANDS: _l("Groceries and errands"),
    Category.RIDE: _l("A ride"),
    Category.YARD: _l("Yard work"),
    Category.REPAIR: _l("Small repair"),
    Category.VISIT: _l("Friendly visit or call"),
    Category.TECH: _l("Tech help"),
    Category.PETS: _l("Pet care"),
    Category.OTHER: _l("Something else"),
}
URGENCY_LABELS = {
    Urgency.FLEXIBLE: _l("Whenever suits, within the time window"),
    Urgency.SOON: _l("Soon, in the next day or two"),
    Urgency.URGENT: _l("Urgent, today if possible"),
}


def _postal_code(form, field) -> None:
    """A five-digit US ZIP code."""
    if not POSTAL_CODE.match((field.data or "").strip()):
        raise ValidationError(_l("Enter a 5-digit ZIP code, like 60153."))


def _both_or_neither(form, field) -> None:
    """Coordinates come as a pair."""
    other = form.lng if field is form.lat else form.lat
    if (field.data is None) != (other.data is None):
        raise ValidationError(_l("Enter both latitude and longitude, or leave both empty."))


LAT_FIELD = dict(
    validators=[
        Optional(),
        NumberRange(-90, 90, _l("Latitude is between -90 and 90.")),
        _both_or_neither,
    ],
)


class RequestForm(BaseForm):
    """Ask for help."""

    category = SelectField(_l("What kind of help?"), choices=choices_from(CATEGORY_LABELS))
    title = StringField(
        _l("In a few words"),
        validators=[InputRequired(_l("Say in a few words what you need.")), Length(max=120)],
        description=_l("For example: Shovel my front steps and walk."),
    )
    details = TextAreaField(
        _l("Anything a helper should know (optional)"),
        validators=[Optional(), Length(max=2000)],
        description=_l("Do not write your address here; it goes in its own box below."),
    )
    street_address = StringField(
        _l("Street address"),
        validators=[InputRequired(_l("Enter the street address.")), Length(max=200)],
        description=_l("Only the volunteer who takes your request and coordinators see it."),
        render_kw={"autocomplete": "street-address"},
    )
    postal_code = StringField(
        _l("ZIP code"),
        validators=[InputRequired(_l("Enter the ZIP code.")), _postal_code],
        render_kw={"autocomplete": "postal-code", "inputmode": "numeric"},
    )
    lat = FloatField(
        _l("Latitude (optional)"),
        **LAT_FIELD,
        description=_l("If you know the exact point, type it; otherwise we use the ZIP code."),
    )
    lng = FloatField(
        _l("Longitude (optional)"),
        validators=[
            Optional(),
            NumberRange(-180, 180, _l("Longitude is between -180 and 180.")),
            _both_or_neither,
        ],
    )
    needed_from = DateTimeLocalField(
        _l("From (optional)"),
        format="%Y-%m-%dT%H:%M",
        validators=[Optional()],
        description=_l("The earliest time help is useful. Leave empty for now."),
    )
    needed_by = DateTimeLocalField(
        _l("Needed by (optional)"),
        format="%Y-%m-%dT%H:%M",
        validators=[Optional()],
        description=_l("Leave empty if any time is fine."),
    )
    estimated_minutes = IntegerField(
        _l("About how many minutes will it take?"),
        default=30,
        validators=[
            InputRequired(_l("Enter a number of minutes.")),
            NumberRange(5, 480, _l("Enter between 5 and 480 minutes.")),
        ],
    )
    urgency = SelectField(_l("How soon?"), choices=choices_from(URGENCY_LABELS), default="flexible")

    def needed_by_utc(self, timezone: str) -> datetime | None:
        """The typed local time as UTC, in the community's time zone."""
        return local_to_utc(self.needed_by.data, timezone)

    def needed_from_utc(self, timezone: str) -> datetime | None:
        """The window's typed start as UTC, in the community's time zone."""
        return local_to_utc(self.needed_from.data, timezone)

    def fits(self, postal_codes: list[str], timezone: str, now: datetime) -> bool:
        """The window is not in the past and starts before it ends; the ZIP is in the area.

        Messages go next to the field; nothing is saved when this is False.
        """
        start, end = self.needed_from_utc(timezone), self.needed_by_utc(timezone)
        if start is not None and start < now - GRACE:
            self.needed_from.errors.append(_l("This time has already passed."))
        if end is not None and end <= now:
            self.needed_by.errors.append(_l("This time has already passed. Choose a later one."))
        elif start is not None and end is not None and start >= end:
            self.needed_by.errors.append(_l("Choose a time after the start of the window."))
        code = (self.postal_code.data or "").strip()
        if postal_codes and code and code not in postal_codes:
            self.postal_code.errors.append(
                _(  # eager: a lazy string with a value in it would skip HTML escaping
                    "This ZIP code is outside the community's area (%(codes)s).",
                    codes=", ".join(postal_codes),
                )
            )
        return not (self.needed_from.errors or self.needed_by.errors or self.postal_code.errors)


GRACE = timedelta(minutes=15)  # a window start typed a little while ago still counts as now


def local_to_utc(typed: datetime | None, timezone: str) -> datetime | None:
    """A typed local time as UTC."""
    if typed is None:
        return None
    return typed.replace(tzinfo=ZoneInfo(timezone)).astimezone(ZoneInfo("UTC"))


class PhoneInForm(RequestForm):
    """A coordinator takes a request down on the phone."""

    details = TextAreaField(
        _l("What the caller needs, in their words (optional)"),
        validators=[Optional(), Length(max=2000)],
        description=_l("Volunteers nearby read this. Keep the address out of it."),
    )
    street_address = StringField(
        _l("Caller's street address"),
        validators=[InputRequired(_l("Enter the street address.")), Length(max=200)],
        description=_l("Only the volunteer who takes the request and coordinators see it."),
    )

    resident_first_name = StringField(
        _l("Resident's first name"),
        validators=[InputRequired(_l("Enter the resident's first name.")), Length(max=80)],
    )
    resident_last_name = StringField(
        _l("Resident's last name"),
        validators=[InputRequired(_l("Enter the resident's last name.")), Length(max=80)],
    )
    resident_phone = TelField(
        _l("Resident's phone"),
        validators=[
            InputRequired(_l("Enter the resident's phone number.")),
            Regexp(r"^[0-9 +().-]{7,40}$", message=_l("Enter a phone number like 708-555-0100.")),
        ],
    )
    resident_sms_consent = BooleanField(
        _l("The resident agrees to short texts at this number about their request"),
        description=_l(
            "Only if it is a mobile phone and they said yes: a text when someone accepts, "
            "is on the way and is done. Never their address."
        ),
    )
    resident_language = SelectField(
        _l("Language for their texts and messages"),
        choices=[SelectChoice("", _l("Not asked (as before, or English)")), *LANGUAGE_CHOICES],
        default="",
        description=_l("The language the caller is most at ease in."),
    )
    intake_notes = TextAreaField(
        _l("Notes from the call (optional)"),
        validators=[Optional(), Length(max=2000)],
        description=_l("Seen by coordinators and the volunteer who takes it."),
    )


class CompleteForm(BaseForm):
    """The volunteer says it is done."""

    minutes = IntegerField(
        _l("Minutes you spent"),
        description=_l("Count travel too if you like. Round to the nearest five minutes."),
        validators=[
            InputRequired(_l("Enter the minutes you spent.")),
            NumberRange(1, 1440, _l("Enter between 1 and 1440 minutes.")),
        ],
    )


class ConfirmHelpForm(BaseForm):
    """The resident confirms and may say thank you."""

    thank_you = TextAreaField(
        _l("A thank-you note (optional)"),
        validators=[Optional(), Length(max=1000)],
        description=_l("Your helper will see it on their page."),
    )


class WithdrawForm(BaseForm):
    """The volunteer steps back, saying why."""

    reason = StringField(
        _l("Why are you stepping back?"),
        validators=[InputRequired(_l("Tell the neighbour briefly why.")), Length(max=300)],
    )


class AssignForm(BaseForm):
    """A coordinator picks a volunteer."""

    volunteer_id = SelectField(_l("Volunteer"), coerce=int, choices=[])


class VolunteerProfileForm(BaseForm):
    """Where, what and when a volunteer helps."""

    postal_code = StringField(
        _l("Your ZIP code"),
        validators=[InputRequired(_l("Enter your ZIP code.")), _postal_code],
        description=_l("We use its centre as your home point unless you type an exact one."),
    )
    lat = FloatField(_l("Home latitude (optional)"), **LAT_FIELD)
    lng = FloatField(
        _l("Home longitude (optional)"),
        validators=[
            Optional(),
            NumberRange(-180, 180, _l("Longitude is between -180 and 180.")),
            _both_or_neither,
        ],
    )
    radius_km = FloatField(
        _l("How far will you go (km)?"),
        default=3,
        validators=[
            InputRequired(_l("Enter a distance in km.")),
            NumberRange(0.5, 50, _l("Enter between 0.5 and 50 km.")),
        ],
    )
    categories = CheckboxesField(
        _l("What can you help with?"),
        choices=choices_from(CATEGORY_LABELS),
        validators=[InputRequired(_l("Choose at least one kind of help."))],
    )
    availability = WeekGridField(
        _l("When are you usually free?"),
        description=_l(
            "Tick the parts of the week you are usually free. "
            "It helps us show requests you can reach in time."
        ),
        days=DAYS,
        times=[(part.code, PART_HEADINGS[part.code]) for part in PARTS_OF_DAY],
        say=lambda day, part: f"{DAY_LABELS[day]}, {PART_LABELS[part]}",
    )
    capacity = IntegerField(
        _l("How many requests can you hold at once?"),
        default=3,
        validators=[
            InputRequired(_l("Enter a number.")),
            NumberRange(1, 20, _l("Enter between 1 and 20.")),
        ],
    )
    snow_capacity = IntegerField(
        _l("On a snow day, how many driveways or walks can you clear?"),
        default=3,
        validators=[Optional(), NumberRange(0, 20, _l("Enter between 0 and 20."))],
    )
    walking_km = FloatField(
        _l("On a snow day, how far will you walk from home (km)?"),
        default=1.0,
        validators=[Optional(), NumberRange(0.1, 10, _l("Enter between 0.1 and 10 km."))],
    )

    def use_unit(self, unit: str) -> None:
        """Ask for the distance in the community's unit (miles in US communities)."""
        if unit != "mi":
            return
        self.radius_km.label.text = _("How far will you go (miles)?")
        self.radius_km.validators = [
            InputRequired(_("Enter a distance in miles.")),
            NumberRange(0.3, 30, _("Enter between 0.3 and 30 miles.")),
        ]
        if not self.is_submitted():
            self.radius_km.data = 2  # about the 3 km a new volunteer starts with

    daily_invitations = IntegerField(
        _l("How many invitations may we send you a day?"),
        default=3,
        description=_l("We email you when a neighbour nearby needs help you offer."),
        validators=[Optional(), NumberRange(0, 20, _l("Enter between 0 and 20."))],
    )
    paused = BooleanField(
        _l("Pause invitations for now"),
        description=_l("You can still find requests yourself under Near me."),
    )

    def slots(self) -> frozenset[str]:
        """The hourly slot codes the ticked parts of the week cover."""
        return slots_of_blocks(self.availability.data or [])

    @staticmethod
    def availability_codes(slots: frozenset[str]) -> list[str]:
        """The parts of the week to show ticked for stored slots."""
        return blocks_of(slots)


class DeclineForm(BaseForm):
    """Not this time, with an optional reason."""

    reason = StringField(
        _l("Why not this time? (optional)"),
        validators=[Optional(), Length(max=300)],
        description=_l(
            "Only coordinators see this. You will not be asked about this request again."
        ),
    )


SERIES_KIND_LABELS = {
    "weekly": _l("Every week, on the same day and time"),
    "snow": _l("After every snowfall"),
}


class SeriesForm(BaseForm):
    """Set up a standing request: weekly, or after every snowfall."""

    kind = RadioField(
        _l("When does it come round?"), choices=choices_from(SERIES_KIND_LABELS), default="weekly"
    )
    category = SelectField(_l("What kind of help?"), choices=choices_from(CATEGORY_LABELS))
    title = StringField(
        _l("In a few words"),
        validators=[InputRequired(_l("Say in a few words what you need.")), Length(max=120)],
        description=_l("For example: Bins to the curb."),
    )
    details = TextAreaField(
        _l("Anything a helper should know (optional)"),
        validators=[Optional(), Length(max=2000)],
        description=_l("Do not write your address here; it goes in its own box below."),
    )
    street_address = StringField(
        _l("Street address"),
        validators=[InputRequired(_l("Enter the street address.")), Length(max=200)],
        description=_l("Only the volunteer who takes your request and coordinators see it."),
        render_kw={"autocomplete": "street-address"},
    )
    postal_code = StringField(
        _l("ZIP code"),
        validators=[InputRequired(_l("Enter the ZIP code.")), _postal_code],
        render_kw={"autocomplete": "postal-code", "inputmode": "numeric"},
    )
    weekday = SelectField(
        _l("Which day? (weekly)"),
        choices=choices_from({str(index): DAY_LABELS[code] for index, code in enumerate(DAYS)}),
        default="1",
    )
    start_time = TimeField(_l("At what time? (weekly)"), validators=[Optional()])
    window_hours = IntegerField(
        _l("Within how many hours? (weekly)"),
        default=2,
        validators=[
            InputRequired(_l("Enter a number of hours.")),
            NumberRange(1, 24, _l("Enter between 1 and 24 hours.")),
        ],
    )
    min_snow_inches = FloatField(
        _l("From how many inches of snow? (snow)"),
        default=2,
        validators=[Optional(), NumberRange(0.5, 48, _l("Enter between 0.5 and 48 inches."))],
    )
    estimated_minutes = IntegerField(
        _l("About how many minutes will it take?"),
        default=30,
        validators=[
            InputRequired(_l("Enter a number of minutes.")),
            NumberRange(5, 480, _l("Enter between 5 and 480 minutes.")),
        ],
    )

    def fits(self, postal_codes: list[str]) -> bool:
        """A weekly series needs a time, a snow one a snowfall; the ZIP must be in the area."""
        if self.kind.data == "weekly" and self.start_time.data is None:
            self.start_time.errors.append(_l("Enter the time, like 7:00 PM."))
        if self.kind.data == "snow" and self.min_snow_inches.data is None:
            self.min_snow_inches.errors.append(_l("Enter the inches of snow, like 2."))
        code = (self.postal_code.data or "").strip()
        if postal_codes and code and code not in postal_codes:
            self.postal_code.errors.append(
                _(  # eager: a lazy string with a value in it would skip HTML escaping
                    "This ZIP code is outside the community's area (%(codes)s).",
                    codes=", ".join(postal_codes),
                )
            )
        failed = self.start_time.errors or self.min_snow_inches.errors or self.postal_code.errors
        return not failed


class SkipForm(BaseForm):
    """Skip one date of a series."""

    on = DateField(_l("Date"), validators=[InputRequired(_l("Choose a date."))])


class ShiftForm(BaseForm):
    """Move one date of a series to another day and time."""

    on = DateField(_l("Date"), validators=[InputRequired(_l("Choose a date."))])
    new_start = DateTimeLocalField(
        _l("New day and time"),
        format="%Y-%m-%dT%H:%M",
        validators=[InputRequired(_l("Choose the new day and time."))],
    )


class PersonChoiceForm(BaseForm):
    """Pick one person (a regular helper or a backup) from a list."""

    person_id = SelectField(_l("Who?"), coerce=int, choices=[])
