"""The accepted volunteer tells the resident "I'm on my way" (email, or a text if they agreed)."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l

from neighborly.accounts.models import User
from neighborly.audit import record_audit
from neighborly.extensions import db
from neighborly.help_requests.errors import NotOpen
from neighborly.help_requests.models import Status
from neighborly.help_requests.services.common import get_request, tell
from neighborly.notifications.once import first_time
from neighborly.notifications.services import deliver_pending
from neighborly.timeutil import local_time, utcnow


def say_on_the_way(request_id: int, volunteer: User, now: datetime | None = None) -> bool:
    """Tell the resident their helper is coming; once a day per request. False if already told."""
    now = now or utcnow()
    request = get_request(request_id)
    if request.status != Status.ACCEPTED or request.volunteer_id != volunteer.id:
        raise NotOpen(request_id)
    today = local_time(now, request.community.timezone).date()
    if not first_time(request.requester_id, "on_the_way", f"help_request:{request.id}", today):
        db.session.rollback()
        return False
    community_id = request.community_id
    action = "request.on_the_way"
    record_audit(volunteer.id, action, "help_request", request.id, community_id, now=now)
    subject = _l("Your helper is on the way")
    tell(request.requester, subject, "on_the_way", request, now=now, helper=volunteer)
    db.session.commit()
    deliver_pending()
    return True
