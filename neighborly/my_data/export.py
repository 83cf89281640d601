"""Download my data: everything Neighborly holds about one person, as JSON-ready values.

The person's own data only: their requests and standing requests with their own address, the
requests they helped with or were invited to without the asker's address, from mentoring only
what a mentor sees (never a child's restricted fields), and from safety only what they did
themselves (whom they blocked, what they reported), never who blocked or reported them.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import aliased, selectinload

from neighborly.accounts.models import Community, User
from neighborly.accounts.privacy import account_export, iso
from neighborly.accounts.safety_models import Block, Report
from neighborly.audit import AuditEvent, record_audit
from neighborly.calendars.models import CalendarFeed
from neighborly.extensions import db
from neighborly.help_requests.models import (
    HelpRequest,
    Invitation,
    NoShow,
    RequestSeries,
    VolunteerProfile,
    Withdrawal,
)
from neighborly.mentoring.models import (
    Meeting,
    Mentee,
    MentorEnrollment,
    Pairing,
    PairStatus,
    Program,
)
from neighborly.messages.models import Message
from neighborly.notifications.models import Notification
from neighborly.notifications.preference_models import (
    NotificationPreference,
    NotificationSettings,
)
from neighborly.resources.models import ResourceSuggestion
from neighborly.timeutil import utcnow

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

def export_my_data(user: User, now: datetime | None = None) -> dict:
    """Everything Neighborly holds about this person, as JSON-ready values; audited."""
    now = now or utcnow()
    data = {
        "exported_at": iso(now),
        **account_export(user),
        "help_requests_asked": _asked(user),
        "help_requests_helped": _helped(user),
        "volunteer_profiles": _volunteer_profiles(user),
        "thank_you_notes": _thank_you_notes(user),
        "mentor_enrolments": _mentor_enrolments(user),
        "meetings_logged": _meetings_logged(user),
        "resource_suggestions": _suggestions(user),
        "standing_requests": _standing_requests(user),
        "invitations_received": _invitations_received(user),
        "stepped_back": _stepped_back(user),
        "no_shows_recorded": _no_shows(user),
        "notification_choices": _notification_choices(user),
        "notifications": _notices(user),
        "messages_written": _messages_written(user),
        "people_blocked": _people_blocked(user),
        "reports_made": _reports_made(user),
        "calendar_link_on": _calendar_link_on(user),
        "audit_events": _audit_events(user),
    }
    record_audit(user.id, "account.data_exported", "user", user.id, now=now)
    db.session.commit()
    return data


def _requests_with_community(condition, first_by) -> list:
    """(request, community name) pairs matching a condition, oldest first by one column; the
    people named beside each are read in one more statement, not one per request."""
    return db.session.execute(
        select(HelpRequest, Community.name)
        .join(Community, Community.id == HelpRequest.community_id)
        .where(condition)
        .order_by(first_by, HelpRequest.id)
        .options(selectinload(HelpRequest.requester), selectinload(HelpRequest.volunteer))
    ).all()


def _standing_requests(user: User) -> list[dict]:
    """The person's standing requests (every Tuesday's bins ...), with their own address."""
    rows = db.session.execute(
        select(RequestSeries, Community.name)
        .join(Community, Community.id == RequestSeries.community_id)
        .where(RequestSeries.requester_id == user.id)
        .order_by(RequestSeries.created_at, RequestSeries.id)
        .options(selectinload(RequestSeries.regular))
    ).all()
    return [
        {
            "community": community,
            "kind": str(series.kind),
            "category": str(series.category),
            "title": series.title,
            "details": series.details,
            "street_address": series.street_address,
            "postal_code": series.postal_code,
            "status": str(series.status),
            "weekday": WEEKDAYS[series.weekday] if series.weekday is not None else None,
            "starts_at": _clock(series.start_minute) if series.start_minute is not None else None,
            "window_minutes": series.window_minutes,
            "starts_on": iso(series.starts_on),
            "ends_on": iso(series.ends_on),
            "regular_helper": series.regular.display_name if series.regular else None,
            "created_at": iso(series.created_at),
        }
        for series, community in rows
    ]


def _invitations_received(user: User) -> list[dict]:
    """Requests the platform invited the person to, with why they were chosen (never the
    asker's address)."""
    rows = db.session.execute(
        select(Invitation, HelpRequest.title, Community.name)
        .join(HelpRequest, HelpRequest.id == Invitation.request_id)
        .join(Community, Community.id == Invitation.community_id)
        .where(Invitation.volunteer_id == user.id)
        .order_by(Invitation.created_at, Invitation.id)
    ).all()
    return [
        {
            "community": community,
            "request": title,
            "round": invitation.round,
            "score": invitation.score,
            "reasons": invitation.reasons,
            "status": str(invitation.status),
            "decline_reason": invitation.decline_reason,
            "invited_at": iso(invitation.created_at),
            "answered_at": iso(invitation.answered_at),
        }
        for invitation, title, community in rows
    ]


def _stepped_back(user: User) -> list[dict]:
    """Requests the person took and then stepped back from, with the reason they gave."""
    rows = db.session.execute(
        select(Withdrawal.reason, Withdrawal.created_at, HelpRequest.title)
        .join(HelpRequest, HelpRequest.id == Withdrawal.request_id)
        .where(Withdrawal.volunteer_id == user.id)
        .order_by(Withdrawal.created_at, Withdrawal.id)
    ).all()
    return [{"request": title, "reason": reason, "at": iso(at)} for reason, at, title in rows]


def _no_shows(user: User) -> list[dict]:
    """Help the person said was done and the neighbour said was not (who said so is left out)."""
    rows = db.session.execute(
        select(NoShow.created_at, HelpRequest.title)
        .join(HelpRequest, HelpRequest.id == NoShow.request_id)
        .where(NoShow.volunteer_id == user.id)
        .order_by(NoShow.created_at, NoShow.id)
    ).all()
    return [{"request": title, "recorded_at": iso(at)} for at, title in rows]


def _notification_choices(user: User) -> dict:
    """Quiet hours, the email switch, texts and each kind's channels, as the person chose."""
    settings = db.session.get(NotificationSettings, user.id)
    kinds = db.session.scalars(
        select(NotificationPreference)
        .where(NotificationPreference.user_id == user.id)
        .order_by(NotificationPreference.kind)
    )
    return {
        "chosen": settings is not None,
        "quiet_from": _clock(settings.quiet_start) if settings else None,
        "quiet_until": _clock(settings.quiet_end) if settings else None,
        "time_zone": settings.timezone if settings else None,
        "no_email": settings.no_email if settings else False,
        "texts_agreed": user.sms_consent,
        "by_kind": [{"kind": k.kind, "email": k.email, "text": k.sms} for k in kinds],
    }


def _clock(minutes: int) -> str:
    """Minutes after midnight as a 24-hour clock time ("21:00")."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _asked(user: User) -> list[dict]:
    """The person's own requests, with their own address."""
    rows = _requests_with_community(HelpRequest.requester_id == user.id, HelpRequest.created_at)
    return [
        {
            "community": community,
            "category": str(req.category),
            "title": req.title,
            "details": req.details,
            "street_address": req.street_address,
            "postal_code": req.postal_code,
            "status": str(req.status),
            "needed_by": iso(req.needed_by),
            "estimated_minutes": req.estimated_minutes,
            "created_at": iso(req.created_at),
            "completed_at": iso(req.completed_at),
            "helper": req.volunteer.display_name if req.volunteer else None,
        }
        for req, community in rows
    ]


def _helped(user: User) -> list[dict]:
    """Requests the person took as a helper: never the asker's address or point."""
    rows = _requests_with_community(HelpRequest.volunteer_id == user.id, HelpRequest.accepted_at)
    return [
        {
            "community": community,
            "category": str(req.category),
            "title": req.title,
            "status": str(req.status),
            "asker": req.requester.display_name,
            "accepted_at": iso(req.accepted_at),
            "completed_at": iso(req.completed_at),
            "minutes_spent": req.minutes_spent,
        }
        for req, community in rows
    ]


def _volunteer_profiles(user: User) -> list[dict]:
    """Where and how the person offers help, in each community."""
    profiles = db.session.scalars(
        select(VolunteerProfile).where(VolunteerProfile.user_id == user.id)
    )
    return [
        {
            "community_id": profile.community_id,
            "home_postal_code": profile.home_postal_code,
            "home_lat": profile.home_lat,
            "home_lng": profile.home_lng,
            "radius_km": profile.radius_km,
            "categories": profile.categories,
            "availability": profile.availability,
            "capacity": profile.capacity,
            "accepting": profile.accepting,
            "verified_at": iso(profile.verified_at),
        }
        for profile in profiles
    ]


def _thank_you_notes(user: User) -> dict:
    """Thank-you notes the person wrote (as asker) and received (as helper)."""
    written = db.session.execute(
        select(HelpRequest.title, HelpRequest.thank_you_note, HelpRequest.confirmed_at).where(
            HelpRequest.requester_id == user.id, HelpRequest.thank_you_note.is_not(None)
        )
    ).all()
    received = db.session.execute(
        select(HelpRequest.title, HelpRequest.thank_you_note, HelpRequest.confirmed_at).where(
            HelpRequest.volunteer_id == user.id, HelpRequest.thank_you_note.is_not(None)
        )
    ).all()

    def note(row) -> dict:
        return {"request": row[0], "note": row[1], "at": iso(row[2])}

    return {"written": [note(r) for r in written], "received": [note(r) for r in received]}


def _mentor_enrolments(user: User) -> list[dict]:
    """The person's mentor applications, with what a mentor sees of their mentees."""
    rows = db.session.execute(
        select(MentorEnrollment, Program.name)
        .join(Program, Program.id == MentorEnrollment.program_id)
        .where(MentorEnrollment.user_id == user.id)
        .order_by(MentorEnrollment.created_at)
    ).all()
    return [
        {
            "program": program,
            "status": str(enrollment.status),
            "grade": enrollment.grade,
            "school": enrollment.school,
            "interests": enrollment.interests,
            "languages": enrollment.languages,
            "availability": enrollment.availability,
            "motivation": enrollment.motivation,
            "guardian_consent_on": iso(enrollment.guardian_consent_on),
            "training_completed_on": iso(enrollment.training_completed_on),
            "applied_at": iso(enrollment.created_at),
            "pairs": _pairs_of(enrollment),
        }
        for enrollment, program in rows
    ]


def _pairs_of(enrollment: MentorEnrollment) -> list[dict]:
    """A mentor's pairs as the mentor sees them: first name, last initial, grade, meeting."""
    rows = db.session.execute(
        select(Pairing, Mentee.first_name, Mentee.last_initial, Mentee.grade)
        .join(Mentee, Mentee.id == Pairing.mentee_id)
        .where(
            Pairing.mentor_id == enrollment.id,
            Pairing.status.in_((PairStatus.ACTIVE, PairStatus.CLOSED)),
        )
        .order_by(Pairing.started_on)
    ).all()
    return [
        {
            "mentee": f"{first} {initial}.",
            "grade": grade,
            "status": str(pair.status),
            "started_on": iso(pair.started_on),
            "closed_on": iso(pair.closed_on),
            "meeting_time": pair.meeting_time,
            "meeting_place": pair.meeting_place,
        }
        for pair, first, initial, grade in rows
    ]


def _meetings_logged(user: User) -> list[dict]:
    """Meetings the person logged."""
    meetings = db.session.scalars(
        select(Meeting).where(Meeting.logged_by_id == user.id).order_by(Meeting.met_on)
    )
    return [
        {
            "met_on": iso(meeting.met_on),
            "minutes": meeting.minutes,
            "activity": meeting.activity,
            "notes": meeting.notes,
        }
        for meeting in meetings
    ]


def _suggestions(user: User) -> list[dict]:
    """Resources the person suggested and what became of them."""
    suggestions = db.session.scalars(
        select(ResourceSuggestion)
        .where(ResourceSuggestion.suggested_by_id == user.id)
        .order_by(ResourceSuggestion.created_at)
    )
    return [
        {
            "title": suggestion.title,
            "url": suggestion.url,
            "summary": suggestion.summary,
            "status": str(suggestion.status),
            "suggested_at": iso(suggestion.created_at),
        }
        for suggestion in suggestions
    ]


def _notices(user: User) -> list[dict]:
    """The person's in-app notices."""
    notices = db.session.scalars(
        select(Notification).where(Notification.user_id == user.id).order_by(Notification.id)
    )
    return [
        {"kind": n.kind, "title": n.title, "at": iso(n.created_at), "read_at": iso(n.read_at)}
        for n in notices
    ]


def _messages_written(user: User) -> list[dict]:
    """What the person wrote in request and pair threads."""
    messages = db.session.scalars(
        select(Message).where(Message.author_id == user.id).order_by(Message.id)
    )
    return [
        {
            "thread": f"{m.thread_kind.value}-{m.thread_id}",
            "text": m.body,
            "at": iso(m.created_at),
            "hidden": m.hidden_at is not None,
        }
        for m in messages
    ]


def _people_blocked(user: User) -> list[dict]:
    """Whom the person blocked, by the name they saw (never who blocked them)."""
    blocked = aliased(User)
    rows = db.session.execute(
        select(blocked, Block.created_at)
        .join(Block, Block.blocked_id == blocked.id)
        .where(Block.blocker_id == user.id)
        .order_by(Block.created_at, Block.id)
    ).all()
    return [{"name": person.display_name, "since": iso(since)} for person, since in rows]


def _reports_made(user: User) -> list[dict]:
    """What the person reported, in their own words, and whether it was dealt with (never a
    report about them, nor the coordinator's notes)."""
    rows = db.session.execute(
        select(Report.reason, Report.status, Report.created_at)
        .where(Report.reporter_id == user.id)
        .order_by(Report.created_at, Report.id)
    ).all()
    return [
        {"reason": reason, "status": str(status), "at": iso(at)} for reason, status, at in rows
    ]


def _calendar_link_on(user: User) -> bool:
    """Whether the person has a calendar link (the link itself is never stored)."""
    return (
        db.session.scalar(select(CalendarFeed.id).where(CalendarFeed.user_id == user.id))
        is not None
    )


def _audit_events(user: User) -> list[dict]:
    """What the audit log holds about the person: the action and its time, nothing else."""
    events = db.session.execute(
        select(AuditEvent.action, AuditEvent.created_at)
        .where(
            or_(
                AuditEvent.actor_id == user.id,
                (AuditEvent.object_type == "user") & (AuditEvent.object_id == user.id),
            )
        )
        .order_by(AuditEvent.created_at, AuditEvent.id)
    ).all()
    return [{"action": action, "at": iso(at)} for action, at in events]
