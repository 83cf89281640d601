"""Standing requests: a series makes its occurrences ahead; skip, shift, pause, end; snow."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from neighborly.accounts.models import Community, User
from neighborly.audit import record_audit
from neighborly.errors import NotFound
from neighborly.extensions import db
from neighborly.geo.cells import cell_of
from neighborly.help_requests.models import (
    Category,
    HelpRequest,
    RequestSeries,
    SeriesChange,
    SeriesKind,
    SeriesStatus,
    Status,
    Urgency,
)
from neighborly.help_requests.services.common import (
    RequestDraft,
    is_coordinator,
    locate,
    require_owner_or_coordinator,
)
from neighborly.help_requests.services.invitations import schedule_invitations
from neighborly.timeutil import utcnow

WEEKS_AHEAD = 3
SNOW_DEADLINE = timedelta(hours=24)
UPCOMING = (Status.OPEN, Status.ACCEPTED)


@dataclass(frozen=True)
class SeriesDraft:
    """What a resident types for a standing request."""

    kind: SeriesKind
    category: Category
    title: str
    details: str
    street_address: str
    postal_code: str
    estimated_minutes: int = 30
    weekday: int | None = None  # 0 = Monday
    start_minute: int | None = None  # minutes after local midnight
    window_minutes: int = 120
    min_snow_inches: float | None = None
    lat: float | None = None
    lng: float | None = None


@dataclass(frozen=True)
class Upcoming:
    """One coming date of a series as its page shows it."""

    on: date
    starts_at: datetime | None
    request: HelpRequest | None
    skipped: bool


def create_series(
    community: Community, requester: User, draft: SeriesDraft, now: datetime | None = None
) -> RequestSeries:
    """Set up a standing request and make its first occurrences."""
    now = now or utcnow()
    place = locate(
        RequestDraft(
            category=draft.category,
            title=draft.title,
            details=draft.details,
            street_address=draft.street_address,
            postal_code=draft.postal_code,
            needed_by=None,
            estimated_minutes=draft.estimated_minutes,
            urgency=Urgency.FLEXIBLE,
            lat=draft.lat,
            lng=draft.lng,
        )
    )
    series = RequestSeries(
        community_id=community.id,
        requester_id=requester.id,
        kind=draft.kind,
        status=SeriesStatus.ACTIVE,
        category=draft.category,
        title=draft.title.strip(),
        details=draft.details.strip(),
        street_address=draft.street_address.strip(),
        postal_code=draft.postal_code.strip(),
        lat=place.lat,
        lng=place.lng,
        cell=cell_of(place.lat, place.lng),
        estimated_minutes=draft.estimated_minutes,
        weekday=draft.weekday,
        start_minute=draft.start_minute,
        window_minutes=draft.window_minutes,
        min_snow_inches=draft.min_snow_inches,
        starts_on=now.astimezone(ZoneInfo(community.timezone)).date(),
        created_at=now,
    )
    db.session.add(series)
    db.session.flush()
    record_audit(requester.id, "series.created", "request_series", series.id, community.id, now=now)
    db.session.commit()
    generate_for(series, now)
    return series


def get_series(series_id: int) -> RequestSeries:
    """Load a series or raise NotFound."""
    series = db.session.get(RequestSeries, series_id)
    if series is None:
        raise NotFound(series_id)
    return series


def generate_occurrences(now: datetime | None = None, weeks: int = WEEKS_AHEAD) -> int:
    """Make every active weekly series' occurrences for the coming weeks; idempotent."""
    now = now or utcnow()
    ids = db.session.scalars(
        select(RequestSeries.id).where(
            RequestSeries.status == SeriesStatus.ACTIVE, RequestSeries.kind == SeriesKind.WEEKLY
        )
    ).all()
    return sum(generate_for(db.session.get(RequestSeries, sid), now, weeks) for sid in ids)


def generate_for(series: RequestSeries, now: datetime, weeks: int = WEEKS_AHEAD) -> int:
    """One series' missing occurrences up to `weeks` ahead (skipped dates stay empty)."""
    if series.kind != SeriesKind.WEEKLY or series.status != SeriesStatus.ACTIVE:
        return 0
    zone = ZoneInfo(series.community.timezone)
    today = now.astimezone(zone).date()
    existing = set(
        db.session.scalars(
            select(HelpRequest.occurrence_date).where(HelpRequest.series_id == series.id)
        )
    )
    changes = _changes(series.id)
    made = 0
    for on in _weekly_dates(series, today, weeks):
        change = changes.get(on)
        if on in existing or (change is not None and change.skipped):
            continue
        start = _start(series, on, zone, change)
        if start + timedelta(minutes=series.window_minutes) <= now:
            continue
        made += _insert(series, on, start, start + timedelta(minutes=series.window_minutes), now)
    db.session.commit()
    return made


def _weekly_dates(series: RequestSeries, today: date, weeks: int) -> list[date]:
    """The series' weekdays from today (or its start) for `weeks` weeks, before any end."""
    first = max(today, series.starts_on)
    ahead = (series.weekday - first.weekday()) % 7
    dates = [first + timedelta(days=ahead + 7 * week) for week in range(weeks)]
    return [on for on in dates if series.ends_on is None or on <= series.ends_on]


def _start(series: RequestSeries, on: date, zone: ZoneInfo, change: SeriesChange | None):
    """When one occurrence starts (UTC): its shifted time, else the series' time that day."""
    if change is not None and change.moved_to is not None:
        return change.moved_to
    minute = series.start_minute or 0
    local = datetime.combine(on, time(minute // 60, minute % 60), tzinfo=zone)
    return local.astimezone(ZoneInfo("UTC"))


def _changes(series_id: int) -> dict[date, SeriesChange]:
    """Skipped and shifted dates of a series."""
    rows = db.session.scalars(select(SeriesChange).where(SeriesChange.series_id == series_id))
    return {row.occurrence_date: row for row in rows}


def _insert(
    series: RequestSeries,
    on: date,
    needed_from: datetime,
    needed_by: datetime,
    now: datetime,
    invite: bool = True,
) -> int:
    """Add one occurrence; a twin made by a concurrent run loses on the unique key (0)."""
    request = HelpRequest(
        community_id=series.community_id,
        requester_id=series.requester_id,
        created_by_id=series.requester_id,
        category=series.category,
        title=series.title,
        details=series.details,
        street_address=series.street_address,
        postal_code=series.postal_code,
        lat=series.lat,
        lng=series.lng,
        cell=series.cell,
        needed_from=needed_from,
        needed_by=needed_by,
        estimated_minutes=series.estimated_minutes,
        urgency=Urgency.FLEXIBLE if series.kind == SeriesKind.WEEKLY else Urgency.URGENT,
        status=Status.OPEN,
        series_id=series.id,
        occurrence_date=on,
        created_at=now,
        updated_at=now,
    )
    if invite:
        schedule_invitations(request, now)
    try:
        with db.session.begin_nested():
            db.session.add(request)
    except IntegrityError:
        return 0
    return 1


def open_snow_occurrences(
    community_id: int,
    event_date: date,
    snowfall_inches: float,
    now: datetime | None = None,
    deadline: datetime | None = None,
    commit: bool = True,
) -> list[int]:
    """A snow event: one occurrence for every active snow series the snowfall reaches.

    Returns the occurrences' request ids (new and already made for this date, so calling twice
    is safe). They are left for the snow-day dispatch (no invitation rounds); each names its
    series, whose `regular_id` the dispatch serves first. `commit=False` leaves the
    transaction to a caller that declares the snow day in the same one.
    """
    now = now or utcnow()
    deadline = deadline or now + SNOW_DEADLINE
    reached = db.session.scalars(
        select(RequestSeries).where(
            RequestSeries.community_id == community_id,
            RequestSeries.kind == SeriesKind.SNOW,
            RequestSeries.status == SeriesStatus.ACTIVE,
            RequestSeries.min_snow_inches <= snowfall_inches,
        )
    ).all()
    for series in reached:
        _insert(series, event_date, now, deadline, now, invite=False)
    if commit:
        db.session.commit()
    return list(
        db.session.scalars(
            select(HelpRequest.id)
            .where(
                HelpRequest.community_id == community_id,
                HelpRequest.series_id.in_([series.id for series in reached]),
                HelpRequest.occurrence_date == event_date,
            )
            .order_by(HelpRequest.id)
        )
    )


def _require_manager(series: RequestSeries, actor: User) -> None:
    """Only the resident or a coordinator changes a series."""
    require_owner_or_coordinator(series, actor)


def _set_change(series: RequestSeries, on: date, skipped: bool, moved_to, now) -> None:
    """Record a skip or shift for one date (replacing an earlier one)."""
    change = db.session.scalar(
        select(SeriesChange).where(
            SeriesChange.series_id == series.id, SeriesChange.occurrence_date == on
        )
    )
    if change is None:
        change = SeriesChange(
            community_id=series.community_id, series_id=series.id, occurrence_date=on
        )
        db.session.add(change)
    change.skipped, change.moved_to, change.created_at = skipped, moved_to, now


def _occurrence(series_id: int, on: date) -> HelpRequest | None:
    """The series' occurrence on a date, if made."""
    return db.session.scalar(
        select(HelpRequest).where(
            HelpRequest.series_id == series_id, HelpRequest.occurrence_date == on
        )
    )


def skip_date(series_id: int, actor: User, on: date, now: datetime | None = None) -> None:
    """Skip one week: no occurrence that day (an already made one is called off)."""
    now = now or utcnow()
    series = get_series(series_id)
    _require_manager(series, actor)
    _set_change(series, on, True, None, now)
    db.session.execute(
        update(HelpRequest)
        .where(
            HelpRequest.series_id == series.id,
            HelpRequest.occurrence_date == on,
            HelpRequest.status.in_(UPCOMING),
        )
        .values(status=Status.CANCELLED, cancelled_at=now, next_round_at=None, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    record_audit(actor.id, "series.skipped", "request_series", series.id, series.community_id,
                 now=now)
    db.session.commit()


def shift_date(
    series_id: int, actor: User, on: date, new_start: datetime, now: datetime | None = None
) -> None:
    """Move one week's occurrence to another start time (the same window length)."""
    now = now or utcnow()
    series = get_series(series_id)
    _require_manager(series, actor)
    _set_change(series, on, False, new_start, now)
    made = _occurrence(series.id, on)
    if made is not None and made.status in UPCOMING:
        made.needed_from = new_start
        made.needed_by = new_start + timedelta(minutes=series.window_minutes)
    record_audit(actor.id, "series.shifted", "request_series", series.id, series.community_id,
                 now=now)
    db.session.commit()
    generate_for(series, now)


def set_series_status(
    series_id: int, actor: User, status: SeriesStatus, now: datetime | None = None
) -> None:
    """Pause, resume or end a series; pausing or ending calls off coming open occurrences."""
    now = now or utcnow()
    series = get_series(series_id)
    _require_manager(series, actor)
    if series.status == SeriesStatus.ENDED:
        return
    series.status = status
    if status == SeriesStatus.ENDED:
        series.ends_on = now.astimezone(ZoneInfo(series.community.timezone)).date()
    if status != SeriesStatus.ACTIVE:
        db.session.execute(
            update(HelpRequest)
            .where(
                HelpRequest.series_id == series.id,
                HelpRequest.status.in_(UPCOMING),
                HelpRequest.needed_from > now,
            )
            .values(status=Status.CANCELLED, cancelled_at=now, next_round_at=None, updated_at=now)
            .execution_options(synchronize_session=False)
        )
    record_audit(actor.id, f"series.{status.value}", "request_series", series.id,
                 series.community_id, now=now)
    db.session.commit()
    generate_for(series, now)


def series_of(requester: User, community_id: int) -> list[RequestSeries]:
    """A resident's standing requests, newest first."""
    return list(
        db.session.scalars(
            select(RequestSeries)
            .where(
                RequestSeries.requester_id == requester.id,
                RequestSeries.community_id == community_id,
            )
            .order_by(RequestSeries.created_at.desc())
            .limit(20)
        )
    )


def upcoming(series: RequestSeries, now: datetime | None = None, weeks: int = WEEKS_AHEAD):
    """The series' next dates: made occurrences and skipped weeks, in order."""
    now = now or utcnow()
    zone = ZoneInfo(series.community.timezone)
    today = now.astimezone(zone).date()
    made = {
        row.occurrence_date: row
        for row in db.session.scalars(
            select(HelpRequest).where(
                HelpRequest.series_id == series.id, HelpRequest.occurrence_date >= today
            )
        )
    }
    changes = _changes(series.id)
    dates = set(made)
    if series.kind == SeriesKind.WEEKLY and series.status == SeriesStatus.ACTIVE:
        dates |= set(_weekly_dates(series, today, weeks))
    rows = []
    for on in sorted(dates):
        request = made.get(on)
        change = changes.get(on)
        skipped = change is not None and change.skipped
        starts = request.needed_from if request is not None else None
        if starts is None and series.kind == SeriesKind.WEEKLY and not skipped:
            starts = _start(series, on, zone, change)
        rows.append(Upcoming(on, starts, request, skipped))
    return rows


def can_see_series(series: RequestSeries, viewer: User) -> bool:
    """The resident, a coordinator, the regular, the backup, or the volunteer offered it."""
    people = {series.requester_id, series.regular_id, series.backup_id, series.offered_to_id}
    return viewer.id in people or is_coordinator(viewer, series.community_id)
