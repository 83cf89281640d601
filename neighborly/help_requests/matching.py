"""Rank open help requests for one volunteer, with reasons in plain words.

Pure: takes frozen dataclasses and an aware ``now``; no Flask, no database.

Filters (a candidate is dropped when any holds):
- it is farther than the volunteer's radius (great-circle distance to the candidate's point,
  which the app sets to the request's public cell centre, never the exact point);
- its category is not one of the volunteer's categories (an empty set matches nothing);
- its ``needed_by`` deadline is already at or before ``now``.

Score (higher is better; the weights below sum to 100):
- distance: ``1 / (1 + km)``, strictly decreasing, so a closer request with otherwise
  equal facts always scores at least as high; the band is for display only;
- urgency: ``1 / (1 + hours_left / 24)``; no deadline scores 0;
- waiting: ``1 - 1 / (1 + hours_waiting / 24)``, so long waits rise but level off;
- category fit: every survivor fits, so this is a constant share (documented, not hidden);
- availability: 1 when one of the volunteer's weekly hours starts before the deadline
  (within the next week when there is no deadline), else 0;
- helped before: a bonus when the volunteer has helped this requester before, because
  the same neighbour coming back is the outcome we want most. ``helped_requesters`` maps
  requester id -> date last helped; the reason names the month ("you helped Rosa in
  January"), adding the year once it is twelve or more months ago.

Availability is a set of hourly slot codes (``neighborly.availability``) in the volunteer's
time zone: the slot ``"tue-9"`` means "Tuesdays 9:00-10:00".
The hour in progress at ``now`` counts. The "you are free before then" reason is shown
only for requests with a deadline; without one the availability share still counts.

Each ``Ranked`` carries structured ``details`` (a code plus values), from which the app
builds translated text, and gives the same facts as English ``reasons`` when asked (they are
worded on demand: the pages never show them). Reasons never contain coordinates: only the
distance band.
Order (``rank``): score descending, then distance ascending, then request id ascending.
Order (``nearest_first``, the Near-me page): distance ascending, then score descending, then
request id; since the distance is measured to the cell centre, every request in one cell is at
one distance, so the page can be filled from the nearest cells outwards and stop early.
"""

from __future__ import annotations

import functools
import heapq
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import cast
from zoneinfo import ZoneInfo

from neighborly.availability import DAY_NAMES, weekly_hours
from neighborly.geo.cells import band_label, distance_band, haversine_km

W_DISTANCE = 35.0
W_URGENCY = 25.0
W_WAITING = 10.0
W_CATEGORY = 5.0
W_AVAILABLE = 10.0
W_HELPED = 15.0

NO_DEADLINE_HORIZON = timedelta(days=7)

# English names, independent of the process locale (the app translates from the codes).
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


@dataclass(frozen=True)
class VolunteerPrefs:
    """What one volunteer offers: where, what, when, and whom they have helped."""

    lat: float
    lng: float
    radius_km: float
    categories: frozenset[str]
    availability: frozenset[str] = frozenset()  # hourly slot codes such as "tue-9"
    helped_requesters: Mapping[int, date] = field(default_factory=dict, hash=False)
    time_zone: str = "UTC"


@dataclass(frozen=True)
class Candidate:
    """An open request as the ranker sees it; lat/lng is its public point (the cell centre)."""

    request_id: int
    category: str
    lat: float
    lng: float
    created_at: datetime
    requester_id: int
    requester_first_name: str
    needed_by: datetime | None = None
    needed_from: datetime | None = None  # the window's start; None: from now

    def __post_init__(self) -> None:
        """Refuse naive datetimes, which would compare wrongly across time zones."""
        for moment in (self.created_at, self.needed_by, self.needed_from):
            if moment is not None and moment.utcoffset() is None:
                raise ValueError("Candidate datetimes must be time-zone aware")


@dataclass(frozen=True)
class Reason:
    """One reason in structured form: a code and its values, for translation."""

    code: str
    values: tuple[tuple[str, object], ...] = ()

    def value(self, key: str) -> object:
        """The value stored under a key."""
        return dict(self.values)[key]


AVAILABLE_IN_TIME = Reason("available_in_time")  # reasons are immutable: rows share these


@dataclass(frozen=True)
class Ranked:
    """A request's place in one volunteer's list, with its reasons."""

    request_id: int
    score: float
    distance_km: float
    band: str
    details: tuple[Reason, ...]

    @property
    def reasons(self) -> tuple[str, ...]:
        """The reasons in English words, worded when asked (pages word `details` themselves)."""
        return tuple(describe(reason) for reason in self.details)


def rank(
    candidates: Iterable[Candidate],
    prefs: VolunteerPrefs,
    now: datetime,
    limit: int | None = None,
) -> list[Ranked]:
    """Open requests this volunteer can take, best first, each with reasons (the top `limit`)."""
    if now.utcoffset() is None:
        raise ValueError("now must be time-zone aware")
    zone = ZoneInfo(prefs.time_zone)
    first_free = first_free_hour(prefs.availability, now, zone)
    scored = []
    for candidate in candidates:
        km = haversine_km(prefs.lat, prefs.lng, candidate.lat, candidate.lng)
        if _eligible(candidate, prefs, km, now):
            free = _first_free_in_window(candidate, prefs.availability, now, zone, first_free)
            score = _score(candidate, prefs, km, now, free)
            scored.append(((-score, km, candidate.request_id), candidate, km, free))
    best = heapq.nsmallest(limit, scored) if limit is not None else sorted(scored)
    return [_rank_one(c, prefs, km, now, zone, free, -key[0]) for key, c, km, free in best]


def nearest_first(
    candidates: Iterable[Candidate],
    prefs: VolunteerPrefs,
    now: datetime,
    limit: int | None = None,
    after: Candidate | None = None,
) -> list[Ranked]:
    """Eligible requests nearest first, the best score first at one distance (the top `limit`).

    `after` is the last request of the previous page (eligible or not any more): only
    requests placed after it in this order come back, so a page can start anywhere.
    """
    if now.utcoffset() is None:
        raise ValueError("now must be time-zone aware")
    zone = ZoneInfo(prefs.time_zone)
    first_free = first_free_hour(prefs.availability, now, zone)
    mark = None
    if after is not None:
        after_km = haversine_km(prefs.lat, prefs.lng, after.lat, after.lng)
        mark = (after_km, -_score(after, prefs, after_km, now, first_free), after.request_id)
    placed = []
    distances: dict[tuple[float, float], float] = {}  # candidates in one cell share a point
    for candidate in candidates:
        point = (candidate.lat, candidate.lng)
        km = distances.get(point)
        if km is None:
            km = distances[point] = haversine_km(prefs.lat, prefs.lng, *point)
        if _eligible(candidate, prefs, km, now):
            key = (km, -_score(candidate, prefs, km, now, first_free), candidate.request_id)
            if mark is None or key > mark:
                placed.append((key, candidate, km))
    best = heapq.nsmallest(limit, placed) if limit is not None else sorted(placed)
    return [
        _rank_one(candidate, prefs, km, now, zone, first_free, -key[1])
        for key, candidate, km in best
    ]


def _eligible(candidate: Candidate, prefs: VolunteerPrefs, km: float, now: datetime) -> bool:
    """Whether the request is in range, in the volunteer's categories and not overdue."""
    overdue = candidate.needed_by is not None and candidate.needed_by <= now
    return km <= prefs.radius_km and candidate.category in prefs.categories and not overdue


def _rank_one(
    candidate: Candidate,
    prefs: VolunteerPrefs,
    km: float,
    now: datetime,
    zone: ZoneInfo,
    first_free: datetime | None,
    score: float,
) -> Ranked:
    """Explain the score of one eligible request (`score`, already computed by `_score`)."""
    available = _available(candidate, now, first_free)
    helped_on = prefs.helped_requesters.get(candidate.requester_id)
    band = distance_band(km)
    return Ranked(
        request_id=candidate.request_id,
        score=score,
        distance_km=km,
        band=band,
        details=_details(candidate, band, now, zone, available, helped_on),
    )


def _available(candidate: Candidate, now: datetime, first_free: datetime | None) -> bool:
    """Whether one of the volunteer's free hours falls inside the request's time window."""
    horizon = candidate.needed_by or now + NO_DEADLINE_HORIZON
    return first_free is not None and first_free < horizon


def _first_free_in_window(
    candidate: Candidate, slots: frozenset[str], now: datetime, zone: ZoneInfo, first_free
) -> datetime | None:
    """The volunteer's first free hour at or after the window opens (now if it is open)."""
    if candidate.needed_from is None or candidate.needed_from <= now:
        return first_free
    return first_free_hour(slots, candidate.needed_from, zone)


def _score(
    candidate: Candidate,
    prefs: VolunteerPrefs,
    km: float,
    now: datetime,
    first_free: datetime | None,
) -> float:
    """The weighted score of one eligible request (cheap: no words)."""
    return (
        W_DISTANCE * distance_score(km)
        + W_URGENCY * urgency_score(candidate.needed_by, now)
        + W_WAITING * waiting_score(candidate.created_at, now)
        + W_CATEGORY
        + W_AVAILABLE * _available(candidate, now, first_free)
        + W_HELPED * (candidate.requester_id in prefs.helped_requesters)
    )


def distance_score(km: float) -> float:
    """1 at the volunteer's door, strictly falling with distance."""
    return 1.0 / (1.0 + max(0.0, km))


def urgency_score(needed_by: datetime | None, now: datetime) -> float:
    """Near 1 when the deadline is imminent, 0.5 a day out, 0 with no deadline."""
    if needed_by is None:
        return 0.0
    hours_left = max(0.0, (needed_by - now).total_seconds() / 3600)
    return 1.0 / (1.0 + hours_left / 24)


def waiting_score(created_at: datetime, now: datetime) -> float:
    """0 when just posted, 0.5 after a day, approaching 1 for long waits."""
    hours = max(0.0, (now - created_at).total_seconds() / 3600)
    return 1.0 - 1.0 / (1.0 + hours / 24)


@functools.lru_cache(maxsize=1024)
def first_free_hour(slots: frozenset[str], now: datetime, zone: ZoneInfo) -> datetime | None:
    """Start of the volunteer's first available hour (the current one counts), if any."""
    hours = weekly_hours(slots)
    if not hours:
        return None
    start = now.astimezone(zone).replace(minute=0, second=0, microsecond=0)
    for step in range(8 * 24):  # a week plus a day of margin for clock changes
        hour = (start.astimezone(UTC) + timedelta(hours=step)).astimezone(zone)
        if (hour.weekday(), hour.hour) in hours:
            return hour
    return None


def _details(
    candidate: Candidate,
    band: str,
    now: datetime,
    zone: ZoneInfo,
    available: bool,
    helped_on: date | None,
) -> tuple[Reason, ...]:
    """The structured reasons for one request, in display order."""
    reasons = [_distance_reason(band)]
    if candidate.needed_by is not None:
        reasons.append(_needed_by_reason(candidate.needed_by, now, zone))
    reasons.append(_waiting_reason(candidate.created_at, now))
    if available and candidate.needed_by is not None:
        reasons.append(AVAILABLE_IN_TIME)
    if helped_on is not None:
        reasons.append(_helped_reason(candidate.requester_first_name, helped_on, now, zone))
    return tuple(reasons)


@functools.lru_cache(maxsize=16)
def _distance_reason(band: str) -> Reason:
    """The distance reason for one band (one per band, shared by every row in it)."""
    return Reason("distance", (("band", band),))


def _needed_by_reason(needed_by: datetime, now: datetime, zone: ZoneInfo) -> Reason:
    """When the request is needed by, as a local time and a day relative to now."""
    local = needed_by.astimezone(zone)
    days_ahead = (local.date() - now.astimezone(zone).date()).days
    if days_ahead == 0:
        day = "today"
    elif days_ahead == 1:
        day = "tomorrow"
    elif days_ahead < 7:
        day = "weekday"
    else:
        day = "date"
    return Reason("needed_by", (("at", local), ("day", day)))


def _waiting_reason(created_at: datetime, now: datetime) -> Reason:
    """How long the request has waited, in whole hours or days."""
    hours = max(0, int((now - created_at).total_seconds() // 3600))
    if hours < 1:
        return Reason("just_posted")
    if hours < 24:
        return Reason("waiting", (("hours", hours),))
    return Reason("waiting", (("days", hours // 24),))


def _helped_reason(name: str, helped_on: date, now: datetime, zone: ZoneInfo) -> Reason:
    """Who the volunteer helped before and when, by month (with year if long ago)."""
    today = now.astimezone(zone).date()
    months_ago = (today.year - helped_on.year) * 12 + today.month - helped_on.month
    values: tuple[tuple[str, object], ...] = (("name", name), ("month", helped_on.month))
    if months_ago >= 12:
        values += (("year", helped_on.year),)
    return Reason("helped_before", values)


def describe(reason: Reason) -> str:
    """English words for a structured reason (the app translates from the codes)."""
    values = dict(reason.values)
    match reason.code:
        case "distance":
            return band_label(str(values["band"]))
        case "needed_by":
            return "needed by " + _when(cast(datetime, values["at"]), str(values["day"]))
        case "just_posted":
            return "just posted"
        case "waiting":
            return _waiting_words(values)
        case "available_in_time":
            return "you are free before then"
        case "helped_before":
            return _helped_words(values)
    raise ValueError(f"unknown reason code: {reason.code}")


def clock(moment: datetime) -> str:
    """A time of day in simple words: '9 am', '5:30 pm', 'noon', 'midnight'."""
    if (moment.hour, moment.minute) == (12, 0):
        return "noon"
    if (moment.hour, moment.minute) == (0, 0):
        return "midnight"
    hour = moment.hour % 12 or 12
    minutes = f":{moment.minute:02d}" if moment.minute else ""
    return f"{hour}{minutes} {'am' if moment.hour < 12 else 'pm'}"


def _when(local: datetime, day: str) -> str:
    """'9 am today', '9 am tomorrow', '9 am on Friday', '9 am on March 14'."""
    if day in ("today", "tomorrow"):
        return f"{clock(local)} {day}"
    if day == "weekday":
        return f"{clock(local)} on {DAY_NAMES[local.weekday()]}"
    return f"{clock(local)} on {MONTHS[local.month - 1]} {local.day}"


def _waiting_words(values: dict[str, object]) -> str:
    """'waiting 5 hours', 'waiting 1 day', 'waiting 2 days'."""
    unit, count = ("hour", values["hours"]) if "hours" in values else ("day", values["days"])
    return f"waiting {count} {unit}{'' if count == 1 else 's'}"


def _helped_words(values: dict[str, object]) -> str:
    """'you helped Rosa in January', or 'you helped Rosa in March 2023' if long ago."""
    name = values["name"]
    month = MONTHS[cast(int, values["month"]) - 1]
    year = f" {values['year']}" if "year" in values else ""
    return f"you helped {name} in {month}{year}"


# Inviting: the same facts, turned around: which volunteers to ask for one request.

NEAR_EQUAL = 4.0  # candidates within this many points of each other count as near-equal


@dataclass(frozen=True)
class Helper:
    """One volunteer as the inviter sees them, with the fairness facts."""

    volunteer_id: int
    lat: float
    lng: float
    radius_km: float
    categories: frozenset[str]
    availability: frozenset[str] = frozenset()
    time_zone: str = "UTC"
    helped_on: date | None = None  # when they last helped this requester
    last_invited_at: datetime | None = None
    invitations_today: int = 0
    daily_cap: int = 3
    paused: bool = False


@dataclass(frozen=True)
class Invitee:
    """A volunteer chosen for a round, with reason codes ("near", "free_in_window", ...)."""

    volunteer_id: int
    score: float
    distance_km: float
    reasons: tuple[str, ...]


def pick_invitees(
    candidate: Candidate,
    helpers: Iterable[Helper],
    now: datetime,
    limit: int,
    near_equal: float = NEAR_EQUAL,
) -> list[Invitee]:
    """The best `limit` volunteers to invite; near-equal ones take turns (least recently asked).

    Dropped: paused volunteers, those at their daily cap, out of range or category, and
    everyone once the window has closed. Score: distance, free inside the window, helped this
    neighbour before (continuity). Volunteers are grouped from the top down while within
    `near_equal` points of their group's best; inside a group the one invited least recently
    (never first) goes first, so the nearest people are not always the ones asked.
    """
    if now.utcoffset() is None:
        raise ValueError("now must be time-zone aware")
    if candidate.needed_by is not None and candidate.needed_by <= now:
        return []
    start = max(now, candidate.needed_from or now)
    scored: list[_Scored] = []
    for helper in helpers:
        km = haversine_km(helper.lat, helper.lng, candidate.lat, candidate.lng)
        if _can_invite(candidate, helper, km):
            free = first_free_hour(helper.availability, start, _zone(helper.time_zone))
            available = _available(candidate, now, free)
            helped = helper.helped_on is not None
            scored.append((_invitee_score(km, available, helped), km, helper, available))
    scored.sort(key=lambda item: (-item[0], item[1], item[2].volunteer_id))
    ordered: list[_Scored] = []
    group: list[_Scored] = []
    for item in scored:
        if group and group[0][0] - item[0] > near_equal:
            ordered.extend(_by_turn(group))
            group = []
            if len(ordered) >= limit:
                break
        group.append(item)
    ordered.extend(_by_turn(group))
    return [_invitee(*item) for item in ordered[:limit]]


def best_score_beyond(km: float) -> float:
    """The highest score a volunteer farther than km who never helped this neighbour can get."""
    return W_DISTANCE * distance_score(km) + W_CATEGORY + W_AVAILABLE


def settled(
    chosen: list[Invitee], limit: int, beyond_km: float, near_equal: float = NEAR_EQUAL
) -> bool:
    """Whether picking among the volunteers within beyond_km (and everyone who helped this
    neighbour before) gave what picking among all of them would give.

    Nobody farther away can score within `near_equal` of the lowest chosen score, so nobody
    farther away could join the chosen ones or the near-equal group they were taken from.
    """
    if len(chosen) < limit:
        return False
    return best_score_beyond(beyond_km) < min(invitee.score for invitee in chosen) - near_equal


def _can_invite(candidate: Candidate, helper: Helper, km: float) -> bool:
    """Whether this volunteer may be asked at all."""
    return (
        not helper.paused
        and helper.invitations_today < helper.daily_cap
        and km <= helper.radius_km
        and candidate.category in helper.categories
    )


_Scored = tuple[float, float, Helper, bool]  # score, km, the volunteer, free in the window


@functools.lru_cache(maxsize=64)
def _zone(name: str) -> ZoneInfo:
    """A time zone by name (every volunteer of a community shares one)."""
    return ZoneInfo(name)


def _invitee_score(km: float, available: bool, helped: bool) -> float:
    """One volunteer's score for one request: near, free in the window, helped before."""
    return (
        W_DISTANCE * distance_score(km) + W_CATEGORY + W_AVAILABLE * available + W_HELPED * helped
    )


def _invitee(score: float, km: float, helper: Helper, available: bool) -> Invitee:
    """A chosen volunteer with the reasons they were chosen."""
    reasons = [distance_band(km)]
    if available:
        reasons.append("free_in_window")
    if helper.helped_on is not None:
        reasons.append("helped_before")
    return Invitee(helper.volunteer_id, score, km, tuple(reasons))


def _by_turn(group: list[_Scored]) -> list[_Scored]:
    """Near-equal volunteers, the one asked least recently (or never) first."""
    never = datetime.min.replace(tzinfo=UTC)
    return sorted(
        group,
        key=lambda item: (item[2].last_invited_at or never, -item[0], item[2].volunteer_id),
    )
