"""One past snow day in Proviso: neighbours ask, a coordinator declares and sends, helpers clear."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from neighborly.accounts.models import User
from neighborly.demo.accounts import Echo
from neighborly.demo.data.help import ASKS_BY_CATEGORY, DAY_NAMES
from neighborly.demo.data.places import COLLECTION_DAY
from neighborly.demo.people import person_home, thank_you
from neighborly.demo.stories import Cast
from neighborly.extensions import db
from neighborly.geo.cells import haversine_km
from neighborly.help_requests.models import Category, HelpRequest, Status, Urgency
from neighborly.help_requests.services import (
    AtCapacity,
    RequestDraft,
    accept_request,
    complete_request,
    confirm_request,
    expire_overdue,
    post_request,
)
from neighborly.help_requests.services.snow import (
    SnowDayDraft,
    declare_snow_day,
    send_snow_day,
    snow_helpers,
)
from neighborly.help_requests.snow_models import SnowEvent, SnowLine

DAYS_AGO = 19  # the snow day, counted back from the demo's moment
ASKERS = 16  # neighbours who ask for their walks to be cleared that morning
SNOWFALL_INCHES = 6
THANKED_SHARE = 0.7  # neighbours who confirmed and said thank you


def remember_a_snow_day(cast: Cast, say: Echo) -> None:
    """Tell a past snow day through the services, each step at its moment; once per community."""
    community = cast.community
    if db.session.scalar(select(SnowEvent.id).where(SnowEvent.community_id == community.id)):
        say(f"{cast.area.name} has its snow day already.")
        return
    zone = ZoneInfo(community.timezone)
    day = (cast.now - timedelta(days=DAYS_AGO)).astimezone(zone).date()
    declared = datetime.combine(day, time(5, 30), zone).astimezone(UTC)
    rng = cast.rng("snow-day")
    helpers = snow_helpers(community.id, declared)
    askers = [
        (person, user, home)
        for person, user in cast.residents
        if user.created_at < declared - timedelta(days=1)
        and _drivers(helpers, home := person_home(person, cast.seed))
    ]
    for person, user, home in rng.sample(askers, min(ASKERS, len(askers))):
        ask = rng.choice(ASKS_BY_CATEGORY[Category.SNOW])
        weekday = DAY_NAMES["es" if person.locale == "es" else "en"][
            COLLECTION_DAY[home.postal_code]
        ]
        title, details = ask.words(person.locale, day=weekday)
        draft = RequestDraft(
            category=Category.SNOW,
            title=title,
            details=details,
            street_address=home.street_address,
            postal_code=home.postal_code,
            needed_by=declared + timedelta(hours=24),
            estimated_minutes=rng.randrange(ask.minutes[0], ask.minutes[1] + 1, 5),
            urgency=Urgency.URGENT,
            lat=home.lat,
            lng=home.lng,
        )
        asked = declared - timedelta(hours=rng.uniform(2, 14))
        post_request(community, user, draft, now=asked)
    coordinator = cast.coordinator
    event = declare_snow_day(
        community, coordinator, SnowDayDraft(day, SNOWFALL_INCHES), now=declared
    )
    send_snow_day(event.id, coordinator, now=declared + timedelta(minutes=40))
    _finish(event, rng, declared)
    _drive_over(event, rng, declared, helpers)
    say(f"A past snow day in {cast.area.name}: {day.isoformat()}, {SNOWFALL_INCHES} inches.")


def _finish(event: SnowEvent, rng, declared: datetime) -> None:
    """Most helpers clear their walks that morning; most neighbours say thank you."""
    sent = db.session.scalars(
        select(HelpRequest)
        .join(SnowLine, HelpRequest.id == SnowLine.request_id)
        .where(SnowLine.event_id == event.id, HelpRequest.status == Status.ACCEPTED)
        .order_by(SnowLine.id)
    ).all()
    for request in sent:
        _clear(request, request.volunteer, declared + timedelta(hours=rng.uniform(2, 9)), rng)


def _clear(request: HelpRequest, helper, done: datetime, rng) -> None:
    """The helper says it is done; most neighbours confirm with a thank-you."""
    complete_request(request.id, helper, request.estimated_minutes, now=done)
    if rng.random() < THANKED_SHARE:
        locale = request.requester.locale or "en"
        note = thank_you(locale, helper.first_name, Category.SNOW, rng)
        confirm_request(request.id, request.requester, note, now=done + timedelta(hours=3))


def _drivers(helpers, point) -> list[User]:
    """Snow helpers whose Near-me radius covers the point (they can drive there), nearest first."""
    reach = [
        (haversine_km(p.home_lat, p.home_lng, point.lat, point.lng), p.user_id, user)
        for p, user in helpers
    ]
    return [
        user for km, _id, user in sorted(reach, key=lambda r: r[:2]) if km <= _radius(helpers, _id)
    ]


def _radius(helpers, user_id: int) -> float:
    return next(p.radius_km for p, _user in helpers if p.user_id == user_id)


def _drive_over(event: SnowEvent, rng, declared: datetime, helpers) -> None:
    """Nobody could walk to these; later that morning a helper drives over from Near me."""
    waiting = db.session.scalars(
        select(HelpRequest)
        .join(SnowLine, HelpRequest.id == SnowLine.request_id)
        .where(SnowLine.event_id == event.id, HelpRequest.status == Status.OPEN)
        .order_by(SnowLine.id)
    ).all()
    for request in waiting:
        taken = declared + timedelta(hours=rng.uniform(3, 5))
        for helper in _drivers(helpers, request):
            try:
                accept_request(request.id, helper, now=taken)
            except AtCapacity:
                continue
            _clear(request, helper, taken + timedelta(hours=rng.uniform(1, 3)), rng)
            break
    expire_overdue(now=event.deadline + timedelta(minutes=5))  # nobody at all: it expires
