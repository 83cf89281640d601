"""What demo volunteers offer and when, what neighbours ask, and how they say thank you."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from neighborly.demo.data.people import ADULT, OLDER, TEEN
from neighborly.help_requests.models import (
    Category,
    Urgency,
)

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


CALLER = "caller"  # an Asker who phones the coordinator
OPEN_REQUESTS = ((0, 1, 2), (0.35, 0.5, 0.15))  # how many open requests a resident has
PAST_HELPS = ((0, 1, 2, 3), (0.3, 0.35, 0.25, 0.1))  # one-off helps in the last weeks
HISTORY_DAYS = 63
# One-off helps reach back a year, denser lately, so the coordinator's console shows a year
# with a visible trend: a share of 0.6 falls in the last HISTORY_DAYS, the rest before.
YEAR_DAYS = 365
RECENT_SHARE = 0.6
YEAR_EXTRA = 0.4  # chance of one more one-off help somewhere in the year
REGULAR_BINS = {OLDER: 0.3, ADULT: 0.1}  # share with a regular helper for the weekly bins
MOST_REGULARS = 2  # neighbours one volunteer does the weekly bins for
IN_PROGRESS = 0.2  # share of new requests a volunteer has said yes to already
NEAR_ME_AT_LEAST = 6  # open requests the volunteer account should find near them
REQUEST_BATCH = 250
