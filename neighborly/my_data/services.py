"""Delete my account, and the download (export.py): what every domain holds about one person.

Deleting anonymises, in one transaction, and keeps the requests and thank-you notes for the
community's history without anything that names or locates the person: their standing requests
end and lose their address, what they had taken goes back to the other volunteers (the askers
are told), and their notification choices go.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select, update

from neighborly.accounts.models import User
from neighborly.accounts.passwords import verify_password
from neighborly.accounts.privacy import LastCoordinator, erase_account, sole_coordinator_of
from neighborly.calendars.models import CalendarFeed
from neighborly.errors import Conflict, DomainError
from neighborly.extensions import db
from neighborly.geo.cells import cell_centre
from neighborly.help_requests.models import (
    HelpRequest,
    RequestSeries,
    SeriesStatus,
    Status,
    VolunteerProfile,
    Withdrawal,
)
from neighborly.help_requests.services.common import tell
from neighborly.mentoring.models import EnrollmentStatus, MentorEnrollment, Pairing, PairStatus
from neighborly.mentoring.services.common import supersede_proposals
from neighborly.messages.models import Message
from neighborly.my_data.export import export_my_data
from neighborly.notifications.models import Notification
from neighborly.notifications.preference_models import (
    NotificationPreference,
    NotificationSettings,
)
from neighborly.timeutil import local_time, utcnow

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
        _end_standing_requests(user, now)
        _release_accepted_requests(user, now)
        _leave_regular_arrangements(user)
        db.session.execute(delete(VolunteerProfile).where(VolunteerProfile.user_id == user.id))
        db.session.execute(delete(Notification).where(Notification.user_id == user.id))
        _forget_notification_choices(user)
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
    """Requests the person had accepted but not done go back to the other volunteers, and
    each asker hears that their request is open again (as when a helper steps back): once for
    the coming weeks of one standing request."""
    taken = db.session.scalars(
        select(HelpRequest).where(
            HelpRequest.volunteer_id == user.id, HelpRequest.status == Status.ACCEPTED
        )
    ).all()
    told: set[tuple[int, int]] = set()  # (asker, standing request or -request id)
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
        if (req.requester_id, req.series_id or -req.id) not in told:  # once per standing need
            told.add((req.requester_id, req.series_id or -req.id))
            subject = _l("Your request is open again")
            tell(req.requester, subject, "withdrawn", req, now=now, helper=user, reason=None)


def _end_standing_requests(user: User, now: datetime) -> None:
    """The person's standing requests end (no more occurrences) and lose their address."""
    for series in db.session.scalars(
        select(RequestSeries).where(RequestSeries.requester_id == user.id)
    ):
        series.street_address = ""
        series.lat, series.lng = cell_centre(series.cell)
        if series.status != SeriesStatus.ENDED:
            series.status = SeriesStatus.ENDED
            series.ends_on = local_time(now, series.community.timezone).date()


def _leave_regular_arrangements(user: User) -> None:
    """Other residents' standing requests no longer name the person as regular or backup;
    their coming weeks were released above and are invited as usual."""
    series = RequestSeries
    db.session.execute(
        update(series)
        .where(series.regular_id == user.id)
        .values(regular_id=None, regular_since=None, resident_agreed_at=None,
                volunteer_agreed_at=None, backup_id=None)
        .execution_options(synchronize_session=False)
    )  # fmt: skip
    for column in (series.offered_to_id, series.backup_id):
        db.session.execute(
            update(series)
            .where(column == user.id)
            .values({column.key: None})
            .execution_options(synchronize_session=False)
        )


def _forget_notification_choices(user: User) -> None:
    """Quiet hours and per-kind choices say nothing once there is nobody to tell."""
    db.session.execute(
        delete(NotificationPreference).where(NotificationPreference.user_id == user.id)
    )
    db.session.execute(delete(NotificationSettings).where(NotificationSettings.user_id == user.id))


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
