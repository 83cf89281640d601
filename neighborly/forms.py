"""Shared form pieces: the base form, checkbox lists and the weekly free-time grid."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache

from babel.support import Translations
from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectMultipleField, widgets
from wtforms.fields.choices import SelectChoice
from wtforms.i18n import messages_path

from neighborly.wording import DAY_LABELS, DAY_SHORT_LABELS, page_locale

NUL = "\x00"
NUL_MESSAGE = _l("Remove the invisible null character from this box.")


@lru_cache(maxsize=16)
def _wtforms_catalog(locale: str) -> Translations:
    """WTForms' own messages in one language, read from disk once per process."""
    return Translations.load(messages_path(), [locale], domain="wtforms")


class WTFormsMessages:
    """WTForms' built-in messages ("Not a valid date value.") in the reader's language.

    Flask-WTF reads the catalog from disk again on every request that words one; this keeps
    one per language for the life of the process.
    """

    def gettext(self, string: str) -> str:
        """One message."""
        return _wtforms_catalog(page_locale()).ugettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        """One message that depends on a count."""
        return _wtforms_catalog(page_locale()).ungettext(singular, plural, n)


WTFORMS_MESSAGES = WTFormsMessages()


class BaseForm(FlaskForm):
    """A form whose fields also refuse the null character, which no database text can hold."""

    class Meta:
        """WTForms' messages from a catalog kept per language (see WTFormsMessages)."""

        def get_translations(self, form):
            """The reader's WTForms catalog, unless i18n of form messages is switched off."""
            if current_app.config.get("WTF_I18N_ENABLED", True):
                return WTFORMS_MESSAGES
            return None

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
