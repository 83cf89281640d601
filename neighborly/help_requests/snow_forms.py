"""Snow-day forms: declaring the day, changing one line of the plan."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, FloatField, IntegerField, RadioField
from wtforms.validators import InputRequired, NumberRange

from neighborly.forms import BaseForm

UNASSIGNED = "none"


class DeclareSnowDayForm(BaseForm):
    """A coordinator declares a snow day."""

    day = DateField(
        _l("Date of the snow day"),
        validators=[InputRequired(_l("Enter the date of the snow day."))],
    )
    snowfall = FloatField(
        _l("Expected snowfall"),
        validators=[
            InputRequired(_l("Enter the expected snowfall.")),
            NumberRange(0, 200, _l("Enter a number between 0 and 200.")),
        ],
    )
    deadline_hours = IntegerField(
        _l("Hours volunteers have to finish"),
        default=24,
        description=_l("From now. Most snow days give 24 hours."),
        validators=[
            InputRequired(_l("Enter a number of hours.")),
            NumberRange(1, 96, _l("Enter between 1 and 96 hours.")),
        ],
    )


class ChangeLineForm(BaseForm):
    """Give one request to another volunteer with room, or leave it unassigned."""

    volunteer = RadioField(
        _l("Who should go?"),
        validators=[InputRequired(_l("Choose a volunteer or leave it unassigned."))],
    )
