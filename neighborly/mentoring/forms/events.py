"""Forms for group events and their attendance."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    IntegerField,
    StringField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from neighborly.forms import BaseForm, CheckboxesField


class EventForm(BaseForm):
    """A group event such as a Wolf Den dinner."""

    name = StringField(
        _l("Event name"),
        validators=[InputRequired(_l("Enter a name.")), Length(max=120)],
        description=_l("For example: Wolf Den dinner."),
    )
    held_on = DateField(_l("Date"), validators=[InputRequired(_l("Enter the date."))])
    minutes = IntegerField(
        _l("How long (minutes)?"),
        default=90,
        validators=[
            InputRequired(_l("Enter the minutes.")),
            NumberRange(5, 600, _l("Enter between 5 and 600 minutes.")),
        ],
    )
    place = StringField(_l("Place (optional)"), validators=[Optional(), Length(max=120)])


class AttendanceForm(BaseForm):
    """Who came to an event."""

    mentors = CheckboxesField(_l("Mentors who came"), coerce=int, choices=[])
    mentees = CheckboxesField(_l("Mentees who came"), coerce=int, choices=[])
