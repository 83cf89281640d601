"""Snow days: declare, dispatch in one batch, review and change lines, send, watch coverage."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.orm import selectinload

from neighborly.accounts.blocking import blocked_pairs, not_blocked
from neighborly.accounts.models import Community, Membership, Role, User
from neighborly.audit import record_audit
from neighborly.errors import Conflict, NotAllowed
from neighborly.extensions import db
from neighborly.help_requests import dispatch
from neighborly.help_requests.models import (
    Category,
    HelpRequest,
    RequestSeries,
    Status,
    VolunteerProfile,
)
from neighborly.help_requests.services.common import is_coordinator, public_point, tell
from neighborly.help_requests.services.series import open_snow_occurrences
from neighborly.help_requests.snow_models import (
    LineOutcome,
    SnowEvent,
    SnowEventStatus,
    SnowLine,
    SnowLoad,
)
from neighborly.notifications.services import absolute_url, deliver_pending, notify
from neighborly.records import load_record
from neighborly.timeutil import utcnow

BY_HAND = "by_hand"
UNREACHABLE = (dispatch.NOBODY_WITHIN_WALK, dispatch.EVERYONE_NEARBY_FULL)
PAGE_SIZE = 25
BOARD_STATES = ("nobody", "covered", "done", "confirmed")


@dataclass(frozen=True)
class SnowDayDraft:
    """What a coordinator types to declare a snow day."""

    day: date
    snowfall: float
    deadline_hours: int = 24


class AlreadySent(Conflict):
    """This snow day's assignments were sent already."""


class NoRoom(Conflict):
    """That volunteer cannot take this line (full, too far, or not a snow helper)."""


def _series_occurrences(community: Community, event: SnowEvent, now: datetime) -> dict[int, int]:
    """Standing snow series' occurrences for the day: request id -> regular helper id (or 0).

    The series service makes one occurrence for every active snow series the snowfall reaches,
    in this transaction; the dispatch serves each series' regular helper first.
    """
    inches = event.snowfall if event.snowfall_unit == "in" else event.snowfall / 2.54
    ids = open_snow_occurrences(
        community.id, event.day, inches, now=now, deadline=event.deadline, commit=False
    )
    if not ids:
        return {}
    rows = db.session.execute(
        select(HelpRequest.id, RequestSeries.regular_id)
        .join(RequestSeries, RequestSeries.id == HelpRequest.series_id)
        .where(HelpRequest.id.in_(ids))
    )
    return {request_id: regular_id or 0 for request_id, regular_id in rows}


def _require_coordinator(user: User, community_id: int) -> None:
    if not is_coordinator(user, community_id):
        raise NotAllowed("coordinator")


def snow_helpers(
    community_id: int, now: datetime | None = None, requester_id: int | None = None
) -> list[tuple[VolunteerProfile, User]]:
    """Volunteers who help with snow here, have room on a snow day and may be sent (at `now`).

    Suspended accounts never; with `requester_id`, nobody in a blocked pair with that resident.
    """
    community = db.session.get(Community, community_id)
    query = (
        select(VolunteerProfile, User)
        .join(User, User.id == VolunteerProfile.user_id)
        .join(
            Membership,
            (Membership.user_id == User.id)
            & (Membership.community_id == community_id)
            & (Membership.role == Role.VOLUNTEER),
        )
        .where(
            VolunteerProfile.community_id == community_id,
            VolunteerProfile.accepting.is_(True),
            VolunteerProfile.snow_capacity > 0,
            VolunteerProfile.categories.contains(Category.SNOW.value),
            User.is_active_account.is_(True),
        )
        .order_by(VolunteerProfile.id)
    )
    if requester_id is not None:
        query = query.where(not_blocked(User.id, requester_id))
    if community.require_verified_volunteers:
        query = query.where(VolunteerProfile.verified_at.is_not(None))
    if now is not None:
        query = query.where(VolunteerProfile.created_at <= now)
        if community.require_verified_volunteers:
            query = query.where(VolunteerProfile.verified_at <= now)
    return [(p, u) for p, u in db.session.execute(query) if Category.SNOW in p.category_set]


def _volunteer(profile: VolunteerProfile) -> dispatch.Volunteer:
    return dispatch.Volunteer(
        profile.user_id,
        profile.home_lat,
        profile.home_lng,
        profile.walking_km,
        profile.snow_capacity,
        profile.category_set,
    )


def _occurrence(request: HelpRequest, regular_helper_id: int | None = None) -> dispatch.Occurrence:
    lat, lng = public_point(request)
    return dispatch.Occurrence(
        request.id, lat, lng, request.estimated_minutes, regular_helper_id, Category.SNOW.value
    )


def declare_snow_day(
    community: Community, coordinator: User, draft: SnowDayDraft, now: datetime | None = None
) -> SnowEvent:
    """Declare a snow day and plan every open snow request in one optimal batch."""
    now = now or utcnow()
    _require_coordinator(coordinator, community.id)
    event = SnowEvent(
        community_id=community.id,
        declared_by_id=coordinator.id,
        day=draft.day,
        snowfall=draft.snowfall,
        snowfall_unit="in" if community.distance_unit == "mi" else "cm",
        deadline=now + timedelta(hours=draft.deadline_hours),
        status=SnowEventStatus.REVIEW,
        created_at=now,
    )
    db.session.add(event)
    db.session.flush()
    regulars = _series_occurrences(community, event, now)
    requests = list(
        db.session.scalars(
            select(HelpRequest)
            .where(
                HelpRequest.community_id == community.id,
                HelpRequest.status == Status.OPEN,
                HelpRequest.created_at <= now,
                (HelpRequest.category == Category.SNOW) | HelpRequest.id.in_(list(regulars)),
            )
            .order_by(HelpRequest.id)
        )
    )
    helpers = snow_helpers(community.id, now)
    occurrences = [_occurrence(r, regulars.get(r.id) or None) for r in requests]
    volunteers = [_volunteer(p) for p, _ in helpers]
    pairs = dispatch.without(
        dispatch.candidates(occurrences, volunteers), occurrences, volunteers,
        _blocked_lines(requests, [u.id for _, u in helpers]),
    )
    plan = dispatch.dispatch(occurrences, volunteers, pairs)
    given = {a.occurrence_id: a for a in plan.assignments}
    why = {u.occurrence_id: u for u in plan.unreachable}
    for request in requests:
        line = SnowLine(community_id=community.id, event_id=event.id, request_id=request.id)
        if request.id in given:
            choice = given[request.id]
            line.volunteer_id, line.distance_km = choice.volunteer_id, choice.distance_km
            line.reason, line.capacity_left = choice.reason, choice.capacity_left
        else:
            line.reason = why[request.id].reason
            line.nearby_volunteers = why[request.id].volunteers_within_walk
        db.session.add(line)
    record_audit(coordinator.id, "snow_day.declared", "snow_event", event.id, community.id, now=now)
    db.session.commit()
    return event


def _blocked_lines(requests: list[HelpRequest], helper_ids: list[int]) -> set[tuple[int, int]]:
    """(request id, volunteer id) pairs the plan must never make: a block either way."""
    by_requester: dict[int, list[int]] = {}
    for request in requests:
        by_requester.setdefault(request.requester_id, []).append(request.id)
    forbidden = set()
    for pair in blocked_pairs([*by_requester, *helper_ids]):
        a, b = tuple(pair)
        for requester, volunteer in ((a, b), (b, a)):
            forbidden.update((rid, volunteer) for rid in by_requester.get(requester, ()))
    return forbidden


def get_event(event_id: int) -> SnowEvent:
    """A snow day or NotFound."""
    return load_record(SnowEvent, event_id, fresh=True)


def snow_days(community_id: int, before_id: int | None = None, size: int = PAGE_SIZE):
    """The community's snow days, newest first, one page (keyset on id)."""
    query = select(SnowEvent).where(SnowEvent.community_id == community_id)
    if before_id:
        query = query.where(SnowEvent.id < before_id)
    rows = list(db.session.scalars(query.order_by(SnowEvent.id.desc()).limit(size + 1)))
    return rows[:size], (rows[size - 1].id if len(rows) > size else None)


def lines(event: SnowEvent, after_id: int | None = None, state: str | None = None, size=PAGE_SIZE):
    """One page of a snow day's lines with their requests and volunteers (keyset on id)."""
    query = (
        select(SnowLine, HelpRequest, User)
        .join(HelpRequest, HelpRequest.id == SnowLine.request_id)
        .outerjoin(User, User.id == SnowLine.volunteer_id)
        .where(SnowLine.event_id == event.id, SnowLine.community_id == event.community_id)
        .options(selectinload(HelpRequest.requester))
    )
    if after_id:
        query = query.where(SnowLine.id > after_id)
    if state in BOARD_STATES:
        query = query.where(_state_filter(state))
    elif state == "unreachable":
        query = query.where(SnowLine.volunteer_id.is_(None), SnowLine.reason.in_(UNREACHABLE))
    rows = list(db.session.execute(query.order_by(SnowLine.id).limit(size + 1)))
    return rows[:size], (rows[size - 1][0].id if len(rows) > size else None)


def _state_filter(state: str):
    if state == "nobody":
        return HelpRequest.status == Status.OPEN
    statuses = {"covered": Status.ACCEPTED, "done": Status.COMPLETED, "confirmed": Status.CONFIRMED}
    return HelpRequest.status == statuses[state]


@dataclass(frozen=True)
class Coverage:
    """The board's counts and the time left."""

    nobody: int
    covered: int
    done: int
    confirmed: int
    unreachable: int
    total: int
    time_left: timedelta


def coverage(event: SnowEvent, now: datetime | None = None) -> Coverage:
    """Count the day's lines by where their requests stand (one grouped query)."""
    now = now or utcnow()
    counts = {
        state: db.session.scalar(
            select(func.count(SnowLine.id))
            .join(HelpRequest, HelpRequest.id == SnowLine.request_id)
            .where(SnowLine.event_id == event.id, _state_filter(state))
        )
        for state in BOARD_STATES
    }
    unreachable = db.session.scalar(
        select(func.count(SnowLine.id)).where(
            SnowLine.event_id == event.id,
            SnowLine.volunteer_id.is_(None),
            SnowLine.reason.in_(UNREACHABLE),
        )
    )
    total = db.session.scalar(select(func.count(SnowLine.id)).where(SnowLine.event_id == event.id))
    left = max(timedelta(0), event.deadline - now)
    return Coverage(total=total, unreachable=unreachable, time_left=left, **counts)


def planned_loads(event: SnowEvent) -> dict[int, int]:
    """How many lines the plan gives each volunteer."""
    return dict(
        db.session.execute(
            select(SnowLine.volunteer_id, func.count(SnowLine.id))
            .where(SnowLine.event_id == event.id, SnowLine.volunteer_id.is_not(None))
            .group_by(SnowLine.volunteer_id)
        ).all()
    )


@dataclass(frozen=True)
class Choice:
    """A volunteer a coordinator may give a line to."""

    volunteer_id: int
    name: str
    distance_km: float
    room: int


def choices_for(line: SnowLine, limit: int = 20) -> list[Choice]:
    """Volunteers within walking distance of the line's request who still have room."""
    event = db.session.get(SnowEvent, line.event_id)
    request = db.session.get(HelpRequest, line.request_id)
    occurrence = _occurrence(request)
    loads = planned_loads(event)
    found = []
    for profile, user in snow_helpers(line.community_id, requester_id=request.requester_id):
        km = dispatch.distance_km(occurrence, _volunteer(profile))
        room = profile.snow_capacity - loads.get(user.id, 0)
        if km <= profile.walking_km and (room > 0 or user.id == line.volunteer_id):
            found.append(Choice(user.id, user.display_name, km, room))
    return sorted(found, key=lambda c: (c.distance_km, c.volunteer_id))[:limit]


def change_line(
    line_id: int, coordinator: User, volunteer_id: int | None, now: datetime | None = None
) -> SnowLine:
    """A coordinator gives a line to another volunteer with room, or leaves it unassigned."""
    line = load_record(SnowLine, line_id, fresh=True)
    _require_coordinator(coordinator, line.community_id)
    event = db.session.get(SnowEvent, line.event_id)
    if event.status != SnowEventStatus.REVIEW:
        raise AlreadySent(event.id)
    values: dict = {"volunteer_id": None, "distance_km": None, "by_hand": True, "reason": BY_HAND}
    if volunteer_id is not None:
        choice = next((c for c in choices_for(line) if c.volunteer_id == volunteer_id), None)
        if choice is None:
            raise NoRoom(volunteer_id)
        values.update(volunteer_id=volunteer_id, distance_km=choice.distance_km)
    db.session.execute(
        update(SnowLine)
        .where(SnowLine.id == line.id)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    _refresh_room(event, {line.volunteer_id, volunteer_id} - {None})
    record_audit(
        coordinator.id, "snow_day.line_changed", "snow_event", event.id, line.community_id, now=now
    )
    db.session.commit()
    return load_record(SnowLine, line_id, fresh=True)


def _refresh_room(event: SnowEvent, volunteer_ids: set[int]) -> None:
    """After a change by hand, each named volunteer's lines say how much room they have left."""
    loads = planned_loads(event)
    capacity = dict(
        db.session.execute(
            select(VolunteerProfile.user_id, VolunteerProfile.snow_capacity).where(
                VolunteerProfile.community_id == event.community_id,
                VolunteerProfile.user_id.in_(volunteer_ids),
            )
        ).all()
    )
    for volunteer_id in volunteer_ids:
        db.session.execute(
            update(SnowLine)
            .where(SnowLine.event_id == event.id, SnowLine.volunteer_id == volunteer_id)
            .values(capacity_left=capacity.get(volunteer_id, 0) - loads.get(volunteer_id, 0))
            .execution_options(synchronize_session=False)
        )


def _hold(event: SnowEvent, line: SnowLine, now: datetime) -> LineOutcome:
    """Take a place in the volunteer's load, then the request; the row counts decide."""
    took_place = db.session.execute(
        update(SnowLoad)
        .where(
            SnowLoad.event_id == event.id,
            SnowLoad.volunteer_id == line.volunteer_id,
            SnowLoad.taken < SnowLoad.capacity,
        )
        .values(taken=SnowLoad.taken + 1)
        .execution_options(synchronize_session=False)
    ).rowcount
    if took_place != 1:
        return LineOutcome.FULL
    took_request = db.session.execute(
        update(HelpRequest)
        .where(HelpRequest.id == line.request_id, HelpRequest.status == Status.OPEN)
        .values(
            status=Status.ACCEPTED, volunteer_id=line.volunteer_id, accepted_at=now, updated_at=now
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    if took_request == 1:
        return LineOutcome.SENT
    db.session.execute(
        update(SnowLoad)
        .where(SnowLoad.event_id == event.id, SnowLoad.volunteer_id == line.volunteer_id)
        .values(taken=SnowLoad.taken - 1)
        .execution_options(synchronize_session=False)
    )
    return LineOutcome.TAKEN_MEANWHILE


def send_snow_day(event_id: int, coordinator: User, now: datetime | None = None) -> dict:
    """Turn the plan into accepted requests and tell each volunteer their list for the morning."""
    now = now or utcnow()
    event = get_event(event_id)
    _require_coordinator(coordinator, event.community_id)
    claimed = db.session.execute(
        update(SnowEvent)
        .where(SnowEvent.id == event.id, SnowEvent.status == SnowEventStatus.REVIEW)
        .values(status=SnowEventStatus.SENT, sent_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        db.session.rollback()
        raise AlreadySent(event.id)
    capacity = {p.user_id: p.snow_capacity for p, _ in snow_helpers(event.community_id)}
    for volunteer_id in planned_loads(event):
        db.session.add(
            SnowLoad(
                community_id=event.community_id,
                event_id=event.id,
                volunteer_id=volunteer_id,
                capacity=capacity.get(volunteer_id, 0),
            )
        )
    db.session.flush()
    outcomes: dict[LineOutcome, int] = defaultdict(int)
    lists: dict[int, list[SnowLine]] = defaultdict(list)
    planned = db.session.scalars(
        select(SnowLine).where(SnowLine.event_id == event.id).order_by(SnowLine.id)
    ).all()
    for line in planned:
        outcome = _hold(event, line, now) if line.volunteer_id else LineOutcome.UNASSIGNED
        line.outcome = outcome
        outcomes[outcome] += 1
        if outcome == LineOutcome.SENT:
            lists[line.volunteer_id].append(line)
    _tell_everyone(event, lists, now)
    record_audit(
        coordinator.id, "snow_day.sent", "snow_event", event.id, event.community_id, now=now
    )
    db.session.commit()
    deliver_pending()
    return dict(outcomes)


def _tell_everyone(event: SnowEvent, lists: dict[int, list[SnowLine]], now: datetime) -> None:
    """Each volunteer gets their list; each neighbour hears a volunteer is coming."""
    for volunteer_id, their_lines in lists.items():
        volunteer = db.session.get(User, volunteer_id)
        requests = [db.session.get(HelpRequest, line.request_id) for line in their_lines]
        links = [absolute_url("help_requests.detail", request_id=r.id) for r in requests]
        notify(
            volunteer,
            _l("Your snow-day list for the morning"),
            "help_requests/email/snow_day_list.txt",
            now=now,
            event=event,
            items=list(zip(requests, links, strict=True)),
        )
        for request in requests:
            db.session.refresh(request)
            subject = _l("A neighbour will help you")
            tell(request.requester, subject, "accepted", request, now=now, helper=volunteer)
