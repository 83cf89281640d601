"""Who demo person number n is, their home, and fresh passwords (pure: no database)."""

from __future__ import annotations

import hashlib
import math
import random
import re
import secrets
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from statistics import fmean

from neighborly.accounts.models import Role
from neighborly.availability import block_code, slots_of_blocks
from neighborly.demo.data.help import (
    DEMO_VOLUNTEER_CAPACITY,
    DEMO_VOLUNTEER_FREE,
    DEMO_VOLUNTEER_HELPS,
    DEMO_VOLUNTEER_RADIUS_KM,
    FREE_BLOCKS,
    HELPS_WITH,
    MOST_CATEGORIES,
    RADII_KM,
    THANKS,
    THANKS_FOR,
    UNVERIFIED_AT,
    UNVERIFIED_EVERY,
)
from neighborly.demo.data.people import (
    ADULT,
    ALGOMA,
    ALGOMA_SHARE,
    DEMO_DOMAIN,
    OLDER,
    PASSWORD_WORDS,
    PROVISO,
    RESIDENT,
    TAGS,
    TEEN,
    VOLUNTEER,
    DemoAccount,
    DemoArea,
)
from neighborly.demo.data.places import (
    ACCOUNT_HOMES,
    HOME_SPREAD_KM,
    KM_PER_DEGREE,
    STREETS,
    DemoCaller,
)
from neighborly.geo.geocoding import postal_code_centroid
from neighborly.help_requests.models import (
    Category,
)
from neighborly.help_requests.services import (
    ProfileDraft,
)


@cache
def zip_centroid(postal_code: str) -> tuple[float, float]:
    """The centre of a US ZIP code from the offline zipcodes package (the app's geocoder)."""
    place = postal_code_centroid(postal_code)
    if place is None:
        raise ValueError(f"unknown ZIP code {postal_code}")
    return place.lat, place.lng


def area_centre(area: DemoArea) -> tuple[float, float]:
    """The mean of the community's ZIP-code centroids."""
    points = [zip_centroid(code) for code in area.postal_codes]
    return fmean(lat for lat, _ in points), fmean(lng for _, lng in points)


def demo_password(email: str) -> str:
    """The role account's password: three words and four digits derived from its email.

    The same on every run, so the README and a tester's notes stay right; the demo is for
    trying Neighborly on a laptop, never for a server other people can reach.
    """
    digest = hashlib.sha256(f"neighborly-demo:{email}".encode()).digest()
    words = "-".join(PASSWORD_WORDS[digest[i] % len(PASSWORD_WORDS)] for i in range(3))
    return f"{words}-{int.from_bytes(digest[3:5], 'big') % 9000 + 1000}"


def new_password() -> str:
    """Three short words and four digits, e.g. ``maple-river-otter-4821``, from `secrets`."""
    words = "-".join(secrets.choice(PASSWORD_WORDS) for _ in range(3))
    return f"{words}-{secrets.randbelow(9000) + 1000}"


# --------------------------------------------------------------------------- the people


@dataclass(frozen=True)
class DemoPerson:
    """One generated resident or volunteer, before (or after) becoming a User."""

    kind: str  # RESIDENT or VOLUNTEER
    index: int
    first_name: str
    last_name: str
    locale: str
    age_group: str  # OLDER, ADULT or TEEN
    postal_code: str
    town: str
    phone: str | None
    also_resident: bool  # a volunteer who also asks for help
    community_slug: str
    joined_days_ago: int = 365  # their account is backdated, so their history fits after it

    @property
    def email(self) -> str:
        """first.last.r0042@proviso.neighborly.example; the tag keeps re-runs from duplicating."""
        local = f"{email_name(self.first_name)}.{email_name(self.last_name)}"
        return f"{local}.{TAGS[self.kind]}{self.index:04d}@{self.community_slug}.{DEMO_DOMAIN}"

    @property
    def roles(self) -> tuple[Role, ...]:
        """The roles this person holds in their community."""
        if self.kind == RESIDENT:
            return (Role.RESIDENT,)
        return (Role.VOLUNTEER, Role.RESIDENT) if self.also_resident else (Role.VOLUNTEER,)


def email_name(name: str) -> str:
    """A name as plain lowercase letters for an email address (Hernández -> hernandez)."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z]", "", plain.lower())


def demo_person(area: DemoArea, kind: str, index: int, seed: int) -> DemoPerson:
    """Person number `index` of one kind in one area; the same arguments give the same person."""
    rng = random.Random(f"{seed}:{area.slug}:{kind}:{index}")
    town = rng.choices(area.towns, weights=[t.weight for t in area.towns])[0]
    pool_keys, shares = zip(*town.mix, strict=True)
    pool = area.pools[rng.choices(pool_keys, weights=shares)[0]]
    age_group = _age_group(area, kind, rng)
    if age_group == OLDER:
        first_names = pool.older_first
    elif age_group == TEEN:
        first_names = pool.younger_first
    else:
        first_names = rng.choice((pool.older_first, pool.younger_first))
    locale = "es" if rng.random() < pool.spanish.get(age_group, 0.0) else "en"
    has_phone = rng.random() < (0.8 if age_group == OLDER else 0.5)
    also_resident = kind == VOLUNTEER and age_group != TEEN and rng.random() < area.also_resident
    return DemoPerson(
        kind=kind,
        index=index,
        first_name=rng.choice(first_names),
        last_name=rng.choice(pool.last),
        locale=locale,
        age_group=age_group,
        postal_code=town.postal_code,
        town=town.name,
        phone=f"({area.area_code}) 555-01{rng.randrange(100):02d}" if has_phone else None,
        also_resident=also_resident,
        community_slug=area.slug,
        joined_days_ago=rng.randrange(120, 900),
    )


def _age_group(area: DemoArea, kind: str, rng: random.Random) -> str:
    """Residents are often older adults; many volunteers are high-school students."""
    roll = rng.random()
    if kind == RESIDENT:
        return OLDER if roll < area.older_residents else ADULT
    if roll < area.teen_volunteers:
        return TEEN
    return OLDER if roll > 0.9 else ADULT


def demo_people(area: DemoArea, kind: str, count: int, seed: int) -> list[DemoPerson]:
    """People number 0 .. count-1 of one kind in one area (pure: no database)."""
    return [demo_person(area, kind, index, seed) for index in range(count)]


def split_counts(total: int) -> dict[str, int]:
    """Share a requested number between the communities: Algoma about a sixth."""
    algoma = int(total * ALGOMA_SHARE + 0.5)
    return {PROVISO.slug: total - algoma, ALGOMA.slug: algoma}


@dataclass(frozen=True)
class Home:
    """Where a demo person lives: a street address and its exact, private point."""

    street_address: str
    postal_code: str
    lat: float
    lng: float


def offset_point(lat: float, lng: float, north_km: float, east_km: float) -> tuple[float, float]:
    """The point some km north and east of another (flat: fine for a few km)."""
    return (
        lat + north_km / KM_PER_DEGREE,
        lng + east_km / (KM_PER_DEGREE * math.cos(math.radians(lat))),
    )


def point_near(lat: float, lng: float, within_km: float, rng: random.Random) -> tuple[float, float]:
    """A point spread evenly over the disc of `within_km` around another."""
    distance = within_km * math.sqrt(rng.random())
    bearing = rng.uniform(0.0, 2 * math.pi)
    return offset_point(lat, lng, distance * math.cos(bearing), distance * math.sin(bearing))


def person_home(person: DemoPerson, seed: int) -> Home:
    """A demo person's home near their ZIP code's centre; the same person, the same home."""
    rng = random.Random(f"{seed}:{person.community_slug}:{person.kind}:{person.index}:home")
    lat, lng = point_near(*zip_centroid(person.postal_code), HOME_SPREAD_KM, rng)
    street = f"{rng.randrange(100, 2400)} {rng.choice(STREETS[person.postal_code])}"
    return Home(street, person.postal_code, lat, lng)


def account_home(account: DemoAccount) -> Home:
    """The hand-placed home of the resident or volunteer role account."""
    street, north_km, east_km = ACCOUNT_HOMES[account.email]
    lat, lng = offset_point(*zip_centroid(account.postal_code), north_km, east_km)
    return Home(street, account.postal_code, lat, lng)


def slots_of(blocks: Iterable[tuple[int, str]]) -> frozenset[str]:
    """(weekday, part of day) blocks as the hourly slot codes the profile form stores."""
    return slots_of_blocks(block_code(day, part) for day, part in blocks)


def waits_for_verification(person: DemoPerson) -> bool:
    """Whether this volunteer is one of the few a coordinator has not verified yet."""
    return person.index % UNVERIFIED_EVERY == UNVERIFIED_AT


def volunteer_draft(person: DemoPerson, home: Home, seed: int) -> ProfileDraft:
    """Where, what and when one demo volunteer helps (pure: the same person, the same draft)."""
    rng = random.Random(f"{seed}:{person.community_slug}:{person.kind}:{person.index}:profile")
    odds = HELPS_WITH[person.age_group]
    chosen = [category for category, chance in odds.items() if rng.random() < chance]
    for category in sorted(odds, key=lambda c: -odds[c]):  # everyone offers two things at least
        if len(chosen) >= 2:
            break
        if category not in chosen:
            chosen.append(category)
    if len(chosen) > MOST_CATEGORIES:
        chosen = rng.sample(chosen, MOST_CATEGORIES)
    blocks, (fewest, most) = FREE_BLOCKS[person.age_group]
    return ProfileDraft(
        postal_code=home.postal_code,
        radius_km=rng.choice(RADII_KM),
        categories=frozenset(category.value for category in chosen),
        slots=slots_of(rng.sample(blocks, rng.randint(fewest, most))),
        capacity=rng.randint(2, 4),
        lat=home.lat,
        lng=home.lng,
    )


def demo_volunteer_draft(home: Home) -> ProfileDraft:
    """Luis's profile: bins, snow, errands, rides and small repairs within 4.5 km."""
    return ProfileDraft(
        postal_code=home.postal_code,
        radius_km=DEMO_VOLUNTEER_RADIUS_KM,
        categories=frozenset(category.value for category in DEMO_VOLUNTEER_HELPS),
        slots=slots_of(DEMO_VOLUNTEER_FREE),
        capacity=DEMO_VOLUNTEER_CAPACITY,
        lat=home.lat,
        lng=home.lng,
    )


def thank_you(locale: str, helper_first_name: str, category: Category, rng: random.Random) -> str:
    """A short thank-you note in the asker's language, naming the helper."""
    special = THANKS_FOR.get(category)
    if special and rng.random() < 0.5:
        text = special["es" if locale == "es" else "en"]
    else:
        text = rng.choice(THANKS["es" if locale == "es" else "en"])
    return text.format(name=helper_first_name)


def ask_weights(month: int) -> dict[Category, float]:
    """How often each kind of help is asked for in a month (snow in winter, leaves in autumn)."""
    snowy = month in (11, 12, 1, 2, 3)
    return {
        Category.SNOW: 5.0 if snowy else 0.0,
        Category.BINS: 3.0,
        Category.ERRANDS: 4.0,
        Category.RIDE: 3.0,
        Category.VISIT: 3.0,
        Category.TECH: 2.0,
        Category.YARD: 2.5 if month in (4, 5, 6, 7, 8, 9, 10, 11) else 0.0,
        Category.REPAIR: 1.5,
        Category.PETS: 1.0,
    }


def caller_home(caller: DemoCaller) -> Home:
    """A phone-in caller's home, placed by hand near the ZIP code's centre."""
    lat, lng = offset_point(*zip_centroid(caller.postal_code), caller.north_km, caller.east_km)
    return Home(caller.street_address, caller.postal_code, lat, lng)
