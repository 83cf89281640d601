"""The Wolves and Pups story's data: numbers, names, notes, places."""

from __future__ import annotations

from neighborly.mentoring.models import (
    CheckInWith,
)

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

MENTORING_HISTORY_DAYS = 49  # from the staff meeting that made the matches to today, at most
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
