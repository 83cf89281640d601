"""Demo mentoring: Algoma's "Wolves and Pups", loaded through the mentoring services.

`load_mentoring_demo` is called by `neighborly.demo.load_demo` once the Algoma people
exist. It tells the program's story the way a coordinator would live it, one service call
at a time (create the program, Wolves apply, screening and approval, Pups entered from
consent forms, the matching run after the "speed dating" activity day, the staff meeting
that approves the matches, weekly meetings, check-ins, a Wolf Den dinner, a match that
ends, new referrals, a second matching run), and then dates each step in the past:

- the program runs the current school year (Wisconsin schools start after Labor Day and
  end in early June) with weekly meetings; a Wolf may take one or two Pups;
- Wolves are high-school sophomores and juniors: the demo "mentor" account (an approved
  Wolf with one Pup and a few logged meetings) and ``WOLVES`` more, drawn from the Algoma
  teen volunteers; when a small demo has too few of those, high-school students who joined
  Neighborly only to mentor make up the number (tagged ``.w0007@algoma...``, no help
  profile, the same unusable password hash as the other bulk people);
- Pups are fictional children (first name and last initial, kindergarten to grade 5 at
  Algoma Elementary School); guardians' names are invented, their contacts on the reserved
  ``.example`` domain and the fictional 555-01xx range;
- the demo leaves the coordinator something to do: applications to review, a Wolf still
  missing training, Pups waiting, a couple of proposals from the latest matching run, pairs
  overdue to meet and check-ins due.

Which Wolf slot does what (approved, capacity, interests, free times ...) depends only on
the seed, so the program has the same shape however many volunteers were loaded; which
person fills a slot depends on who exists. The history is measured back from today: the
staff meeting that made the matches is seven weeks ago (less early in the school year).

Safe to run again: a community that has the program already is left as it is.
"""

from __future__ import annotations

import dataclasses
import functools
import random
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, update

from neighborly.accounts.models import Community, Membership, Role, User
from neighborly.audit import AuditEvent
from neighborly.extensions import db
from neighborly.mentoring import reports, services
from neighborly.mentoring.models import (
    CheckIn,
    CheckInWith,
    CloseReason,
    EnrollmentStatus,
    GroupEvent,
    MatchingRun,
    Meeting,
    Mentee,
    MentorEnrollment,
    Pairing,
    PairStatus,
    Program,
    ProgramCoordinator,
)
from neighborly.notifications.models import OutboxMessage
from neighborly.timeutil import utcnow

Echo = Callable[[str], object]

PROGRAM_NAME = "Wolves and Pups"
HIGH_SCHOOL = "Algoma High School"
ELEMENTARY = "Algoma Elementary School"
MOST_PUPS = 2  # a Wolf takes one Pup; a few second-year juniors take two
MIN_GRADE_GAP = 4  # sophomores and juniors with kindergarten to grade 5

# Wolf slots (besides the mentor account): 0-11 approved and ready, 12 approved but still
# missing training, 13-15 applied in the last days (13 has its consent form in already).
WOLVES = 16
APPROVED, UNTRAINED, APPLIED = "approved", "untrained", "applied"
UNTRAINED_SLOT = 12
APPLIED_FROM = 13
CONSENT_IN = 13
TWO_PUPS = (0, 1, 2)  # second-year juniors
SPANISH_WOLVES = (4, 9)  # Spanish IV students
SAME_GENDER_WOLF = 7  # asked to mentor a Pup of their own gender

FIRST_PUPS = 15  # entered before the activity day
LATER_PUPS = 11  # referred since (FIRST_PUPS + LATER_PUPS == sum(GRADE_COUNTS.values()))
SPANISH_PUP = 4  # needs a Wolf who speaks Spanish
FAMILY_PREFERS = 9  # the family asked for a Wolf of the child's gender

HISTORY_DAYS = 49  # from the staff meeting that made the matches to today, at most
SHORTEST_HISTORY = 24  # early in the school year the story starts before the term does
OVERDUE_PAIRS = 2
MEETING_MINUTES = (30, 35, 40, 45, 45)
WOLF_DEN_MINUTES = 90
WOLF_DEN_WEEKDAY = 3  # Thursday
# (who, how likely a pair has had one, (fewest, most) days ago)
CHECK_INS = (
    (CheckInWith.MENTOR, 0.6, (8, 24)),
    (CheckInWith.GUARDIAN, 0.5, (10, 26)),
    (CheckInWith.MENTEE, 0.35, (6, 22)),
)

AFTER_SCHOOL = ("mon-15", "tue-15", "wed-15", "thu-15")
FRIDAY = "fri-15"
INTERESTS = (
    "reading",
    "math",
    "science",
    "art",
    "music",
    "sports",
    "games",
    "building",
    "nature",
    "animals",
    "cooking",
    "computers",
)
PUP_INTEREST_WEIGHTS = (6, 3, 4, 6, 3, 6, 7, 6, 4, 6, 3, 3)
WOLF_INTEREST_WEIGHTS = (5, 3, 3, 5, 4, 7, 7, 3, 4, 4, 4, 4)
DAY_INDEX = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4}
DAY_WORDS = {
    "mon": "Mondays",
    "tue": "Tuesdays",
    "wed": "Wednesdays",
    "thu": "Thursdays",
    "fri": "Fridays",
}
PLACES = (
    "Algoma Elementary library",
    "Algoma Elementary commons",
    "Art room, Algoma Elementary",
    "Algoma Elementary gym (first half)",
)

MOTIVATIONS = (
    "A Wolf helped my little brother with reading last year and he still talks about her.",
    "I want to be the older kid I wish I had in third grade.",
    "I want to be a teacher someday, and this seems like the best place to start.",
    "Coach said it was a good way to give back, and I like kids.",
    "I was a Pup when the program started. Now it is my turn.",
    "I have three younger cousins, so I am good at Uno and at patience.",
    "I need service hours, but honestly I also just think it sounds fun.",
    "My mom works at the elementary and says the Pups love the Wolf Den dinners.",
)
MORE_TEEN_NAMES = ("Brynn", "Jenna", "Abby", "Lauren", "Tyler", "Cole", "Austin", "Caleb")
# Teens' first names in the demo's name pools, to fill in the optional gender question.
GIRLS = frozenset(
    (
        "Kaylee",
        "Brynn",
        "Jenna",
        "Abby",
        "Lauren",
        "Brooke",
        "Madison",
        "Hailey",
        "Addison",
        "Ella",
        "Paige",
        "Emma",
        "Grace",
        "Mia",
        "Ava",
        "Sophia",
        "Olivia",
        "Daniela",
        "Valeria",
        "Ximena",
        "Jocelyn",
        "Itzel",
        "Andrea",
        "Karla",
        "Jazmín",
        "Jasmine",
        "Aaliyah",
        "Destiny",
        "Imani",
        "Brianna",
        "Kiara",
        "Nia",
        "Tiana",
    )
)
BOYS = frozenset(
    (
        "Carter",
        "Tyler",
        "Cole",
        "Austin",
        "Caleb",
        "Logan",
        "Hunter",
        "Brady",
        "Mason",
        "Wyatt",
        "Owen",
        "Jack",
        "Liam",
        "Noah",
        "Lucas",
        "Nathan",
        "Ethan",
        "Diego",
        "Alejandro",
        "Luis",
        "Carlos",
        "Adrián",
        "Brandon",
        "Kevin",
        "Emiliano",
        "Marcus",
        "Jalen",
        "DeAndre",
        "Isaiah",
        "Malik",
        "Darius",
        "Xavier",
        "Terrence",
    )
)

PUP_GIRLS = (
    "Harper",
    "Avery",
    "Nora",
    "Brynlee",
    "Kinsley",
    "Aubrey",
    "Stella",
    "Hazel",
    "Ellie",
    "Quinn",
    "Rylee",
    "Lydia",
    "Willow",
    "Maeve",
)
PUP_BOYS = (
    "Jaxon",
    "Bentley",
    "Easton",
    "Colton",
    "Brantley",
    "Henry",
    "Levi",
    "Sawyer",
    "Lincoln",
    "Wesley",
    "Beckett",
    "Tucker",
    "Gunnar",
    "Kolton",
)
SPANISH_PUPS = (("Mateo", "m"), ("Santiago", "m"), ("Camila", "f"), ("Sofía", "f"))
SPANISH_SURNAMES = ("García", "Hernández", "Martínez", "López", "Reyes", "Torres")
# How many Pups are in each grade (kindergarten is 0): most referrals are grades 1 to 4.
GRADE_COUNTS = {0: 2, 1: 5, 2: 5, 3: 6, 4: 5, 5: 3}
TEACHERS = {
    0: ("Mrs. Brauer", "Ms. Tlachac"),
    1: ("Mrs. Schleis", "Mr. Kirchman"),
    2: ("Ms. Vandenhouten", "Mrs. Ebert"),
    3: ("Mr. Kroll", "Mrs. Pelnar"),
    4: ("Ms. Haucke", "Mr. Stangel"),
    5: ("Mrs. Jandrin", "Mr. Rueckl"),
}
GUARDIANS = (
    ("mother", 0.55, ("Amanda", "Jessica", "Sarah", "Ashley", "Nicole", "Megan", "Kristin")),
    ("father", 0.25, ("Jason", "Ryan", "Justin", "Travis", "Kyle", "Dustin", "Matt")),
    ("grandmother", 0.12, ("Darlene", "Joyce", "Marlene", "Lorraine", "Elaine")),
    ("aunt", 0.08, ("Tara", "Heather", "Melissa", "Stacy")),
)
REFERRALS = (
    "Fall SAEBRS screening: some risk in social behaviour. Teacher referral.",
    "Fall SAEBRS screening: some risk in emotional behaviour; sees the school counsellor "
    "every other week.",
    "Teacher referral: new to Algoma this year and still making friends.",
    "Fall SAEBRS screening: academic behaviour flagged; already in a reading group.",
    "Counsellor referral: an older sibling moved away; would enjoy a steady older friend.",
    "Teacher referral: quiet in class, lights up one-on-one.",
)
PUP_NOTES = (
    "",
    "",
    "Picked up at 4:15 by grandma on meeting days.",
    "Shy at first; warms up over a game.",
    "Rides the late bus: meetings must end by 4:00.",
    "Loves to talk about the family's dog.",
)
SPANISH_REFERRAL = "New to the school this year and learning English; Spanish at home."

ACTIVITIES = {
    "reading": ("Read a chapter book together", "Library visit: picked out new books"),
    "math": ("Math facts games with dice", "Made a pretend store with price tags"),
    "science": ("Magnet and circuit kit", "Grew bean sprouts in cups"),
    "art": ("Drew a comic strip together", "Painted rocks for the school garden"),
    "music": ("Made up a song on the classroom keyboard", "Listened to music and drew to it"),
    "sports": ("Shot hoops in the gym", "Played catch and four square"),
    "games": ("Played Uno and talked about the week", "Taught each other a new card game"),
    "building": ("Built a Lego bridge", "Cardboard marble run"),
    "nature": ("Walked the school nature trail", "Leaf and pine-cone scavenger hunt"),
    "animals": ("Read about wolves (of course)", "Drew and labelled a dog breed chart"),
    "cooking": ("Made trail mix for the Wolf Den", "Planned a pretend restaurant menu"),
    "computers": ("Coded a maze game in Scratch", "Typing game race"),
}
ANY_ACTIVITY = ("Homework help, then a card game", "Talked about the week over a snack")
MEETING_NOTES = (
    "{pup} read a whole page out loud without stopping!",
    "{pup} was tired today, so we kept it easy and drew instead.",
    "We finished the project. {pup} wants to show it at the next Wolf Den.",
    "{pup} beat me at Uno three times in a row.",
    "Asked {pup} what to do next week: more of the same, apparently.",
)
CHECK_IN_NOTES = {
    CheckInWith.MENTOR: (
        "Talked with {wolf} after school: meetings are going well and {pup} always has a "
        "story ready.",
        "{wolf} asked for rainy-day ideas; pointed them to the game bin in the library.",
        "{wolf} says {pup} is quiet at first but lights up over a game.",
    ),
    CheckInWith.MENTEE: (
        "Stopped by {teacher}'s room: {pup} says {wolf} is 'really fun'.",
        "{pup} showed me a drawing made with {wolf}.",
    ),
    CheckInWith.GUARDIAN: (
        "Phoned {guardian}: {pup} talks about {wolf} at dinner.",
        "Phoned {guardian}: happy with the match; asked about the Wolf Den dinners.",
        "Left a message for {guardian}, and we talked the next day: all good at home.",
    ),
}
CLOSE_NOTES = (
    "The family moved to Green Bay. {wolf} and {pup} made goodbye cards at their last meeting."
)
REJECT_REASON = "They live next door to each other already; we want Pups to meet someone new."
WOLF_DEN = "Wolf Den dinner: chili night, cooked by the culinary arts class"
WOLF_DEN_PLACE = "Algoma High School commons"


# --------------------------------------------------------------------------- the plan


@dataclass(frozen=True)
class WolfPlan:
    """What one Wolf slot applies with, and how far screening has got."""

    slot: int
    status: str  # APPROVED, UNTRAINED or APPLIED
    grade: int
    capacity: int
    interests: frozenset[str]
    languages: frozenset[str]
    slots: frozenset[str]
    same_gender: bool
    motivation: str


# The demo mentor account: Kaylee D., a junior who was a Pup herself.
MENTOR_PLAN = WolfPlan(
    slot=-1,
    status=APPROVED,
    grade=11,
    capacity=1,
    interests=frozenset({"reading", "art", "animals"}),
    languages=frozenset({"en"}),
    slots=frozenset({"tue-15", "wed-15", "thu-15"}),
    same_gender=False,
    motivation=(
        "I was a Pup in second grade. My Wolf taught me to draw horses and I still have the "
        "sketchbook. I want to be that person for someone."
    ),
)


@dataclass(frozen=True)
class PupPlan:
    """One fictional child, as the guardian's consent form describes them."""

    number: int
    draft: services.MenteeDraft  # guardian_consent_on is set when the form comes back
    later: bool  # referred after the activity day


def wolf_plan(slot: int, seed: int) -> WolfPlan:
    """Wolf slot `slot`: the same seed gives the same plan, whoever fills the slot."""
    rng = random.Random(f"{seed}:wolves:{slot}")
    return WolfPlan(
        slot=slot,
        status=_status(slot),
        grade=11 if slot in TWO_PUPS else rng.choice((10, 10, 11)),
        capacity=2 if slot in TWO_PUPS else 1,
        interests=_pick(INTERESTS, WOLF_INTEREST_WEIGHTS, rng.randint(2, 4), rng),
        languages=frozenset({"en", "es"} if slot in SPANISH_WOLVES else {"en"}),
        slots=_free_times(rng),
        same_gender=slot == SAME_GENDER_WOLF,
        motivation=rng.choice(MOTIVATIONS),
    )


def _status(slot: int) -> str:
    """How far a Wolf slot's application has got."""
    if slot >= APPLIED_FROM:
        return APPLIED
    return UNTRAINED if slot == UNTRAINED_SLOT else APPROVED


def pup_plan(number: int, setting: Setting) -> PupPlan:
    """Pup number `number` (pure: the same seed gives the same child)."""
    rng = random.Random(f"{setting.seed}:pups:{number}")
    languages, needed, referral = {"en"}, None, rng.choice(REFERRALS)
    if number == SPANISH_PUP:
        first_name, gender = rng.choice(SPANISH_PUPS)
        languages, needed, referral = {"en", "es"}, "es", SPANISH_REFERRAL
        surname = rng.choice(SPANISH_SURNAMES)
    else:
        first_name, gender = _pup_names(setting.seed)[number % (len(PUP_GIRLS) + len(PUP_BOYS))]
        surname = rng.choice(setting.last_names)
    grade = _grades(setting.seed)[number]
    relation, _share, names = rng.choices(GUARDIANS, [g[1] for g in GUARDIANS])[0]
    guardian = rng.choice(names)
    contact = (
        f"({setting.area_code}) 555-01{_guardian_phones(setting.seed)[number]:02d} · "
        f"{_plain(guardian)}.{_plain(surname)}.guardian@{setting.email_domain}"
    )
    return PupPlan(
        number=number,
        later=number >= FIRST_PUPS,
        draft=services.MenteeDraft(
            first_name=first_name,
            last_initial=_plain(surname)[:1].upper(),
            grade=grade,
            school=ELEMENTARY,
            teacher=rng.choice(TEACHERS[grade]),
            interests=_pick(INTERESTS, PUP_INTEREST_WEIGHTS, rng.randint(2, 4), rng),
            languages=frozenset(languages),
            needed_language=needed,
            slots=_free_times(rng),
            gender=gender,
            gender_preference=gender if number == FAMILY_PREFERS else None,
            referral_reason=referral,
            guardian_name=f"{guardian} {surname} ({relation})",
            guardian_contact=contact,
            guardian_consent_on=None,
            notes=rng.choice(PUP_NOTES),
        ),
    )


@functools.cache
def _pup_names(seed: int) -> tuple[tuple[str, str], ...]:
    """Children's (first name, gender), shuffled once per seed so no two Pups share one."""
    names = [(name, "f") for name in PUP_GIRLS] + [(name, "m") for name in PUP_BOYS]
    random.Random(f"{seed}:pup-names").shuffle(names)
    return tuple(names)


@functools.cache
def _grades(seed: int) -> tuple[int, ...]:
    """Each Pup's grade, dealt from GRADE_COUNTS in an order shuffled once per seed."""
    grades = [grade for grade, count in GRADE_COUNTS.items() for _ in range(count)]
    random.Random(f"{seed}:grades").shuffle(grades)
    return tuple(grades)


@functools.cache
def _guardian_phones(seed: int) -> tuple[int, ...]:
    """The last two digits of each guardian's fictional 555-01xx number, all different."""
    return tuple(random.Random(f"{seed}:phones").sample(range(100), FIRST_PUPS + LATER_PUPS))


def _pick(options: tuple, weights: tuple, count: int, rng: random.Random) -> frozenset[str]:
    """`count` different options, drawn by weight."""
    left, chosen = dict(zip(options, weights, strict=True)), set()
    while len(chosen) < count:
        option = rng.choices(list(left), list(left.values()))[0]
        chosen.add(option)
        del left[option]
    return frozenset(chosen)


def _free_times(rng: random.Random) -> frozenset[str]:
    """Two or three after-school days, now and then Friday too."""
    times = set(rng.sample(AFTER_SCHOOL, rng.choice((2, 2, 3))))
    if rng.random() < 0.2:
        times.add(FRIDAY)
    return frozenset(times)


def _plain(name: str) -> str:
    """A name as plain lowercase letters (Sofía -> sofia)."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z]", "", text.lower())


def _gender(first_name: str) -> str | None:
    """What the demo knows of a teen's gender from their first name (None: not said)."""
    if first_name in GIRLS:
        return "f"
    return "m" if first_name in BOYS else None


def school_year(today: date) -> tuple[date, date]:
    """The Wisconsin school year that has begun: after Labor Day to the first Friday of June.

    Until the next one begins it is the year just ended (the program has not moved on yet).
    """

    def first_day(year: int) -> date:
        september = date(year, 9, 1)
        return september + timedelta(days=(0 - september.weekday()) % 7 + 1)  # Labor Day + 1

    year = today.year if today >= first_day(today.year) else today.year - 1
    june = date(year + 1, 6, 1)
    return first_day(year), june + timedelta(days=(4 - june.weekday()) % 7)


def no_school(day: date) -> bool:
    """Weekends, Thanksgiving and the day after, and the winter break."""
    if day.weekday() >= 5:
        return True
    thanksgiving = date(day.year, 11, 1) + timedelta(days=(3 - date(day.year, 11, 1).weekday()) % 7)
    thanksgiving += timedelta(weeks=3)
    if day in (thanksgiving, thanksgiving + timedelta(days=1)):
        return True
    return (day.month == 12 and day.day >= 23) or (day.month == 1 and day.day <= 1)


# --------------------------------------------------------------------------- the clock


class Clock:
    """Local days and wall-clock times in the community, and dating what just happened.

    Services stamp "now"; after each step, `stamp` moves the rows it wrote, and the audit
    events written since the load began, to the moment the story says it happened.
    """

    def __init__(self, community: Community, seed: int) -> None:
        self.community = community
        self.seed = seed
        self.zone = ZoneInfo(community.timezone)
        self.started = utcnow()
        self.today = services.local_today(community.timezone)
        term_start, _term_end = school_year(self.today)
        history = (self.today - term_start).days - 10
        self.history = max(SHORTEST_HISTORY, min(HISTORY_DAYS, history))
        self.staff_day = self.school_day(self.today - timedelta(days=self.history))

    def rng(self, *parts: object) -> random.Random:
        """A random stream named by the seed and the parts."""
        return random.Random(":".join(str(p) for p in (self.seed, "wolves-and-pups", *parts)))

    def school_day(self, day: date, back: bool = True) -> date:
        """The nearest school day on or before (or after) `day`."""
        step = timedelta(days=-1 if back else 1)
        while no_school(day):
            day += step
        return day

    def days_ago(self, days: int) -> date:
        """The school day on or before `days` days ago."""
        return self.school_day(self.today - timedelta(days=days))

    def at(self, day: date, hour: int, minute: int = 0) -> datetime:
        """A local wall-clock time on a day, in UTC, and never after the load began."""
        moment = datetime.combine(day, time(hour, minute), tzinfo=self.zone).astimezone(UTC)
        return min(moment, self.started - timedelta(minutes=5))

    def stamp(self, moment: datetime, *rows: tuple[type, int, dict]) -> None:
        """Set columns on rows (model, id, values) and date this step's audit events.

        The updates ride along with the next service's commit (a commit each would double
        the demo's commits); `load_mentoring_demo` commits the last ones.
        """
        for model, row_id, values in rows:
            db.session.execute(
                update(model)
                .where(model.id == row_id)
                .values(**values)
                .execution_options(synchronize_session=False)
            )
        db.session.execute(
            update(AuditEvent)
            .where(
                AuditEvent.community_id == self.community.id,
                AuditEvent.created_at >= self.started,
            )
            .values(created_at=moment)
            .execution_options(synchronize_session=False)
        )


# --------------------------------------------------------------------------- loading


@dataclass(frozen=True)
class Setting:
    """Where the program runs and who is there already (from the community demo)."""

    community: Community
    coordinator: User  # the community's coordinator account runs the program
    mentor: User  # the mentor account: an approved Wolf with one Pup
    teens: tuple[User, ...]  # teen volunteers, in order: the first Wolves
    first_names: tuple[str, ...]  # for students who join only to mentor
    last_names: tuple[str, ...]
    area_code: str
    email_domain: str
    password_hash: str  # the bulk people's shared, unusable hash
    seed: int


def load_mentoring_demo(setting: Setting, say: Echo) -> Program:
    """Create Algoma's Wolves and Pups and its first weeks; leave an existing one alone."""
    community = setting.community
    existing = db.session.scalar(
        select(Program).where(Program.community_id == community.id, Program.name == PROGRAM_NAME)
    )
    if existing is not None:
        say(f"{community.name} runs {PROGRAM_NAME} already: left as it is.")
        return existing
    return _load(setting, say)


def _load(setting: Setting, say: Echo) -> Program:
    """The program's story, from its creation to today."""
    community = setting.community
    clock = Clock(community, setting.seed)
    program = _start_program(clock, setting.coordinator)
    wolves, recruited = _recruit(clock, setting)
    _enrol(clock, program, setting, wolves)
    say(
        f"{PROGRAM_NAME}: {len(wolves) + 1} Wolves from {HIGH_SCHOOL} applied "
        f"({recruited} joined Neighborly only to mentor); "
        f"{setting.coordinator.display_name} coordinates."
    )
    pups = [pup_plan(n, setting) for n in range(FIRST_PUPS + LATER_PUPS)]
    first = [p for p in pups if not p.later]
    _add_first_pups(clock, program.id, setting.coordinator, first)
    pairs = _match_day(clock, program, setting)
    say(
        f"{PROGRAM_NAME}: {len(first)} Pups from {ELEMENTARY} met the Wolves at the activity "
        f"day on {clock.staff_day - timedelta(days=2):%b %d}; the staff meeting made "
        f"{len(pairs)} matches."
    )
    done = _weeks(clock, program, setting, pairs, [p for p in pups if p.later], say)
    say(
        f"{PROGRAM_NAME}: {done.meetings} meetings logged, {done.check_ins} check-ins, a Wolf "
        f"Den dinner with {done.den_wolves} Wolves and {done.den_pups} Pups, a match closed "
        f"when a family moved, {LATER_PUPS} Pups referred since, matching run again."
    )
    db.session.commit()
    _say_where_things_stand(program, setting.mentor, say)
    return program


def _start_program(clock: Clock, coordinator: User) -> Program:
    """The coordinator opens the program about three weeks before the first matches."""
    term_start, term_end = school_year(clock.today)
    program = services.create_program(
        clock.community,
        coordinator,
        services.ProgramDraft(
            name=PROGRAM_NAME,
            mentor_label="Wolf",
            mentor_label_plural="Wolves",
            mentee_label="Pup",
            mentee_label_plural="Pups",
            schools=(HIGH_SCHOOL, ELEMENTARY),
            feeder_schools=((ELEMENTARY, HIGH_SCHOOL),),
            term_start=term_start,
            term_end=term_end,
            meeting_cadence_days=7,
            max_mentees_per_mentor=MOST_PUPS,
            min_grade_gap=MIN_GRADE_GAP,
            requires_guardian_consent=True,
            requires_training=True,
            requires_background_check=True,
        ),
    )
    opened = clock.at(clock.school_day(clock.staff_day - timedelta(days=24)), 10, 15)
    link = db.session.scalar(
        select(ProgramCoordinator.id).where(ProgramCoordinator.program_id == program.id)
    )
    clock.stamp(
        opened,
        (Program, program.id, {"created_at": opened}),
        (ProgramCoordinator, link, {"created_at": opened}),
    )
    return program


def _recruit(clock: Clock, setting: Setting) -> tuple[list[tuple[WolfPlan, User]], int]:
    """A person for each Wolf slot: the teen volunteers first, then mentor-only students.

    Mentor-only students get first names no other Wolf has while there are any left.
    """
    taken = {setting.mentor.first_name} | {user.first_name for user in setting.teens[:WOLVES]}
    names = list(dict.fromkeys(setting.first_names + MORE_TEEN_NAMES))
    clock.rng("recruit-names").shuffle(names)
    names = [n for n in names if n not in taken] + [n for n in names if n in taken]
    wolves, recruited = [], 0
    for slot in range(WOLVES):
        plan = wolf_plan(slot, setting.seed)
        if slot < len(setting.teens):
            wolves.append((plan, setting.teens[slot]))
            continue
        rng = clock.rng("recruit", slot)
        first_name = names[(slot - len(setting.teens)) % len(names)]
        last_name = rng.choice(setting.last_names)
        email = f"{_plain(first_name)}.{_plain(last_name)}.w{slot:04d}@{setting.email_domain}"
        user = db.session.scalar(select(User).where(User.email == email))
        if user is None:  # a run that stopped half-way may have made them
            joined = clock.at(clock.staff_day - timedelta(days=rng.randint(21, 40)), 19, 30)
            user = User(
                email=email,
                password_hash=setting.password_hash,
                first_name=first_name,
                last_name=last_name,
                locale="en",
                email_confirmed_at=joined,
                created_at=joined,
            )
            db.session.add(user)
            db.session.add(
                Membership(
                    user=user, community=clock.community, role=Role.VOLUNTEER, created_at=joined
                )
            )
            recruited += 1
        wolves.append((plan, user))
    db.session.commit()
    return wolves, recruited


def _application(plan: WolfPlan, user: User) -> services.MentorApplication:
    """What a Wolf tells the program."""
    gender = _gender(user.first_name)
    return services.MentorApplication(
        grade=plan.grade,
        school=HIGH_SCHOOL,
        interests=plan.interests,
        languages=plan.languages | ({"es"} if user.locale == "es" else frozenset()),
        slots=plan.slots,
        gender=gender,
        gender_preference=gender if plan.same_gender else None,
        motivation=plan.motivation,
    )


def _enrol(
    clock: Clock, program: Program, setting: Setting, wolves: list[tuple[WolfPlan, User]]
) -> None:
    """Wolves apply; consent forms come back; training night; the coordinator approves.

    Slots that applied in the last days wait for review (one has its consent form in).
    """
    staff, coordinator = clock.staff_day, setting.coordinator
    training_night = clock.school_day(staff - timedelta(days=7))
    approved = clock.at(clock.school_day(staff - timedelta(days=6), back=False), 7, 45)
    for plan, user in [(MENTOR_PLAN, setting.mentor), *wolves]:
        rng = clock.rng("wolf", plan.slot)
        recent = plan.status == APPLIED
        if recent:
            applied = clock.today - timedelta(days=rng.randint(2, 9))
        else:
            applied = staff - timedelta(days=rng.randint(12, 20))
        enrollment = services.apply_to_mentor(program.id, user, _application(plan, user))
        moment = clock.at(applied, rng.randint(15, 21), rng.choice((0, 20, 40)))
        clock.stamp(moment, (MentorEnrollment, enrollment.id, {"created_at": moment}))
        if recent and plan.slot != CONSENT_IN:
            continue
        consent = min(applied + timedelta(days=rng.randint(1, 4)), clock.today - timedelta(1))
        trained = training_night if plan.status == APPROVED else None
        services.record_screening(
            enrollment.id,
            coordinator,
            services.Screening(
                guardian_consent_on=consent,
                training_completed_on=trained,
                background_check_on=None,  # students: no background check
                capacity=plan.capacity,
            ),
        )
        clock.stamp(clock.at(max(consent, trained or consent), 20, 5))
        if recent:
            continue
        services.approve_mentor(enrollment.id, coordinator)
        clock.stamp(approved, (MentorEnrollment, enrollment.id, {"decided_at": approved}))


def _add_first_pups(clock: Clock, program_id: int, coordinator: User, plans: list[PupPlan]):
    """Before the activity day the coordinator enters each child from the consent form."""
    for plan in plans:
        rng = clock.rng("pup", plan.number)
        day = clock.school_day(clock.staff_day - timedelta(days=rng.randint(4, 12)))
        _add_pup(clock, program_id, coordinator, plan, day, rng)


def _add_pup(
    clock: Clock,
    program_id: int,
    coordinator: User,
    plan: PupPlan,
    day: date,
    rng: random.Random,
) -> None:
    """One child entered on `day`; the guardian signed a few days before."""
    draft = dataclasses.replace(
        plan.draft, guardian_consent_on=day - timedelta(days=rng.randint(1, 6))
    )
    mentee = services.add_mentee(program_id, coordinator, draft)
    entered = clock.at(day, 7, rng.randint(20, 55))
    clock.stamp(entered, (Mentee, mentee.id, {"created_at": entered}))


def _match_day(clock: Clock, program: Program, setting: Setting) -> list[Pairing]:
    """Matching after the activity day; two days later the staff meeting decides.

    One proposal is turned down with a reason; the others are approved. The mentor account
    (free three afternoons a week) always gets a proposal: there are more seats than Pups.
    """
    coordinator = setting.coordinator
    run = services.run_matching(program.id, coordinator)
    ran = clock.at(clock.school_day(clock.staff_day - timedelta(days=2)), 16, 10)
    clock.stamp(ran, (MatchingRun, run.id, {"created_at": ran}), *_proposals_of(run.id, ran))

    kaylee = services.enrollment_for(setting.mentor, program.id)
    proposals = services.pairings_of(program.id, PairStatus.PROPOSED)
    if not any(p.mentor_id == kaylee.id for p in proposals):
        raise RuntimeError("the demo's matching run proposed no Pup for the mentor account")
    others = [p for p in proposals if p.mentor_id != kaylee.id]  # best first
    if len(others) > 3:
        services.reject_pairing(others[-1].id, coordinator, REJECT_REASON)
    db.session.commit()  # approve_all rolls back a proposal it cannot approve
    services.approve_all(program.id, coordinator)

    meeting = clock.at(clock.staff_day, 7, 30)
    decided = (PairStatus.ACTIVE, PairStatus.REJECTED)
    for values, condition in (
        ({"decided_at": meeting}, Pairing.status.in_(decided)),
        ({"started_on": clock.staff_day}, Pairing.status == PairStatus.ACTIVE),
    ):
        db.session.execute(
            update(Pairing)
            .where(Pairing.program_id == program.id, condition)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
    for column in (OutboxMessage.created_at, OutboxMessage.sent_at):  # "You have a Pup" mail
        db.session.execute(
            update(OutboxMessage)
            .where(column >= clock.started)
            .values({column: meeting})
            .execution_options(synchronize_session=False)
        )
    clock.stamp(meeting)
    return services.pairings_of(program.id, PairStatus.ACTIVE)


def _proposals_of(run_id: int, moment: datetime) -> list[tuple[type, int, dict]]:
    """A matching run's proposals, to be dated like the run."""
    ids = db.session.scalars(select(Pairing.id).where(Pairing.matching_run_id == run_id))
    return [(Pairing, pair_id, {"created_at": moment}) for pair_id in ids]


# --------------------------------------------------------------------------- the weeks


@dataclass
class Done:
    """What the weeks since the staff meeting added."""

    meetings: int = 0
    check_ins: int = 0
    den_wolves: int = 0
    den_pups: int = 0


@dataclass(order=True)
class Step:
    """One thing that happens between the staff meeting and today, run in time order."""

    moment: datetime
    order: int
    action: Callable[[], None] = dataclasses.field(compare=False)


@dataclass(frozen=True)
class Pair:
    """What the weeks need to know about one active pair, read once.

    Every service commits, and a commit expires what the session has loaded; plain values
    keep the weeks from reloading each pair before every meeting.
    """

    id: int
    mentor_id: int
    mentee_id: int
    wolf: User
    wolf_name: str
    pup_name: str
    guardian_name: str
    teacher: str
    shared_slots: tuple[str, ...]
    shared_interests: tuple[str, ...]

    @classmethod
    def of(cls, pairing: Pairing) -> Pair:
        """The facts of one pairing (mentor, user and mentee loaded)."""
        mentor, mentee = pairing.mentor, pairing.mentee
        return cls(
            id=pairing.id,
            mentor_id=pairing.mentor_id,
            mentee_id=pairing.mentee_id,
            wolf=mentor.user,
            wolf_name=mentor.user.first_name,
            pup_name=mentee.first_name,
            guardian_name=mentee.guardian_name.split(" ", 1)[0],
            teacher=mentee.teacher or "the teacher",
            shared_slots=tuple(sorted(mentor.slot_set & mentee.slot_set)),
            shared_interests=tuple(sorted(mentor.interest_set & mentee.interest_set)),
        )


def _weeks(
    clock: Clock,
    program: Program,
    setting: Setting,
    pairings: list[Pairing],
    later: list[PupPlan],
    say: Echo,
) -> Done:
    """Weekly meetings, check-ins, a Wolf Den dinner, a closed match, referrals, a new run.

    Every pair meets at one weekly time both are free, skipping a week now and then but
    never the last one, except the pairs the story makes overdue. Steps run in time order,
    so each service sees the program as it was on that day.
    """
    done, steps = Done(), []
    coordinator, today, staff = setting.coordinator, clock.today, clock.staff_day
    program_id = program.id

    def add(moment: datetime, action: Callable[[], None]) -> None:
        steps.append(Step(moment, len(steps), action))

    kaylee = services.enrollment_for(setting.mentor, program_id).id
    pairs = [Pair.of(pairing) for pairing in pairings]
    theirs = next(p for p in pairs if p.mentor_id == kaylee)
    others = [p for p in pairs if p is not theirs]
    picked = clock.rng("weeks").sample(others, min(len(others), OVERDUE_PAIRS + 1))
    overdue, closing = picked[:OVERDUE_PAIRS], picked[OVERDUE_PAIRS:]
    closed_on = clock.days_ago(12)
    den_day = clock.school_day(_last_weekday(today - timedelta(days=13), WOLF_DEN_WEEKDAY))

    for pair in pairs:
        rng = clock.rng("pair", pair.mentee_id)
        slot = rng.choice(pair.shared_slots)
        when = f"{DAY_WORDS[slot.split('-')[0]]}, 3:15 to 4:00 pm"
        add(
            clock.at(staff, 12, rng.randint(0, 50)),
            _plan_step(clock, pair, coordinator, when, rng.choice(PLACES)),
        )
        last = today - timedelta(days=1)
        if pair in overdue:
            last = today - timedelta(days=rng.randint(10, 16))
        elif pair in closing:
            last = closed_on - timedelta(days=1)
        days = _meeting_days(staff, last, DAY_INDEX[slot.split("-")[0]])
        if pair not in overdue and pair not in closing:
            days = _with_make_up(days, clock)
        skip = 0.25 if pair is theirs else 0.12
        for number, day in enumerate(days):
            if number < len(days) - 1 and rng.random() < skip:
                continue
            by_wolf = pair is theirs or rng.random() < 0.92
            draft = _meeting(pair, day, rng, notes=by_wolf)
            actor = pair.wolf if by_wolf else coordinator
            add(clock.at(day, 16, 30), _meeting_step(clock, pair, actor, draft, done))
        if pair in closing:
            continue
        for who, chance, (early, late) in CHECK_INS:
            if not (pair is theirs and who != CheckInWith.MENTEE) and rng.random() >= chance:
                continue
            late = min(late, (today - staff).days - 1)
            day = max(clock.days_ago(rng.randint(min(early, late), late)), staff)
            note = rng.choice(CHECK_IN_NOTES[who]).format(
                wolf=pair.wolf_name,
                pup=pair.pup_name,
                guardian=pair.guardian_name,
                teacher=pair.teacher,
            )
            held = clock.at(day, 12 if who == CheckInWith.MENTEE else 19, 0)
            add(held, _check_in_step(clock, pair, coordinator, who, day, note, held, done))

    den = _den_step(clock, program_id, coordinator, pairs, theirs, den_day, done)
    add(clock.at(den_day, 19, 30), den)
    for pair in closing:
        add(clock.at(closed_on, 8, 30), _close_step(clock, pair, coordinator, closed_on))
    most = max(3, min(20, (today - staff).days - 1))
    for plan in later:
        rng = clock.rng("pup", plan.number)
        day = clock.days_ago(rng.randint(3, most))
        add(clock.at(day, 7, 20), _pup_step(clock, program_id, coordinator, plan, day, rng))
    add(clock.at(clock.days_ago(2), 15, 45), _run_step(clock, program_id, coordinator))

    steps.sort()
    for number, step in enumerate(steps, start=1):
        step.action()
        if number % 50 == 0 or number == len(steps):
            say(f"Writing the weeks of {PROGRAM_NAME} ... {number}/{len(steps)}")
    return done


def _last_weekday(day: date, weekday: int) -> date:
    """The latest `weekday` (0 = Monday) on or before `day`."""
    return day - timedelta(days=(day.weekday() - weekday) % 7)


def _meeting_days(staff_day: date, last: date, weekday: int) -> list[date]:
    """School days on the pair's weekday after the staff meeting, up to `last`."""
    day = staff_day + timedelta(days=(weekday - staff_day.weekday()) % 7 or 7)
    days = []
    while day <= last:
        if not no_school(day):
            days.append(day)
        day += timedelta(weeks=1)
    return days


def _with_make_up(days: list[date], clock: Clock) -> list[date]:
    """A pair on track meets again within the week: after a holiday, on another school day."""
    week = [clock.today - timedelta(days=n) for n in range(1, 8)]
    school = [day for day in week if not no_school(day)]
    if school and (not days or days[-1] < week[-1]):
        return [*days, school[0]]
    return days


def _meeting(pair: Pair, day: date, rng: random.Random, notes: bool) -> services.MeetingDraft:
    """What they did (mostly something they both like), and now and then a Wolf's note."""
    ideas = [activity for interest in pair.shared_interests for activity in ACTIVITIES[interest]]
    if not ideas or rng.random() < 0.2:
        ideas = list(ANY_ACTIVITY)
    note = ""
    if notes and rng.random() < 0.3:
        note = rng.choice(MEETING_NOTES).format(pup=pair.pup_name)
    return services.MeetingDraft(
        met_on=day, minutes=rng.choice(MEETING_MINUTES), activity=rng.choice(ideas), notes=note
    )


def _plan_step(clock: Clock, pair: Pair, coordinator: User, when: str, place: str):
    """At the staff meeting the coordinator says when and where the pair meets."""

    def step() -> None:
        services.set_meeting_plan(pair.id, coordinator, when, place)
        clock.stamp(clock.at(clock.staff_day, 12, 55))

    return step


def _meeting_step(clock: Clock, pair: Pair, actor: User, draft: services.MeetingDraft, done: Done):
    """The Wolf (now and then the coordinator) logs a meeting that afternoon."""
    logged = clock.at(draft.met_on, 16, 30)

    def step() -> None:
        meeting = services.log_meeting(pair.id, actor, draft)
        clock.stamp(logged, (Meeting, meeting.id, {"created_at": logged}))
        done.meetings += 1

    return step


def _check_in_step(
    clock: Clock,
    pair: Pair,
    coordinator: User,
    who: CheckInWith,
    day: date,
    note: str,
    held: datetime,
    done: Done,
):
    """The coordinator checks in with the Wolf, the Pup or the guardian."""

    def step() -> None:
        check_in = services.log_check_in(pair.id, coordinator, who, day, note)
        clock.stamp(held, (CheckIn, check_in.id, {"created_at": held}))
        done.check_ins += 1

    return step


def _den_step(
    clock: Clock,
    program_id: int,
    coordinator: User,
    pairs: list[Pair],
    theirs: Pair,
    day: date,
    done: Done,
):
    """A Wolf Den dinner: most pairs come, the mentor account and her Pup among them."""
    rng = clock.rng("wolf-den")
    wolves, pups = set(), set()
    for pair in pairs:
        if pair is theirs or rng.random() < 0.75:
            wolves.add(pair.mentor_id)
            if pair is theirs or rng.random() < 0.9:
                pups.add(pair.mentee_id)
    planned = clock.at(day - timedelta(days=10), 9, 0)

    def step() -> None:
        event = services.create_event(
            program_id,
            coordinator,
            services.EventDraft(WOLF_DEN, day, WOLF_DEN_MINUTES, WOLF_DEN_PLACE),
        )
        clock.stamp(planned, (GroupEvent, event.id, {"created_at": planned}))
        services.record_attendance(event.id, coordinator, wolves, pups)
        clock.stamp(clock.at(day, 19, 30))
        done.den_wolves, done.den_pups = len(wolves), len(pups)

    return step


def _close_step(clock: Clock, pair: Pair, coordinator: User, day: date):
    """A family moves away: the match closes and the Pup leaves the program."""
    notes = CLOSE_NOTES.format(wolf=pair.wolf_name, pup=pair.pup_name)

    def step() -> None:
        services.close_pairing(pair.id, coordinator, CloseReason.MOVED, notes, mentee_leaves=True)
        clock.stamp(clock.at(day, 8, 30), (Pairing, pair.id, {"closed_on": day}))

    return step


def _pup_step(clock: Clock, program_id: int, coordinator: User, plan: PupPlan, day: date, rng):
    """A child referred since the activity day joins the waiting Pups."""

    def step() -> None:
        _add_pup(clock, program_id, coordinator, plan, day, rng)

    return step


def _run_step(clock: Clock, program_id: int, coordinator: User):
    """Two days ago the coordinator ran matching again; its proposals wait for review."""
    ran = clock.at(clock.days_ago(2), 15, 45)

    def step() -> None:
        run = services.run_matching(program_id, coordinator)
        clock.stamp(ran, (MatchingRun, run.id, {"created_at": ran}), *_proposals_of(run.id, ran))

    return step


def _say_where_things_stand(program: Program, mentor: User, say: Echo) -> None:
    """What the coordinator and the mentor account will find."""
    report = reports.program_report(program.id)
    proposals = services.pairings_of(program.id, PairStatus.PROPOSED)
    applied = db.session.scalar(
        select(func.count(MentorEnrollment.id)).where(
            MentorEnrollment.program_id == program.id,
            MentorEnrollment.status == EnrollmentStatus.APPLIED,
        )
    )
    say(
        f"{PROGRAM_NAME}: {report.active_pairs} active pairs ({report.overdue_pairs} overdue to "
        f"meet), {report.closed_pairs} closed, {len(proposals)} proposals to review, "
        f"{len(report.unmatched)} Pups waiting, {applied} applications to review."
    )
    enrollment = services.enrollment_for(mentor, program.id)
    pair = db.session.scalar(
        select(Pairing).where(
            Pairing.mentor_id == enrollment.id, Pairing.status == PairStatus.ACTIVE
        )
    )
    if pair is not None:
        meetings, events = reports.service_minutes([enrollment.id])[enrollment.id]
        say(
            f"{mentor.display_name} (the mentor account) mentors {pair.mentee.display_name}: "
            f"{(meetings + events) / 60:.1f} service hours so far."
        )
