"""Who hears what, by which channel, and when: preferences, quiet hours, unsubscribe links."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import and_, bindparam, select
from sqlalchemy.exc import IntegrityError

from neighborly.extensions import db
from neighborly.notifications.links import absolute_url
from neighborly.notifications.preference_models import (
    QUIET_END_MINUTES,
    QUIET_START_MINUTES,
    NotificationPreference,
    NotificationSettings,
)

# Always sent by email, at once, whatever the person chose: they keep an account working.
ESSENTIAL_PREFIXES = ("accounts.",)
ALL_KINDS = "*"
# The kinds a person can choose for, in the order the preferences page lists them.
CHOOSABLE_KINDS: dict[str, Any] = {
    "help_requests.accepted": _l("A neighbour accepted your request"),
    "help_requests.on_the_way": _l("Your helper is on the way"),
    "help_requests.completed": _l("Your helper says the job is done"),
    "help_requests.withdrawn": _l("Your helper stepped back"),
    "help_requests.assigned": _l("A coordinator asked you to help"),
    "help_requests.thanked": _l("A neighbour thanked you"),
    "help_requests.reminder": _l("Reminder the evening before you help"),
    "help_requests.digest": _l("Weekly list of neighbours near you who asked for help"),
    "mentoring.paired": _l("News about your mentoring pair"),
    "mentoring.not_met": _l("Reminder when you and your mentoring pair have not met for a while"),
}
_SALT = "neighborly-unsubscribe"


def is_essential(kind: str | None) -> bool:
    """Whether an event's messages go out whatever the person chose (password reset ...)."""
    return bool(kind) and kind.startswith(ESSENTIAL_PREFIXES)


def settings_of(user_id: int) -> NotificationSettings:
    """A person's quiet hours and email switch (defaults when they never chose)."""
    return db.session.get(NotificationSettings, user_id) or settings_of_default(user_id)


def preference_of(user_id: int, kind: str) -> NotificationPreference | None:
    """What a person chose for one kind of event, or None."""
    return db.session.scalar(
        select(NotificationPreference).where(
            NotificationPreference.user_id == user_id, NotificationPreference.kind == kind
        )
    )


def can_text(user: Any) -> bool:
    """Whether a person gave a mobile number and agreed to texts."""
    if current_app.config.get("SMS_BACKEND") == "off":
        return False
    return bool(getattr(user, "phone", None)) and bool(getattr(user, "sms_consent", False))


@dataclass(frozen=True)
class Channels:
    """Which channels one message goes out on."""

    email: bool
    sms: bool


@dataclass(frozen=True)
class Reach:
    """What decides how and when one person hears of one kind of event, read in one statement."""

    preference: NotificationPreference | None
    settings: NotificationSettings
    community_timezone: str | None


def reach_of(user_id: int, kind: str) -> Reach:
    """A person's choice for one kind, their settings and first community's time zone."""
    return reaches_of([user_id], kind)[user_id]


def reaches_of(user_ids: list[int], kind: str) -> dict[int, Reach]:
    """`reach_of` for several people at once, in one statement (everyone asked has one)."""
    rows = db.session.execute(_reach_statement(), {"user_ids": list(user_ids), "kind": kind})
    found = {
        user_id: Reach(preference, settings or settings_of_default(user_id), zone)
        for user_id, preference, settings, zone in rows
    }
    return {
        user_id: found.get(user_id) or Reach(None, settings_of_default(user_id), None)
        for user_id in user_ids
    }


@cache
def _reach_statement():
    """The statement reaches_of runs, built once (its values are bound at each call).

    People and communities are reached through the tables (notifications does not import the
    accounts package, which imports it).
    """
    tables = db.metadata.tables
    users, memberships, communities = (
        tables["users"],
        tables["memberships"],
        tables["communities"],
    )
    kind = bindparam("kind")
    first_zone = (
        select(communities.c.timezone)
        .join(memberships, memberships.c.community_id == communities.c.id)
        .where(memberships.c.user_id == users.c.id)
        .order_by(memberships.c.id)
        .limit(1)
        .scalar_subquery()
    )
    return (
        select(users.c.id, NotificationPreference, NotificationSettings, first_zone)
        .select_from(users)
        .outerjoin(
            NotificationPreference,
            and_(NotificationPreference.user_id == users.c.id, NotificationPreference.kind == kind),
        )
        .outerjoin(NotificationSettings, NotificationSettings.user_id == users.c.id)
        .where(users.c.id.in_(bindparam("user_ids", expanding=True)))
    )


def settings_of_default(user_id: int) -> NotificationSettings:
    """The settings of a person who never chose: default quiet hours, email on."""
    return NotificationSettings(
        user_id=user_id,
        quiet_start=QUIET_START_MINUTES,
        quiet_end=QUIET_END_MINUTES,
        no_email=False,
    )


def channels_for(user: Any, kind: str, reach: Reach | None = None) -> Channels:
    """Email unless stopped (essentials always); texts for people who agreed, by default those
    without email; each kind as the person chose. `reach` saves reading it again."""
    has_email = bool(getattr(user, "email", None))
    if is_essential(kind) or getattr(user, "id", None) is None:
        return Channels(email=has_email, sms=False)
    if reach is None:
        chosen, settings = preference_of(user.id, kind), settings_of(user.id)
    else:
        chosen, settings = reach.preference, reach.settings
    email = has_email and not settings.no_email
    sms = can_text(user)
    if chosen is not None:
        return Channels(email=email and chosen.email, sms=sms and chosen.sms)
    return Channels(email=email, sms=sms and not has_email)


def timezone_of(user: Any, settings: NotificationSettings | None = None) -> str:
    """The person's own time zone if set, else their first community's, else UTC."""
    if settings is not None and settings.timezone:
        return settings.timezone
    for membership in getattr(user, "memberships", None) or ():
        return membership.community.timezone
    return "UTC"


def hold_until(user: Any, kind: str, now: datetime, reach: Reach | None = None) -> datetime | None:
    """The next morning when `now` falls in the person's quiet hours, else None.

    Texts and non-urgent email wait; essentials (a password reset) never do. `reach` saves
    reading the settings and time zone again.
    """
    if is_essential(kind) or getattr(user, "id", None) is None:
        return None
    if reach is None:
        settings = settings_of(user.id)
        zone_name = timezone_of(user, settings)
    else:
        settings = reach.settings
        zone_name = settings.timezone or reach.community_timezone or "UTC"
    try:
        zone = ZoneInfo(zone_name)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    return quiet_end_after(now, settings.quiet_start, settings.quiet_end, zone)


def quiet_end_after(now: datetime, start: int, end: int, zone: ZoneInfo) -> datetime | None:
    """When quiet hours [start, end) (minutes after local midnight) end, if `now` is in them."""
    local = now.astimezone(zone)
    minute = local.hour * 60 + local.minute
    if start == end:
        return None
    if start < end:
        quiet, day = start <= minute < end, local.date()
    else:
        quiet = minute >= start or minute < end
        day = local.date() + timedelta(days=1) if minute >= start else local.date()
    if not quiet:
        return None
    morning = datetime.combine(day, time(end // 60, end % 60), tzinfo=zone)
    return morning.astimezone(UTC)


def _serializer() -> URLSafeSerializer:
    """Signs unsubscribe tokens with the app's secret."""
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def unsubscribe_token(user_id: int, kind: str, locale: str | None = None) -> str:
    """A signed token naming a person, a kind (or "*" for all non-essential email) and the
    language its page speaks (the person's, so no sign-in is needed to read it)."""
    return _serializer().dumps({"u": user_id, "k": kind, "l": locale or ""})


@dataclass(frozen=True)
class Unsubscribe:
    """What a valid unsubscribe token names."""

    user_id: int
    kind: str
    locale: str | None


def read_unsubscribe_token(token: str) -> Unsubscribe | None:
    """The person, kind and language a token names, or None when it was not signed by us."""
    try:
        data = _serializer().loads(token)
    except BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None
    kind = data.get("k")
    if kind != ALL_KINDS and kind not in CHOOSABLE_KINDS:
        return None
    locale = data.get("l")
    known = current_app.config["LANGUAGES"]
    return Unsubscribe(data["u"], kind, locale if locale in known else None)


def unsubscribe_url_for(
    user_id: int | None, kind: str | None, locale: str | None = None
) -> str | None:
    """The one-click unsubscribe link for a non-essential email to a known person."""
    if user_id is None or not kind or is_essential(kind):
        return None
    named = kind if kind in CHOOSABLE_KINDS else ALL_KINDS
    token = unsubscribe_token(user_id, named, locale)
    return absolute_url("notification_settings.unsubscribe", token=token)


def unsubscribe(user_id: int, kind: str) -> bool:
    """Stop one kind of email (or all non-essential email) for a person; False if they are gone."""
    if kind == ALL_KINDS:
        settings = db.session.get(NotificationSettings, user_id)
        if settings is None:
            settings = NotificationSettings(user_id=user_id)
            db.session.add(settings)
        settings.no_email = True
    else:
        chosen = preference_of(user_id, kind)
        if chosen is None:
            chosen = NotificationPreference(user_id=user_id, kind=kind, email=True, sms=True)
            db.session.add(chosen)
        chosen.email = False
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return False
    return True


@dataclass(frozen=True)
class Choices:
    """What the preferences page saves."""

    email_kinds: frozenset[str]
    sms_kinds: frozenset[str]
    no_email: bool
    quiet_start: int
    quiet_end: int


def current_choices(user: Any) -> Choices:
    """What a person receives today, kind by kind, for the preferences page."""
    email, sms = set(), set()
    for kind in CHOOSABLE_KINDS:
        chosen = preference_of(user.id, kind)
        if chosen is None or chosen.email:
            email.add(kind)
        if chosen.sms if chosen is not None else not getattr(user, "email", None):
            sms.add(kind)
    settings = settings_of(user.id)
    return Choices(
        frozenset(email),
        frozenset(sms),
        settings.no_email,
        settings.quiet_start,
        settings.quiet_end,
    )


def save_choices(user_id: int, choices: Choices) -> None:
    """Store a person's channels per kind, email switch and quiet hours; commit."""
    existing = {
        row.kind: row
        for row in db.session.scalars(
            select(NotificationPreference).where(NotificationPreference.user_id == user_id)
        )
    }
    for kind in CHOOSABLE_KINDS:
        row = existing.get(kind)
        if row is None:
            row = NotificationPreference(user_id=user_id, kind=kind)
            db.session.add(row)
        row.email = kind in choices.email_kinds
        row.sms = kind in choices.sms_kinds
    settings = db.session.get(NotificationSettings, user_id)
    if settings is None:
        settings = NotificationSettings(user_id=user_id)
        db.session.add(settings)
    settings.no_email = choices.no_email
    settings.quiet_start, settings.quiet_end = choices.quiet_start, choices.quiet_end
    db.session.commit()
