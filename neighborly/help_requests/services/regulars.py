"""Regular helpers: after two good turns, the same volunteer takes a standing request first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from neighborly.accounts.blocking import is_blocked, not_blocked
from neighborly.accounts.models import User
from neighborly.audit import record_audit
from neighborly.errors import NotAllowed
from neighborly.extensions import db
from neighborly.help_requests.errors import NotOpen
from neighborly.help_requests.models import (
    HelpRequest,
    Invitation,
    InvitationStatus,
    RequestSeries,
    SeriesStatus,
    Status,
)
from neighborly.help_requests.services.common import (
    get_request,
    is_coordinator,
    tell,
    transition,
)
from neighborly.help_requests.services.invitations import invite_backup, schedule_invitations
from neighborly.help_requests.services.series import can_see_series, get_series
from neighborly.notifications.services import absolute_url, deliver_pending, notify
from neighborly.timeutil import utcnow

TIMES_BEFORE_REGULAR = 2
FINISHED = (Status.COMPLETED, Status.CONFIRMED)


def times_helped(series: RequestSeries, volunteer_id: int) -> int:
    """How often this volunteer finished helping the series' resident in its category."""
    return db.session.scalar(
        select(func.count(HelpRequest.id)).where(
            HelpRequest.requester_id == series.requester_id,
            HelpRequest.community_id == series.community_id,
            HelpRequest.volunteer_id == volunteer_id,
            HelpRequest.category == series.category,
            HelpRequest.status.in_(FINISHED),
        )
    )


def can_become_regular(series: RequestSeries, volunteer_id: int) -> bool:
    """Helped twice in the category, the series is active and has no regular yet."""
    return (
        series.status == SeriesStatus.ACTIVE
        and series.regular_id is None
        and volunteer_id != series.requester_id
        and times_helped(series, volunteer_id) >= TIMES_BEFORE_REGULAR
        and not is_blocked(series.requester_id, volunteer_id)
    )


def regular_candidates(series: RequestSeries) -> list[User]:
    """Volunteers the resident could ask to become their regular helper."""
    if series.regular_id is not None or series.status != SeriesStatus.ACTIVE:
        return []
    rows = db.session.execute(
        select(HelpRequest.volunteer_id, func.count(HelpRequest.id))
        .where(
            HelpRequest.requester_id == series.requester_id,
            HelpRequest.community_id == series.community_id,
            HelpRequest.category == series.category,
            HelpRequest.status.in_(FINISHED),
            HelpRequest.volunteer_id.is_not(None),
            not_blocked(HelpRequest.volunteer_id, series.requester_id),
        )
        .group_by(HelpRequest.volunteer_id)
    ).all()
    ids = [vid for vid, count in rows if count >= TIMES_BEFORE_REGULAR]
    return _people(ids)


def backup_choices(series: RequestSeries) -> list[User]:
    """Volunteers the resident has had before (any kind of help), except the regular."""
    ids = db.session.scalars(
        select(HelpRequest.volunteer_id)
        .where(
            HelpRequest.requester_id == series.requester_id,
            HelpRequest.community_id == series.community_id,
            HelpRequest.status.in_(FINISHED),
            HelpRequest.volunteer_id.is_not(None),
            HelpRequest.volunteer_id != series.regular_id,
            not_blocked(HelpRequest.volunteer_id, series.requester_id),
        )
        .distinct()
    ).all()
    return _people(ids)


def _people(ids) -> list[User]:
    """Users by id, by name."""
    if not ids:
        return []
    people = db.session.scalars(select(User).where(User.id.in_(ids))).all()
    return sorted(people, key=lambda user: (user.display_name, user.id))


def may_view(series: RequestSeries, viewer: User) -> bool:
    """Who may open a series page: its people, and a volunteer who could become regular."""
    return can_see_series(series, viewer) or can_become_regular(series, viewer.id)


def agree_regular(
    series_id: int, actor: User, volunteer_id: int, now: datetime | None = None
) -> bool:
    """One side says yes to a regular helper; True once both have (the regular starts)."""
    now = now or utcnow()
    series = get_series(series_id)
    resident_side = actor.id == series.requester_id or is_coordinator(actor, series.community_id)
    if not resident_side and actor.id != volunteer_id:
        raise NotAllowed("regular")
    if not can_become_regular(series, volunteer_id):
        raise NotOpen(series_id)
    if series.offered_to_id != volunteer_id:
        series.offered_to_id = volunteer_id
        series.resident_agreed_at = series.volunteer_agreed_at = None
    if resident_side:
        series.resident_agreed_at = now
    else:
        series.volunteer_agreed_at = now
    volunteer = db.session.get(User, volunteer_id)
    link = absolute_url("help_requests.series_detail", series_id=series.id)
    both = series.resident_agreed_at is not None and series.volunteer_agreed_at is not None
    if both:
        series.regular_id, series.regular_since = volunteer_id, now
        series.offered_to_id = None
        if series.backup_id in (None, volunteer_id):
            choices = backup_choices(series)
            series.backup_id = choices[0].id if choices else None
        for person in (series.requester, volunteer):
            notify(person, _l("You are regulars now"), "help_requests/email/regular_agreed.txt",
                   now=now, series=series, link=link, helper=volunteer)
    else:
        other = volunteer if resident_side else series.requester
        notify(other, _l("Make it regular?"), "help_requests/email/regular_offered.txt",
               now=now, series=series, link=link, helper=volunteer)
    record_audit(actor.id, "series.regular_agreed", "request_series", series.id,
                 series.community_id, now=now)
    db.session.commit()
    deliver_pending()
    return both


def end_regular(series_id: int, actor: User, now: datetime | None = None) -> None:
    """Either side ends the arrangement kindly; coming weeks go back to invitations."""
    now = now or utcnow()
    series = get_series(series_id)
    regular = series.regular
    resident_side = actor.id == series.requester_id or is_coordinator(actor, series.community_id)
    involved = {series.regular_id, series.offered_to_id}
    if not resident_side and actor.id not in involved:
        raise NotAllowed("regular")
    series.regular_id = series.regular_since = series.offered_to_id = None
    series.resident_agreed_at = series.volunteer_agreed_at = None
    series.backup_id = None
    if regular is not None:
        coming = db.session.scalars(
            select(HelpRequest).where(
                HelpRequest.series_id == series.id,
                HelpRequest.status == Status.ACCEPTED,
                HelpRequest.volunteer_id == regular.id,
                HelpRequest.needed_from > now,
            )
        ).all()
        for request in coming:
            request.status, request.volunteer_id, request.accepted_at = Status.OPEN, None, None
            schedule_invitations(request, now)
        other = regular if resident_side else series.requester
        notify(other, _l("A regular arrangement has ended"),
               "help_requests/email/regular_ended.txt", now=now, series=series,
               link=absolute_url("help_requests.series_detail", series_id=series.id))
    record_audit(actor.id, "series.regular_ended", "request_series", series.id,
                 series.community_id, now=now)
    db.session.commit()
    deliver_pending()


def set_backup(series_id: int, actor: User, backup_id: int, now: datetime | None = None) -> None:
    """The resident or the regular names the backup (someone the resident has had before)."""
    series = get_series(series_id)
    resident_side = actor.id == series.requester_id or is_coordinator(actor, series.community_id)
    if not resident_side and actor.id != series.regular_id:
        raise NotAllowed("backup")
    if backup_id not in {user.id for user in backup_choices(series)}:
        raise NotOpen(series_id)
    series.backup_id = backup_id
    record_audit(actor.id, "series.backup_named", "request_series", series.id,
                 series.community_id, now=now)
    db.session.commit()


def not_this_week(request_id: int, volunteer: User, now: datetime | None = None) -> None:
    """The regular cannot come this time: the week opens again and the backup is asked."""
    now = now or utcnow()
    request = get_request(request_id)
    series = request.series
    if series is None or series.regular_id != volunteer.id:
        raise NotAllowed("regular")
    transition(
        request_id, (Status.ACCEPTED,), Status.OPEN, HelpRequest.volunteer_id == volunteer.id,
        volunteer_id=None, accepted_at=None, now=now,
    )
    db.session.execute(
        update(Invitation)
        .where(Invitation.request_id == request_id, Invitation.volunteer_id == volunteer.id)
        .values(status=InvitationStatus.DECLINED, answered_at=now, decline_reason="not this week")
        .execution_options(synchronize_session=False)
    )
    invite_backup(get_request(request_id), series, now)
    record_audit(volunteer.id, "request.not_this_week", "help_request", request_id,
                 request.community_id, now=now)
    tell(request.requester, _l("Your regular helper cannot come this time"), "not_this_week",
         request, now=now, helper=volunteer, backup=series.backup)
    db.session.commit()
    deliver_pending()


@dataclass(frozen=True)
class StandingOnRequest:
    """What a request page says about the series it belongs to, for this viewer."""

    series: RequestSeries
    can_join: bool  # the viewer may offer to become the regular helper
    can_skip_week: bool  # the viewer is the regular and holds this week


def standing_for(request: HelpRequest, viewer: User) -> StandingOnRequest | None:
    """The series part of a request page, if the request is one occurrence of a series."""
    series = request.series
    if series is None:
        return None
    holds = request.status == Status.ACCEPTED and request.volunteer_id == viewer.id
    return StandingOnRequest(
        series=series,
        can_join=request.is_finished and can_become_regular(series, viewer.id),
        can_skip_week=holds and series.regular_id == viewer.id,
    )
