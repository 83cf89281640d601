"""Forms for mentors (applying, screening, deciding) and mentees (restricted records)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from neighborly.forms import BaseForm, CheckboxesField, WeekGridField, choices_from
from neighborly.mentoring.forms.common import SCHOOL_WEEK, optional_choices
from neighborly.mentoring.models import Program
from neighborly.mentoring.wording import (
    GENDER_LABELS,
    INTEREST_LABELS,
    LANGUAGE_LABELS,
    PREFERENCE_LABELS,
    grade_label_lazy,
)


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
        _l("Free times"), validators=[InputRequired(_l("Choose at least one time."))], **SCHOOL_WEEK
    )
    gender = SelectField(
        _l("Gender (optional)"), choices=optional_choices(GENDER_LABELS, _l("Prefer not to say"))
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
        **SCHOOL_WEEK,
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
        choices=optional_choices(LANGUAGE_LABELS, _l("No particular language")),
    )
    gender_preference = SelectField(
        _l("Family would like a mentor who is (optional)"),
        choices=optional_choices(PREFERENCE_LABELS, _l("No preference")),
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
