"""Demo data: the two communities Neighborly was imagined for, one account per role, and
realistic residents and volunteers spread over their real ZIP codes.

`load_demo` is what `flask --app neighborly demo` runs. It is safe to run again:

- communities are found by slug and created only when missing;
- the role accounts (site admin, coordinators, resident, volunteer, mentor) are created
  when missing, and otherwise get a *new* password, so the passwords printed by every run
  are the ones that work (a new password also signs the account's old sessions out);
- residents and volunteers are topped up to the requested numbers, never duplicated and
  never removed. Each demo person has a numbered tag in their email (``.r0042``,
  ``.v0007``); a tag that exists already is skipped.

Who person number *n* is (name, language, ZIP code, age group) depends only on the seed,
the community, the kind and *n*, so topping up 60 people to 120 gives exactly the people a
fresh run with 120 would, and later demo code (help requests, volunteer home points) can
regenerate `DemoPerson` values for the users that exist. Top up with the seed you loaded
with: numbers that exist are kept as they are, whatever the seed.

Then the demo brings each community to life, so the app has something to show:

- a couple of phone-in residents per community (no email, no password; found again by
  phone, like the coordinator's phone-in form finds them), whose requests the coordinator
  posted, with notes from the call;
- every demo volunteer (the volunteer account and the bulk volunteers) gets a profile: a
  home within 1.5 km of their ZIP code's centre, a 2-5 km radius, the kinds of help and
  weekly hours people of their age offer, a capacity of 2-4, verified by the community's
  coordinator, except volunteer numbers 3, 11, 19, ... who wait to be verified;
- residents (and now and then a volunteer) ask for help in their own language, from their
  own street address, needed in the next days (or any time), and have history: help that
  was done and confirmed in the last nine weeks, with minutes and thank-you notes, and for
  some older neighbours the same volunteer rolling their bins out every week;
- Dorothy (the resident account) and Luis (the volunteer account) live a kilometre apart:
  he does her bins every Monday evening, she has open requests he can take and a
  confirmed ride with a thank-you note, and his Near-me list has neighbours on it.

Algoma runs the Wolves and Pups mentoring program (`neighborly.mentoring.demo`), told
through the mentoring services: its coordinator account runs it, the mentor account is an
approved Wolf with one Pup and a few meetings, and more Wolves come from Algoma's teen
volunteers. It is written once, in the run that finds Algoma without it.

Requests are written once per person: in the run that creates the person (or, in a
community with no requests at all, such as a database loaded before the demo wrote any,
in that run). Running again adds none; topping up adds requests for the new people only.
The one exception keeps the demo alive: when the volunteer account's Near-me list has
fewer than ``NEAR_ME_AT_LEAST`` open requests (some were taken or have passed), nearby
neighbours with nothing open that he could take post one. Profiles are made once per
volunteer and never changed. Every story runs forwards in UTC (created < accepted <
completed < confirmed < now), after the account it belongs to (accounts are backdated to
when their person "joined"), and helpers are verified before they say yes.

Every address is on the reserved ``.example`` domain (RFC 2606), every phone number in
the fictional 555-01xx range, every street name invented. ``.test`` would be just as
reserved, but the sign-in form's email check (email-validator) refuses ``.test`` addresses,
and demo accounts must be able to sign in. Bulk people never sign in: they share the hash
of one random secret nobody knows, so loading them costs one password hash, not one each.
"""

from __future__ import annotations

import math
import random
import re
import secrets
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from statistics import fmean
from zoneinfo import ZoneInfo

from sqlalchemy import func, insert, select

from neighborly.accounts.models import Community, Membership, Role, User
from neighborly.accounts.passwords import hash_password
from neighborly.accounts.services import (
    Registration,
    create_community,
    create_confirmed_user,
    find_user_by_email,
    grant_role,
)
from neighborly.extensions import db
from neighborly.geo.cells import cell_of, haversine_km
from neighborly.geo.geocoding import postal_code_centroid
from neighborly.help_requests.forms import PARTS_OF_DAY
from neighborly.help_requests.models import (
    Category,
    HelpRequest,
    Status,
    Urgency,
    VolunteerProfile,
)
from neighborly.help_requests.services import (
    PhoneInResident,
    ProfileDraft,
    RequestDraft,
    near_me,
)
from neighborly.mentoring.demo import Setting, load_mentoring_demo
from neighborly.timeutil import utcnow

Echo = Callable[[str], object]
Account = tuple[str, str, str]  # (role label, email, password)

DEMO_DOMAIN = "neighborly.example"
BATCH_SIZE = 50
ALGOMA_SHARE = 1 / 6  # of the requested residents and volunteers; Proviso gets the rest

RESIDENT = "resident"
VOLUNTEER = "volunteer"
_TAGS = {RESIDENT: "r", VOLUNTEER: "v"}
_PERSON_EMAIL = re.compile(r"\.(?P<tag>[rv])(?P<index>\d+)@(?P<slug>[a-z0-9-]+)\.")

OLDER = "older"
ADULT = "adult"
TEEN = "teen"  # mentor age: high-school sophomores and juniors


# --------------------------------------------------------------------------- the places


@dataclass(frozen=True)
class NamePool:
    """Names common in one part of a community, and how often its people prefer Spanish."""

    older_first: tuple[str, ...]
    younger_first: tuple[str, ...]
    last: tuple[str, ...]
    spanish: dict[str, float]  # age group -> share with locale "es"


@dataclass(frozen=True)
class Town:
    """One ZIP code of a community: its weight in the population and its mix of name pools."""

    postal_code: str
    name: str
    weight: float
    mix: tuple[tuple[str, float], ...]  # (pool key, share)


@dataclass(frozen=True)
class DemoArea:
    """Everything the demo needs to know about one community."""

    slug: str
    name: str
    timezone: str
    area_code: str
    towns: tuple[Town, ...]
    pools: dict[str, NamePool]
    older_residents: float  # share of residents who are older adults
    teen_volunteers: float  # share of volunteers of mentor age
    also_resident: float  # share of adult volunteers who also ask for help

    @property
    def postal_codes(self) -> list[str]:
        """The community's ZIP codes, in order."""
        return [town.postal_code for town in self.towns]

    @property
    def email_domain(self) -> str:
        """Where this community's demo people get their email."""
        return f"{self.slug}.{DEMO_DOMAIN}"


_BLACK_AMERICAN = NamePool(
    older_first=(
        "Dorothy",
        "Gloria",
        "Bernice",
        "Ernestine",
        "Mattie",
        "Loretta",
        "Hattie",
        "Delores",
        "Lillian",
        "Shirley",
        "Willie",
        "Earl",
        "Otis",
        "Leroy",
        "Clarence",
        "Roosevelt",
        "Curtis",
        "Jerome",
        "Calvin",
        "Harold",
    ),
    younger_first=(
        "Jasmine",
        "Aaliyah",
        "Destiny",
        "Imani",
        "Brianna",
        "Kiara",
        "Nia",
        "Marcus",
        "Jalen",
        "DeAndre",
        "Isaiah",
        "Malik",
        "Darius",
        "Xavier",
        "Terrence",
        "Tiana",
    ),
    last=(
        "Johnson",
        "Williams",
        "Jackson",
        "Brown",
        "Davis",
        "Harris",
        "Robinson",
        "Thomas",
        "Walker",
        "Washington",
        "Coleman",
        "Jenkins",
        "Bell",
        "Hayes",
        "Banks",
        "Freeman",
        "Dixon",
        "Mitchell",
        "Franklin",
        "Simmons",
        "Tolliver",
        "Byrd",
    ),
    spanish={},
)
_LATINO = NamePool(
    older_first=(
        "María",
        "Guadalupe",
        "Rosa",
        "Carmen",
        "Josefina",
        "Esperanza",
        "Socorro",
        "Alicia",
        "Graciela",
        "José",
        "Juan",
        "Jesús",
        "Manuel",
        "Ramón",
        "Francisco",
        "Refugio",
        "Salvador",
        "Rogelio",
    ),
    younger_first=(
        "Daniela",
        "Valeria",
        "Ximena",
        "Jocelyn",
        "Itzel",
        "Andrea",
        "Karla",
        "Diego",
        "Alejandro",
        "Luis",
        "Carlos",
        "Adrián",
        "Brandon",
        "Kevin",
        "Emiliano",
        "Jazmín",
    ),
    last=(
        "García",
        "Hernández",
        "Martínez",
        "López",
        "González",
        "Rodríguez",
        "Pérez",
        "Sánchez",
        "Ramírez",
        "Torres",
        "Flores",
        "Rivera",
        "Gómez",
        "Díaz",
        "Cruz",
        "Morales",
        "Reyes",
        "Gutiérrez",
        "Ortiz",
        "Castillo",
        "Mendoza",
        "Vázquez",
        "Jiménez",
        "Chávez",
        "Salgado",
        "Ávila",
    ),
    spanish={OLDER: 0.75, ADULT: 0.45, TEEN: 0.15},
)
_EUROPEAN_AMERICAN = NamePool(
    older_first=(
        "Mary",
        "Patricia",
        "Barbara",
        "Joan",
        "Carol",
        "Rosemary",
        "Antoinette",
        "Frank",
        "Anthony",
        "Joseph",
        "Richard",
        "Dominic",
        "Stanley",
        "Walter",
        "Eugene",
    ),
    younger_first=(
        "Emma",
        "Grace",
        "Mia",
        "Ava",
        "Sophia",
        "Olivia",
        "Jack",
        "Liam",
        "Noah",
        "Owen",
        "Lucas",
        "Nathan",
        "Ethan",
    ),
    last=(
        "Russo",
        "Esposito",
        "DeLuca",
        "Romano",
        "Bruno",
        "Caruso",
        "Lombardi",
        "Kowalski",
        "Nowak",
        "Wisniewski",
        "Kaminski",
        "O'Brien",
        "Murphy",
        "Sullivan",
        "Schultz",
        "Meyer",
        "Hoffmann",
        "Anderson",
        "Miller",
        "Nguyen",
        "Patel",
    ),
    spanish={},
)
_KEWAUNEE_COUNTY = NamePool(
    older_first=(
        "Marlene",
        "Joyce",
        "Darlene",
        "Lorraine",
        "Bernadette",
        "Elaine",
        "Arlene",
        "Gerald",
        "Dale",
        "Roger",
        "Duane",
        "Norbert",
        "Vernon",
        "LeRoy",
    ),
    younger_first=(
        "Kaylee",
        "Brooke",
        "Madison",
        "Hailey",
        "Addison",
        "Ella",
        "Paige",
        "Carter",
        "Logan",
        "Hunter",
        "Brady",
        "Mason",
        "Wyatt",
        "Owen",
    ),
    last=(
        "Delfosse",
        "Jeanquart",
        "Baudhuin",
        "Massart",
        "Wery",
        "Daems",
        "LeMieux",
        "Lampert",
        "Kinjerski",
        "Paral",
        "Dvorak",
        "Novak",
        "Zastrow",
        "Schmiling",
        "Mueller",
        "Schmitt",
        "Haack",
        "Olson",
        "Nelson",
        "Anderson",
        "Guilette",
    ),
    spanish={},
)

# Town weights and mixes are rounded, approximate shares (recent census summaries), chosen
# so the demo looks like the place: Maywood, Bellwood and Broadview mostly Black American,
# Melrose Park mostly Latino, Forest Park and Westchester mostly European American.
PROVISO = DemoArea(
    slug="proviso",
    name="Proviso Township, Illinois",
    timezone="America/Chicago",
    area_code="708",
    towns=(
        Town("60153", "Maywood", 23, (("black", 0.67), ("latino", 0.27), ("european", 0.06))),
        Town("60104", "Bellwood", 19, (("black", 0.72), ("latino", 0.21), ("european", 0.07))),
        Town("60160", "Melrose Park", 25, (("latino", 0.72), ("european", 0.22), ("black", 0.06))),
        Town("60155", "Broadview", 8, (("black", 0.60), ("latino", 0.21), ("european", 0.19))),
        Town("60130", "Forest Park", 14, (("european", 0.55), ("black", 0.32), ("latino", 0.13))),
        Town("60162", "Hillside", 8, (("european", 0.36), ("latino", 0.33), ("black", 0.31))),
        Town("60154", "Westchester", 17, (("european", 0.69), ("black", 0.18), ("latino", 0.13))),
    ),
    pools={"black": _BLACK_AMERICAN, "latino": _LATINO, "european": _EUROPEAN_AMERICAN},
    older_residents=0.6,
    teen_volunteers=0.35,
    also_resident=0.4,
)
ALGOMA = DemoArea(
    slug="algoma",
    name="Algoma, Wisconsin",
    timezone="America/Chicago",
    area_code="920",
    towns=(Town("54201", "Algoma", 1, (("kewaunee", 0.93), ("latino", 0.07))),),
    pools={"kewaunee": _KEWAUNEE_COUNTY, "latino": _LATINO},
    older_residents=0.65,
    teen_volunteers=0.7,  # Wolves and Pups: most volunteers are high-school mentors
    also_resident=0.4,
)
AREAS = (PROVISO, ALGOMA)


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


# --------------------------------------------------------------------------- the accounts


@dataclass(frozen=True)
class DemoAccount:
    """A named account for trying out one role; its password is made fresh each run."""

    label: str
    email: str
    first_name: str
    last_name: str
    locale: str = "en"
    phone: str | None = None
    postal_code: str | None = None
    is_site_admin: bool = False
    roles: tuple[tuple[str, Role], ...] = ()  # (community slug, role)


DEMO_RESIDENT_EMAIL = f"resident@proviso.{DEMO_DOMAIN}"
DEMO_VOLUNTEER_EMAIL = f"volunteer@proviso.{DEMO_DOMAIN}"
ACCOUNT_AGE = timedelta(days=2 * 365)  # role accounts are backdated, so their history fits

DEMO_ACCOUNTS = (
    DemoAccount("site admin", f"admin@{DEMO_DOMAIN}", "Dana", "Whitfield", is_site_admin=True),
    DemoAccount(
        "coordinator",
        f"coordinator@proviso.{DEMO_DOMAIN}",
        "Yolanda",
        "Brooks",
        phone="(708) 555-0101",
        postal_code="60153",
        roles=(("proviso", Role.COORDINATOR),),
    ),
    DemoAccount(
        "resident",
        DEMO_RESIDENT_EMAIL,
        "Dorothy",
        "Jenkins",
        phone="(708) 555-0102",
        postal_code="60153",
        roles=(("proviso", Role.RESIDENT),),
    ),
    DemoAccount(
        "volunteer",
        DEMO_VOLUNTEER_EMAIL,
        "Luis",
        "Hernández",
        locale="es",
        phone="(708) 555-0103",
        postal_code="60160",
        roles=(("proviso", Role.VOLUNTEER),),
    ),
    DemoAccount(
        "coordinator",
        f"coordinator@algoma.{DEMO_DOMAIN}",
        "Karen",
        "Jeanquart",
        phone="(920) 555-0101",
        postal_code="54201",
        roles=(("algoma", Role.COORDINATOR),),
    ),
    DemoAccount(
        "mentor",
        f"mentor@algoma.{DEMO_DOMAIN}",
        "Kaylee",
        "Delfosse",
        postal_code="54201",
        roles=(("algoma", Role.VOLUNTEER),),
    ),
)

_WORDS = (
    "acorn",
    "amber",
    "apple",
    "aspen",
    "badge",
    "basil",
    "beach",
    "birch",
    "bison",
    "blue",
    "brook",
    "cabin",
    "candle",
    "cedar",
    "cello",
    "chalk",
    "cider",
    "clover",
    "comet",
    "coral",
    "crane",
    "daisy",
    "delta",
    "dune",
    "eagle",
    "ember",
    "fable",
    "fern",
    "fiddle",
    "finch",
    "flint",
    "forest",
    "fox",
    "garden",
    "ginger",
    "glade",
    "grove",
    "harbor",
    "hazel",
    "heron",
    "honey",
    "indigo",
    "iris",
    "ivy",
    "jade",
    "jasper",
    "juniper",
    "kayak",
    "kettle",
    "kite",
    "lake",
    "lantern",
    "lark",
    "lemon",
    "lilac",
    "linen",
    "lotus",
    "maple",
    "meadow",
    "melon",
    "mint",
    "moss",
    "nectar",
    "nutmeg",
    "oak",
    "ocean",
    "olive",
    "onyx",
    "orchid",
    "otter",
    "pebble",
    "pepper",
    "pine",
    "plum",
    "pond",
    "poppy",
    "prairie",
    "quill",
    "quilt",
    "rain",
    "raven",
    "reed",
    "river",
    "robin",
    "saffron",
    "sage",
    "sail",
    "spruce",
    "stone",
    "sunny",
    "swan",
    "thistle",
    "thyme",
    "tulip",
    "velvet",
    "violet",
    "walnut",
    "willow",
    "wren",
    "yarrow",
    "zinnia",
)


def new_password() -> str:
    """Three short words and four digits, e.g. ``maple-river-otter-4821``, from `secrets`."""
    words = "-".join(secrets.choice(_WORDS) for _ in range(3))
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
        local = f"{_ascii(self.first_name)}.{_ascii(self.last_name)}"
        return f"{local}.{_TAGS[self.kind]}{self.index:04d}@{self.community_slug}.{DEMO_DOMAIN}"

    @property
    def roles(self) -> tuple[Role, ...]:
        """The roles this person holds in their community."""
        if self.kind == RESIDENT:
            return (Role.RESIDENT,)
        return (Role.VOLUNTEER, Role.RESIDENT) if self.also_resident else (Role.VOLUNTEER,)


def _ascii(name: str) -> str:
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


# --------------------------------------------------------------------------- homes

KM_PER_DEGREE = 111.32  # km in a degree of latitude (and of longitude at the equator)
HOME_SPREAD_KM = 1.5  # every demo home lies within this distance of its ZIP code's centre

# Street names invented for the demo, a few per ZIP code: plausible for the town, meant to
# be nobody's real address (any match with a real street is a coincidence).
STREETS: dict[str, tuple[str, ...]] = {
    "60153": (
        "Bluestem Avenue",
        "Harrow Lane",
        "Quillen Street",
        "Marchmont Avenue",
        "Linnet Court",
    ),
    "60104": (
        "Thornbury Avenue",
        "Cobbler Lane",
        "Ardith Street",
        "Wrenfield Court",
        "Pallister Avenue",
    ),
    "60160": (
        "Vallecito Avenue",
        "Orchardgate Street",
        "Costanza Lane",
        "Bramble Court",
        "Marisol Avenue",
    ),
    "60155": ("Kestrel Avenue", "Dunmore Street", "Hollis Bend", "Fennimore Court"),
    "60130": ("Elderberry Lane", "Hartwick Avenue", "Lindenwold Street", "Ormsby Court"),
    "60162": ("Ravenhill Road", "Corliss Lane", "Pembrook Avenue", "Saltmarsh Court"),
    "60154": ("Brambleton Road", "Fairhollow Avenue", "Windemere Court", "Gatesby Lane"),
    "54201": (
        "Steelhead Street",
        "Orchard Bluff Road",
        "Harbor Mist Lane",
        "Net Shed Lane",
        "Ahnapee Ridge Court",
    ),
}

# The weekday (0 = Monday) each town's trash and recycling go, early in the morning; the
# bins go out to the curb the evening before. Invented, like the streets.
COLLECTION_DAY: dict[str, int] = {
    "60153": 1,
    "60104": 2,
    "60160": 0,
    "60155": 3,
    "60130": 4,
    "60162": 2,
    "60154": 3,
    "54201": 0,
}
COLLECTION_HOUR = 6


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


# The resident and volunteer role accounts live about a kilometre apart, placed by hand:
# Dorothy well inside Luis's radius, so his Near-me list, her page and their weekly bins
# tell one story. (street, km north and km east of the ZIP code's centre)
ACCOUNT_HOMES: dict[str, tuple[str, float, float]] = {
    DEMO_RESIDENT_EMAIL: ("1207 Bluestem Avenue", 0.4, -0.3),
    DEMO_VOLUNTEER_EMAIL: ("1938 Vallecito Avenue", -1.0, 0.5),
}


def account_home(account: DemoAccount) -> Home:
    """The hand-placed home of the resident or volunteer role account."""
    street, north_km, east_km = ACCOUNT_HOMES[account.email]
    lat, lng = offset_point(*zip_centroid(account.postal_code), north_km, east_km)
    return Home(street, account.postal_code, lat, lng)


@dataclass(frozen=True)
class DemoCaller:
    """A neighbour with no account: a coordinator takes their requests on the phone."""

    community_slug: str
    resident: PhoneInResident
    locale: str
    postal_code: str
    street_address: str
    north_km: float
    east_km: float

    @property
    def home(self) -> Home:
        """Their home, placed by hand near the ZIP code's centre."""
        lat, lng = offset_point(*zip_centroid(self.postal_code), self.north_km, self.east_km)
        return Home(self.street_address, self.postal_code, lat, lng)


DEMO_CALLERS = (
    DemoCaller(
        "proviso",
        PhoneInResident(
            "Refugio",
            "Salgado",
            "(708) 555-0190",
            "Prefers Spanish. Knock hard: the doorbell does not work.",
        ),
        "es",
        "60160",
        "1614 Orchardgate Street",
        0.3,
        0.6,
    ),
    DemoCaller(
        "proviso",
        PhoneInResident(
            "Hattie",
            "Coleman",
            "(708) 555-0191",
            "Lives alone since her husband passed; her daughter is in Atlanta. "
            "Call her before you go over.",
        ),
        "en",
        "60104",
        "2215 Thornbury Avenue",
        0.5,
        0.8,
    ),
    DemoCaller(
        "algoma",
        PhoneInResident(
            "Norbert",
            "Wery",
            "(920) 555-0190",
            "Uses a walker. Knock and give him a minute to reach the door.",
        ),
        "en",
        "54201",
        "418 Steelhead Street",
        0.2,
        -0.4,
    ),
)
CALLER_KNOWN_FOR = timedelta(days=180)  # since the coordinator first took their call


# --------------------------------------------------------------------------- volunteer profiles

# How likely a volunteer of each age group is to offer each kind of help.
HELPS_WITH: dict[str, dict[Category, float]] = {
    TEEN: {
        Category.SNOW: 0.8,
        Category.BINS: 0.7,
        Category.YARD: 0.6,
        Category.TECH: 0.7,
        Category.VISIT: 0.35,
        Category.ERRANDS: 0.3,
        Category.PETS: 0.45,
        Category.REPAIR: 0.1,
    },
    ADULT: {
        Category.ERRANDS: 0.7,
        Category.RIDE: 0.5,
        Category.SNOW: 0.55,
        Category.BINS: 0.55,
        Category.REPAIR: 0.4,
        Category.YARD: 0.4,
        Category.VISIT: 0.4,
        Category.TECH: 0.3,
        Category.PETS: 0.3,
    },
    OLDER: {
        Category.VISIT: 0.8,
        Category.ERRANDS: 0.6,
        Category.RIDE: 0.5,
        Category.BINS: 0.3,
        Category.REPAIR: 0.35,
        Category.PETS: 0.3,
        Category.YARD: 0.2,
        Category.TECH: 0.1,
    },
}
MOST_CATEGORIES = 6
RADII_KM = (2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0)
# the form's parts of the day: the code comes first and the hours last
_PART_HOURS = {entry[0]: entry[-1] for entry in PARTS_OF_DAY}


def _blocks(days: Iterable[int], parts: Iterable[str]) -> tuple[tuple[int, str], ...]:
    """(weekday, part of day) blocks, the way the profile form offers them."""
    return tuple((day, part) for day in days for part in parts)


# When each age group is usually free, in the form's blocks, and how many blocks they tick.
FREE_BLOCKS: dict[str, tuple[tuple[tuple[int, str], ...], tuple[int, int]]] = {
    TEEN: (
        _blocks(range(5), ("afternoon", "evening")) + _blocks((5, 6), ("morning", "afternoon")),
        (3, 5),
    ),
    ADULT: (_blocks(range(5), ("evening",)) + _blocks((5, 6), ("morning", "afternoon")), (2, 4)),
    OLDER: (_blocks(range(5), ("morning", "afternoon")) + _blocks((5,), ("morning",)), (3, 5)),
}

# Volunteer numbers 3, 11, 19, ... have just signed up: they wait for their coordinator, so
# the coordinator's "Volunteers waiting to be verified" list has people on it.
UNVERIFIED_EVERY = 8
UNVERIFIED_AT = 3

# Luis, the volunteer role account: out every Monday evening, when Maywood's bins go out.
DEMO_VOLUNTEER_HELPS = (
    Category.BINS,
    Category.SNOW,
    Category.ERRANDS,
    Category.RIDE,
    Category.REPAIR,
)
DEMO_VOLUNTEER_FREE = ((0, "evening"), (2, "evening"), (5, "morning"), (5, "afternoon"))
DEMO_VOLUNTEER_RADIUS_KM = 4.5
DEMO_VOLUNTEER_CAPACITY = 3


def slots_of(blocks: Iterable[tuple[int, str]]) -> frozenset[tuple[int, int]]:
    """Blocks as (weekday, hour) slots, exactly as the profile form stores them."""
    return frozenset((day, hour) for day, part in blocks for hour in _PART_HOURS[part])


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


# --------------------------------------------------------------------------- what people ask


@dataclass(frozen=True)
class AskText:
    """One kind of request in the asker's own words, English and Spanish."""

    category: Category
    en: tuple[str, str]  # (title, details); "{day}" is the collection weekday
    es: tuple[str, str]
    minutes: tuple[int, int]  # estimated minutes, low and high
    urgency: tuple[Urgency, ...]  # drawn from evenly

    def words(self, locale: str, **values: str) -> tuple[str, str]:
        """Title and details in the asker's language."""
        title, details = self.es if locale == "es" else self.en
        return title.format(**values), details.format(**values)


ASKS = (
    AskText(
        Category.SNOW,
        (
            "Shovel my front steps and walk",
            "The walk is about 40 feet. The shovel and salt are by the side door.",
        ),
        (
            "Palear la nieve de mis escalones y la banqueta",
            "La banqueta mide unos 12 metros. La pala y la sal están junto a la puerta de un lado.",
        ),
        (30, 60),
        (Urgency.SOON, Urgency.URGENT),
    ),
    AskText(
        Category.SNOW,
        (
            "Clear a path in my driveway",
            "Just wide enough for the car. My doctor says no more shovelling for me.",
        ),
        (
            "Abrir un camino en la entrada del coche",
            "Solo lo necesario para sacar el coche. El doctor me prohibió palear.",
        ),
        (40, 75),
        (Urgency.SOON, Urgency.URGENT),
    ),
    AskText(
        Category.BINS,
        (
            "Bins to the curb for {day} pickup",
            "Trash and recycling, both beside the garage. Back up the drive after pickup if "
            "you can.",
        ),
        (
            "Sacar los botes a la banqueta para la recolección del {day}",
            "Basura y reciclaje, los dos junto al garaje. Si puede, regréselos después de "
            "la recolección.",
        ),
        (10, 20),
        (Urgency.SOON,),
    ),
    AskText(
        Category.ERRANDS,
        (
            "A few groceries from the store",
            "A short list: milk, bread, bananas and soup. I pay you back in cash at the door.",
        ),
        (
            "Traer unas compras del supermercado",
            "Una lista corta: leche, pan, plátanos y sopa. Le pago en efectivo al entregar.",
        ),
        (40, 60),
        (Urgency.FLEXIBLE, Urgency.SOON),
    ),
    AskText(
        Category.ERRANDS,
        (
            "Pick up my prescription at the pharmacy",
            "It is ready under my name, and the pharmacy knows someone is coming for it.",
        ),
        (
            "Recoger mi receta en la farmacia",
            "Ya está lista a mi nombre y la farmacia sabe que alguien pasará por ella.",
        ),
        (30, 45),
        (Urgency.SOON,),
    ),
    AskText(
        Category.RIDE,
        (
            "A ride to my appointment at the clinic",
            "I walk slowly with a cane, so it helps to park close to the door.",
        ),
        (
            "Llevarme a mi cita en la clínica",
            "Camino despacio con bastón; ayuda mucho estacionarse cerca de la puerta.",
        ),
        (60, 120),
        (Urgency.SOON,),
    ),
    AskText(
        Category.RIDE,
        (
            "A ride to physical therapy and back",
            "The session is an hour. I can wait in the lobby if you need to run an errand.",
        ),
        (
            "Llevarme a terapia física y de regreso",
            "La sesión dura una hora. Puedo esperar en la entrada si necesita hacer algo.",
        ),
        (90, 120),
        (Urgency.FLEXIBLE, Urgency.SOON),
    ),
    AskText(
        Category.VISIT,
        (
            "A friendly check-in call this week",
            "I spend a lot of time at home and would enjoy a chat. Mornings are best.",
        ),
        (
            "Una llamada para platicar esta semana",
            "Paso mucho tiempo en casa y me gustaría platicar un rato. Mejor en las mañanas.",
        ),
        (20, 30),
        (Urgency.FLEXIBLE,),
    ),
    AskText(
        Category.VISIT,
        (
            "Someone to have a coffee with",
            "Just company for an hour, on the porch or at the kitchen table.",
        ),
        (
            "Alguien con quien tomar un café",
            "Solo compañía por una hora, en el porche o en la mesa de la cocina.",
        ),
        (45, 60),
        (Urgency.FLEXIBLE,),
    ),
    AskText(
        Category.TECH,
        (
            "Help setting up video calls on my tablet",
            "My grandchildren want to see me on video. I have the tablet but do not know where "
            "to start.",
        ),
        (
            "Ayuda para hacer videollamadas en mi tableta",
            "Mis nietos quieren verme por video. Tengo la tableta pero no sé por dónde empezar.",
        ),
        (30, 45),
        (Urgency.FLEXIBLE,),
    ),
    AskText(
        Category.TECH,
        (
            "Show me how to use my clinic's patient portal",
            "The clinic sends my test results online now and I cannot get in.",
        ),
        (
            "Enseñarme a usar el portal de la clínica",
            "La clínica ahora manda los resultados por internet y no puedo entrar.",
        ),
        (30, 45),
        (Urgency.FLEXIBLE, Urgency.SOON),
    ),
    AskText(
        Category.YARD,
        ("Rake the leaves in my front yard", "The paper bags are in the garage."),
        ("Rastrillar las hojas del jardín de enfrente", "Las bolsas de papel están en el garaje."),
        (45, 90),
        (Urgency.FLEXIBLE,),
    ),
    AskText(
        Category.REPAIR,
        (
            "Tighten the loose handrail on my front steps",
            "It wobbles when I hold it. I have the screws and a drill, but not steady hands.",
        ),
        (
            "Apretar el barandal flojo de mis escalones",
            "Se mueve cuando me agarro. Tengo tornillos y taladro, pero ya no tengo el pulso "
            "firme.",
        ),
        (30, 45),
        (Urgency.SOON, Urgency.FLEXIBLE),
    ),
    AskText(
        Category.REPAIR,
        (
            "Change a light bulb I cannot reach",
            "The ceiling light in the hall. I have the bulb and a step ladder.",
        ),
        (
            "Cambiar un foco que no alcanzo",
            "La lámpara del techo del pasillo. Tengo el foco y una escalera.",
        ),
        (15, 20),
        (Urgency.FLEXIBLE,),
    ),
    AskText(
        Category.PETS,
        (
            "Walk my dog while my knee heals",
            "Biscuit is a friendly beagle. Twenty minutes around the block is plenty.",
        ),
        (
            "Pasear a mi perrita mientras sana mi rodilla",
            "Canela es muy amigable. Veinte minutos alrededor de la cuadra es suficiente.",
        ),
        (20, 30),
        (Urgency.FLEXIBLE, Urgency.SOON),
    ),
)
ASKS_BY_CATEGORY: dict[Category, tuple[AskText, ...]] = {
    category: tuple(ask for ask in ASKS if ask.category == category)
    for category in Category
    if any(ask.category == category for ask in ASKS)
}
DAY_NAMES = {
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    "es": ("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"),
}

THANKS = {
    "en": (
        "Thank you so much, {name}. You made my week.",
        "{name}, you are a blessing. Thank you!",
        "Thanks, {name}! Stop by and say hello any time.",
        "I could not have managed without you, {name}. Thank you.",
        "Thank you, {name}. It is good to know a neighbour.",
    ),
    "es": (
        "Muchas gracias, {name}. Me alegró la semana.",
        "{name}, es usted una bendición. ¡Gracias!",
        "¡Gracias, {name}! Pase a saludar cuando quiera.",
        "No sé qué haría sin usted, {name}. ¡Mil gracias!",
        "Gracias, {name}. Qué bueno es tener buenos vecinos.",
    ),
}
THANKS_FOR: dict[Category, dict[str, str]] = {
    Category.BINS: {
        "en": "Thank you, {name}! The bins were out before the truck came.",
        "es": "¡Gracias, {name}! Los botes ya estaban afuera antes de que pasara el camión.",
    },
    Category.SNOW: {
        "en": "The walk was clear before I had to go out. Thank you, {name}!",
        "es": "La banqueta quedó limpia antes de que yo saliera. ¡Gracias, {name}!",
    },
    Category.RIDE: {
        "en": "Thank you for the ride and for waiting with me, {name}.",
        "es": "Gracias por llevarme y por esperarme, {name}.",
    },
    Category.VISIT: {
        "en": "I enjoyed our talk so much, {name}. Call again soon!",
        "es": "Me encantó platicar con usted, {name}. ¡Llámeme pronto!",
    },
    Category.TECH: {
        "en": "Now I can do it without help. Thank you for your patience, {name}.",
        "es": "Ahora ya puedo hacerlo sin ayuda. Gracias por su paciencia, {name}.",
    },
}
BY_PHONE = {"en": "(by phone) ", "es": "(por teléfono) "}

# Dorothy's own words for Luis, who has put her bins out every Monday evening for weeks.
DEMO_RESIDENT_BINS_NOTES = (
    "Thank you, {name}! You even brought the bins back up the drive.",
    "{name}, you are a blessing. Tell your mother I said hello.",
    "Every Monday like clockwork. Thank you, {name}.",
)
DEMO_RESIDENT_RIDE_NOTE = (
    "Thank you for waiting with me at the clinic, {name}. You made a long morning easy."
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


# --------------------------------------------------------------------------- loading


def load_demo(
    residents: int = 120,
    volunteers: int = 60,
    seed: int = 7,
    echo: Echo | None = None,
    mentoring: bool = True,
) -> list[Account]:
    """Load (or top up) the demo; return (role label, email, password) for each demo account.

    `residents` and `volunteers` are totals over both communities (see `split_counts`).
    `mentoring=False` leaves out Algoma's Wolves and Pups program (about a second of
    service calls), for tests about the rest of the demo.
    """
    say = echo or (lambda _message: None)
    now = utcnow()
    first_new_user_id = (db.session.scalar(select(func.max(User.id))) or 0) + 1
    passwords = {account.email: new_password() for account in DEMO_ACCOUNTS}
    admin = _ensure_account(DEMO_ACCOUNTS[0], passwords[DEMO_ACCOUNTS[0].email], say)
    communities = {area.slug: _ensure_community(area, admin, say) for area in AREAS}
    accounts = {admin.email: admin}
    for account in DEMO_ACCOUNTS[1:]:
        user = accounts[account.email] = _ensure_account(account, passwords[account.email], say)
        for slug, role in account.roles:
            if grant_role(admin, user, communities[slug], role):
                _backdate_membership(user, communities[slug], role)

    resident_counts, volunteer_counts = split_counts(residents), split_counts(volunteers)
    shared_hash = hash_password(secrets.token_urlsafe(32))
    people: dict[tuple[str, str], list[tuple[DemoPerson, User]]] = {}
    for area in AREAS:
        community = communities[area.slug]
        for kind, counts in ((RESIDENT, resident_counts), (VOLUNTEER, volunteer_counts)):
            people[area.slug, kind] = _ensure_people(
                community, area, kind, counts[area.slug], seed, shared_hash, say
            )
    for area in AREAS:
        _bring_to_life(
            Cast(
                area=area,
                community=communities[area.slug],
                accounts=accounts,
                residents=people[area.slug, RESIDENT],
                volunteers=people[area.slug, VOLUNTEER],
                first_new_user_id=first_new_user_id,
                seed=seed,
                now=now,
            ),
            say,
        )
    if mentoring:
        _load_wolves_and_pups(communities[ALGOMA.slug], accounts, people, seed, shared_hash, say)
    say("Demo data ready.")
    return [(account.label, account.email, passwords[account.email]) for account in DEMO_ACCOUNTS]


def _load_wolves_and_pups(
    algoma: Community,
    accounts: dict[str, User],
    people: dict[tuple[str, str], list[tuple[DemoPerson, User]]],
    seed: int,
    password_hash: str,
    say: Echo,
) -> None:
    """Algoma's mentoring program, run by its coordinator account, Wolves from its teens."""
    kewaunee = ALGOMA.pools["kewaunee"]
    load_mentoring_demo(
        Setting(
            community=algoma,
            coordinator=accounts[f"coordinator@{ALGOMA.email_domain}"],
            mentor=accounts[f"mentor@{ALGOMA.email_domain}"],
            teens=tuple(u for p, u in people[ALGOMA.slug, VOLUNTEER] if p.age_group == TEEN),
            first_names=kewaunee.younger_first,
            last_names=kewaunee.last,
            area_code=ALGOMA.area_code,
            email_domain=ALGOMA.email_domain,
            password_hash=password_hash,
            seed=seed,
        ),
        say,
    )


def _ensure_account(account: DemoAccount, password: str, say: Echo) -> User:
    """Create a demo account, or give the existing one this run's password."""
    user = find_user_by_email(account.email)
    if user is None:
        user = create_confirmed_user(
            Registration(
                email=account.email,
                password=password,
                first_name=account.first_name,
                last_name=account.last_name,
                locale=account.locale,
                phone=account.phone,
            ),
            is_site_admin=account.is_site_admin,
        )
        user.created_at = user.email_confirmed_at = utcnow() - ACCOUNT_AGE
        say(f"Created the {account.label} account {account.email}.")
    else:
        user.password_hash = hash_password(password)
        user.session_version += 1
        user.is_active_account = True
        user.is_site_admin = user.is_site_admin or account.is_site_admin
        user.email_confirmed_at = user.email_confirmed_at or utcnow()
        say(f"The {account.label} account {account.email} exists: it has a new password.")
    db.session.commit()
    return user


def _ensure_community(area: DemoArea, admin: User, say: Echo) -> Community:
    """Find the community by slug, or open it centred on its ZIP codes."""
    community = db.session.scalar(select(Community).where(Community.slug == area.slug))
    if community is not None:
        say(f"{area.name} exists already: topping it up.")
        return community
    community = create_community(
        admin,
        name=area.name,
        slug=area.slug,
        timezone=area.timezone,
        centre=area_centre(area),
        postal_codes=",".join(area.postal_codes),
    )
    say(f"Created {area.name} ({', '.join(area.postal_codes)}).")
    return community


def existing_people(area: DemoArea, kind: str) -> dict[int, User]:
    """The demo people of one kind already in the database, by their number."""
    users = db.session.scalars(select(User).where(User.email.like(f"%@{area.email_domain}")))
    found: dict[int, User] = {}
    for user in users:
        match = _PERSON_EMAIL.search(user.email)
        if match and match["tag"] == _TAGS[kind] and match["slug"] == area.slug:
            found[int(match["index"])] = user
    return found


def _ensure_people(
    community: Community,
    area: DemoArea,
    kind: str,
    count: int,
    seed: int,
    password_hash: str,
    say: Echo,
) -> list[tuple[DemoPerson, User]]:
    """Top the community up to `count` people of one kind; return every (person, user)."""
    existing = existing_people(area, kind)
    missing = [
        demo_person(area, kind, index, seed) for index in range(count) if index not in existing
    ]
    if not missing:
        if count:
            say(f"{area.name} already has {count} demo {kind}s.")
    else:
        for done, batch in _batches(missing, BATCH_SIZE):
            for person in batch:
                existing[person.index] = _add_person(community, person, password_hash)
            db.session.commit()
            say(f"Creating {kind}s in {area.name} ... {done}/{len(missing)}")
    return [(demo_person(area, kind, index, seed), existing[index]) for index in range(count)]


def _add_person(community: Community, person: DemoPerson, password_hash: str) -> User:
    """Add one demo person and their memberships to the session (the caller commits).

    The account is backdated to when the person "joined", so the help they gave or got in
    the weeks before today comes after it.
    """
    joined = utcnow() - timedelta(days=person.joined_days_ago)
    user = User(
        email=person.email,
        password_hash=password_hash,
        first_name=person.first_name,
        last_name=person.last_name,
        phone=person.phone,
        locale=person.locale,
        email_confirmed_at=joined,
        created_at=joined,
    )
    db.session.add(user)
    for role in person.roles:
        db.session.add(Membership(user=user, community=community, role=role, created_at=joined))
    return user


def _backdate_membership(user: User, community: Community, role: Role) -> None:
    """A role just granted to a role account dates from the (backdated) account."""
    for membership in user.memberships:
        if membership.community_id == community.id and membership.role == role:
            membership.created_at = user.created_at
    db.session.commit()


def _batches(items: list, size: int) -> Iterable[tuple[int, list]]:
    """Split a list into chunks, each with how many items are done after it."""
    for start in range(0, len(items), size):
        chunk = items[start : start + size]
        yield start + len(chunk), chunk


# --------------------------------------------------------------------------- bringing it to life

CALLER = "caller"  # an Asker who phones the coordinator
OPEN_REQUESTS = ((0, 1, 2), (0.35, 0.5, 0.15))  # how many open requests a resident has
PAST_HELPS = ((0, 1, 2, 3), (0.3, 0.35, 0.25, 0.1))  # one-off helps in the last weeks
HISTORY_DAYS = 63
REGULAR_BINS = {OLDER: 0.3, ADULT: 0.1}  # share with a regular helper for the weekly bins
MOST_REGULARS = 2  # neighbours one volunteer does the weekly bins for
IN_PROGRESS = 0.2  # share of new requests a volunteer has said yes to already
NEAR_ME_AT_LEAST = 6  # open requests the volunteer account should find near them
REQUEST_BATCH = 250


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
    regulars: int = 0  # neighbours whose bins they roll out every week

    def reach(self, category: Category, home: Home, when: datetime) -> float | None:
        """The distance to a home they would help at, at that time; None when they would not."""
        if category.value not in self.categories or self.verified_at >= when:
            return None
        km = haversine_km(self.lat, self.lng, home.lat, home.lng)
        return km if km <= self.radius_km else None


def _bring_to_life(cast: Cast, say: Echo) -> None:
    """Callers, volunteer profiles, requests with their history, and a full Near-me list."""
    callers = _ensure_callers(cast, say)
    _ensure_profiles(cast, say)
    stories = Stories(cast, _helpers(cast.community.id))
    askers = _askers(cast, callers)
    _ensure_requests(cast, stories, askers, say)
    volunteer = cast.account(DEMO_VOLUNTEER_EMAIL, Role.VOLUNTEER)
    if volunteer is not None:
        _top_up_near_me(cast, stories, volunteer[1], askers, say)


def _ensure_callers(cast: Cast, say: Echo) -> list[tuple[DemoCaller, User]]:
    """The community's phone-in residents: no email, no password, found again by phone."""
    found = []
    for caller in DEMO_CALLERS:
        if caller.community_slug != cast.area.slug:
            continue
        user = db.session.scalar(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(
                Membership.community_id == cast.community.id,
                Membership.role == Role.RESIDENT,
                User.email.is_(None),
                User.phone == caller.resident.phone,
            )
            .limit(1)
        )
        if user is None:
            known_since = cast.now - CALLER_KNOWN_FOR
            user = User(
                email=None,
                password_hash=None,
                first_name=caller.resident.first_name,
                last_name=caller.resident.last_name,
                phone=caller.resident.phone,
                locale=caller.locale,
                created_at=known_since,
            )
            db.session.add(user)
            db.session.add(
                Membership(
                    user=user, community=cast.community, role=Role.RESIDENT, created_at=known_since
                )
            )
            db.session.flush()
            say(f"Added {user.display_name}, who asks for help by phone, to {cast.area.name}.")
        found.append((caller, user))
    db.session.commit()
    return found


def _ensure_profiles(cast: Cast, say: Echo) -> None:
    """Give every demo volunteer without one a profile; most are verified by the coordinator."""
    entries: list[tuple[User, ProfileDraft, bool, str]] = []
    volunteer = cast.account(DEMO_VOLUNTEER_EMAIL, Role.VOLUNTEER)
    if volunteer is not None:
        account, user = volunteer
        entries.append((user, demo_volunteer_draft(account_home(account)), False, "account"))
    for person, user in cast.volunteers:
        draft = volunteer_draft(person, person_home(person, cast.seed), cast.seed)
        entries.append((user, draft, waits_for_verification(person), f"v{person.index}"))
    have = set(
        db.session.scalars(
            select(VolunteerProfile.user_id).where(
                VolunteerProfile.community_id == cast.community.id
            )
        )
    )
    rows = [
        _profile_row(cast, user, draft, None if waiting else cast.coordinator, key)
        for user, draft, waiting, key in entries
        if user.id not in have
    ]
    if not rows:
        if entries:
            say(f"Every demo volunteer in {cast.area.name} has a profile already.")
        return
    db.session.execute(insert(VolunteerProfile), rows)
    db.session.commit()
    waiting = sum(row["verified_at"] is None for row in rows)
    say(
        f"Volunteer profiles in {cast.area.name}: {len(rows)} new, {len(rows) - waiting} "
        f"verified by the coordinator, {waiting} waiting to be verified."
    )


def _profile_row(
    cast: Cast, user: User, draft: ProfileDraft, verifier: User | None, key: str
) -> dict:
    """One volunteer_profiles row, stored the way `save_volunteer_profile` stores a draft."""
    rng, now = cast.rng(key, "signed-up"), cast.now
    if verifier is None:  # signed up in the last few days
        signed_up = now - timedelta(hours=rng.uniform(6, 120))
    else:
        signed_up = now - timedelta(days=rng.uniform(60, 400))
    signed_up = min(max(signed_up, user.created_at + timedelta(days=1)), now - timedelta(hours=3))
    verified_at = None
    if verifier is not None:
        verified_at = min(signed_up + timedelta(hours=rng.uniform(4, 96)), now - timedelta(hours=1))
    return {
        "user_id": user.id,
        "community_id": cast.community.id,
        "home_postal_code": draft.postal_code,
        "home_lat": draft.lat,
        "home_lng": draft.lng,
        "radius_km": draft.radius_km,
        "categories": ",".join(sorted(draft.categories)),
        "availability": ",".join(f"{day}-{hour}" for day, hour in sorted(draft.slots)),
        "capacity": draft.capacity,
        "accepting": True,
        "verified_by_id": verifier.id if verifier is not None else None,
        "verified_at": verified_at,
        "created_at": signed_up,
    }


def _helpers(community_id: int) -> list[Helper]:
    """The community's verified volunteers who accept requests, with what they hold now."""
    load = dict(
        db.session.execute(
            select(HelpRequest.volunteer_id, func.count(HelpRequest.id))
            .where(HelpRequest.community_id == community_id, HelpRequest.status == Status.ACCEPTED)
            .group_by(HelpRequest.volunteer_id)
        ).all()
    )
    rows = db.session.execute(
        select(VolunteerProfile, User.first_name)
        .join(User, User.id == VolunteerProfile.user_id)
        .where(
            VolunteerProfile.community_id == community_id,
            VolunteerProfile.verified_at.is_not(None),
            VolunteerProfile.accepting.is_(True),
        )
        .order_by(VolunteerProfile.id)
    ).all()
    return [
        Helper(
            user_id=profile.user_id,
            first_name=first_name,
            lat=profile.home_lat,
            lng=profile.home_lng,
            radius_km=profile.radius_km,
            categories=profile.category_set,
            slots=profile.slot_set,
            capacity=profile.capacity,
            verified_at=profile.verified_at,
            load=load.get(profile.user_id, 0),
        )
        for profile, first_name in rows
    ]


def _askers(cast: Cast, callers: list[tuple[DemoCaller, User]]) -> list[Asker]:
    """Everyone who asks: the resident account first, then callers, residents, volunteers."""
    askers = []
    resident = cast.account(DEMO_RESIDENT_EMAIL, Role.RESIDENT)
    if resident is not None:
        account, user = resident
        askers.append(
            Asker(user, account_home(account), account.locale, OLDER, "account", RESIDENT)
        )
    for caller, user in callers:
        askers.append(
            Asker(
                user,
                caller.home,
                caller.locale,
                OLDER,
                f"caller{user.phone}",
                CALLER,
                created_by=cast.coordinator,
                intake_notes=caller.resident.notes,
            )
        )
    asking_volunteers = [pair for pair in cast.volunteers if pair[0].also_resident]
    for person, user in cast.residents + asking_volunteers:
        askers.append(
            Asker(
                user,
                person_home(person, cast.seed),
                person.locale,
                person.age_group,
                f"{_TAGS[person.kind]}{person.index}",
                RESIDENT if person.kind == RESIDENT else VOLUNTEER,
            )
        )
    return askers


def _draw(weights: dict[Category, float], count: int, rng: random.Random) -> list[Category]:
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
    """Writes one community's help requests and their history as rows for a bulk insert.

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
            if evening is not None and helper.regulars >= MOST_REGULARS:
                continue
            km = helper.reach(category, home, when)
            if km is None:
                continue
            weight = 1.0 / (0.5 + km)
            if evening is not None and any(
                (evening, hour) in helper.slots for hour in _PART_HOURS["evening"]
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
        """One help_requests row, placed the way `post_request` places a draft."""
        moments = [m for m in (created_at, accepted_at, completed_at, confirmed_at) if m]
        if moments != sorted(set(moments)) or moments[-1] >= self.now:
            raise ValueError("a demo request's story must run forwards and end before now")
        self.rows.append(
            {
                "community_id": self.cast.community.id,
                "requester_id": asker.user.id,
                "created_by_id": (asker.created_by or asker.user).id,
                "intake_notes": asker.intake_notes,
                "category": draft.category,
                "title": draft.title,
                "details": draft.details,
                "street_address": draft.street_address,
                "postal_code": draft.postal_code,
                "lat": draft.lat,
                "lng": draft.lng,
                "cell": cell_of(draft.lat, draft.lng),
                "needed_by": draft.needed_by,
                "estimated_minutes": draft.estimated_minutes,
                "urgency": draft.urgency,
                "status": status,
                "volunteer_id": helper.user_id if helper else None,
                "accepted_at": accepted_at,
                "completed_at": completed_at,
                "confirmed_at": confirmed_at,
                "cancelled_at": None,
                "minutes_spent": minutes_spent,
                "thank_you_note": note,
                "created_at": created_at,
                "updated_at": moments[-1],
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
        """The same volunteer rolling the same neighbour's bins out, week after week.

        Past weeks are done (and mostly confirmed); this week's pickup is already accepted
        by the same volunteer when they have room. False when nobody nearby does bins.
        """
        postal_code = asker.home.postal_code
        next_pickup = self.next_collection(postal_code)
        pickup_day = next_pickup.astimezone(self.zone).date()
        started = self.at(pickup_day - timedelta(days=7 * weeks + 4), 12)
        helper = helper or self.pick(
            Category.BINS,
            asker.home,
            started,
            rng,
            {asker.user.id},
            evening=(COLLECTION_DAY[postal_code] - 1) % 7,
        )
        if helper is None:
            return False
        helper.regulars += 1
        ask = ASKS_BY_CATEGORY[Category.BINS][0]
        last_done = asker.user.created_at
        written = 0  # their own notes are used in turn
        for week in range(weeks, 0, -1):
            day = pickup_day - timedelta(days=7 * week)
            completed_at = self.at(
                day - timedelta(days=1), rng.randint(18, 20), rng.choice((0, 15, 30, 45))
            )
            created_at = completed_at - timedelta(days=rng.uniform(2, 5))
            accepted_at = created_at + timedelta(hours=rng.uniform(0.2, 8))
            if (
                completed_at >= self.now
                or created_at <= asker.user.created_at
                or helper.verified_at >= accepted_at
            ):
                continue
            draft = self.draft(asker, ask, rng, self.at(day, COLLECTION_HOUR))
            template = notes[written % len(notes)] if notes else None
            status, confirmed_at, note = self.confirmation(
                asker, helper, Category.BINS, completed_at, rng, note_chance, template
            )
            written += note is not None
            self.add(
                asker,
                draft,
                created_at,
                status,
                helper,
                accepted_at,
                completed_at,
                confirmed_at,
                rng.choice((10, 10, 15, 15, 20)),
                note,
            )
            last_done = completed_at
        created_at = max(
            self.now - timedelta(hours=rng.uniform(4, 48)), last_done + timedelta(hours=1)
        )
        draft = self.draft(asker, ask, rng, next_pickup)
        if helper.load < helper.capacity:
            helper.load += 1
            accepted_at = created_at + (self.now - created_at) * rng.uniform(0.1, 0.6)
            self.add(asker, draft, created_at, Status.ACCEPTED, helper, accepted_at)
        else:
            self.add(asker, draft, created_at)
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
        for category in _draw(weights, opens, rng):  # a caller's are waiting for the dispatch
            self.open_request(asker, category, rng, may_be_taken=asker.often != CALLER)
        for _ in range(past):
            days_ago = rng.randint(2, HISTORY_DAYS)
            weights = ask_weights((self.today - timedelta(days=days_ago)).month)
            if has_bins:
                weights[Category.BINS] = 0.0
            self.past_help(asker, _draw(weights, 1, rng)[0], rng, days_ago)

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


def _ensure_requests(cast: Cast, stories: Stories, askers: list[Asker], say: Echo) -> None:
    """Write each neighbour's requests once: in the run that creates them.

    A person gets their requests and history in the run that creates them, or, in a
    community with no help requests at all (a database loaded before the demo wrote any),
    in this run. So a second run adds nothing, and a top-up adds stories for new people only.
    """
    fresh_community = (
        db.session.scalar(
            select(func.count(HelpRequest.id)).where(HelpRequest.community_id == cast.community.id)
        )
        == 0
    )
    fresh = [a for a in askers if fresh_community or a.user.id >= cast.first_new_user_id]
    volunteer = cast.account(DEMO_VOLUNTEER_EMAIL, Role.VOLUNTEER)
    for asker in fresh:
        rng = cast.rng(asker.key, "asks")
        if asker.key == "account" and volunteer is not None:
            stories.demo_resident_story(asker, rng, volunteer[1].id)
        else:
            stories.story(asker, rng)
    rows, stories.rows = stories.rows, []
    if not rows:
        say(f"{cast.area.name}: no new neighbours, so no new help requests.")
        return
    _insert_requests(cast, rows, say)
    statuses = Counter(row["status"] for row in rows)
    pairs = Counter(
        (row["volunteer_id"], row["requester_id"])
        for row in rows
        if row["status"] in (Status.COMPLETED, Status.CONFIRMED)
    )
    say(
        f"{cast.area.name}: {len(rows)} help requests from {len({r['requester_id'] for r in rows})}"
        f" neighbours: {statuses[Status.OPEN]} open, {statuses[Status.ACCEPTED]} with a helper "
        f"on the way, {statuses[Status.COMPLETED] + statuses[Status.CONFIRMED]} done "
        f"({sum(1 for r in rows if r['thank_you_note'])} thank-you notes); "
        f"{sum(1 for n in pairs.values() if n >= 3)} volunteers help the same neighbour "
        f"week after week."
    )


def _insert_requests(cast: Cast, rows: list[dict], say: Echo) -> None:
    """Bulk-insert request rows in batches, one commit each, with progress."""
    for done, batch in _batches(rows, REQUEST_BATCH):
        db.session.execute(insert(HelpRequest), batch)
        db.session.commit()
        say(f"Posting help requests in {cast.area.name} ... {done}/{len(rows)}")


def _top_up_near_me(
    cast: Cast, stories: Stories, volunteer: User, askers: list[Asker], say: Echo
) -> None:
    """Make sure the volunteer account finds open requests near them.

    When their Near-me list is short (a small demo, or requests since taken or expired),
    the nearest neighbours with no open request the volunteer could take post one. Right
    after a run the list is full, so running again adds nothing.
    """
    profile = db.session.scalar(
        select(VolunteerProfile).where(
            VolunteerProfile.user_id == volunteer.id,
            VolunteerProfile.community_id == cast.community.id,
        )
    )
    if profile is None:
        return
    missing = NEAR_ME_AT_LEAST - len(near_me(volunteer, cast.community, now=cast.now))
    weights = {
        category: weight
        for category, weight in ask_weights(stories.today.month).items()
        if category.value in profile.category_set and category != Category.BINS
    }
    if missing > 0 and any(weights.values()):
        asking = set(
            db.session.scalars(
                select(HelpRequest.requester_id).where(
                    HelpRequest.community_id == cast.community.id,
                    HelpRequest.status == Status.OPEN,
                    HelpRequest.category.in_(sorted(profile.category_set)),
                )
            )
        )
        nearby = sorted(
            (haversine_km(profile.home_lat, profile.home_lng, a.home.lat, a.home.lng), a.key, a)
            for a in askers
            if a.user.id != volunteer.id and a.user.id not in asking
        )
        for km, _key, asker in nearby[:missing]:
            if km > profile.radius_km * 0.9:
                break
            rng = cast.rng(asker.key, "near-me")
            stories.open_request(asker, _draw(weights, 1, rng)[0], rng, may_be_taken=False)
        rows, stories.rows = stories.rows, []
        if rows:
            _insert_requests(cast, rows, say)
    found = len(near_me(volunteer, cast.community, now=cast.now))
    say(
        f"{volunteer.display_name} finds {found} open requests within "
        f"{profile.radius_km:g} km of ZIP {profile.home_postal_code} (Near me)."
    )
