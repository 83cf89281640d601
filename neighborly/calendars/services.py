"""A person's calendar: accepted tasks, their own requests being helped, mentoring dates.

The feed is read by calendar apps without signing in, through a secret link kept only as a
hash; it never carries a street address. The single-task file, downloaded signed in by the
helper or the resident, carries the address when the page would show it (an audited reveal).
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import delete, select

from neighborly.accounts.models import User
from neighborly.accounts.services import token_digest
from neighborly.audit import record_audit
from neighborly.calendars.ics import Entry, calendar_file
from neighborly.calendars.models import CalendarFeed
from neighborly.errors import NotFound
from neighborly.extensions import db
from neighborly.help_requests.models import HelpRequest, Status
from neighborly.help_requests.services import reveal_address
from neighborly.mentoring.models import (
    EnrollmentStatus,
    GroupEvent,
    Meeting,
    MentorEnrollment,
    Pairing,
    Program,
)
from neighborly.notifications.services import absolute_url
from neighborly.records import load_record
from neighborly.timeutil import utcnow

# Each kind of entry: at most this many, from this far back (bounded work per fetch).
MOST = 200
LOOKBACK = timedelta(days=60)


def start_feed(user: User, now: datetime | None = None) -> str:
    """A new secret feed link for the person (shown once); any older link stops working."""
    token = secrets.token_urlsafe(32)
    db.session.execute(delete(CalendarFeed).where(CalendarFeed.user_id == user.id))
    db.session.add(
        CalendarFeed(user_id=user.id, token_hash=token_digest(token), created_at=now or utcnow())
    )
    record_audit(user.id, "calendar.link_created", "user", user.id, now=now)
    db.session.commit()
    return token


def stop_feed(user: User, now: datetime | None = None) -> bool:
    """Turn the person's feed link off; whether there was one."""
    removed = db.session.execute(
        delete(CalendarFeed).where(CalendarFeed.user_id == user.id)
    ).rowcount
    if removed:
        record_audit(user.id, "calendar.link_revoked", "user", user.id, now=now)
    db.session.commit()
    return bool(removed)


def feed_of(user: User) -> CalendarFeed | None:
    """The person's current feed link record, if any."""
    return db.session.scalar(select(CalendarFeed).where(CalendarFeed.user_id == user.id))


def feed_owner(token: str) -> User:
    """The person a feed link belongs to, or NotFound (unknown or revoked)."""
    feed = db.session.scalar(
        select(CalendarFeed).where(CalendarFeed.token_hash == token_digest(token or ""))
    )
    user = db.session.get(User, feed.user_id) if feed else None
    if user is None or user.deleted_at is not None or not user.is_active_account:
        raise NotFound("calendar")
    return user


def personal_feed(token: str, now: datetime | None = None) -> bytes:
    """The feed behind a secret link: tasks, requests being helped, mentoring dates."""
    user = feed_owner(token)
    now = now or utcnow()
    with force_locale(user.locale or "en"):
        entries = [
            *_helping(user, now),
            *_being_helped(user, now),
            *_mentoring(user, now),
        ]
        return calendar_file(entries, now, name=_("Neighborly"))


def _uid(kind: str, record_id: int) -> str:
    """A stable id for a calendar entry."""
    host = urlsplit(current_app.config["PUBLIC_URL"]).hostname or "neighborly"
    return f"{kind}-{record_id}@{host}"


def _accepted(where, now: datetime) -> list[HelpRequest]:
    """Accepted requests with a time, from LOOKBACK ago on, soonest first, at most MOST."""
    return list(
        db.session.scalars(
            select(HelpRequest)
            .where(
                where,
                HelpRequest.status == Status.ACCEPTED,
                HelpRequest.needed_by.is_not(None),
                HelpRequest.needed_by >= now - LOOKBACK,
            )
            .order_by(HelpRequest.needed_by, HelpRequest.id)
            .limit(MOST)
        )
    )


def _task_entry(request: HelpRequest, summary: str, location: str = "") -> Entry:
    """A request as a timed entry: its estimated time, ending when it is needed by."""
    return Entry(
        uid=_uid("help-request", request.id),
        summary=summary,
        url=absolute_url("help_requests.detail", request_id=request.id),
        description=_("Details, the address and the messages are on the request's page."),
        location=location,
        start=request.needed_by - timedelta(minutes=request.estimated_minutes or 30),
        end=request.needed_by,
    )


def _helping(user: User, now: datetime) -> list[Entry]:
    """Requests the person has accepted as a volunteer (no address in the feed)."""
    return [
        _task_entry(r, _("Help %(name)s: %(title)s", name=r.requester.display_name, title=r.title))
        for r in _accepted(HelpRequest.volunteer_id == user.id, now)
    ]


def _being_helped(user: User, now: datetime) -> list[Entry]:
    """The person's own requests that a neighbour has accepted."""
    return [
        _task_entry(
            r,
            _(
                "%(name)s comes to help: %(title)s",
                name=r.volunteer.display_name if r.volunteer else "",
                title=r.title,
            ),
        )
        for r in _accepted(HelpRequest.requester_id == user.id, now)
    ]


def _mentoring(user: User, now: datetime) -> list[Entry]:
    """Group events of the programs the person mentors in, and their pairs' logged meetings."""
    enrollments = db.session.execute(
        select(MentorEnrollment.id, Program)
        .join(Program, Program.id == MentorEnrollment.program_id)
        .where(
            MentorEnrollment.user_id == user.id,
            MentorEnrollment.status == EnrollmentStatus.APPROVED,
        )
    ).all()
    if not enrollments:
        return []
    programs = {program.id: program for _id, program in enrollments}
    since = (now - LOOKBACK).date()
    events = db.session.scalars(
        select(GroupEvent)
        .where(GroupEvent.program_id.in_(programs), GroupEvent.held_on >= since)
        .order_by(GroupEvent.held_on, GroupEvent.id)
        .limit(MOST)
    ).all()
    meetings = db.session.scalars(
        select(Meeting)
        .join(Pairing, Pairing.id == Meeting.pairing_id)
        .where(
            Pairing.mentor_id.in_([enrollment_id for enrollment_id, _p in enrollments]),
            Meeting.met_on >= since,
        )
        .order_by(Meeting.met_on, Meeting.id)
        .limit(MOST)
    ).all()
    return [
        *(
            Entry(
                uid=_uid("mentoring-event", e.id),
                summary=f"{e.name} ({programs[e.program_id].name})",
                url=absolute_url("mentoring.mentor_home", program_id=e.program_id),
                location=e.place,
                day=e.held_on,
            )
            for e in events
        ),
        *(
            Entry(
                uid=_uid("mentoring-meeting", m.id),
                summary=_("Mentoring meeting (%(program)s)", program=programs[m.program_id].name),
                url=absolute_url("mentoring.mentor_home", program_id=m.program_id),
                day=m.met_on,
            )
            for m in meetings
        ),
    ]


def may_save_task(request: HelpRequest, user: User) -> bool:
    """The helper and the resident of an accepted request that has a time."""
    return bool(
        getattr(user, "is_authenticated", False)
        and request.status == Status.ACCEPTED
        and request.needed_by is not None
        and user.id in (request.volunteer_id, request.requester_id)
    )


def task_file(request_id: int, user: User, now: datetime | None = None) -> bytes:
    """One accepted task as a calendar file; the address only as the page shows it (audited)."""
    request = load_record(HelpRequest, request_id)
    if not may_save_task(request, user):
        raise NotFound(request_id)
    location = ""
    if reveal_address(request, user):
        location = f"{request.street_address}, {request.postal_code}"
    if user.id == request.volunteer_id:
        summary = _(
            "Help %(name)s: %(title)s", name=request.requester.display_name, title=request.title
        )
    else:
        name = request.volunteer.display_name if request.volunteer else ""
        summary = _("%(name)s comes to help: %(title)s", name=name, title=request.title)
    return calendar_file([_task_entry(request, summary, location)], now or utcnow())
