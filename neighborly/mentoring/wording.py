"""The words people read for mentoring codes: interests, languages, times, statuses, reasons."""

from __future__ import annotations

from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from neighborly.availability import SCHOOL_DAYS, sorted_codes
from neighborly.mentoring.models import CheckInWith, CloseReason
from neighborly.wording import DAY_LABELS

INTEREST_LABELS = {
    "reading": _l("Reading and stories"),
    "math": _l("Math and puzzles"),
    "science": _l("Science"),
    "art": _l("Art and drawing"),
    "music": _l("Music"),
    "sports": _l("Sports"),
    "games": _l("Board and card games"),
    "building": _l("Building and Lego"),
    "nature": _l("Nature and the outdoors"),
    "animals": _l("Animals"),
    "cooking": _l("Cooking and baking"),
    "computers": _l("Computers and coding"),
}
LANGUAGE_LABELS = {
    "en": _l("English"),
    "es": _l("Spanish"),
    "hmn": _l("Hmong"),
    "ar": _l("Arabic"),
    "zh": _l("Chinese"),
    "vi": _l("Vietnamese"),
    "pl": _l("Polish"),
    "fr": _l("French"),
    "de": _l("German"),
}
# The times of a school day a mentor or mentee can meet (the hour of a slot code such as
# "tue-15"): a column heading, and the words used inside a sentence.
TIME_HEADINGS = {
    "12": _l("Lunch (12 pm)"),
    "15": _l("After school (3 pm)"),
    "18": _l("Evening (6 pm)"),
}
TIME_LABELS = {
    "12": _l("lunch (12 pm)"),
    "15": _l("after school (3 pm)"),
    "18": _l("evening (6 pm)"),
}
GENDER_LABELS = {"f": _l("Girl or woman"), "m": _l("Boy or man"), "x": _l("Non-binary")}
PREFERENCE_LABELS = {"f": _l("A girl or woman"), "m": _l("A boy or man")}
CLOSE_REASON_LABELS = {
    CloseReason.SCHOOL_YEAR_ENDED: _l("The school year ended"),
    CloseReason.GRADUATED: _l("Graduated"),
    CloseReason.MOVED: _l("Moved away"),
    CloseReason.SCHEDULE: _l("Schedules no longer fit"),
    CloseReason.NOT_A_FIT: _l("Not a good fit"),
    CloseReason.OTHER: _l("Another reason"),
}
CHECK_IN_LABELS = {
    CheckInWith.MENTOR: _l("Mentor"),
    CheckInWith.MENTEE: _l("Mentee"),
    CheckInWith.GUARDIAN: _l("Parent or guardian"),
}
ENROLLMENT_STATUS_LABELS = {
    "applied": _l("Applied, waiting for a coordinator"),
    "approved": _l("Approved"),
    "declined": _l("Declined"),
    "withdrawn": _l("Withdrawn"),
}
MENTEE_STATUS_LABELS = {
    "waiting": _l("Waiting for a mentor"),
    "paired": _l("Paired"),
    "exited": _l("Left the program"),
}
REQUIREMENT_LABELS = {
    "guardian_consent": _l("Parent or guardian consent"),
    "training": _l("Mentor training"),
    "background_check": _l("Background check"),
}
CONSTRAINT_LABELS = {
    "requirements": _l("The mentor has not finished the program's requirements."),
    "shared_time": _l("They have no free time in common."),
    "needed_language": _l("The mentor does not speak the language the mentee needs."),
    "mentee_preference": _l("The mentor is not the gender the mentee's family asked for."),
    "mentor_preference": _l("The mentee is not the gender the mentor asked for."),
    "grade_gap": _l("The mentor is not far enough ahead in school."),
    "do_not_pair": _l("They are on the do-not-pair list."),
}
UNMATCHED_LABELS = {
    "no_mentors": _l("No mentors are approved yet."),
    "requirements": _l("No mentor has finished their requirements yet."),
    "shared_time": _l("No mentor is free at the same time."),
    "needed_language": _l("No mentor speaks the language this child needs."),
    "mentee_preference": _l("No mentor is the gender the family asked for."),
    "mentor_preference": _l("Every mentor left asked for a mentee of another gender."),
    "grade_gap": _l("No mentor is far enough ahead in school."),
    "do_not_pair": _l("Every suitable mentor is on the do-not-pair list."),
    "capacity": _l("Every suitable mentor is full."),
    "zero_score": _l("Suitable mentors have nothing in common with this child."),
}


def unmatched_action(code: str, mentee) -> str:
    """What a coordinator can do for a child the last matching run left without a mentor.

    From the run's blocking code and the child's own times and language, so each child gets
    a next step ("no mentor is free Tuesday after school: recruit one or widen the times").
    """
    name = mentee.display_name
    if code == "shared_time":
        if not mentee.slot_set:
            return _(
                "%(name)s has no free times on file: ask the family when they are free.", name=name
            )
        return _(
            "No mentor is free when %(name)s is (%(times)s): recruit a mentor free then, or ask "
            "the family to widen the times.",
            name=name,
            times=slots_text(mentee.slot_set),
        )
    if code == "needed_language":
        language = LANGUAGE_LABELS.get(mentee.needed_language or "", mentee.needed_language)
        return _("Recruit a mentor who speaks %(language)s.", language=language)
    actions = {
        "no_mentors": _l(
            "Recruit mentors, or approve the applications waiting on the mentors page."
        ),
        "requirements": _l("Help mentors finish their consent form, training or background check."),
        "mentee_preference": _l(
            "Recruit a mentor of the gender the family asked for, or ask the family whether "
            "another mentor would do."
        ),
        "mentor_preference": _l(
            "Ask mentors whether they would mentor any child, or recruit another."
        ),
        "grade_gap": _l(
            "Recruit an older mentor, or lower the grade gap in the program's settings."
        ),
        "do_not_pair": _l("Review the do-not-pair list, or recruit another mentor."),
        "capacity": _l("Ask a mentor to take one more mentee, or recruit another mentor."),
        "zero_score": _l("Pair by hand, or change what matching weighs in the settings."),
    }
    return str(actions.get(code, _l("Pair by hand, or recruit another mentor.")))


def grade_label(grade: int | None) -> str:
    """Say a grade: "Kindergarten", "Grade 3" or "Adult"."""
    if grade is None:
        return _("Adult")
    return _("Kindergarten") if grade == 0 else _("Grade %(n)d", n=grade)


def grade_label_lazy(grade: int):
    """A lazily translated grade label for choices built at import."""
    return _l("Kindergarten") if grade == 0 else _l("Grade %(n)d", n=grade)


def day_text(value: date | None) -> str:
    """A date the way people read it ("Nov 26, 2026"), in their language."""
    return format_date(value, format="medium") if value else ""


def slot_label(code: str) -> str:
    """Say a weekly slot: "Tuesday after school (3 pm)"; unknown codes pass through."""
    day, _dash, time = code.partition("-")
    if day not in SCHOOL_DAYS or time not in TIME_LABELS:
        return code
    return f"{DAY_LABELS[day]} {TIME_LABELS[time]}"


def _listed(codes, labels: dict) -> str:
    """Join the labels of some codes with commas."""
    return ", ".join(str(labels.get(code, code)) for code in codes)


def reason_text(criterion: str, items: list[str]) -> str:
    """Say one stored pairing reason in the reader's language."""
    if criterion == "interests":
        return _("Both like %(things)s", things=_listed(items, INTEREST_LABELS))
    if criterion == "schedule":
        return _("Both free %(times)s", times=", ".join(slot_label(code) for code in items))
    if criterion == "language":
        return _("Both speak %(languages)s", languages=_listed(items, LANGUAGE_LABELS))
    if criterion == "school" and len(items) == 2:
        return _("%(feeder)s feeds %(school)s", feeder=items[0], school=items[1])
    return _("Same school")


def interests_text(codes) -> str:
    """Interests in words."""
    return _listed(sorted(codes), INTEREST_LABELS)


def slots_text(codes) -> str:
    """Weekly free times in words, Monday first."""
    return ", ".join(slot_label(code) for code in sorted_codes(codes))


def languages_text(codes) -> str:
    """Languages in words."""
    return _listed(sorted(codes), LANGUAGE_LABELS)
