"""Reminders the evening before an accepted task, and the volunteers' weekly digest.

Both are idempotent: each send is keyed by person, thing and day (notifications/once.py), so a
command run twice, or by two machines at once, sends one copy.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from neighborly.accounts.models import Community
from neighborly.extensions import db
from neighborly.help_requests.models import HelpRequest, Status, VolunteerProfile
from neighborly.help_requests.services.common import tell
from neighborly.help_requests.services.near_me import near_me
from neighborly.notifications.links import absolute_url
from neighborly.notifications.once import first_time
from neighborly.notifications.services import notify
from neighborly.timeutil import local_time, utcnow

DIGEST_TOP = 3
DIGEST_WINDOW = timedelta(days=7)
BATCH = 200


def send_task_reminders(now: datetime | None = None) -> int:
    """Remind each helper of an accepted task due tomorrow (their community's day); how many."""
    now = now or utcnow()
    due_soon = (
        select(HelpRequest)
        .where(
            HelpRequest.status == Status.ACCEPTED,
            HelpRequest.volunteer_id.is_not(None),
            HelpRequest.needed_by > now,
            HelpRequest.needed_by <= now + timedelta(hours=48),
        )
        .order_by(HelpRequest.id)
    )
    sent = 0
    for request in db.session.scalars(due_soon).all():
        zone = request.community.timezone
        day = local_time(request.needed_by, zone).date()
        if day != local_time(now, zone).date() + timedelta(days=1):
            continue
        thing = f"help_request:{request.id}"
        if first_time(request.volunteer_id, "reminder", thing, day, now=now):
            subject = _l("Tomorrow: you are helping a neighbour")
            tell(request.volunteer, subject, "reminder", request, now=now)
            sent += 1
        db.session.commit()
    return sent


def send_weekly_digest(now: datetime | None = None) -> int:
    """Tell each volunteer how many neighbours near them asked this week, with the top few."""
    now = now or utcnow()
    sent, last_id = 0, 0
    while True:
        profiles = db.session.scalars(
            select(VolunteerProfile)
            .where(VolunteerProfile.id > last_id, VolunteerProfile.accepting.is_(True))
            .order_by(VolunteerProfile.id)
            .limit(BATCH)
        ).all()
        if not profiles:
            return sent
        for profile in profiles:
            sent += _digest_for(profile, now)
        last_id = profiles[-1].id


def _digest_for(profile: VolunteerProfile, now: datetime) -> int:
    """One volunteer's digest, once per week (keyed by the Monday of their community's week)."""
    person, community = profile.user, db.session.get(Community, profile.community_id)
    if person.email is None or person.deleted_at is not None:
        return 0
    nearby = near_me(person, community, now=now)  # derived from cells only
    recent = _asked_since({item.request_id for item in nearby}, now - DIGEST_WINDOW)
    fresh = [item for item in nearby if item.request_id in recent]
    if not fresh:
        return 0
    week = _monday(local_time(now, community.timezone).date())
    if not first_time(person.id, "digest", f"community:{community.id}", week, now=now):
        db.session.rollback()
        return 0
    queued = notify(
        person,
        _l("Neighbours near you asked for help this week"),
        "help_requests/email/digest.txt",
        now=now,
        count=len(fresh),
        top=fresh[:DIGEST_TOP],
        community=community,
        link=absolute_url("help_requests.near_me", slug=community.slug),
    )
    db.session.commit()
    return 1 if queued is not None else 0


def _asked_since(request_ids: set[int], since: datetime) -> set[int]:
    """Which of these requests were asked since a moment."""
    if not request_ids:
        return set()
    query = select(HelpRequest.id).where(
        HelpRequest.id.in_(sorted(request_ids)), HelpRequest.created_at >= since
    )
    return set(db.session.scalars(query))


def _monday(day: date) -> date:
    """The Monday of a day's week."""
    return day - timedelta(days=day.weekday())

