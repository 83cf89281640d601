"""Mentoring forms (the words people read for codes are in `wording`)."""

from __future__ import annotations

from flask_babel import gettext as _
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
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from neighborly.availability import SCHOOL_DAYS
from neighborly.forms import BaseForm, CheckboxesField, WeekGridField, choices_from
from neighborly.mentoring.models import Program
from neighborly.mentoring.wording import (
    CHECK_IN_LABELS,
    CLOSE_REASON_LABELS,
    GENDER_LABELS,
    INTEREST_LABELS,
    LANGUAGE_LABELS,
    PREFERENCE_LABELS,
    TIME_HEADINGS,
    grade_label_lazy,
    slot_label,
)


def _optional_choices(labels: dict, empty) -> list[SelectChoice]:
    """Choices with a first, empty option."""
    return [SelectChoice("", empty), *choices_from(labels)]


# The weekly grid of school days and meeting times, each box a slot code such as "tue-15".
_WEEK = dict(
    days=SCHOOL_DAYS,
    times=list(TIME_HEADINGS.items()),
    say=lambda day, time: slot_label(f"{day}-{time}"),
)


def _lines(text: str | None) -> list[str]:
    """Non-empty stripped lines of a text box."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


# ---------------------------------------------------------------- programs


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
        for line in _lines(field.data):
            feeder, sep, fed = (part.strip() for part in line.partition(">"))
            if not sep or feeder not in known or fed not in known:
                raise ValidationError(
                    _l("Write each pair as two schools from the list with > between them.")
                )

    def school_list(self) -> tuple[str, ...]:
        """The schools typed, one per line, without repeats."""
        return tuple(dict.fromkeys(_lines(self.schools.data)))

    def feeder_pairs(self) -> tuple[tuple[str, str], ...]:
        """The feeder pairs typed."""
        pairs = []
        for line in _lines(self.feeder_schools.data):
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


# ---------------------------------------------------------------- people


def _school_field(label):
    """A school picked from the program's list."""
    return SelectField(label, choices=[], validators=[InputRequired(_l("Choose a school."))])


class _ProfileFields(BaseForm):
    """Interests, languages and free times: what both mentors and mentees tell us."""

    interests = CheckboxesField(_l("Interests"), choices=choices_from(INTEREST_LABELS))
    languages = CheckboxesField(
        _l("Languages"),
        choices=choices_from(LANGUAGE_LABELS),
        validators=[InputRequired(_l("Choose at least one language."))],
    )
    availability = WeekGridField(
        _l("Free times"), validators=[InputRequired(_l("Choose at least one time."))], **_WEEK
    )
    gender = SelectField(
        _l("Gender (optional)"), choices=_optional_choices(GENDER_LABELS, _l("Prefer not to say"))
    )

    def set_schools(self, program: Program) -> None:
        """Offer the program's schools."""
        self.school.choices = [SelectChoice("", _("Choose a school")), *program.school_list]

    def fill_from(self, person) -> None:
        """Show a mentor's or mentee's saved answers (GET only)."""
        self.process(obj=person)
        self.interests.data = sorted(person.interest_set)
        self.languages.data = sorted(person.language_set)
        self.availability.data = sorted(person.slot_set)
        self.gender.data = person.gender or ""
        self.gender_preference.data = person.gender_preference or ""


class MentorApplicationForm(_ProfileFields):
    """A would-be mentor applies with their account."""

    interests = CheckboxesField(
        _l("What do you like doing?"),
        choices=choices_from(INTEREST_LABELS),
        description=_l(
            "Pick as many as you like. We look for a younger student who likes the same things."
        ),
    )
    languages = CheckboxesField(
        _l("Languages you speak"),
        choices=choices_from(LANGUAGE_LABELS),
        validators=[InputRequired(_l("Choose at least one language."))],
    )
    availability = WeekGridField(
        _l("When could you meet?"),
        validators=[InputRequired(_l("Choose at least one time."))],
        description=_l("Pick every time that usually works for you."),
        **_WEEK,
    )

    grade = SelectField(
        _l("Your grade"),
        choices=[
            SelectChoice("", _l("Choose your grade")),
            *(SelectChoice(str(g), _l("Grade %(n)d", n=g)) for g in range(9, 13)),
            SelectChoice("adult", _l("Adult (18 or older, not in high school)")),
        ],
        validators=[InputRequired(_l("Choose your grade."))],
    )
    school = _school_field(_l("Your school"))
    gender_preference = SelectField(
        _l("Would you like to mentor only girls or only boys? (optional)"),
        choices=[
            SelectChoice("", _l("Anyone is fine")),
            SelectChoice("f", _l("Only girls")),
            SelectChoice("m", _l("Only boys")),
        ],
    )
    motivation = TextAreaField(
        _l("Why do you want to be a mentor?"),
        validators=[InputRequired(_l("Tell us in a sentence or two.")), Length(max=2000)],
        description=_l("A sentence or two is plenty."),
    )

    def fill_from(self, person) -> None:
        """Show an earlier application."""
        super().fill_from(person)
        self.grade.data = "adult" if person.grade is None else str(person.grade)

    def grade_value(self) -> int | None:
        """The grade as a number, None for adults."""
        return None if self.grade.data == "adult" else int(self.grade.data)


class MenteeForm(_ProfileFields):
    """A coordinator enters a child from the signed consent form."""

    first_name = StringField(
        _l("First name"),
        validators=[InputRequired(_l("Enter the child's first name.")), Length(max=60)],
    )
    last_initial = StringField(
        _l("First letter of last name"),
        validators=[
            InputRequired(_l("Enter the first letter of the last name.")),
            Length(min=1, max=1, message=_l("Enter one letter.")),
        ],
        description=_l("Only the initial is kept."),
        render_kw={"maxlength": 1, "class": "mentoring-initial"},
    )
    grade = SelectField(
        _l("Grade"),
        choices=[SelectChoice("", _l("Choose a grade"))]
        + [SelectChoice(str(g), grade_label_lazy(g)) for g in range(0, 9)],
        validators=[InputRequired(_l("Choose a grade."))],
    )
    school = _school_field(_l("School"))
    teacher = StringField(_l("Teacher (optional)"), validators=[Optional(), Length(max=120)])
    needed_language = SelectField(
        _l("Needs a mentor who speaks (optional)"),
        choices=_optional_choices(LANGUAGE_LABELS, _l("No particular language")),
    )
    gender_preference = SelectField(
        _l("Family would like a mentor who is (optional)"),
        choices=_optional_choices(PREFERENCE_LABELS, _l("No preference")),
    )
    referral_reason = TextAreaField(
        _l("Why the child was referred (private)"),
        validators=[Optional(), Length(max=2000)],
        description=_l("Only this program's coordinators see this."),
    )
    guardian_name = StringField(
        _l("Parent or guardian's name (private)"),
        validators=[InputRequired(_l("Enter the parent or guardian's name.")), Length(max=120)],
    )
    guardian_contact = StringField(
        _l("Parent or guardian's phone or email (private)"),
        validators=[InputRequired(_l("Enter a phone number or email.")), Length(max=200)],
    )
    guardian_consent_on = DateField(
        _l("Date the consent form was signed"),
        validators=[InputRequired(_l("Enter the date on the signed consent form."))],
    )
    notes = TextAreaField(
        _l("Notes (private)"),
        validators=[Optional(), Length(max=4000)],
        description=_l("Only this program's coordinators see these notes."),
    )

    def fill_from(self, person) -> None:
        """Show a child's saved record."""
        super().fill_from(person)
        self.grade.data = str(person.grade)
        self.needed_language.data = person.needed_language or ""


class ScreeningForm(BaseForm):
    """A coordinator records a mentor's consent, training, check and capacity."""

    guardian_consent_on = DateField(_l("Parent or guardian consent received on"), [Optional()])
    training_completed_on = DateField(_l("Training finished on"), [Optional()])
    background_check_on = DateField(_l("Background check cleared on"), [Optional()])
    capacity = IntegerField(
        _l("Mentees this mentor may have"),
        validators=[InputRequired(_l("Enter a number."))],
    )

    def limit_capacity(self, program: Program) -> None:
        """Capacity runs from 1 to the program's maximum."""
        most = program.max_mentees_per_mentor
        message = _("Enter between 1 and %(most)d.", most=most)
        self.capacity.validators = [
            InputRequired(_l("Enter a number.")),
            NumberRange(1, most, message),
        ]


class DeclineForm(BaseForm):
    """Decline an applicant."""

    reason = StringField(_l("Reason (optional)"), validators=[Optional(), Length(max=300)])


# ---------------------------------------------------------------- pairing


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


# ---------------------------------------------------------------- pairs


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


# ---------------------------------------------------------------- events


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
