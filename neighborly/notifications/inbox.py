"""The in-app inbox: every event that emails a person also leaves a notice they can open."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from flask import g
from flask_babel import force_locale
from flask_login import current_user
from sqlalchemy import ColumnElement, func, select, update

from neighborly.errors import NotFound
from neighborly.extensions import db
from neighborly.notifications.models import Notification
from neighborly.paging import Key, Page, keyset_page
from neighborly.records import load_record
from neighborly.timeutil import utcnow

# Account mail (confirm, reset, sign-in links) carries one-time links and goes to an address,
# not to a person's inbox: those kinds never become notices.
NOT_IN_INBOX = ("accounts.",)
PAGE_SIZE = 20
# The header counts at most this many unread notices (it then shows "99+"): bounded work.
COUNT_CAP = 100


def local_path(link: str | None) -> str:
    """The path (and query) of a link, when it is a path on this site; else an empty string."""
    if not link:
        return ""
    parts = urlsplit(link)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    if not path.startswith("/") or path.startswith("//") or "\\" in path:
        return ""
    return path[:300]


def record_notice(
    user: Any,
    subject: Any,
    kind: str,
    context: Mapping[str, Any] | str | None = None,
    now: datetime | None = None,
) -> Notification | None:
    """Add a notice to the person's inbox in the caller's transaction, in their language.

    `context` is notify()'s: its `link` is where the notice points and its `notice_detail`
    (a lazy string) a second line. A plain string is taken as the link. Phone-in residents
    without email get notices too; account mail (one-time links) does not.
    """
    if user is None or getattr(user, "id", None) is None or kind.startswith(NOT_IN_INBOX):
        return None
    if getattr(user, "deleted_at", None) is not None:
        return None
    values = {"link": context} if isinstance(context, str) or context is None else context
    with force_locale(user.locale or "en"):
        title = str(subject)[:200]
        detail = str(values.get("notice_detail") or "")[:400]
    notice = Notification(
        user_id=user.id,
        kind=kind,
        title=title,
        detail=detail,
        link=local_path(values.get("link")),
        created_at=now or utcnow(),
    )
    db.session.add(notice)
    return notice


def notices_of(
    user: Any, after: int | None = None, before: int | None = None, size: int = PAGE_SIZE
) -> Page:
    """A page of the person's notices, newest first (keyset on the id)."""
    query = select(Notification).where(Notification.user_id == user.id)
    return keyset_page(
        query, [Key(Notification.id, descending=True)], after=after, before=before, size=size
    )


def unread_count(user: Any) -> int:
    """How many unread notices the person has, counting no further than COUNT_CAP (one query)."""
    return db.session.scalar(select(unread_count_of(user.id))) or 0


def unread_count_of(user_id: int | ColumnElement[int]):
    """SQL: one person's unread notices, counted no further than COUNT_CAP; a scalar subquery
    to read on its own (an id) or beside the person (`User.id`: correlated to the row read)."""
    capped = (
        select(Notification.id)
        .where(Notification.user_id == user_id, Notification.read_at.is_(None))
        .correlate_except(Notification)
        .limit(COUNT_CAP)
        .subquery()
    )
    return select(func.count()).select_from(capped).scalar_subquery()


def open_notice(notice_id: int, user: Any, now: datetime | None = None) -> str:
    """Mark one of the person's notices read and return where it points (a local path)."""
    notice = load_record(Notification, notice_id)
    if notice.user_id != user.id:
        raise NotFound(notice_id)
    db.session.execute(
        update(Notification)
        .where(Notification.id == notice_id, Notification.read_at.is_(None))
        .values(read_at=now or utcnow())
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return local_path(notice.link)


def mark_all_read(user: Any, now: datetime | None = None) -> int:
    """Mark every unread notice of the person read; return how many changed."""
    changed = db.session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=now or utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    return changed


def reader_timezone(user: Any) -> str:
    """The time zone a person reads times in: their first community's, else UTC."""
    zones = sorted((m.community_id, m.community.timezone) for m in user.memberships)
    return zones[0][1] if zones else "UTC"


def header_unread() -> int:
    """The header's unread count for the signed-in person: counted when they were read (see
    `load_session_user`), else one COUNT per page; none signed out."""
    if "unread_notices" not in g:
        signed_in = current_user and current_user.is_authenticated
        read_with_them = getattr(current_user, "unread_notices", None) if signed_in else None
        if read_with_them is not None:  # counted in the statement that read the person
            g.unread_notices = read_with_them
        else:
            g.unread_notices = unread_count(current_user) if signed_in else 0
    return g.unread_notices


def inbox_helpers() -> dict:
    """Template context: `unread_notices()` is asked only by the header, so emails cost nothing."""
    return {"unread_notices": header_unread}
