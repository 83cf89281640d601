"""One community's help requests and their history, told forwards in time."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from neighborly.accounts.models import Community, Role, User
from neighborly.availability import block_code, block_slots
from neighborly.demo.data.help import (
    ASKS_BY_CATEGORY,
    BY_PHONE,
    CALLER,
    DAY_NAMES,
    DEMO_RESIDENT_BINS_NOTES,
    DEMO_RESIDENT_RIDE_NOTE,
    HISTORY_DAYS,
    IN_PROGRESS,
    MOST_REGULARS,
    OPEN_REQUESTS,
    PAST_HELPS,
    RECENT_SHARE,
    REGULAR_BINS,
    YEAR_DAYS,
    YEAR_EXTRA,
    AskText,
)
from neighborly.demo.data.people import DEMO_ACCOUNTS, VOLUNTEER, DemoAccount, DemoArea
from neighborly.demo.data.places import COLLECTION_DAY, COLLECTION_HOUR
from neighborly.demo.people import DemoPerson, Home, ask_weights, thank_you
from neighborly.geo.cells import haversine_km
from neighborly.help_requests.models import (
    Category,
    Status,
)
from neighborly.help_requests.services import (
    RequestDraft,
)

# A standing bins evening (demo.standing: from 6 pm, within three hours) ends at this hour.
BINS_EVENING_ENDS = 21


@dataclass(frozen=True)
class Cast:
    """Everyone the demo knows in one community, and the moment the demo is loading."""

    area: DemoArea
    community: Community
    accounts: dict[str, User]  # email -> user, for the role accounts
    residents: list[tuple[DemoPerson, User]]
    volunteers: list[tuple[DemoPerson, User]]
    first_new_user_id: int  # users with this id or above were created by this run
    seed: int
    now: datetime

    def rng(self, *parts: object) -> random.Random:
        """A random stream named by the seed, the community and the parts."""
        return random.Random(":".join(str(part) for part in (self.seed, self.area.slug, *parts)))

    def account(self, email: str, role: Role | None = None) -> tuple[DemoAccount, User] | None:
        """A role account that belongs to this community (holding `role`, if given)."""
        for account in DEMO_ACCOUNTS:
            if account.email == email and any(
                slug == self.area.slug and (role is None or role == held)
                for slug, held in account.roles
            ):
                return account, self.accounts[email]
        return None

    @property
    def coordinator(self) -> User:
        """The community's coordinator role account, who verifies and takes calls."""
        return next(
            self.accounts[account.email]
            for account in DEMO_ACCOUNTS
            if (self.area.slug, Role.COORDINATOR) in account.roles
        )


@dataclass(frozen=True)
class Asker:
    """Someone who asks for help in the demo, and what their requests need."""

    user: User
    home: Home
    locale: str
    age_group: str
    key: str  # names their random stream
    often: str  # RESIDENT, VOLUNTEER (asks now and then) or CALLER
    created_by: User | None = None  # the coordinator, for callers
    intake_notes: str | None = None


@dataclass
class Helper:
    """A verified volunteer while the demo writes history: where, what, and how busy."""

    user_id: int
    first_name: str
    lat: float
    lng: float
    radius_km: float
    categories: frozenset[str]
    slots: frozenset[tuple[int, int]]
    capacity: int
    verified_at: datetime
    load: int = 0  # requests they hold right now
    held: int = 0  # requests they held before this run: past help can't be told past those
    regulars: int = 0  # neighbours whose bins they roll out every week

    def reach(self, category: Category, home: Home, when: datetime) -> float | None:
        """The distance to a home they would help at, at that time; None when they would not."""
        if category.value not in self.categories or self.verified_at >= when:
            return None
        km = haversine_km(self.lat, self.lng, home.lat, home.lng)
        return km if km <= self.radius_km else None


def history_day(rng: random.Random) -> int:
    """How many days ago a one-off help happened: mostly lately, thinning out over the year."""
    if rng.random() < RECENT_SHARE:
        return rng.randint(2, HISTORY_DAYS)
    return HISTORY_DAYS + int((YEAR_DAYS - HISTORY_DAYS) * rng.random() ** 1.8)


def draw(weights: dict[Category, float], count: int, rng: random.Random) -> list[Category]:
    """Up to `count` different categories, drawn by weight."""
    left = dict(weights)
    chosen = []
    for _ in range(count):
        options = [category for category, weight in left.items() if weight > 0]
        if not options:
            break
        category = rng.choices(options, [left[option] for option in options])[0]
        chosen.append(category)
        left[category] = 0.0
    return chosen


class Stories:
    """Plans one community's help requests and their history, each a story in time.

    Every request's times run forwards (created < accepted < completed < confirmed, all
    before now); a helper is a verified volunteer who does that kind of help within their
    radius, verified before they said yes, and never holds more than their capacity.
    """

    def __init__(self, cast: Cast, helpers: list[Helper]) -> None:
        self.cast = cast
        self.now = cast.now
        self.zone = ZoneInfo(cast.community.timezone)
        self.today = self.now.astimezone(self.zone).date()
        self.helpers = helpers
        self.rows: list[dict] = []
        self.standing: list[dict] = []  # weekly bins, told as series by demo.standing

    # ---------------------------------------------------------------- time

    def at(self, day: date, hour: int, minute: int = 0) -> datetime:
        """A local wall-clock time on a day, in UTC."""
        return datetime.combine(day, time(hour, minute), tzinfo=self.zone).astimezone(UTC)

    def next_collection(self, postal_code: str) -> datetime:
        """The next trash pickup in this ZIP code that is at least three hours away."""
        ahead = (COLLECTION_DAY[postal_code] - self.today.weekday()) % 7
        pickup = self.at(self.today + timedelta(days=ahead), COLLECTION_HOUR)
        if pickup <= self.now + timedelta(hours=3):
            pickup = self.at(self.today + timedelta(days=ahead + 7), COLLECTION_HOUR)
        return pickup

    def due(self, category: Category, postal_code: str, rng: random.Random) -> datetime | None:
        """When a new request is needed by, in the next days; some have no deadline."""
        day = self.today
        if category == Category.BINS:
            return self.next_collection(postal_code)
        if category == Category.SNOW:
            return self.at(day + timedelta(days=rng.randint(1, 2)), 8)
        if category == Category.RIDE:
            return self.at(
                day + timedelta(days=rng.randint(2, 6)),
                rng.choice((9, 10, 13)),
                rng.choice((0, 30)),
            )
        if category == Category.ERRANDS and rng.random() < 0.8:
            return self.at(day + timedelta(days=rng.randint(1, 4)), 17)
        if rng.random() < 0.55:
            return self.at(day + timedelta(days=rng.randint(2, 7)), rng.choice((12, 18)))
        return None

    # ---------------------------------------------------------------- pieces

    def pick(
        self,
        category: Category,
        home: Home,
        when: datetime,
        rng: random.Random,
        exclude: set[int],
        evening: int | None = None,
        need_room: bool = False,
    ) -> Helper | None:
        """A volunteer who would help, nearer ones likelier (and those free that evening).

        `evening` (a weekday) asks for a regular helper: free that evening, and not already
        the regular of MOST_REGULARS neighbours.
        """
        found, weights = [], []
        for helper in self.helpers:
            if helper.user_id in exclude or (need_room and helper.load >= helper.capacity):
                continue
            if helper.held >= helper.capacity:  # full already: the service would say no
                continue
            if evening is not None and helper.regulars >= MOST_REGULARS:
                continue
            km = helper.reach(category, home, when)
            if km is None:
                continue
            weight = 1.0 / (0.5 + km)
            if evening is not None and any(
                code in helper.slots for code in block_slots(block_code(evening, "evening"))
            ):
                weight *= 4
            found.append(helper)
            weights.append(weight)
        return rng.choices(found, weights)[0] if found else None

    def draft(
        self, asker: Asker, ask: AskText, rng: random.Random, needed_by: datetime | None
    ) -> RequestDraft:
        """What the asker typed (or the coordinator typed for them), at their home."""
        day = DAY_NAMES["es" if asker.locale == "es" else "en"][
            COLLECTION_DAY[asker.home.postal_code]
        ]
        title, details = ask.words(asker.locale, day=day)
        low, high = ask.minutes
        return RequestDraft(
            category=ask.category,
            title=title,
            details=details,
            street_address=asker.home.street_address,
            postal_code=asker.home.postal_code,
            needed_by=needed_by,
            estimated_minutes=rng.randrange(low, high + 1, 5),
            urgency=rng.choice(ask.urgency),
            lat=asker.home.lat,
            lng=asker.home.lng,
        )

    def confirmation(
        self,
        asker: Asker,
        helper: Helper,
        category: Category,
        completed_at: datetime,
        rng: random.Random,
        note_chance: float,
        note_template: str | None = None,
    ) -> tuple[Status, datetime | None, str | None]:
        """Whether the asker has confirmed yet, when, and their thank-you note if any."""
        confirmed_at = completed_at + timedelta(hours=rng.uniform(0.5, 40))
        if confirmed_at >= self.now - timedelta(minutes=10):
            return Status.COMPLETED, None, None
        if rng.random() >= note_chance:
            return Status.CONFIRMED, confirmed_at, None
        if note_template:
            note = note_template.format(name=helper.first_name)
        else:
            note = thank_you(asker.locale, helper.first_name, category, rng)
        if asker.often == CALLER:  # the coordinator passes it on
            note = BY_PHONE["es" if asker.locale == "es" else "en"] + note
        return Status.CONFIRMED, confirmed_at, note

    def add(
        self,
        asker: Asker,
        draft: RequestDraft,
        created_at: datetime,
        status: Status = Status.OPEN,
        helper: Helper | None = None,
        accepted_at: datetime | None = None,
        completed_at: datetime | None = None,
        confirmed_at: datetime | None = None,
        minutes_spent: int | None = None,
        note: str | None = None,
    ) -> None:
        """One request's story, for `neighborly.demo.help` to tell through the services."""
        moments = [m for m in (created_at, accepted_at, completed_at, confirmed_at) if m]
        if moments != sorted(set(moments)) or moments[-1] >= self.now:
            raise ValueError("a demo request's story must run forwards and end before now")
        self.rows.append(
            {
                "asker": asker,
                "draft": draft,
                "created_at": created_at,
                "status": status,
                "helper": helper,
                "accepted_at": accepted_at,
                "completed_at": completed_at,
                "confirmed_at": confirmed_at,
                "minutes_spent": minutes_spent,
                "thank_you_note": note,
            }
        )

    # ---------------------------------------------------------------- stories

    def open_request(
        self, asker: Asker, category: Category, rng: random.Random, may_be_taken: bool = True
    ) -> None:
        """A request posted in the last hours or days; now and then a helper has said yes."""
        ask = rng.choice(ASKS_BY_CATEGORY[category])
        draft = self.draft(asker, ask, rng, self.due(category, asker.home.postal_code, rng))
        created_at = max(
            self.now - timedelta(hours=rng.uniform(0.5, 60)),
            asker.user.created_at + timedelta(seconds=1),
        )
        helper = None
        if may_be_taken and rng.random() < IN_PROGRESS:
            helper = self.pick(
                category, asker.home, created_at, rng, {asker.user.id}, need_room=True
            )
        if helper is None:
            self.add(asker, draft, created_at)
            return
        helper.load += 1
        accepted_at = created_at + (self.now - created_at) * rng.uniform(0.1, 0.8)
        self.add(asker, draft, created_at, Status.ACCEPTED, helper, accepted_at)

    def past_help(
        self,
        asker: Asker,
        category: Category,
        rng: random.Random,
        days_ago: int,
        helper: Helper | None = None,
        note_template: str | None = None,
        note_chance: float = 0.75,
        ask: AskText | None = None,
    ) -> bool:
        """Help given some days ago, done and (usually) confirmed; False if nobody could."""
        ask = ask or rng.choice(ASKS_BY_CATEGORY[category])
        completed_at = self.at(
            self.today - timedelta(days=days_ago), rng.randint(9, 17), rng.choice((0, 15, 30, 45))
        )
        created_at = completed_at - timedelta(hours=rng.uniform(5, 72))
        accepted_at = created_at + (completed_at - created_at) * rng.uniform(0.05, 0.6)
        needed_by = completed_at + timedelta(hours=rng.uniform(1, 30))
        if rng.random() < 0.3:
            needed_by = None
        if helper is None:
            helper = self.pick(category, asker.home, accepted_at, rng, {asker.user.id})
        if (
            helper is None
            or helper.verified_at >= accepted_at
            or created_at <= asker.user.created_at
        ):
            return False
        draft = self.draft(asker, ask, rng, needed_by)
        minutes = max(5, 5 * round(draft.estimated_minutes * rng.uniform(0.7, 1.4) / 5))
        status, confirmed_at, note = self.confirmation(
            asker, helper, category, completed_at, rng, note_chance, note_template
        )
        self.add(
            asker,
            draft,
            created_at,
            status,
            helper,
            accepted_at,
            completed_at,
            confirmed_at,
            minutes,
            note,
        )
        return True

    def weekly_bins(
        self,
        asker: Asker,
        rng: random.Random,
        weeks: int,
        helper: Helper | None = None,
        notes: tuple[str, ...] = (),
        note_chance: float = 0.35,
    ) -> bool:
        """The same volunteer rolling the same neighbour's bins out: a standing request.

        Planned here and told by `demo.standing` through the series services: the past weeks
        done (and mostly confirmed), a regular helper once both agreed after the second, and
        this week's evening given to them when they have room. False when nobody nearby does
        bins.
        """
        postal_code = asker.home.postal_code
        pickup_day = self.next_collection(postal_code).astimezone(self.zone).date()
        if self.at(pickup_day - timedelta(days=1), BINS_EVENING_ENDS) <= self.now:
            # Tonight's evening is over though the pickup is tomorrow: tonight was a past week.
            pickup_day += timedelta(days=7)
        started = self.at(pickup_day - timedelta(days=7 * weeks + 5), 12)
        helper = helper or self.pick(
            Category.BINS,
            asker.home,
            started,
            rng,
            {asker.user.id},
            evening=(COLLECTION_DAY[postal_code] - 1) % 7,
        )
        if helper is None or started <= asker.user.created_at or helper.verified_at >= started:
            return False
        helper.regulars += 1
        plan_weeks = []
        for week in range(weeks, 0, -1):
            evening = pickup_day - timedelta(days=7 * week + 1)
            done_at = self.at(evening, rng.randint(18, 20), rng.choice((15, 30, 45)))
            if done_at >= self.now:
                continue
            template = notes[len(plan_weeks) % len(notes)] if notes else None
            status, confirmed_at, note = self.confirmation(
                asker, helper, Category.BINS, done_at, rng, note_chance, template
            )
            plan_weeks.append(
                {
                    "evening": evening,
                    "done_at": done_at,
                    "status": status,
                    "confirmed_at": confirmed_at,
                    "note": note,
                    "minutes": rng.choice((10, 10, 15, 15, 20)),
                }
            )
        takes_this_week = helper.load < helper.capacity
        helper.load += takes_this_week
        self.standing.append(
            {
                "asker": asker,
                "helper": helper,
                "draft": self.draft(asker, ASKS_BY_CATEGORY[Category.BINS][0], rng, None),
                "started": started,
                "weekday": (COLLECTION_DAY[postal_code] - 1) % 7,
                "weeks": plan_weeks,
                "this_week": pickup_day - timedelta(days=1),
                "takes_this_week": takes_this_week,
            }
        )
        return True

    def story(self, asker: Asker, rng: random.Random) -> None:
        """One neighbour's requests: open ones, past help, maybe a regular helper."""
        if asker.often == CALLER:
            opens, past, regular = rng.choice((1, 2)), rng.choice((1, 2)), False
        elif asker.often == VOLUNTEER:  # helpers ask now and then too
            opens = rng.choices((0, 1), (0.7, 0.3))[0]
            past = rng.choices((0, 1), (0.7, 0.3))[0]
            regular = False
        else:
            opens = rng.choices(*OPEN_REQUESTS)[0]
            past = rng.choices(*PAST_HELPS)[0]
            regular = rng.random() < REGULAR_BINS.get(asker.age_group, 0.0)
        has_bins = regular and self.weekly_bins(asker, rng, weeks=rng.randint(3, 8))
        weights = ask_weights(self.today.month)
        if has_bins:
            weights[Category.BINS] = 0.0
        for category in draw(weights, opens, rng):  # a caller's are waiting for the dispatch
            self.open_request(asker, category, rng, may_be_taken=asker.often != CALLER)
        caller = asker.often == CALLER  # a caller's story starts when the coordinator's does
        past += not caller and rng.random() < YEAR_EXTRA
        for _ in range(past):
            days_ago = rng.randint(2, HISTORY_DAYS) if caller else history_day(rng)
            weights = ask_weights((self.today - timedelta(days=days_ago)).month)
            if has_bins:
                weights[Category.BINS] = 0.0
            self.past_help(asker, draw(weights, 1, rng)[0], rng, days_ago)

    def demo_resident_story(self, asker: Asker, rng: random.Random, volunteer_id: int) -> None:
        """Dorothy: Luis does her bins every week; a ride with a thank-you; two open asks."""
        luis = next((h for h in self.helpers if h.user_id == volunteer_id), None)
        if luis is not None:
            self.weekly_bins(
                asker, rng, weeks=6, helper=luis, notes=DEMO_RESIDENT_BINS_NOTES, note_chance=0.6
            )
        driver = (
            self.pick(
                Category.RIDE,
                asker.home,
                self.now - timedelta(days=20),
                rng,
                {asker.user.id, volunteer_id},
            )
            or luis
        )
        self.past_help(
            asker,
            Category.RIDE,
            rng,
            days_ago=17,
            helper=driver,
            note_template=DEMO_RESIDENT_RIDE_NOTE,
            note_chance=1.0,
            ask=ASKS_BY_CATEGORY[Category.RIDE][0],
        )
        snowy = ask_weights(self.today.month)[Category.SNOW] > 0
        self.open_request(
            asker, Category.SNOW if snowy else Category.ERRANDS, rng, may_be_taken=False
        )
        self.open_request(asker, Category.TECH, rng, may_be_taken=False)
