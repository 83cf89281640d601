"""Forms for a program's settings, its coordinators and its next term."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from neighborly.forms import BaseForm
from neighborly.mentoring.forms.common import lines_of
from neighborly.mentoring.models import Program


class ProgramForm(BaseForm):
    """Start or change a program."""

    name = StringField(
        _l("Program name"),
        validators=[InputRequired(_l("Enter the program's name.")), Length(max=120)],
        description=_l("For example: Wolves and Pups."),
    )
    mentor_label = StringField(
        _l("One mentor is called"),
        default="Mentor",
        validators=[InputRequired(_l("Enter a word, like Wolf.")), Length(max=40)],
    )
    mentor_label_plural = StringField(
        _l("Several mentors are called"),
        default="Mentors",
        validators=[InputRequired(_l("Enter a word, like Wolves.")), Length(max=40)],
    )
    mentee_label = StringField(
        _l("One mentee is called"),
        default="Mentee",
        validators=[InputRequired(_l("Enter a word, like Pup.")), Length(max=40)],
    )
    mentee_label_plural = StringField(
        _l("Several mentees are called"),
        default="Mentees",
        validators=[InputRequired(_l("Enter a word, like Pups.")), Length(max=40)],
    )
    schools = TextAreaField(
        _l("Schools"),
        validators=[InputRequired(_l("Enter at least one school.")), Length(max=2000)],
        description=_l("One school per line, mentors' and mentees' schools alike."),
    )
    feeder_schools = TextAreaField(
        _l("Feeder schools (optional)"),
        validators=[Optional(), Length(max=2000)],
        description=_l(
            "One pair per line: the younger school, then >, then the school it feeds. "
            "For example: Lakeview Elementary > Algoma High School"
        ),
    )
    term_start = DateField(
        _l("Term starts"), validators=[InputRequired(_l("Enter the first day of the term."))]
    )
    term_end = DateField(
        _l("Term ends"), validators=[InputRequired(_l("Enter the last day of the term."))]
    )
    meeting_cadence_days = IntegerField(
        _l("Most days a pair may go without meeting"),
        description=_l("7 means pairs meet every week. Pairs that go longer are flagged."),
        default=7,
        validators=[
            InputRequired(_l("Enter a number of days.")),
            NumberRange(1, 60, _l("Enter between 1 and 60 days.")),
        ],
    )
    max_mentees_per_mentor = IntegerField(
        _l("Most mentees one mentor may have"),
        default=1,
        validators=[
            InputRequired(_l("Enter a number.")),
            NumberRange(1, 5, _l("Enter between 1 and 5.")),
        ],
    )
    min_grade_gap = IntegerField(
        _l("Student mentors must be at least this many grades ahead"),
        default=2,
        validators=[
            InputRequired(_l("Enter a number of grades.")),
            NumberRange(0, 12, _l("Enter between 0 and 12.")),
        ],
    )
    requires_guardian_consent = BooleanField(
        _l("Mentors under 18 need a parent or guardian's consent"), default=True
    )
    requires_training = BooleanField(_l("Mentors must finish training"), default=True)
    requires_background_check = BooleanField(
        _l("Adult mentors need a background check"), default=True
    )

    def validate_term_end(self, field) -> None:
        """The term ends after it starts."""
        if self.term_start.data and field.data and field.data <= self.term_start.data:
            raise ValidationError(_l("The term must end after it starts."))

    def validate_feeder_schools(self, field) -> None:
        """Each line is "school > school", both from the schools list."""
        known = set(self.school_list())
        for line in lines_of(field.data):
            feeder, sep, fed = (part.strip() for part in line.partition(">"))
            if not sep or feeder not in known or fed not in known:
                raise ValidationError(
                    _l("Write each pair as two schools from the list with > between them.")
                )

    def school_list(self) -> tuple[str, ...]:
        """The schools typed, one per line, without repeats."""
        return tuple(dict.fromkeys(lines_of(self.schools.data)))

    def feeder_pairs(self) -> tuple[tuple[str, str], ...]:
        """The feeder pairs typed."""
        pairs = []
        for line in lines_of(self.feeder_schools.data):
            feeder, _sep, fed = line.partition(">")
            pairs.append((feeder.strip(), fed.strip()))
        return tuple(pairs)

    def fill_from(self, program: Program) -> None:
        """Show a program's settings in the form."""
        self.process(obj=program)
        self.schools.data = program.schools
        self.feeder_schools.data = program.feeder_schools


class CoordinatorEmailForm(BaseForm):
    """Add another coordinator to a program by email."""

    email = StringField(
        _l("Email address of a coordinator in this community"),
        validators=[InputRequired(_l("Enter an email address.")), Length(max=254)],
        render_kw={"autocomplete": "off", "type": "email"},
    )


class NextTermForm(BaseForm):
    """Move a program into its next term."""

    term_start = DateField(
        _l("Next term starts"), validators=[InputRequired(_l("Enter the first day."))]
    )
    term_end = DateField(
        _l("Next term ends"), validators=[InputRequired(_l("Enter the last day."))]
    )

    def validate_term_end(self, field) -> None:
        """The term ends after it starts."""
        if self.term_start.data and field.data and field.data <= self.term_start.data:
            raise ValidationError(_l("The term must end after it starts."))
