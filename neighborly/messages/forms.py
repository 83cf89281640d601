"""The one form a thread has: a message."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from neighborly.forms import BaseForm
from neighborly.messages.models import MAX_LENGTH


class MessageForm(BaseForm):
    """A plain-text message, at most MAX_LENGTH characters."""

    body = TextAreaField(
        _l("Your message"),
        validators=[
            DataRequired(message=_l("Please write a message.")),
            Length(max=MAX_LENGTH, message=_l("Please keep it under 1000 characters.")),
        ],
        render_kw={"rows": 3, "maxlength": MAX_LENGTH},
        description=_l("Everyone in this conversation can read it, including coordinators."),
    )
