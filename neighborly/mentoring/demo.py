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

import random
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, update

from neighborly.accounts.models import Community, Membership, Role, User
from neighborly.coordination.models import AuditEvent
from neighborly.errors import DomainError
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
from neighborly.timeutil import utcnow

Echo = Callable[[str], object]

PROGRAM_NAME = "Wolves and Pups"
HIGH_SCHOOL = "Algoma High School"
ELEMENTARY = "Algoma Elementary School"
WOLVES = 16  # Wolves besides the mentor account
APPROVED_WOLVES = 12  # slots 0-11: approved and ready; slot 12 waits for training
UNTRAINED = 12
APPLIED_FROM = 13  # slots 13-15 applied in the last days
TWO_PUPS = (0, 1, 2)  # second-year juniors who take two Pups
SPANISH_WOLVES = (4, 9)  # Spanish IV students
SAME_GENDER_WOLF = 7  # asked for a Pup of their own gender
FIRST_PUPS = 15  # entered before the activity day
LATER_PUPS = 11  # referred since
SPANISH_PUP = 4  # needs a Wolf who speaks Spanish
FAMILY_PREFERS = 9  # the family asked for a Wolf of the child's gender
OVERDUE_PAIRS = 2
HISTORY_DAYS = 49  # staff meeting to today, at most
SHORTEST_HISTORY = 24  # early in the school year the story starts before the term
MEETING_HOUR = 15
WOLF_DEN_MINUTES = 90

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
DAY_WORDS = {"mon": "Mondays", "tue": "Tuesdays", "wed": "Wednesdays", "thu": "Thursdays"}
DAY_WORDS["fri"] = "Fridays"
PLACES = (
    "Algoma Elementary library",
    "Algoma Elementary commons",
    "Art room, Algoma Elementary",
    "Algoma Elementary gym (first half)",
)

# The demo mentor account: Kaylee D., a junior who was a Pup herself.
MENTOR_APPLICATION = services.MentorApplication(
    grade=11,
    school=HIGH_SCHOOL,
    interests=frozenset({"reading", "art", "animals"}),
    languages=frozenset({"en"}),
    slots=frozenset({"tue-15", "wed-15", "thu-15"}),
    gender="f",
    gender_preference=None,
    motivation=(
        "I was a Pup in second grade. My Wolf taught me to draw horses and I still have the "
        "sketchbook. I want to be that person for someone."
    ),
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
GIRLS = frozenset(
    "Kaylee Brooke Madison Hailey Addison Ella Paige Emma Grace Mia Ava Sophia Olivia Daniela "
    "Valeria Ximena Jocelyn Itzel Andrea Karla Jazmín Jasmine Aaliyah Destiny Imani Brianna "
    "Kiara Nia Tiana".split()
)
BOYS = frozenset(
    "Carter Logan Hunter Brady Mason Wyatt Owen Jack Liam Noah Lucas Nathan Ethan Diego "
    "Alejandro Luis Carlos Adrián Brandon Kevin Emiliano Marcus Jalen DeAndre Isaiah Malik "
    "Darius Xavier Terrence".split()
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
GRADES = (0, 1, 2, 3, 4, 5)
GRADE_WEIGHTS = (1, 3, 4, 4, 3, 2)
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
    """What one Wolf slot applies with and how far screening has got."""

    slot: int
    status: str  # "approved", "untrained" or "applied"
    grade: int
    capacity: int
    interests: frozenset[str]
    languages: frozenset[str]
    slots: frozenset[str]
    same_gender: bool
    motivation: str


@dataclass(frozen=True)
class PupPlan:
    """One fictional child, as their guardian's consent form describes them."""

    number: int
    draft: services.MenteeDraft
    later: bool  # referred after the activity day


def wolf_plan(slot: int, seed: int) -> WolfPlan:
    """Wolf slot `slot`: the same seed, the same plan, whoever fills it."""
    rng = random.Random(f"{seed}:wolves:{slot}")
    if slot < APPROVED_WOLVES:
        status = "approved"
    else:
        status = "untrained" if slot == UNTRAINED else "applied"
    languages = {"en", "es"} if slot in SPANISH_WOLVES else {"en"}
    grade = 11 if slot in TWO_PUPS else rng.choice((10, 10, 11))
    return WolfPlan(
        slot=slot,
        status=status,
        grade=grade,
        capacity=2 if slot in TWO_PUPS else 1,
        interests=_pick(INTERESTS, WOLF_INTEREST_WEIGHTS, rng.randint(2, 4), rng),
        languages=frozenset(languages),
        slots=_free_times(rng),
        same_gender=slot == SAME_GENDER_WOLF,
        motivation=rng.choice(MOTIVATIONS),
    )


def pup_plan(number: int, seed: int, area_code: str, email_domain: str, last: tuple) -> PupPlan:
    """Pup number `number` (pure: the same seed, the same child)."""
    rng = random.Random(f"{seed}:pups:{number}")
    languages, needed, referral = {"en"}, None, rng.choice(REFERRALS)
    if number == SPANISH_PUP:
        first_name, gender = rng.choice(SPANISH_PUPS)
        languages, needed, referral = {"en", "es"}, "es", SPANISH_REFERRAL
        surname = rng.choice(("García", "Hernández", "Martínez", "López", "Reyes", "Torres"))
    else:
        gender = rng.choice(("f", "m"))
        first_name = rng.choice(PUP_GIRLS if gender == "f" else PUP_BOYS)
        surname = rng.choice(last)
    grade = rng.choices(GRADES, GRADE_WEIGHTS)[0]
    relation, _share, names = rng.choices(GUARDIANS, [g[1] for g in GUARDIANS])[0]
    guardian_first = rng.choice(names)
    contact = (
        f"({area_code}) 555-01{rng.randrange(100):02d} · "
        f"{_plain(guardian_first)}.{_plain(surname)}.guardian@{email_domain}"
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
            guardian_name=f"{guardian_first} {surname} ({relation})",
            guardian_contact=contact,
            guardian_consent_on=None,  # set to the day the form came back
            notes=rng.choice(PUP_NOTES),
        ),
    )


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
    """The Wisconsin school year around `today`: after Labor Day to the first Friday of June.

    From June to August it is the year just ended (the program has not moved on yet).
    """
    year = today.year if today.month >= 9 else today.year - 1
    labor_day = date(year, 9, 1) + timedelta(days=(0 - date(year, 9, 1).weekday()) % 7)
    june = date(year + 1, 6, 1)
    return labor_day + timedelta(days=1), june + timedelta(days=(4 - june.weekday()) % 7)


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
    """Local days and wall-clock times in the community, and stamping what just happened.

    Services stamp "now"; after each step, `stamp` moves the rows it wrote (and its audit
    events) to the moment the story says it happened.
    """

    def __init__(self, community: Community, seed: int) -> None:
        self.community = community
        self.seed = seed
        self.zone = ZoneInfo(community.timezone)
        self.started = utcnow()
        self.today = services.local_today(community.timezone)
        start, _end = school_year(self.today)
        history = (self.today - start).days - 10
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

    def at(self, day: date, hour: int, minute: int = 0) -> datetime:
        """A local wall-clock time on a day, in UTC; never later than the load started."""
        moment = datetime.combine(day, time(hour, minute), tzinfo=self.zone).astimezone(UTC)
        return min(moment, self.started - timedelta(minutes=5))

    def stamp(self, moment: datetime, *rows: tuple[type, int, dict]) -> None:
        """Date rows (model, id, extra values) and the audit events since the load began."""
        for model, row_id, values in rows:
            db.session.execute(
                update(model)
                .where(model.id == row_id)
                .values(created_at=moment, **values)
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
        db.session.commit()


# --------------------------------------------------------------------------- loading


@dataclass
class Cast:
    """The people of the story."""

    coordinator: User
    mentor: User
    wolves: list[tuple[WolfPlan, User]]  # approved, untrained and applied slots


def load_mentoring_demo(
    community: Community,
    coordinator: User,
    mentor: User,
    teens: Iterable[User],
    seed: int,
    password_hash: str,
    area_code: str,
    last_names: tuple[str, ...],
    say: Echo,
) -> Program:
    """Create and bring to life Algoma's Wolves and Pups; leave an existing one alone."""
    existing = db.session.scalar(
        select(Program).where(Program.community_id == community.id, Program.name == PROGRAM_NAME)
    )
    if existing is not None:
        say(f"{PROGRAM_NAME} exists already in {community.name}: left as it is.")
        return existing
    clock = Clock(community, seed)
    email_domain = f"{community.slug}.{_domain_of(coordinator)}"
    program = _start_program(clock, coordinator)
    wolves, recruited = _recruit(clock, list(teens), password_hash, email_domain, last_names)
    cast = Cast(coordinator, mentor, wolves)
    _enrol(clock, program, cast)
    say(
        f"{PROGRAM_NAME}: {len(wolves) + 1} Wolves from {HIGH_SCHOOL} applied "
        f"({recruited} joined only to mentor); coordinator {coordinator.display_name} "
        f"screened and approved {APPROVED_WOLVES + 2}."
    )
    pups = [
        pup_plan(n, seed, area_code, email_domain, last_names)
        for n in range(FIRST_PUPS + LATER_PUPS)
    ]
    first = _add_pups(clock, program, coordinator, [p for p in pups if not p.later])
    pairs = _match_day(clock, program, cast, first)
    say(
        f"{PROGRAM_NAME}: {len(first)} Pups from {ELEMENTARY} met the Wolves at the activity "
        f"day; the staff meeting made {len(pairs)} matches."
    )
    counts = _weeks(clock, program, cast, pairs, [p for p in pups if p.later], say)
    say(
        f"{PROGRAM_NAME}: {counts['meetings']} meetings logged, {counts['check_ins']} "
        f"check-ins, a Wolf Den dinner with {counts['den_wolves']} Wolves and "
        f"{counts['den_pups']} Pups, one match closed, {LATER_PUPS} new referrals."
    )
    _report(program, mentor, say)
    return program


def _domain_of(user: User) -> str:
    """The demo domain, from a role account's address (coordinator@algoma.<domain>)."""
    return (user.email or "").split("@", 1)[1].split(".", 1)[1]


def _start_program(clock: Clock, coordinator: User) -> Program:
    """The coordinator opens the program about three weeks before the first matches."""
    term_start, term_end = school_year(clock.today)
    created = clock.at(clock.school_day(clock.staff_day - timedelta(days=24)), 10, 15)
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
            max_mentees_per_mentor=2,
            min_grade_gap=4,
            requires_guardian_consent=True,
            requires_training=True,
            requires_background_check=True,
        ),
    )
    link = db.session.scalar(
        select(ProgramCoordinator.id).where(ProgramCoordinator.program_id == program.id)
    )
    clock.stamp(created, (Program, program.id, {}), (ProgramCoordinator, link, {}))
    return program


def _recruit(
    clock: Clock, teens: list[User], password_hash: str, email_domain: str, last_names: tuple
) -> tuple[list[tuple[WolfPlan, User]], int]:
    """A user for each Wolf slot: teen volunteers first, then mentor-only students."""
    wolves, recruited = [], 0
    for slot in range(WOLVES):
        plan = wolf_plan(slot, clock.seed)
        if slot < len(teens):
            wolves.append((plan, teens[slot]))
            continue
        rng = clock.rng("recruit", slot)
        first_name = rng.choice(sorted(GIRLS if rng.random() < 0.55 else BOYS & _LOCAL_BOYS))
        if first_name not in _LOCAL_GIRLS | _LOCAL_BOYS:
            first_name = rng.choice(sorted(_LOCAL_GIRLS))
        last_name = rng.choice(last_names)
        joined = clock.at(clock.staff_day - timedelta(days=rng.randint(21, 40)), 19, 30)
        email = f"{_plain(first_name)}.{_plain(last_name)}.w{slot:04d}@{email_domain}"
        user = db.session.scalar(select(User).where(User.email == email))
        if user is None:
            user = User(
                email=email,
                password_hash=password_hash,
                first_name=first_name,
                last_name=last_name,
                locale="en",
                email_confirmed_at=joined,
                created_at=joined,
            )
            db.session.add(user)
            db.session.add(
                Membership(user=user, community=clock.community, role=Role.VOLUNTEER, created_at=joined)
            )
            recruited += 1
        wolves.append((plan, user))
    db.session.commit()
    return wolves, recruited


_LOCAL_GIRLS = frozenset(("Kaylee", "Brooke", "Madison", "Hailey", "Addison", "Ella", "Paige"))
_LOCAL_BOYS = frozenset(("Carter", "Logan", "Hunter", "Brady", "Mason", "Wyatt", "Owen"))


def _application(plan: WolfPlan, user: User) -> services.MentorApplication:
    """What a Wolf tells the program."""
    gender = _gender(user.first_name)
    languages = plan.languages | ({"es"} if user.locale == "es" else set())
    return services.MentorApplication(
        grade=plan.grade,
        school=HIGH_SCHOOL,
        interests=plan.interests,
        languages=frozenset(languages),
        slots=plan.slots,
        gender=gender,
        gender_preference=gender if plan.same_gender else None,
        motivation=plan.motivation,
    )


def _enrol(clock: Clock, program: Program, cast: Cast) -> None:
    """Everyone applies; consent forms come back; training night; the coordinator approves."""
    staff = clock.staff_day
    training_night = clock.school_day(staff - timedelta(days=7))
    approved_on = clock.school_day(staff - timedelta(days=6), back=False)
    people = [(None, cast.mentor)] + [(plan, user) for plan, user in cast.wolves]
    for plan, user in people:
        rng = clock.rng("wolf", user.id)
        recent = plan is not None and plan.status == "applied"
        if recent:
            applied = clock.today - timedelta(days=rng.randint(2, 9))
        else:
            applied = staff - timedelta(days=rng.randint(10, 20))
        application = MENTOR_APPLICATION if plan is None else _application(plan, user)
        enrollment = services.apply_to_mentor(program.id, user, application)
        clock.stamp(
            clock.at(applied, rng.randint(15, 21), rng.choice((0, 20, 40))),
            (MentorEnrollment, enrollment.id, {}),
        )
        if recent and plan.slot != APPLIED_FROM:
            continue
        consent = applied + timedelta(days=rng.randint(1, 4))
        trained = None if recent or plan.status == "untrained" else training_night
        screening = services.Screening(
            guardian_consent_on=consent,
            training_completed_on=trained,
            background_check_on=None,
            capacity=1 if plan is None else plan.capacity,
        )
        services.record_screening(enrollment.id, cast.coordinator, screening)
        screened = max(consent, training_night) if trained else consent
        clock.stamp(clock.at(min(screened, clock.today - timedelta(days=1)), 20, 5))
        if recent:
            continue
        services.approve_mentor(enrollment.id, cast.coordinator)
        decided = clock.at(approved_on, 7, 45)
        clock.stamp(decided, (MentorEnrollment, enrollment.id, {"decided_at": decided}))


def _add_pups(
    clock: Clock, program: Program, coordinator: User, plans: list[PupPlan]
) -> list[Mentee]:
    """The coordinator enters each child from the signed consent form."""
    added = []
    for plan in plans:
        rng = clock.rng("pup", plan.number)
        if plan.later:
            low = max(3, 1)
            high = min(20, (clock.today - clock.staff_day).days - 1)
            day = clock.school_day(clock.today - timedelta(days=rng.randint(low, high)))
        else:
            day = clock.school_day(clock.staff_day - timedelta(days=rng.randint(4, 12)))
        consent = day - timedelta(days=rng.randint(1, 6))
        draft = _with_consent(plan.draft, consent)
        mentee = services.add_mentee(program.id, coordinator, draft)
        clock.stamp(clock.at(day, 7, rng.randint(20, 55)), (Mentee, mentee.id, {}))
        added.append(mentee)
    return added


def _with_consent(draft: services.MenteeDraft, consent: date) -> services.MenteeDraft:
    """A draft with the day the guardian signed."""
    values = dict(draft.__dict__)
    values["guardian_consent_on"] = consent
    return services.MenteeDraft(**values)


def _match_day(clock: Clock, program: Program, cast: Cast, pups: list[Mentee]) -> list[Pairing]:
    """Run matching after the activity day; the staff meeting approves, with two changes.

    Kaylee (the mentor account) keeps her proposal, or, when the run gave her none, is
    paired by hand with a Pup she clicked with at the activity day. One proposal is turned
    down with a reason; every other proposal is approved.
    """
    run_day = clock.school_day(clock.staff_day - timedelta(days=2))
    run = services.run_matching(program.id, cast.coordinator)
    stamped = clock.at(run_day, 16, 10)
    clock.stamp(
        stamped,
        (MatchingRun, run.id, {}),
        *_proposal_rows(run.id, {}),
    )
    meeting = clock.at(clock.staff_day, 7, 30)
    proposals = services.pairings_of(program.id, PairStatus.PROPOSED)
    mentor_enrollment = services.enrollment_for(cast.mentor, program.id)
    if not any(p.mentor_id == mentor_enrollment.id for p in proposals):
        for proposal in sorted(proposals, key=lambda p: (p.score or 0, p.id)):
            try:
                services.pair_by_hand(
                    program.id, cast.coordinator, mentor_enrollment.id, proposal.mentee_id
                )
            except (services.NeedsConfirmation, services.PairingForbidden, services.MentorFull):
                continue
            break
    left = services.pairings_of(program.id, PairStatus.PROPOSED)
    others = [p for p in left if p.mentor_id != mentor_enrollment.id]
    if len(others) > 3:
        services.reject_pairing(others[-1].id, cast.coordinator, REJECT_REASON)
    services.approve_all(program.id, cast.coordinator)
    pairs = services.pairings_of(program.id, PairStatus.ACTIVE)
    db.session.execute(
        update(Pairing)
        .where(Pairing.program_id == program.id, Pairing.status == PairStatus.REJECTED)
        .values(decided_at=meeting)
        .execution_options(synchronize_session=False)
    )
    clock.stamp(
        meeting,
        *(
            (Pairing, pair.id, {"decided_at": meeting, "started_on": clock.staff_day})
            for pair in pairs
            if pair.matching_run_id is None  # made by hand at the meeting
        ),
        *(
            (Pairing, pair.id, {"decided_at": meeting, "started_on": clock.staff_day})
            for pair in pairs
            if pair.matching_run_id is not None
        ),
    )
    # proposals keep the run's moment; decisions were the staff meeting's
    db.session.execute(
        update(Pairing)
        .where(Pairing.matching_run_id == run.id)
        .values(created_at=stamped)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return services.pairings_of(program.id, PairStatus.ACTIVE)


def _proposal_rows(run_id: int, values: dict) -> list[tuple[type, int, dict]]:
    """The pairings one matching run proposed, for stamping."""
    ids = db.session.scalars(select(Pairing.id).where(Pairing.matching_run_id == run_id))
    return [(Pairing, pair_id, values) for pair_id in ids]


@dataclass(order=True)
class Step:
    """One thing that happens on the way from the staff meeting to today."""

    moment: datetime
    order: int
    action: Callable[[], None]


def _weeks(
    clock: Clock,
    program: Program,
    cast: Cast,
    pairs: list[Pairing],
    later: list[PupPlan],
    say: Echo,
) -> dict[str, int]:
    """Weekly meetings, check-ins, the Wolf Den, a closed match, referrals, a second run."""
    counts = {"meetings": 0, "check_ins": 0, "den_wolves": 0, "den_pups": 0}
    today, staff = clock.today, clock.staff_day
    steps: list[Step] = []

    def add(moment: datetime, action: Callable[[], None]) -> None:
        steps.append(Step(moment, len(steps), action))

    mentor_enrollment = services.enrollment_for(cast.mentor, program.id)
    theirs = next(p for p in pairs if p.mentor_id == mentor_enrollment.id)
    rng = clock.rng("weeks")
    others = [p for p in pairs if p.id != theirs.id]
    picked = rng.sample(others, min(len(others), OVERDUE_PAIRS + 1))
    overdue, closing = picked[:OVERDUE_PAIRS], picked[OVERDUE_PAIRS:]
    closed_on = clock.school_day(today - timedelta(days=12))
    den_day = clock.school_day(_last_weekday(today - timedelta(days=13), 3))

    for pair in pairs:
        pair_rng = clock.rng("pair", pair.mentee_id)
        weekday, slot = _meeting_slot(pair, pair_rng)
        place = pair_rng.choice(PLACES)
        plan_at = clock.at(staff, 12, pair_rng.randint(0, 50))
        add(plan_at, _plan_step(clock, pair, slot, place, cast.coordinator))
        last = today - timedelta(days=1)
        skip = 0.25 if pair.id == theirs.id else 0.12
        if pair in overdue:
            last = today - timedelta(days=pair_rng.randint(10, 16))
        if pair in closing:
            last = closed_on - timedelta(days=1)
        days = [
            d
            for d in _days(staff + timedelta(days=1), last)
            if d.weekday() == weekday and not no_school(d)
        ]
        for number, day in enumerate(days):
            if number < len(days) - 1 and pair_rng.random() < skip:
                continue
            draft = _meeting(pair, day, pair_rng)
            by_mentor = pair_rng.random() < 0.92
            actor = pair.mentor.user if by_mentor else cast.coordinator
            if not by_mentor:
                draft = services.MeetingDraft(draft.met_on, draft.minutes, draft.activity, "")
            logged = clock.at(day, 16, pair_rng.randint(5, 55))
            add(logged, _meeting_step(clock, pair, actor, draft, logged, counts))
        if pair in closing:
            continue
        for who, chance, (early, late) in (
            (CheckInWith.MENTOR, 0.6, (8, 24)),
            (CheckInWith.GUARDIAN, 0.5, (10, 26)),
            (CheckInWith.MENTEE, 0.35, (6, 22)),
        ):
            done = pair.id == theirs.id and who != CheckInWith.MENTEE
            if not done and pair_rng.random() >= chance:
                continue
            back = min(late, (today - staff).days - 1)
            day = clock.school_day(today - timedelta(days=pair_rng.randint(min(early, back), back)))
            day = max(day, staff)
            note = pair_rng.choice(CHECK_IN_NOTES[who])
            add(
                clock.at(day, 12 if who == CheckInWith.MENTEE else 19, pair_rng.randint(0, 50)),
                _check_in_step(clock, pair, cast.coordinator, who, day, note, counts),
            )

    add(
        clock.at(den_day, 18, 40),
        _den_step(clock, program, cast, pairs, theirs, den_day, counts),
    )
    for pair in closing:
        add(clock.at(closed_on, 8, 30), _close_step(clock, pair, cast.coordinator, closed_on))
    for plan in later:
        pup_rng = clock.rng("pup", plan.number)
        high = max(3, min(20, (today - staff).days - 1))
        day = clock.school_day(today - timedelta(days=pup_rng.randint(3, high)))
        add(clock.at(day, 7, pup_rng.randint(20, 55)), _pup_step(clock, program, cast, plan, day))
    run_day = clock.school_day(today - timedelta(days=2))
    add(clock.at(run_day, 15, 45), _run_step(clock, program, cast.coordinator))

    steps.sort()
    for done, step in enumerate(steps, start=1):
        step.action()
        if done % 40 == 0 or done == len(steps):
            say(f"Writing the {PROGRAM_NAME} weeks ... {done}/{len(steps)}")
    return counts


def _days(first: date, last: date) -> list[date]:
    """Every day from `first` to `last`, both included."""
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def _last_weekday(day: date, weekday: int) -> date:
    """The latest `weekday` (0 = Monday) on or before `day`."""
    return day - timedelta(days=(day.weekday() - weekday) % 7)


_DAY_INDEX = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4}


def _meeting_slot(pair: Pairing, rng: random.Random) -> tuple[int, str]:
    """The weekly time a pair meets: one they are both free."""
    shared = sorted(pair.mentor.slot_set & pair.mentee.slot_set) or sorted(pair.mentor.slot_set)
    slot = rng.choice(shared)
    return _DAY_INDEX[slot.split("-")[0]], slot


def _meeting(pair: Pairing, day: date, rng: random.Random) -> services.MeetingDraft:
    """What they did, mostly something they both like."""
    shared = sorted(pair.mentor.interest_set & pair.mentee.interest_set)
    ideas = [a for interest in shared for a in ACTIVITIES[interest]] or list(ANY_ACTIVITY)
    if rng.random() < 0.2:
        ideas = list(ANY_ACTIVITY)
    notes = ""
    if rng.random() < 0.3:
        notes = rng.choice(MEETING_NOTES).format(pup=pair.mentee.first_name)
    return services.MeetingDraft(
        met_on=day, minutes=rng.choice((30, 40, 45, 45, 50, 60)), activity=rng.choice(ideas),
        notes=notes,
    )


def _plan_step(clock: Clock, pair: Pairing, slot: str, place: str, coordinator: User):
    """The coordinator writes down when and where the pair meets."""
    day = DAY_WORDS[slot.split("-")[0]]

    def step() -> None:
        services.set_meeting_plan(pair.id, coordinator, f"{day}, 3:15 to 4:00 pm", place)
        clock.stamp(clock.at(clock.staff_day, 12, 55))

    return step


def _meeting_step(clock, pair, actor, draft, logged, counts):
    """A Wolf (now and then the coordinator) logs a meeting that evening."""

    def step() -> None:
        meeting = services.log_meeting(pair.id, actor, draft)
        clock.stamp(logged, (Meeting, meeting.id, {}))
        counts["meetings"] += 1

    return step


def _check_in_step(clock, pair, coordinator, who, day, note, counts):
    """The coordinator checks in with the Wolf, the Pup or the guardian."""
    guardian = pair.mentee.guardian_name.split(" ", 1)[0]
    text = note.format(
        wolf=pair.mentor.user.first_name,
        pup=pair.mentee.first_name,
        guardian=guardian,
        teacher=pair.mentee.teacher or "the teacher",
    )

    def step() -> None:
        check_in = services.log_check_in(pair.id, coordinator, who, day, text)
        clock.stamp(clock.at(day, 19, 0), (CheckIn, check_in.id, {}))
        counts["check_ins"] += 1

    return step


def _den_step(clock, program, cast, pairs, theirs, day, counts):
    """A Wolf Den dinner: most pairs come, Kaylee and her Pup among them."""
    rng = clock.rng("wolf-den")

    def step() -> None:
        event = services.create_event(
            program.id,
            cast.coordinator,
            services.EventDraft(WOLF_DEN, day, WOLF_DEN_MINUTES, WOLF_DEN_PLACE),
        )
        wolves, pups = set(), set()
        for pair in pairs:
            if pair.id == theirs.id or rng.random() < 0.75:
                wolves.add(pair.mentor_id)
                if pair.id == theirs.id or rng.random() < 0.9:
                    pups.add(pair.mentee_id)
        services.record_attendance(event.id, cast.coordinator, wolves, pups)
        clock.stamp(clock.at(day, 19, 30), (GroupEvent, event.id, {}))
        counts["den_wolves"], counts["den_pups"] = len(wolves), len(pups)

    return step


def _close_step(clock, pair, coordinator, day):
    """A family moves away: the match closes and the Pup leaves the program."""
    notes = CLOSE_NOTES.format(wolf=pair.mentor.user.first_name, pup=pair.mentee.first_name)

    def step() -> None:
        services.close_pairing(pair.id, coordinator, CloseReason.MOVED, notes, mentee_leaves=True)
        clock.stamp(clock.at(day, 8, 30), (Pairing, pair.id, {"closed_on": day}))
        # the stamp above also moved created_at; put it back to the run's moment
        db.session.execute(
            update(Pairing)
            .where(Pairing.id == pair.id)
            .values(created_at=pair.created_at)
            .execution_options(synchronize_session=False)
        )
        db.session.commit()

    return step


def _pup_step(clock, program, cast, plan, day):
    """A child referred since the activity day joins the waiting Pups."""
    consent = day - timedelta(days=clock.rng("pup", plan.number, "consent").randint(1, 6))

    def step() -> None:
        mentee = services.add_mentee(program.id, cast.coordinator, _with_consent(plan.draft, consent))
        clock.stamp(clock.at(day, 7, 40), (Mentee, mentee.id, {}))

    return step


def _run_step(clock, program, coordinator):
    """Two days ago the coordinator ran matching again; its proposals wait for review."""

    def step() -> None:
        run = services.run_matching(program.id, coordinator)
        clock.stamp(
            clock.at(clock.school_day(clock.today - timedelta(days=2)), 15, 45),
            (MatchingRun, run.id, {}),
            *_proposal_rows(run.id, {}),
        )

    return step


def _report(program: Program, mentor: User, say: Echo) -> None:
    """Say what the coordinator and the mentor account will find."""
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
        hours = reports.service_minutes([enrollment.id])[enrollment.id]
        say(
            f"{mentor.display_name} (the mentor account) mentors {pair.mentee.display_name}: "
            f"{round(sum(hours) / 60, 1)} service hours so far."
        )


__all__ = ["DomainError", "load_mentoring_demo"]
