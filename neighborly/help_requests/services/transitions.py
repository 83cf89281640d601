"""A request's life as conditional updates: accept, assign, withdraw, complete, confirm, expire."""

from __future__ import annotations

from datetime import datetime
from functools import cache

from flask_babel import lazy_gettext as _l
from sqlalchemy import Integer, bindparam, func, select, update

from neighborly.accounts.blocking import is_blocked, not_blocked
from neighborly.accounts.models import User
from neighborly.audit import record_audit
from neighborly.errors import NotAllowed, NotFound
from neighborly.extensions import db
from neighborly.help_requests.errors import AlreadyTaken, AtCapacity, NotAvailable
from neighborly.help_requests.models import (
    HelpRequest,
    Status,
    VolunteerProfile,
    Withdrawal,
)
from neighborly.help_requests.services.common import (
    get_request,
    is_coordinator,
    request_with_people,
    require_owner_or_coordinator,
    tell,
    transition,
    usable_profile,
)
from neighborly.notifications.services import absolute_url, deliver_pending
from neighborly.records import commit_keeping_loaded
from neighborly.timeutil import utcnow


def _active_load(volunteer_id):
    """A scalar subquery: how many requests this volunteer (an id or a bound value) holds now."""
    return (
        select(func.count(HelpRequest.id))
        .where(HelpRequest.volunteer_id == volunteer_id, HelpRequest.status == Status.ACCEPTED)
        .scalar_subquery()
    )


def accept_request(request_id: int, volunteer: User, now: datetime | None = None) -> HelpRequest:
    """Give an open request to this volunteer; exactly one volunteer can win.

    The request and its asker come from the session when this web request's policy read them
    (one statement otherwise): the conditional UPDATE, not this read, decides who wins.
    """
    request = request_with_people(request_id)
    profile = usable_profile(volunteer, request.community_id)
    _give_to(request, volunteer, profile, actor=volunteer, action="request.accepted", now=now)
    return request


def assign_request(request_id: int, volunteer_id: int, coordinator: User) -> User:
    """A coordinator hands an open request to a volunteer, by the same atomic rule."""
    request = get_request(request_id)
    if not is_coordinator(coordinator, request.community_id):
        raise NotAllowed("coordinator")
    volunteer = db.session.get(User, volunteer_id)
    if volunteer is None:
        raise NotFound(volunteer_id)
    profile = usable_profile(volunteer, request.community_id)
    _give_to(request, volunteer, profile, actor=coordinator, action="request.assigned")
    return volunteer


def _give_to(
    request: HelpRequest,
    volunteer: User,
    profile: VolunteerProfile,
    actor: User,
    action: str,
    now: datetime | None = None,
) -> None:
    """The conditional update that hands a request over, or explains why not."""
    now = now or utcnow()
    request_id, requester_id = request.id, request.requester_id
    values = {
        "request_id": request_id,
        "helper_id": volunteer.id,
        "asker_id": requester_id,
        "capacity": profile.capacity,
        "now": now,
    }
    if db.session.execute(_give_statement(), values).rowcount != 1:
        db.session.rollback()
        raise _why_not_given(request_id, requester_id, volunteer.id)
    record_audit(actor.id, action, "help_request", request.id, request.community_id, now=now)
    subject = _l("A neighbour will help you")
    tell(request.requester, subject, "accepted", request, now=now, helper=volunteer)
    if actor.id != volunteer.id:
        tell(volunteer, _l("A coordinator asked you to help"), "assigned", request, now=now)
    # The people stay as they were read (the page goes on with them: no second read of the
    # signed-in person); the request, changed by the UPDATE above, is read afresh if asked.
    commit_keeping_loaded()
    db.session.expire(request)
    deliver_pending()


@cache
def _give_statement():
    """The UPDATE that gives an open request to a volunteer with room whom the asker has not
    blocked (nor they the asker), built once: every value is bound at each call."""
    volunteer_id = bindparam("helper_id", type_=Integer)  # not a column's name: it is SET too
    now = bindparam("now", type_=HelpRequest.updated_at.type)
    return (
        update(HelpRequest)
        .where(
            HelpRequest.id == bindparam("request_id", type_=Integer),
            HelpRequest.status == Status.OPEN,
            _active_load(volunteer_id) < bindparam("capacity", type_=Integer),
            not_blocked(bindparam("asker_id", type_=Integer), volunteer_id),
        )
        .values(status=Status.ACCEPTED, volunteer_id=volunteer_id, accepted_at=now, updated_at=now)
        .execution_options(synchronize_session=False)
    )


def _why_not_given(request_id: int, requester_id: int, volunteer_id: int) -> Exception:
    """Why the conditional update matched no row: a block, no room left, or taken already."""
    if is_blocked(requester_id, volunteer_id):
        return NotAvailable(request_id)
    if get_request(request_id).status == Status.OPEN:
        return AtCapacity(volunteer_id)
    return AlreadyTaken(request_id)


def withdraw_request(request_id: int, volunteer: User, reason: str) -> None:
    """The accepted volunteer steps back before finishing; the request opens again."""
    request = get_request(request_id)
    transition(
        request_id,
        (Status.ACCEPTED,),
        Status.OPEN,
        HelpRequest.volunteer_id == volunteer.id,
        volunteer_id=None,
        accepted_at=None,
    )
    db.session.add(
        Withdrawal(
            request_id=request_id,
            community_id=request.community_id,
            volunteer_id=volunteer.id,
            reason=reason.strip(),
        )
    )
    record_audit(
        volunteer.id, "request.withdrawn", "help_request", request_id, request.community_id
    )
    subject = _l("Your request is open again")
    said = _l("They told us why: %(reason)s", reason=reason.strip())
    tell(
        request.requester,
        subject,
        "withdrawn",
        request,
        helper=volunteer,
        reason=reason.strip(),
        notice_detail=said,
    )
    db.session.commit()
    deliver_pending()


def complete_request(
    request_id: int, volunteer: User, minutes: int, now: datetime | None = None
) -> None:
    """The accepted volunteer says it is done and how long it took."""
    now = now or utcnow()
    request = get_request(request_id)
    transition(
        request_id,
        (Status.ACCEPTED,),
        Status.COMPLETED,
        HelpRequest.volunteer_id == volunteer.id,
        completed_at=now,
        minutes_spent=minutes,
        now=now,
    )
    record_audit(
        volunteer.id, "request.completed", "help_request", request_id, request.community_id, now=now
    )
    subject = _l("Did it go well?")
    tell(request.requester, subject, "completed", request, now=now, helper=volunteer)
    db.session.commit()
    deliver_pending()


def confirm_request(
    request_id: int, actor: User, thank_you: str | None, now: datetime | None = None
) -> None:
    """The resident (or a coordinator) confirms the help happened, maybe with a thank-you."""
    now = now or utcnow()
    request = get_request(request_id)
    require_owner_or_coordinator(request, actor)
    note = (thank_you or "").strip() or None
    transition(
        request_id,
        (Status.COMPLETED,),
        Status.CONFIRMED,
        confirmed_at=now,
        thank_you_note=note,
        now=now,
    )
    record_audit(
        actor.id, "request.confirmed", "help_request", request_id, request.community_id, now=now
    )
    if request.volunteer is not None:
        subject = _l("Thank you from your neighbour")
        tell(request.volunteer, subject, "thanked", request, now=now, note=note)
    db.session.commit()
    deliver_pending()


def expire_overdue(now: datetime | None = None, batch: int = 200) -> int:
    """Expire open requests whose time window has passed, telling each resident (idempotent).

    Each request changes by its own conditional update, so a second run, or two runs at once,
    expire and tell about each request exactly once.
    """
    now = now or utcnow()
    expired = 0
    after_id = 0
    while True:
        overdue = db.session.scalars(
            select(HelpRequest.id)
            .where(
                HelpRequest.status == Status.OPEN,
                HelpRequest.needed_by < now,
                HelpRequest.id > after_id,
            )
            .order_by(HelpRequest.id)
            .limit(batch)
        ).all()
        if not overdue:
            return expired
        for request_id in overdue:
            expired += _expire_one(request_id, now)
        after_id = overdue[-1]
        db.session.commit()
        deliver_pending(now=now)


def _expire_one(request_id: int, now: datetime) -> int:
    """Expire one overdue open request and tell its resident; 0 when it changed meanwhile."""
    changed = db.session.execute(
        update(HelpRequest)
        .where(
            HelpRequest.id == request_id,
            HelpRequest.status == Status.OPEN,
            HelpRequest.needed_by < now,
        )
        .values(status=Status.EXPIRED, updated_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed != 1:
        return 0
    request = get_request(request_id)
    record_audit(None, "request.expired", "help_request", request_id, request.community_id, now=now)
    ask_again = absolute_url("help_requests.ask", slug=request.community.slug)
    subject = _l("Nobody could take your request in time")
    tell(request.requester, subject, "expired", request, now=now, ask_again=ask_again)
    return 1
