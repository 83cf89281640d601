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

Every address is on the reserved ``.example`` domain (RFC 2606), every phone number in
the fictional 555-01xx range. ``.test`` would be just as reserved, but the sign-in form's
email check (email-validator) refuses ``.test`` addresses, and demo accounts must be able
to sign in. Bulk people never sign in: they share the hash of one random secret nobody
knows, so loading them costs one password hash, not one each.
"""

from __future__ import annotations

import random
import re
import secrets
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from statistics import fmean

import zipcodes
from sqlalchemy import select

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
    older_first=("Dorothy", "Gloria", "Bernice", "Ernestine", "Mattie", "Loretta", "Hattie",
                 "Delores", "Lillian", "Shirley", "Willie", "Earl", "Otis", "Leroy",
                 "Clarence", "Roosevelt", "Curtis", "Jerome", "Calvin", "Harold"),
    younger_first=("Jasmine", "Aaliyah", "Destiny", "Imani", "Brianna", "Kiara", "Nia",
                   "Marcus", "Jalen", "DeAndre", "Isaiah", "Malik", "Darius", "Xavier",
                   "Terrence", "Tiana"),
    last=("Johnson", "Williams", "Jackson", "Brown", "Davis", "Harris", "Robinson", "Thomas",
          "Walker", "Washington", "Coleman", "Jenkins", "Bell", "Hayes", "Banks", "Freeman",
          "Dixon", "Mitchell", "Franklin", "Simmons", "Tolliver", "Byrd"),
    spanish={},
)
_LATINO = NamePool(
    older_first=("María", "Guadalupe", "Rosa", "Carmen", "Josefina", "Esperanza", "Socorro",
                 "Alicia", "Graciela", "José", "Juan", "Jesús", "Manuel", "Ramón",
                 "Francisco", "Refugio", "Salvador", "Rogelio"),
    younger_first=("Daniela", "Valeria", "Ximena", "Jocelyn", "Itzel", "Andrea", "Karla",
                   "Diego", "Alejandro", "Luis", "Carlos", "Adrián", "Brandon", "Kevin",
                   "Emiliano", "Jazmín"),
    last=("García", "Hernández", "Martínez", "López", "González", "Rodríguez", "Pérez",
          "Sánchez", "Ramírez", "Torres", "Flores", "Rivera", "Gómez", "Díaz", "Cruz",
          "Morales", "Reyes", "Gutiérrez", "Ortiz", "Castillo", "Mendoza", "Vázquez",
          "Jiménez", "Chávez", "Salgado", "Ávila"),
    spanish={OLDER: 0.75, ADULT: 0.45, TEEN: 0.15},
)
_EUROPEAN_AMERICAN = NamePool(
    older_first=("Mary", "Patricia", "Barbara", "Joan", "Carol", "Rosemary", "Antoinette",
                 "Frank", "Anthony", "Joseph", "Richard", "Dominic", "Stanley", "Walter",
                 "Eugene"),
    younger_first=("Emma", "Grace", "Mia", "Ava", "Sophia", "Olivia", "Jack", "Liam",
                   "Noah", "Owen", "Lucas", "Nathan", "Ethan"),
    last=("Russo", "Esposito", "DeLuca", "Romano", "Bruno", "Caruso", "Lombardi",
          "Kowalski", "Nowak", "Wisniewski", "Kaminski", "O'Brien", "Murphy", "Sullivan",
          "Schultz", "Meyer", "Hoffmann", "Anderson", "Miller", "Nguyen", "Patel"),
    spanish={},
)
_KEWAUNEE_COUNTY = NamePool(
    older_first=("Marlene", "Joyce", "Darlene", "Lorraine", "Bernadette", "Elaine", "Arlene",
                 "Gerald", "Dale", "Roger", "Duane", "Norbert", "Vernon", "LeRoy"),
    younger_first=("Kaylee", "Brooke", "Madison", "Hailey", "Addison", "Ella", "Paige",
                   "Carter", "Logan", "Hunter", "Brady", "Mason", "Wyatt", "Owen"),
    last=("Delfosse", "Jeanquart", "Baudhuin", "Massart", "Wery", "Daems", "LeMieux",
          "Lampert", "Kinjerski", "Paral", "Dvorak", "Novak", "Zastrow", "Schmiling",
          "Mueller", "Schmitt", "Haack", "Olson", "Nelson", "Anderson", "Guilette"),
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
        Town("60160", "Melrose Park", 25,
             (("latino", 0.72), ("european", 0.22), ("black", 0.06))),
        Town("60155", "Broadview", 8, (("black", 0.60), ("latino", 0.21), ("european", 0.19))),
        Town("60130", "Forest Park", 14,
             (("european", 0.55), ("black", 0.32), ("latino", 0.13))),
        Town("60162", "Hillside", 8, (("european", 0.36), ("latino", 0.33), ("black", 0.31))),
        Town("60154", "Westchester", 17,
             (("european", 0.69), ("black", 0.18), ("latino", 0.13))),
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


def zip_centroid(postal_code: str) -> tuple[float, float]:
    """The centre of a US ZIP code from the offline zipcodes package."""
    found = zipcodes.matching(postal_code)
    if not found:
        raise ValueError(f"unknown ZIP code {postal_code}")
    return float(found[0]["lat"]), float(found[0]["long"])


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


DEMO_ACCOUNTS = (
    DemoAccount("site admin", f"admin@{DEMO_DOMAIN}", "Dana", "Whitfield", is_site_admin=True),
    DemoAccount("coordinator", f"coordinator@proviso.{DEMO_DOMAIN}", "Yolanda", "Brooks",
                phone="(708) 555-0101", postal_code="60153",
                roles=(("proviso", Role.COORDINATOR),)),
    DemoAccount("resident", f"resident@proviso.{DEMO_DOMAIN}", "Dorothy", "Jenkins",
                phone="(708) 555-0102", postal_code="60153",
                roles=(("proviso", Role.RESIDENT),)),
    DemoAccount("volunteer", f"volunteer@proviso.{DEMO_DOMAIN}", "Luis", "Hernández",
                locale="es", phone="(708) 555-0103", postal_code="60160",
                roles=(("proviso", Role.VOLUNTEER),)),
    DemoAccount("coordinator", f"coordinator@algoma.{DEMO_DOMAIN}", "Karen", "Jeanquart",
                phone="(920) 555-0101", postal_code="54201",
                roles=(("algoma", Role.COORDINATOR),)),
    DemoAccount("mentor", f"mentor@algoma.{DEMO_DOMAIN}", "Kaylee", "Delfosse",
                postal_code="54201", roles=(("algoma", Role.VOLUNTEER),)),
)

_WORDS = (
    "acorn", "amber", "apple", "aspen", "badge", "basil", "beach", "birch", "bison", "blue",
    "brook", "cabin", "candle", "cedar", "cello", "chalk", "cider", "clover", "comet",
    "coral", "crane", "daisy", "delta", "dune", "eagle", "ember", "fable", "fern", "fiddle",
    "finch", "flint", "forest", "fox", "garden", "ginger", "glade", "grove", "harbor",
    "hazel", "heron", "honey", "indigo", "iris", "ivy", "jade", "jasper", "juniper", "kayak",
    "kettle", "kite", "lake", "lantern", "lark", "lemon", "lilac", "linen", "lotus", "maple",
    "meadow", "melon", "mint", "moss", "nectar", "nutmeg", "oak", "ocean", "olive", "onyx",
    "orchid", "otter", "pebble", "pepper", "pine", "plum", "pond", "poppy", "prairie",
    "quill", "quilt", "rain", "raven", "reed", "river", "robin", "saffron", "sage", "sail",
    "spruce", "stone", "sunny", "swan", "thistle", "thyme", "tulip", "velvet", "violet",
    "walnut", "willow", "wren", "yarrow", "zinnia",
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
    also_resident = (
        kind == VOLUNTEER and age_group != TEEN and rng.random() < area.also_resident
    )
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


# --------------------------------------------------------------------------- loading


def load_demo(
    residents: int = 120, volunteers: int = 60, seed: int = 7, echo: Echo | None = None
) -> list[Account]:
    """Load (or top up) the demo; return (role label, email, password) for each demo account.

    `residents` and `volunteers` are totals over both communities (see `split_counts`).
    """
    say = echo or (lambda _message: None)
    passwords = {account.email: new_password() for account in DEMO_ACCOUNTS}
    admin = _ensure_account(DEMO_ACCOUNTS[0], passwords[DEMO_ACCOUNTS[0].email], say)
    communities = {area.slug: _ensure_community(area, admin, say) for area in AREAS}
    for account in DEMO_ACCOUNTS[1:]:
        user = _ensure_account(account, passwords[account.email], say)
        for slug, role in account.roles:
            grant_role(admin, user, communities[slug], role)

    resident_counts, volunteer_counts = split_counts(residents), split_counts(volunteers)
    shared_hash = hash_password(secrets.token_urlsafe(32))
    for area in AREAS:
        community = communities[area.slug]
        for kind, counts in ((RESIDENT, resident_counts), (VOLUNTEER, volunteer_counts)):
            _ensure_people(community, area, kind, counts[area.slug], seed, shared_hash, say)
    say("Demo data ready.")
    return [(account.label, account.email, passwords[account.email]) for account in DEMO_ACCOUNTS]


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
    missing = [demo_person(area, kind, index, seed) for index in range(count)
               if index not in existing]
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
    """Add one demo person and their memberships to the session (the caller commits)."""
    user = User(
        email=person.email,
        password_hash=password_hash,
        first_name=person.first_name,
        last_name=person.last_name,
        phone=person.phone,
        locale=person.locale,
        email_confirmed_at=utcnow(),
    )
    db.session.add(user)
    for role in person.roles:
        db.session.add(Membership(user=user, community=community, role=role))
    return user


def _batches(items: list, size: int) -> Iterable[tuple[int, list]]:
    """Split a list into chunks, each with how many items are done after it."""
    for start in range(0, len(items), size):
        chunk = items[start:start + size]
        yield start + len(chunk), chunk
