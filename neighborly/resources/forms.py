"""Forms for adding, suggesting and reviewing resources, and the words shown for kinds/topics."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import URL, DataRequired, InputRequired, Length, Optional, StopValidation

from neighborly.forms import BaseForm, CheckboxesField
from neighborly.resources.models import ResourceKind, is_safe_link

KIND_LABELS = {
    ResourceKind.STORY_ORIGINAL: _l("Story - Original"),
    ResourceKind.STORY_AUDIO: _l("Story - Audio"),
    ResourceKind.GUIDE: _l("Resource - Guide/handbook"),
    ResourceKind.TOOL: _l("Tool"),
    ResourceKind.DATA: _l("Data"),
}
# Shown names of the starting topics; a topic not listed here shows its stored name.
TOPIC_LABELS = {
    "vital-conditions": _l("Seven Vital Conditions for Health and Well-Being"),
    "belonging-civic-muscle": _l("Belonging and Civic Muscle"),
    "mental-behavioral-health": _l("Mental and Behavioral Health"),
    "social-connection": _l("Social Connection"),
    "mentoring": _l("Mentoring"),
}
TOPIC_DESCRIPTIONS = {
    "vital-conditions": _l(
        "What every person and every place needs to be healthy and well. "
        "Belonging and Civic Muscle is one of the seven."
    ),
    "belonging-civic-muscle": _l(
        "A sense of belonging, and the power to shape the policies, practices and programs "
        "of your community."
    ),
    "mental-behavioral-health": _l("How feeling connected, or feeling alone, affects the mind."),
    "social-connection": _l(
        "Why small, regular contact between neighbours matters for everyone's health."
    ),
    "mentoring": _l("Older students and adults spending steady time with younger ones."),
}
LANGUAGE_LABELS = {"en": _l("English"), "es": _l("Spanish")}
LINK_HINT = _l("For example https://example.org/page. Leave it empty if you do not know it yet.")
# An address typed without its https:// (www.example.org/page): the form adds it.
BARE_ADDRESS = re.compile(r"^(?:[a-z0-9-]+\.)+[a-z]{2,}(?:[/?#]|$)", re.IGNORECASE)


def _strip(value: str | None) -> str | None:
    """Drop spaces typed by accident around a value."""
    return value.strip() if isinstance(value, str) else value


def _assume_https(value: str | None) -> str | None:
    """Add https:// to a web address typed without it; leave anything else alone."""
    if isinstance(value, str) and BARE_ADDRESS.match(value):
        return f"https://{value}"
    return value


def _web_link(form, field) -> None:
    """Refuse any link that is not http or https, before checking the rest of its shape."""
    if field.data and not is_safe_link(field.data):
        raise StopValidation(_l("Use a web address that starts with https:// or http://."))


def _link_field(label):
    """An optional web-address field checked for shape and scheme."""
    return StringField(
        label,
        validators=[
            Optional(),
            Length(max=500, message=_l("Use at most 500 characters.")),
            _web_link,
            URL(require_tld=True, message=_l("Enter a web address like https://example.org/page.")),
        ],
        filters=[_strip, _assume_https],
        description=LINK_HINT,
        render_kw={"inputmode": "url", "autocomplete": "url", "spellcheck": "false"},
    )


def kind_choices() -> list[SelectChoice]:
    """The kinds, in the order people pick them."""
    return [SelectChoice(kind.value, label) for kind, label in KIND_LABELS.items()]


class ResourceForm(BaseForm):
    """A coordinator adds or edits a resource (also used to approve a suggestion)."""

    title = StringField(
        _l("Title"),
        validators=[DataRequired(_l("Enter the title.")), Length(max=200)],
        filters=[_strip],
    )
    url = _link_field(_l("Web address (optional)"))
    summary = TextAreaField(
        _l("Summary"),
        validators=[DataRequired(_l("Say in a sentence or two what it is.")), Length(max=2000)],
        filters=[_strip],
        description=_l("One or two plain sentences: what it is and who it helps."),
    )
    kind = SelectField(_l("Kind"), choices=kind_choices(), default=ResourceKind.GUIDE.value)
    source = StringField(
        _l("Brought to you by"),
        validators=[Optional(), Length(max=200)],
        filters=[_strip],
        description=_l("The organisation or person who made it."),
    )
    topics = CheckboxesField(
        _l("Topics"), validators=[InputRequired(_l("Choose at least one topic."))]
    )
    language = SelectField(
        _l("Language"), choices=[SelectChoice(c, label) for c, label in LANGUAGE_LABELS.items()]
    )
    published = BooleanField(
        _l("Published: everyone can see it"),
        description=_l("Leave unticked to keep it hidden while you check it."),
    )
    featured = BooleanField(
        _l("Featured: show it on the home page"),
        description=_l("Featured resources appear only once they are published."),
    )


class SuggestForm(BaseForm):
    """A signed-in neighbour suggests a resource."""

    title = StringField(
        _l("What is it called?"),
        validators=[DataRequired(_l("Enter its title or name.")), Length(max=200)],
        filters=[_strip],
    )
    url = _link_field(_l("Web address (optional)"))
    summary = TextAreaField(
        _l("Why would it help neighbours?"),
        validators=[DataRequired(_l("Say in a sentence or two why it helps.")), Length(max=2000)],
        filters=[_strip],
    )
    source = StringField(
        _l("Who made it? (optional)"), validators=[Optional(), Length(max=200)], filters=[_strip]
    )
    topics = CheckboxesField(_l("Topics it fits (optional)"), validators=[Optional()])


class RejectForm(BaseForm):
    """A coordinator turns a suggestion down, saying why."""

    reason = TextAreaField(
        _l("Reason"),
        validators=[
            DataRequired(_l("Say why, so the neighbour understands.")),
            Length(max=300, message=_l("Use at most 300 characters.")),
        ],
        filters=[_strip],
        description=_l("The neighbour who suggested it will see this."),
    )
