"""Invitations: the platform asks the best nearby volunteers itself, round by round.

A request's `next_round_at` says when its next step is due (None: nothing to do). Each step is
claimed with a conditional update on `invitation_round`, so `send_invitations` is idempotent
and two sweeps at once never send the same round twice. A series with a regular helper gives
the occurrence to the regular first; otherwise up to `Community.invitations_per_round`
volunteers are invited per round, and after ROUNDS unanswered rounds the coordinator's list
flags the request and the resident is told.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import case, select, update

from neighborly.accounts.blocking import is_blocked
from neighborly.accounts.models import Community, User
from neighborly.audit import record_audit
from neighborly.errors import NotFound
from neighborly.extensions import db
from neighborly.help_requests import matching
from neighborly.help_requests.errors import AlreadyTaken, NotOpen
from neighborly.help_requests.models import (
    HelpRequest,
    Invitation,
    InvitationStatus,
    RequestSeries,
    Status,
    Urgency,
    VolunteerProfile,
)
from neighborly.help_requests.services.common import tell, transition
from neighborly.help_requests.services.invitees import pick_invitees, room_today
from neighborly.help_requests.services.near_me import NearbyRequest, nearest_open
from neighborly.help_requests.services.transitions import accept_request
from neighborly.notifications.preferences import Reach
from neighborly.notifications.services import (
    absolute_url,
    deliver_pending,
    notify,
    reaches_for,
)
from neighborly.timeutil import local_time, utcnow

ROUNDS = 2  # rounds of invitations before a coordinator is asked to step in
INVITE_AHEAD = timedelta(days=3)  # invitations for a later window start this long before it
SHORTEST_WAIT = timedelta(minutes=5)
INVITED_EMAIL = "help_requests/email/invited.txt"
OPEN_ANSWERS = (InvitationStatus.INVITED, InvitationStatus.EXPIRED)


@dataclass(frozen=True)
class YesOutcome:
    """What saying yes led to: the request is yours, or here is the next nearest one."""

    won: bool
    request_id: int
    next_nearest: NearbyRequest | None = None


def first_round_at(request: HelpRequest, now: datetime) -> datetime:
    """When to start inviting: now, or a few days before a later window opens."""
    if request.needed_from is not None and request.needed_from - INVITE_AHEAD > now:
        return request.needed_from - INVITE_AHEAD
    return now


def round_wait(community: Community, request: HelpRequest, now: datetime) -> timedelta:
    """How long a round waits: the community's wait for the urgency, capped by the window."""
    minutes = {
        Urgency.URGENT: community.invitation_wait_urgent_minutes,
        Urgency.SOON: community.invitation_wait_soon_minutes,
        Urgency.FLEXIBLE: community.invitation_wait_flexible_minutes,
    }[request.urgency]
    wait = timedelta(minutes=minutes)
    if request.needed_by is not None:
        # Leave room for the next round and the coordinator before the window closes.
        wait = min(wait, max((request.needed_by - now) / (ROUNDS + 1), SHORTEST_WAIT))
    return wait


def schedule_invitations(request: HelpRequest, now: datetime) -> None:
    """Mark a new request for inviting (in the caller's transaction)."""
    for name, value in invitations_from_the_start(request, now).items():
        setattr(request, name, value)


def invitations_from_the_start(request: HelpRequest, now: datetime) -> dict[str, object]:
    """The columns that make a request's first round due again (when its window says)."""
    return {"invitation_round": 0, "next_round_at": first_round_at(request, now)}


def send_invitations(now: datetime | None = None, limit: int = 500) -> int:
    """Move every request whose next step is due; safe to run every minute. Returns steps."""
    now = now or utcnow()
    due = db.session.scalars(
        select(HelpRequest.id)
        .where(HelpRequest.status == Status.OPEN, HelpRequest.next_round_at <= now)
        .order_by(HelpRequest.next_round_at, HelpRequest.id)
        .limit(limit)
    ).all()
    return sum(advance_request(request_id, now) for request_id in due)


def advance_request(request_id: int, now: datetime | None = None) -> bool:
    """Take one request's due step: the regular helper, a round, or the coordinator."""
    now = now or utcnow()
    request = db.session.get(HelpRequest, request_id)
    due = request.next_round_at
    if request.status != Status.OPEN or due is None or due > now:
        return False
    series = request.series
    regular = series.regular_id if series is not None else None
    if (
        request.invitation_round == 0
        and regular
        and _not_yet_invited(request.id, regular)
        and _may_meet(request.requester_id, regular)
    ):
        return _give_to_regular(request, series, now)
    if request.invitation_round >= ROUNDS:
        return _escalate(request, now)
    return _invite_round(request, now)


def _claim_step(request: HelpRequest, now: datetime, **values) -> bool:
    """The conditional update that makes this sweep the one taking the step."""
    changed = db.session.execute(
        update(HelpRequest)
        .where(
            HelpRequest.id == request.id,
            HelpRequest.status == Status.OPEN,
            HelpRequest.invitation_round == request.invitation_round,
            HelpRequest.next_round_at == request.next_round_at,
        )
        .values(updated_at=now, **values)
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed != 1:
        db.session.rollback()
    return changed == 1


def _invite_round(request: HelpRequest, now: datetime) -> bool:
    """Invite the next group of volunteers and expire the last round's silent invitations."""
    community = request.community
    number = request.invitation_round + 1
    wait = round_wait(community, request, now)
    if not _claim_step(request, now, invitation_round=number, next_round_at=now + wait):
        return False
    expire_open_invitations(request.id, now)
    chosen = pick_invitees(request, now, community.invitations_per_round * 2)
    invited = _invite_group(request, chosen, number, now)
    if invited == 0:
        # Nobody could be asked: move straight on next sweep rather than wait in silence.
        db.session.execute(
            update(HelpRequest).where(HelpRequest.id == request.id).values(next_round_at=now)
        )
    record_audit(
        None, "request.invitations_sent", "help_request", request.id, request.community_id, now=now
    )
    db.session.commit()
    deliver_pending()
    return True


def _invite_group(
    request: HelpRequest, chosen: list[matching.Invitee], number: int, now: datetime
) -> int:
    """Invite the first of the chosen (in rank order) who have room today; return how many.

    The counts, the invitations, the notices and the emails are written together: one
    UPDATE for the daily counts and one INSERT per table, whatever the round's size.
    """
    community = request.community
    today = local_time(now, community.timezone).date()
    room = _lock_those_with_room(community.id, [invitee.volunteer_id for invitee in chosen], today)
    takers = [invitee for invitee in chosen if invitee.volunteer_id in room]
    takers = takers[: community.invitations_per_round]
    if not takers:
        return 0
    ids = [invitee.volunteer_id for invitee in takers]
    _count_invitations(community.id, ids, today, now)
    # The people to tell, in one statement (the session keeps them while `people` lives).
    people = db.session.scalars(select(User).where(User.id.in_(ids))).all()  # noqa: F841
    invitations = [
        Invitation(
            community_id=request.community_id,
            request_id=request.id,
            volunteer_id=invitee.volunteer_id,
            round=number,
            score=round(invitee.score, 2),
            reasons=",".join(invitee.reasons),
            created_at=now,
        )
        for invitee in takers
    ]
    db.session.add_all(invitations)
    db.session.flush()  # the invitation ids, for the links
    reaches = reaches_for(ids, INVITED_EMAIL)  # everyone's choices in one statement
    with db.session.no_autoflush:  # notices and emails go in at commit, one INSERT per table
        for invitation in invitations:
            _tell_invited(invitation, now, reaches[invitation.volunteer_id])
    return len(invitations)


def _lock_those_with_room(community_id: int, volunteer_ids: list[int], today: date) -> set[int]:
    """Lock the profiles of those with room under today's cap; return their ids.

    Another round being sent at this moment holds some of them: those are skipped (SKIP
    LOCKED), as if already asked, so two rounds never wait on each other nor deadlock. What is
    locked cannot change before this transaction ends (SQLite: one writer at a time).
    """
    if not volunteer_ids:
        return set()
    profile = VolunteerProfile
    return set(
        db.session.scalars(
            select(profile.user_id)
            .where(
                profile.community_id == community_id,
                profile.user_id.in_(volunteer_ids),
                room_today(today),
            )
            .order_by(profile.user_id)
            .with_for_update(skip_locked=True)
        )
    )


def _count_invitations(community_id: int, volunteer_ids: list[int], today: date, now) -> None:
    """Count one invitation today for each (their rows are locked and have room)."""
    profile = VolunteerProfile
    db.session.execute(
        update(profile)
        .where(profile.community_id == community_id, profile.user_id.in_(volunteer_ids))
        .values(**_one_more_today(today, now))
        .execution_options(synchronize_session=False)
    )


def _one_more_today(today: date, now: datetime) -> dict:
    """The profile columns that count one more invitation today."""
    profile = VolunteerProfile
    same_day = profile.invited_on == today
    return {
        "invited_count": case((same_day, profile.invited_count + 1), else_=1),
        "invited_on": today,
        "last_invited_at": now,
    }


def _invite(request: HelpRequest, volunteer_id: int, number: int, invitee, now: datetime) -> int:
    """Count one invitation against the volunteer's daily cap and send it; 0 if over the cap."""
    if not _take_daily_slot(volunteer_id, request.community, now):
        return 0
    invitation = Invitation(
        community_id=request.community_id,
        request_id=request.id,
        volunteer_id=volunteer_id,
        round=number,
        score=round(invitee.score, 2) if invitee else 0.0,
        reasons=",".join(invitee.reasons) if invitee else "backup",
        created_at=now,
    )
    db.session.add(invitation)
    db.session.flush()
    _tell_invited(invitation, now)
    return 1


def _take_daily_slot(volunteer_id: int, community: Community, now: datetime) -> bool:
    """Raise today's count under the volunteer's own cap (one conditional update)."""
    today = local_time(now, community.timezone).date()
    changed = db.session.execute(
        update(VolunteerProfile)
        .where(
            VolunteerProfile.user_id == volunteer_id,
            VolunteerProfile.community_id == community.id,
            room_today(today),
        )
        .values(**_one_more_today(today, now))
        .execution_options(synchronize_session=False)
    ).rowcount
    return changed == 1


def _tell_invited(invitation: Invitation, now: datetime, reach: Reach | None = None) -> None:
    """Email the volunteer a link to the invitation page (yes / not this time)."""
    link = absolute_url("help_requests.invitation", invitation_id=invitation.id)
    request = db.session.get(HelpRequest, invitation.request_id)
    volunteer = db.session.get(User, invitation.volunteer_id)
    notify(
        volunteer,
        _l("Could you help a neighbour?"),
        INVITED_EMAIL,
        now=now,
        reach=reach,
        request=request,
        link=link,
        # The inbox shows which neighbour and what, so the notice is not a bare question.
        notice_detail=_l(
            "%(name)s asked: %(title)s", name=request.requester.display_name, title=request.title
        ),
    )


def expire_open_invitations(request_id: int, now: datetime) -> None:
    """Unanswered invitations expire, in the caller's transaction: the previous round's, or
    all of them when the request's details changed. A late yes still counts."""
    db.session.execute(
        update(Invitation)
        .where(Invitation.request_id == request_id, Invitation.status == InvitationStatus.INVITED)
        .values(status=InvitationStatus.EXPIRED)
        .execution_options(synchronize_session=False)
    )


def _escalate(request: HelpRequest, now: datetime) -> bool:
    """Flag the request for the coordinator and tell the resident honestly."""
    if not _claim_step(
        request,
        now,
        invitation_round=request.invitation_round + 1,
        next_round_at=None,
        nobody_yet_at=now,
    ):
        return False
    expire_open_invitations(request.id, now)
    record_audit(
        None, "request.nobody_yet", "help_request", request.id, request.community_id, now=now
    )
    tell(request.requester, _l("Nobody has said yes yet"), "nobody_yet", request, now=now)
    db.session.commit()
    deliver_pending()
    return True


def _give_to_regular(request: HelpRequest, series: RequestSeries, now: datetime) -> bool:
    """The regular helper gets the occurrence first, accepted unless they say not this week."""
    try:
        transition(
            request.id,
            (Status.OPEN,),
            Status.ACCEPTED,
            HelpRequest.invitation_round == 0,
            volunteer_id=series.regular_id,
            accepted_at=now,
            next_round_at=None,
            now=now,
        )
    except NotOpen:
        return False
    db.session.add(
        Invitation(
            community_id=request.community_id,
            request_id=request.id,
            volunteer_id=series.regular_id,
            round=0,
            reasons="regular",
            status=InvitationStatus.ACCEPTED,
            created_at=now,
            answered_at=now,
        )
    )
    record_audit(
        None, "request.given_to_regular", "help_request", request.id, request.community_id, now=now
    )
    tell(series.regular, _l("You are down to help this week"), "regular_week", request, now=now)
    db.session.commit()
    deliver_pending()
    return True


def invite_backup(request: HelpRequest, series: RequestSeries, now: datetime) -> None:
    """After the regular steps back for a week, the named backup is asked first (caller commits)."""
    wait = round_wait(request.community, request, now)
    db.session.execute(
        update(HelpRequest)
        .where(HelpRequest.id == request.id)
        .values(invitation_round=0, next_round_at=now + wait)
        .execution_options(synchronize_session=False)
    )
    backup = series.backup_id
    if (
        backup is not None
        and _not_yet_invited(request.id, backup)
        and _may_meet(request.requester_id, backup)
    ):
        _invite(request, backup, 0, None, now)


def _may_meet(requester_id: int, volunteer_id: int) -> bool:
    """Whether this volunteer may help this requester: an active account, no block either way."""
    volunteer = db.session.get(User, volunteer_id)
    return (
        volunteer is not None
        and volunteer.is_active_account
        and not is_blocked(requester_id, volunteer_id)
    )


def _not_yet_invited(request_id: int, volunteer_id: int) -> bool:
    """Whether this volunteer has never been invited to this request."""
    return (
        db.session.scalar(
            select(Invitation.id).where(
                Invitation.request_id == request_id, Invitation.volunteer_id == volunteer_id
            )
        )
        is None
    )


def invitation_for(invitation_id: int, volunteer: User) -> Invitation:
    """The volunteer's own invitation, or NotFound."""
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None or invitation.volunteer_id != volunteer.id:
        raise NotFound(invitation_id)
    return invitation


def say_yes(invitation_id: int, volunteer: User, now: datetime | None = None) -> YesOutcome:
    """Yes, I'll do it: the same atomic accept as Near me; exactly one volunteer wins."""
    now = now or utcnow()
    invitation = invitation_for(invitation_id, volunteer)
    request_id = invitation.request_id
    community = invitation.request.community
    try:
        accept_request(request_id, volunteer, now=now)
    except AlreadyTaken:
        _answer(invitation_id, InvitationStatus.LOST, now)
        db.session.commit()
        return YesOutcome(False, request_id, nearest_open(volunteer, community))
    _answer(invitation_id, InvitationStatus.ACCEPTED, now)
    db.session.execute(
        update(Invitation)
        .where(Invitation.request_id == request_id, Invitation.status.in_(OPEN_ANSWERS))
        .values(status=InvitationStatus.LOST)
        .execution_options(synchronize_session=False)
    )
    db.session.execute(
        update(HelpRequest).where(HelpRequest.id == request_id).values(next_round_at=None)
    )
    db.session.commit()
    return YesOutcome(True, request_id)


def say_no(
    invitation_id: int, volunteer: User, reason: str | None, now: datetime | None = None
) -> None:
    """Not this time: recorded with an optional reason; never asked for this request again."""
    now = now or utcnow()
    invitation = invitation_for(invitation_id, volunteer)
    if not _answer(invitation_id, InvitationStatus.DECLINED, now, (reason or "").strip() or None):
        raise NotOpen(invitation_id)
    still_waiting = db.session.scalar(
        select(Invitation.id).where(
            Invitation.request_id == invitation.request_id,
            Invitation.status == InvitationStatus.INVITED,
        )
    )
    if still_waiting is None:
        # Everyone asked this round said no: the next round need not wait.
        db.session.execute(
            update(HelpRequest)
            .where(
                HelpRequest.id == invitation.request_id,
                HelpRequest.status == Status.OPEN,
                HelpRequest.next_round_at > now,
            )
            .values(next_round_at=now)
            .execution_options(synchronize_session=False)
        )
    record_audit(
        volunteer.id,
        "invitation.declined",
        "help_invitation",
        invitation_id,
        invitation.community_id,
        now=now,
    )
    db.session.commit()


def _answer(
    invitation_id: int, status: InvitationStatus, now: datetime, reason: str | None = None
) -> bool:
    """Record an answer to an invitation still waiting for one (conditional update)."""
    values = {"status": status, "answered_at": now}
    if reason is not None:
        values["decline_reason"] = reason
    return (
        db.session.execute(
            update(Invitation)
            .where(Invitation.id == invitation_id, Invitation.status.in_(OPEN_ANSWERS))
            .values(**values)
            .execution_options(synchronize_session=False)
        ).rowcount
        == 1
    )


def waiting_invitations(volunteer: User, community_id: int) -> list[Invitation]:
    """Invitations this volunteer has not answered, for requests still open."""
    return list(
        db.session.scalars(
            select(Invitation)
            .join(HelpRequest, HelpRequest.id == Invitation.request_id)
            .where(
                Invitation.volunteer_id == volunteer.id,
                Invitation.community_id == community_id,
                Invitation.status.in_(OPEN_ANSWERS),
                HelpRequest.status == Status.OPEN,
            )
            .order_by(Invitation.created_at.desc())
            .limit(20)
        )
    )
