"""Demo mentoring: Algoma's "Wolves and Pups", loaded through the mentoring services.

`load_mentoring_demo` is called by `neighborly.demo.load_demo` once the Algoma people
exist. It tells the program's story the way a coordinator would live it, one service call
at a time (create the program, Wolves apply, screening and approval, Pups entered from
consent forms, the matching run after the "speed dating" activity day, the staff meeting
that approves the matches, weekly meetings, check-ins, a Wolf Den dinner, a match that
ends, new referrals, a second matching run), each service told the moment in the past
when the story says it happened (its `now`), so no row is re-dated afterwards:

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

from datetime import timedelta

from sqlalchemy import select

from neighborly.demo.accounts import Echo
from neighborly.demo.data.wolves import (
    ELEMENTARY,
    FIRST_PUPS,
    HIGH_SCHOOL,
    LATER_PUPS,
    PROGRAM_NAME,
)
from neighborly.demo.mentoring_start import (
    Clock,
    add_first_pups,
    enrol,
    make_matches,
    recruit,
    start_program,
)
from neighborly.demo.mentoring_weeks import say_where_things_stand, tell_the_weeks
from neighborly.demo.wolves import (
    Setting,
    pup_plan,
)
from neighborly.extensions import db
from neighborly.mentoring.models import (
    Program,
)

# --------------------------------------------------------------------------- the clock


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
    program = start_program(clock, setting.coordinator)
    wolves, recruited = recruit(clock, setting)
    enrol(clock, program, setting, wolves)
    say(
        f"{PROGRAM_NAME}: {len(wolves) + 1} Wolves from {HIGH_SCHOOL} applied "
        f"({recruited} joined Neighborly only to mentor); "
        f"{setting.coordinator.display_name} coordinates."
    )
    pups = [pup_plan(n, setting) for n in range(FIRST_PUPS + LATER_PUPS)]
    first = [p for p in pups if not p.later]
    add_first_pups(clock, program.id, setting.coordinator, first)
    pairs = make_matches(clock, program, setting)
    say(
        f"{PROGRAM_NAME}: {len(first)} Pups from {ELEMENTARY} met the Wolves at the activity "
        f"day on {clock.staff_day - timedelta(days=2):%b %d}; the staff meeting made "
        f"{len(pairs)} matches."
    )
    done = tell_the_weeks(clock, program, setting, pairs, [p for p in pups if p.later], say)
    say(
        f"{PROGRAM_NAME}: {done.meetings} meetings logged, {done.check_ins} check-ins, a Wolf "
        f"Den dinner with {done.den_wolves} Wolves and {done.den_pups} Pups, a match closed "
        f"when a family moved, {LATER_PUPS} Pups referred since, matching run again."
    )
    db.session.commit()
    say_where_things_stand(program, setting.mentor, say)
    return program
