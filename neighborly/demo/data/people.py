"""The demo's places and people: communities, towns, name pools, role accounts."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

from neighborly.accounts.models import Role

DEMO_DOMAIN = "neighborly.example"
BATCH_SIZE = 50
ALGOMA_SHARE = 1 / 6  # of the requested residents and volunteers; Proviso gets the rest

RESIDENT = "resident"
VOLUNTEER = "volunteer"
TAGS = {RESIDENT: "r", VOLUNTEER: "v"}
PERSON_EMAIL = re.compile(r"\.(?P<tag>[rv])(?P<index>\d+)@(?P<slug>[a-z0-9-]+)\.")

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
    description: str = ""  # what a newcomer reads on the community's page
    distance_unit: str = "mi"  # "mi" in US communities, "km" elsewhere

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
    description=(
        "Neighbours in the villages of Proviso Township, west of Chicago, helping each other "
        "with snow, bins, rides and a friendly visit. Run with the township's senior services."
    ),
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
    description=(
        "The city of Algoma on Lake Michigan: neighbours lending a hand, and Algoma High "
        "School's Wolves and Pups, where high-school students mentor elementary pupils."
    ),
)
AREAS = (PROVISO, ALGOMA)


# --------------------------------------------------------------------------- the accounts


@dataclass(frozen=True)
class DemoAccount:
    """A named account for trying out one role; its password is the same on every run."""

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
DEMO_SPANISH_RESIDENT_EMAIL = f"residente@proviso.{DEMO_DOMAIN}"
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
        phone="(708) 555-0103",
        postal_code="60160",
        roles=(("proviso", Role.VOLUNTEER),),
    ),
    DemoAccount(
        "resident (Spanish)",
        DEMO_SPANISH_RESIDENT_EMAIL,
        "Marisol",
        "Ortega",
        locale="es",
        phone="(708) 555-0104",
        postal_code="60160",
        roles=(("proviso", Role.RESIDENT),),
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

PASSWORD_WORDS = (
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
