"""Forms for downloading one's data and deleting one's account."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import PasswordField
from wtforms.validators import InputRequired

from neighborly.forms import BaseForm


class DownloadForm(BaseForm):
    """Nothing to fill in: the button and its CSRF token."""


class DeleteAccountForm(BaseForm):
    """Confirm deleting the account with the password."""

    password = PasswordField(
        _l("Your password"),
        validators=[InputRequired(_l("Type your password to confirm."))],
        description=_l("We ask so that nobody else can delete your account."),
        render_kw={"autocomplete": "current-password"},
    )
