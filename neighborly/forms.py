"""The base of every form: rules that hold for any field, whatever the domain."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm

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
