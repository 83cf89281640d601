"""'It wasn't done': the neighbour says the help did not happen; it is recorded as a no-show."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from neighborly.accounts.models import User
from neighborly.audit import record_audit
from neighborly.extensions import db
from neighborly.help_requests.models import NoShow, Status
from neighborly.help_requests.services.common import (
    get_request,
    require_owner_or_coordinator,
    transition,
)
from neighborly.timeutil import utcnow


def report_not_done(request_id: int, actor: User, now: datetime | None = None) -> None:
    """Instead of confirming: the request opens again and the volunteer gets a no-show."""
    now = now or utcnow()
    request = get_request(request_id)
    require_owner_or_coordinator(request, actor)
    volunteer_id = request.volunteer_id
    transition(
        request_id,
        (Status.COMPLETED,),
        Status.OPEN,
        now=now,
        volunteer_id=None,
        accepted_at=None,
        completed_at=None,
        minutes_spent=None,
    )
    db.session.add(
        NoShow(
            request_id=request_id,
            community_id=request.community_id,
            volunteer_id=volunteer_id,
            reported_by_id=actor.id,
            created_at=now,
        )
    )
    record_audit(
        actor.id, "request.not_done", "help_request", request_id, request.community_id, now=now
    )
    db.session.commit()


def no_show_count(volunteer_id: int, community_id: int) -> int:
    """How many times neighbours said this volunteer's help was not done (for invitations)."""
    return int(
        db.session.scalar(
            select(func.count(NoShow.id)).where(
                NoShow.volunteer_id == volunteer_id, NoShow.community_id == community_id
            )
        )
        or 0
    )
