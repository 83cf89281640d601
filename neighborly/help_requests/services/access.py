"""Who may see what: a request's address, revealed only to its helper for a while (audited)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from neighborly.accounts.models import User
from neighborly.audit import record_audit
from neighborly.extensions import db
from neighborly.help_requests.models import (
    HelpRequest,
    Status,
    Withdrawal,
)
from neighborly.help_requests.services.common import is_coordinator
from neighborly.timeutil import utcnow

ADDRESS_VISIBLE_AFTER_COMPLETION = timedelta(days=3)


def can_see_address(request: HelpRequest, user: User, now: datetime | None = None) -> bool:
    """The exact address: the resident, the accepted volunteer for a while, coordinators."""
    if not user.is_authenticated:
        return False
    if user.id == request.requester_id or is_coordinator(user, request.community_id):
        return True
    if user.id != request.volunteer_id:
        return False
    if request.status == Status.ACCEPTED:
        return True
    if request.status in (Status.COMPLETED, Status.CONFIRMED) and request.completed_at:
        return (now or utcnow()) <= request.completed_at + ADDRESS_VISIBLE_AFTER_COMPLETION
    return False


def reveal_address(request: HelpRequest, viewer: User) -> bool:
    """Decide whether this viewer sees the address now; audit every reveal to a helper."""
    if not can_see_address(request, viewer):
        return False
    if viewer.id != request.requester_id:
        record_audit(
            viewer.id, "request.address_revealed", "help_request", request.id, request.community_id
        )
        db.session.commit()
    return True


@dataclass(frozen=True)
class StepBack:
    """Who stepped back from a request and what they said."""

    helper: str
    reason: str


def last_step_back(request: HelpRequest, viewer: User) -> StepBack | None:
    """Why the last helper stepped back: for the resident and coordinators while it is open."""
    if request.status != Status.OPEN or not viewer.is_authenticated:
        return None
    if viewer.id != request.requester_id and not is_coordinator(viewer, request.community_id):
        return None
    found = db.session.execute(
        select(Withdrawal.reason, User)
        .outerjoin(User, User.id == Withdrawal.volunteer_id)
        .where(Withdrawal.request_id == request.id)
        .order_by(Withdrawal.id.desc())
        .limit(1)
    ).first()
    if found is None:
        return None
    reason, helper = found
    return StepBack(helper.display_name if helper else "", reason)
