"""Download my data and delete my account: what every domain holds about one person.

The export is the person's own data only: their requests with their own address, the requests
they helped with without the asker's address, and from mentoring only what a mentor sees (never
a child's restricted fields). Deleting anonymises, in one transaction, and keeps the requests and
thank-you notes for the community's history without anything that names or locates the person.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, or_, select, update

from neighborly.accounts.models import Community, User
from neighborly.accounts.passwords import verify_password
from neighborly.accounts.privacy import (
    LastCoordinator,
    account_export,
    erase_account,
    iso,
    sole_coordinator_of,
)
from neighborly.audit import AuditEvent, record_audit
from neighborly.calendars.models import CalendarFeed
from neighborly.errors import Conflict, DomainError
from neighborly.extensions import db
from neighborly.geo.cells import cell_centre
from neighborly.help_requests.models import HelpRequest, Status, VolunteerProfile, Withdrawal
from neighborly.mentoring.models import (
    EnrollmentStatus,
    Meeting,
    Mentee,
    MentorEnrollment,
    Pairing,
    PairStatus,
    Program,
)
from neighborly.mentoring.services.common import supersede_proposals
from neighborly.messages.models import Message
from neighborly.notifications.models import Notification
from neighborly.resources.models import ResourceSuggestion
from neighborly.timeutil import utcnow

__all__ = [
    "LastCoordinator",
    "MentorWithActivePairs",
    "WrongPassword",
    "delete_my_account",
    "export_my_data",
]

WITHDRAWN_BECAUSE_DELETED = "The volunteer deleted their account."


class WrongPassword(DomainError):
    """The password typed to confirm is not the person's password."""


class MentorWithActivePairs(Conflict):
    """A mentor still has children paired with them: their coordinator closes the pairs first."""


# --- download my data ---------------------------------------------------------------------


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
        "notifications": _notices(user),
        "messages_written": _messages_written(user),
        "calendar_link_on": _calendar_link_on(user),
        "audit_events": _audit_events(user),
    }
    record_audit(user.id, "account.data_exported", "user", user.id, now=now)
    db.session.commit()
    return data


def _requests_with_community(condition, first_by) -> list:
    """(request, community name) pairs matching a condition, oldest first by one column."""
    return db.session.execute(
        select(HelpRequest, Community.name)
        .join(Community, Community.id == HelpRequest.community_id)
        .where(condition)
        .order_by(first_by, HelpRequest.id)
    ).all()


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


# --- delete my account ----------------------------------------------------------------------


def delete_my_account(user: User, password: str, now: datetime | None = None) -> None:
    """Erase the person, keep their requests and thanks anonymised; all or nothing, audited.

    A second call for an account already deleted does nothing. Refused (nothing changes) when
    the password is wrong, when the person is the last coordinator of a community, or when they
    mentor a child right now (their coordinator closes the pair with the family first)."""
    if user.deleted_at is not None:
        return
    if not verify_password(user.password_hash, password):
        raise WrongPassword()
    sole = sole_coordinator_of(user)
    if sole:
        raise LastCoordinator(sole)
    if _has_active_pairs(user):
        raise MentorWithActivePairs(user.id)
    now = now or utcnow()
    try:
        _anonymise_requests(user, now)
        _release_accepted_requests(user, now)
        db.session.execute(delete(VolunteerProfile).where(VolunteerProfile.user_id == user.id))
        db.session.execute(delete(Notification).where(Notification.user_id == user.id))
        db.session.execute(delete(Message).where(Message.author_id == user.id))
        db.session.execute(delete(CalendarFeed).where(CalendarFeed.user_id == user.id))
        _withdraw_enrolments(user)
        erase_account(user, now)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise


def _has_active_pairs(user: User) -> bool:
    """Whether the person mentors a child in an active pair."""
    return (
        db.session.scalar(
            select(Pairing.id)
            .join(MentorEnrollment, MentorEnrollment.id == Pairing.mentor_id)
            .where(MentorEnrollment.user_id == user.id, Pairing.status == PairStatus.ACTIVE)
            .limit(1)
        )
        is not None
    )


def _anonymise_requests(user: User, now: datetime) -> None:
    """The person's requests lose their address and exact point; open ones are cancelled."""
    requests = db.session.scalars(select(HelpRequest).where(HelpRequest.requester_id == user.id))
    for req in requests:
        req.street_address = ""
        req.intake_notes = None
        req.lat, req.lng = cell_centre(req.cell)
        if req.status in (Status.OPEN, Status.ACCEPTED):
            req.status = Status.CANCELLED
            req.cancelled_at = now


def _release_accepted_requests(user: User, now: datetime) -> None:
    """Requests the person had accepted but not done go back to the other volunteers."""
    taken = db.session.scalars(
        select(HelpRequest).where(
            HelpRequest.volunteer_id == user.id, HelpRequest.status == Status.ACCEPTED
        )
    )
    for req in taken:
        db.session.add(
            Withdrawal(
                request_id=req.id,
                community_id=req.community_id,
                volunteer_id=user.id,
                reason=WITHDRAWN_BECAUSE_DELETED,
                created_at=now,
            )
        )
        req.status, req.volunteer_id, req.accepted_at = Status.OPEN, None, None


def _withdraw_enrolments(user: User) -> None:
    """Mentor applications are withdrawn and their open proposals retired."""
    enrolments = db.session.scalars(
        select(MentorEnrollment).where(MentorEnrollment.user_id == user.id)
    ).all()
    for enrollment in enrolments:
        supersede_proposals(enrollment.program_id, mentor_id=enrollment.id)
    db.session.execute(
        update(MentorEnrollment)
        .where(
            MentorEnrollment.user_id == user.id,
            MentorEnrollment.status.in_((EnrollmentStatus.APPLIED, EnrollmentStatus.APPROVED)),
        )
        .values(status=EnrollmentStatus.WITHDRAWN)
        .execution_options(synchronize_session=False)
    )
