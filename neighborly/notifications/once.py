"""Sent once: a reminder, digest or notice goes to a person once per thing and day."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.exc import IntegrityError

from neighborly.extensions import db
from neighborly.notifications.preference_models import SentOnce
from neighborly.timeutil import utcnow


def first_time(
    user_id: int, kind: str, thing: str, on_date: date, now: datetime | None = None
) -> bool:
    """Record (in the caller's transaction) that this is sent; False if it already was.

    The unique key (person, kind, thing, day) decides, so two runs at once send one copy.
    """
    try:
        with db.session.begin_nested():
            db.session.add(
                SentOnce(
                    user_id=user_id,
                    kind=kind,
                    thing=thing[:60],
                    on_date=on_date,
                    created_at=now or utcnow(),
                )
            )
    except IntegrityError:
        return False
    return True
