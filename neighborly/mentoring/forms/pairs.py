"""Forms for matching, hand pairing, meetings, check-ins, closure and renewal."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from neighborly.forms import BaseForm, choices_from
from neighborly.mentoring.wording import (
    CHECK_IN_LABELS,
    CLOSE_REASON_LABELS,
)


class RejectForm(BaseForm):
    """Turn a proposal down."""

    reason = StringField(
        _l("Why not this pair?"),
        validators=[InputRequired(_l("Say briefly why.")), Length(max=300)],
    )


class HandPairForm(BaseForm):
    """Pair a mentor and a mentee directly."""

    mentor_id = SelectField(_l("Mentor"), coerce=int, choices=[])
    mentee_id = SelectField(_l("Mentee"), coerce=int, choices=[])
    confirmed = BooleanField(_l("I have read the warnings and want to pair them anyway"))


class DoNotPairForm(BaseForm):
    """Keep a mentor and a mentee apart."""

    mentor_id = SelectField(_l("Mentor"), coerce=int, choices=[])
    mentee_id = SelectField(_l("Mentee"), coerce=int, choices=[])
    reason = StringField(
        _l("Reason (private)"),
        validators=[InputRequired(_l("Say briefly why.")), Length(max=300)],
    )


class MeetingForm(BaseForm):
    """Log one meeting."""

    met_on = DateField(_l("Date you met"), validators=[InputRequired(_l("Enter the date."))])
    minutes = IntegerField(
        _l("How many minutes?"),
        default=45,
        validators=[
            InputRequired(_l("Enter the minutes.")),
            NumberRange(5, 600, _l("Enter between 5 and 600 minutes.")),
        ],
    )
    activity = StringField(
        _l("What did you do?"),
        validators=[InputRequired(_l("Say what you did together.")), Length(max=120)],
        description=_l("For example: read a book, played chess, homework help."),
    )
    notes = TextAreaField(
        _l("Anything the coordinator should know? (optional)"),
        validators=[Optional(), Length(max=2000)],
        description=_l("Only you and the program's coordinators see this."),
    )


def meeting_form(pair_id: int, **kwargs) -> MeetingForm:
    """A meeting form whose field ids are unique to one pair (a mentor may have several)."""
    return MeetingForm(prefix=f"pair-{pair_id}", **kwargs)


class MeetingPlanForm(BaseForm):
    """When and where a pair usually meets."""

    meeting_time = StringField(
        _l("Usual meeting time"),
        validators=[Optional(), Length(max=120)],
        description=_l("For example: Tuesdays 3:15 to 4 pm."),
    )
    meeting_place = StringField(
        _l("Usual meeting place"),
        validators=[Optional(), Length(max=120)],
        description=_l("A supervised place, for example: Lakeview library."),
    )


class CheckInForm(BaseForm):
    """Log a coordinator's check-in."""

    with_whom = SelectField(_l("Checked in with"), choices=choices_from(CHECK_IN_LABELS))
    held_on = DateField(
        _l("Date of the check-in"), validators=[InputRequired(_l("Enter the date."))]
    )
    check_in_notes = TextAreaField(
        _l("What you talked about (private)"), validators=[Optional(), Length(max=4000)]
    )


class CloseForm(BaseForm):
    """End a match."""

    reason = SelectField(_l("Why is the match ending?"), choices=choices_from(CLOSE_REASON_LABELS))
    exit_notes = TextAreaField(
        _l("Exit notes (private)"),
        validators=[Optional(), Length(max=4000)],
        description=_l("How the goodbye went, and anything to know before rematching."),
    )
    mentee_leaves = BooleanField(
        _l("The mentee is leaving the program (do not return them to the waiting list)")
    )


class RenewForm(BaseForm):
    """Mark or unmark a pair to continue next term."""

    renew = HiddenField(default="yes")
