"""Asking for help: posting, phoning in for a neighbour, editing and cancelling a request."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.exc import DBAPIError

from neighborly.accounts.models import Community, Membership, Role, User
from neighborly.audit import record_audit
from neighborly.extensions import db
from neighborly.geo.cells import cell_of
from neighborly.geo.geocoding import Place
from neighborly.help_requests.errors import NotOpen
from neighborly.help_requests.models import (
    HelpRequest,
    Status,
)
from neighborly.help_requests.services.common import (
    RequestDraft,
    get_request,
    locate,
    require_owner_or_coordinator,
    tell,
    transition,
)
from neighborly.help_requests.services.invitations import (
    advance_request,
    expire_open_invitations,
    invitations_from_the_start,
    schedule_invitations,
)
from neighborly.help_requests.services.service_area import require_served
from neighborly.notifications.services import deliver_pending
from neighborly.notifications.worker import worker_takes_due_work
from neighborly.records import commit_keeping_loaded
from neighborly.timeutil import utcnow

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PhoneInResident:
    """A resident without an account, as a coordinator takes it down on the phone."""

    first_name: str
    last_name: str
    phone: str
    notes: str = ""
    sms_consent: bool = False
    locale: str | None = None  # the language they speak; None: the site's


def _apply_draft(request: HelpRequest, draft: RequestDraft, place: Place) -> None:
    """Copy a draft and its located point onto a request."""
    request.category = draft.category
    request.title = draft.title.strip()
    request.details = draft.details.strip()
    request.street_address = draft.street_address.strip()
    request.postal_code = draft.postal_code.strip()
    request.needed_from = draft.needed_from
    request.needed_by = draft.needed_by
    request.estimated_minutes = draft.estimated_minutes
    request.urgency = draft.urgency
    request.lat, request.lng = place.lat, place.lng
    request.cell = cell_of(place.lat, place.lng)


def post_request(
    community: Community,
    requester: User,
    draft: RequestDraft,
    created_by: User | None = None,
    intake_notes: str | None = None,
    now: datetime | None = None,
) -> HelpRequest:
    """Open a new request for a resident."""
    now = now or utcnow()
    place = locate(draft)
    require_served(community, draft.postal_code)
    request = HelpRequest(
        created_at=now,
        updated_at=now,
        community_id=community.id,
        requester_id=requester.id,
        created_by_id=(created_by or requester).id,
        intake_notes=(intake_notes or "").strip() or None,
        status=Status.OPEN,
    )
    _apply_draft(request, draft, place)
    schedule_invitations(request, now)
    db.session.add(request)
    db.session.flush()
    record_audit(
        (created_by or requester).id,
        "request.created",
        "help_request",
        request.id,
        community.id,
        now=now,
    )
    commit_keeping_loaded()  # the first round uses the request, asker and community as they are
    _first_round(request.id, now)  # the first round goes out now unless the window is later
    return request


def post_for_phone_in_resident(
    community: Community,
    coordinator: User,
    resident: PhoneInResident,
    draft: RequestDraft,
    now: datetime | None = None,
) -> HelpRequest:
    """A coordinator posts for a resident who called; the same caller is the same person."""
    now = now or utcnow()
    place = locate(draft)
    require_served(community, draft.postal_code)
    person = _phone_in_person(community, resident)
    request = HelpRequest(
        community_id=community.id,
        requester_id=person.id,
        created_by_id=coordinator.id,
        intake_notes=resident.notes.strip() or None,
        status=Status.OPEN,
        created_at=now,
        updated_at=now,
    )
    _apply_draft(request, draft, place)
    schedule_invitations(request, now)
    db.session.add(request)
    db.session.flush()
    record_audit(
        coordinator.id,
        "request.created_by_phone",
        "help_request",
        request.id,
        community.id,
        now=now,
    )
    db.session.commit()
    _first_round(request.id, now)
    return request


def _phone_in_person(community: Community, resident: PhoneInResident) -> User:
    """Find the account-less resident with this phone in this community, or add them."""
    phone = resident.phone.strip()
    existing = db.session.scalar(
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(
            Membership.community_id == community.id,
            Membership.role == Role.RESIDENT,
            User.email.is_(None),
            User.phone == phone,
        )
        .limit(1)
    )
    if existing is not None:
        existing.sms_consent = resident.sms_consent  # what they said on this call
        existing.locale = resident.locale or existing.locale
        return existing
    person = User(
        sms_consent=resident.sms_consent,
        email=None,
        password_hash=None,
        first_name=resident.first_name.strip(),
        last_name=resident.last_name.strip(),
        phone=phone,
    )
    if resident.locale:
        person.locale = resident.locale
    db.session.add(person)
    db.session.add(Membership(user=person, community=community, role=Role.RESIDENT))
    db.session.flush()
    return person


@dataclass(frozen=True)
class Edited:
    """An edited request, and whether its invitations start again from the new details."""

    request: HelpRequest
    asks_again: bool


def edit_request(
    request_id: int, actor: User, draft: RequestDraft, now: datetime | None = None
) -> Edited:
    """Change a request while it is still open.

    When what, where, when or how urgent changes, the invitations start again from the new
    details: those still waiting for an answer expire and the first round falls due (at once,
    or a few days before a later window). A corrected title or address changes nothing else.
    """
    now = now or utcnow()
    request = get_request(request_id)
    require_owner_or_coordinator(request, actor)
    if request.status != Status.OPEN:
        raise NotOpen(request_id)
    place = locate(draft)
    before = _what_invitations_ask(request)
    _apply_draft(request, draft, place)
    invite_again = _what_invitations_ask(request) != before
    restart = invitations_from_the_start(request, now) if invite_again else {}
    changed = db.session.execute(
        update(HelpRequest)
        .where(HelpRequest.id == request_id, HelpRequest.status == Status.OPEN)
        .values(
            **restart,
            category=request.category,
            title=request.title,
            details=request.details,
            street_address=request.street_address,
            postal_code=request.postal_code,
            needed_from=request.needed_from,
            needed_by=request.needed_by,
            estimated_minutes=request.estimated_minutes,
            urgency=request.urgency,
            lat=request.lat,
            lng=request.lng,
            cell=request.cell,
            updated_at=now,
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed != 1:
        db.session.rollback()
        raise NotOpen(request_id)
    if invite_again:
        expire_open_invitations(request_id, now)
    record_audit(
        actor.id, "request.edited", "help_request", request_id, request.community_id, now=now
    )
    db.session.commit()
    if invite_again:
        _first_round(request_id, now)
    return Edited(get_request(request_id), asks_again=invite_again)


def _what_invitations_ask(request: HelpRequest) -> tuple:
    """The details that decide whom a round invites and when: kind, place, window, urgency
    (the window to the minute the form shows)."""
    return (
        request.category,
        request.cell,
        _to_the_minute(request.needed_from),
        _to_the_minute(request.needed_by),
        request.urgency,
    )


def _to_the_minute(moment: datetime | None) -> datetime | None:
    """A moment without its seconds."""
    return moment.replace(second=0, microsecond=0) if moment is not None else None


def cancel_request(request_id: int, actor: User) -> None:
    """The resident or a coordinator calls off a request that is open or accepted."""
    request = get_request(request_id)
    require_owner_or_coordinator(request, actor)
    transition(request_id, (Status.OPEN, Status.ACCEPTED), Status.CANCELLED, cancelled_at=utcnow())
    record_audit(actor.id, "request.cancelled", "help_request", request_id, request.community_id)
    cancelled = get_request(request_id)
    if cancelled.volunteer is not None:  # it was accepted: the helper need not come
        subject = _l("A request you took was called off")
        tell(cancelled.volunteer, subject, "cancelled", cancelled)
    db.session.commit()
    deliver_pending()


def _first_round(request_id: int, now: datetime) -> None:
    """Invite the first volunteers now; if the database fails here, the request is already
    saved and its round is due, so `send-invitations` takes it on its next run.

    Where a worker runs, the page does not wait for the choosing: the round is due now, and
    the worker, woken once the response has gone, sends it a moment later.
    """
    if worker_takes_due_work():
        return
    try:
        advance_request(request_id, now)
    except DBAPIError as error:
        db.session.rollback()
        log.warning("first invitation round left to the sweep: %s", type(error.orig).__name__)
