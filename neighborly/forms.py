"""Shared form pieces: the base form, checkbox lists and the weekly free-time grid."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectMultipleField, widgets
from wtforms.fields.choices import SelectChoice

from neighborly.wording import DAY_LABELS, DAY_SHORT_LABELS

NUL = "\x00"
NUL_MESSAGE = _l("Remove the invisible null character from this box.")


class BaseForm(FlaskForm):
    """A form whose fields also refuse the null character, which no database text can hold."""

    def validate(self, extra_validators=None) -> bool:
        """Run the form's own checks, then refuse any field sent with a null character."""
        valid = super().validate(extra_validators)
        for field in self:
            if any(NUL in str(value) for value in field.raw_data or ()):
                field.errors.append(NUL_MESSAGE)
                valid = False
        return valid


def choices_from(labels: Mapping) -> list[SelectChoice]:
    """SelectChoices from a code (or string enum) -> label mapping, in the mapping's order."""
    return [SelectChoice(str(code), label) for code, label in labels.items()]


class CheckboxesField(SelectMultipleField):
    """Several choices as a list of checkboxes."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class WeekGridField(CheckboxesField):
    """Weekly free times: a checkbox per day and time, drawn as a grid by the `week_grid` macro.

    `days` are weekday codes (the rows), `times` are (time code, column heading) pairs, and
    `say(day, time)` words one checkbox; each box's value is "<day>-<time>" ("tue-15").
    """

    def __init__(
        self,
        label=None,
        validators=None,
        *,
        days: Sequence[str] = (),
        times: Sequence[tuple[str, object]] = (),
        say: Callable[[str, str], str] = lambda day, time: f"{day}-{time}",
        **kwargs,
    ) -> None:
        super().__init__(label, validators, **kwargs)
        self.rows = [(DAY_LABELS[day], DAY_SHORT_LABELS[day]) for day in days]
        self.columns = [heading for _code, heading in times]
        # built per form, so worded in the reader's language
        self.choices = [
            SelectChoice(f"{day}-{time}", say(day, time)) for day in days for time, _h in times
        ]
