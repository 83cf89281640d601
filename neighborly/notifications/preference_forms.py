"""The forms of the preferences and unsubscribe pages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField

from neighborly.forms import BaseForm, CheckboxesField, choices_from
from neighborly.notifications.preferences import CHOOSABLE_KINDS

HOURS = choices_from({str(hour * 60): f"{hour:02d}:00" for hour in range(24)})


class PreferencesForm(BaseForm):
    """What a person hears, by which channel, and when not."""

    email_kinds = CheckboxesField(
        _l("Email me when"), choices=choices_from(CHOOSABLE_KINDS), validate_choice=True
    )
    sms_kinds = CheckboxesField(
        _l("Text me when"),
        choices=choices_from(CHOOSABLE_KINDS),
        validate_choice=True,
        description=_l("Short texts go to the mobile number on your profile, if you agreed."),
    )
    no_email = BooleanField(
        _l("Stop all email except what keeps my account working"),
        description=_l("Password resets and email confirmations are always sent."),
    )
    quiet_start = SelectField(_l("Quiet hours start at"), choices=HOURS)
    quiet_end = SelectField(
        _l("Quiet hours end at"),
        choices=HOURS,
        description=_l("Texts and non-urgent email wait until this time in the morning."),
    )


class UnsubscribeForm(BaseForm):
    """One button that stops the email a link named."""
