"""Invented streets, bin-collection days, the role accounts' homes and the phone-in callers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from neighborly.demo.data.people import DEMO_RESIDENT_EMAIL, DEMO_VOLUNTEER_EMAIL
from neighborly.help_requests.services import (
    PhoneInResident,
)

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


# The resident and volunteer role accounts live about a kilometre apart, placed by hand:
# Dorothy well inside Luis's radius, so his Near-me list, her page and their weekly bins
# tell one story. (street, km north and km east of the ZIP code's centre)
ACCOUNT_HOMES: dict[str, tuple[str, float, float]] = {
    DEMO_RESIDENT_EMAIL: ("1207 Bluestem Avenue", 0.4, -0.3),
    DEMO_VOLUNTEER_EMAIL: ("1938 Vallecito Avenue", -1.0, 0.5),
}


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
