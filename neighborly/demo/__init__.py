"""Demo data: the two communities Neighborly was imagined for, one account per role, and
realistic residents and volunteers spread over their real ZIP codes.

`load_demo` is what `flask --app neighborly demo` runs. It is safe to run again:

- communities are found by slug and created only when missing;
- the role accounts (site admin, coordinators, residents (one Spanish-speaking), volunteer,
  mentor) are created when missing; their passwords derive from their emails, so every run
  prints the same ones, and a password changed while trying the demo is put back (which
  also signs the account's old sessions out);
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

Algoma runs the Wolves and Pups mentoring program (`neighborly.demo.mentoring`), told
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

import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import event, func, select

from neighborly.accounts.models import Community, User
from neighborly.accounts.passwords import hash_password
from neighborly.accounts.services import grant_role
from neighborly.demo.accounts import (
    Account,
    Echo,
    ensure_account,
    ensure_community,
    ensure_people,
)
from neighborly.demo.data.people import (
    ALGOMA,
    AREAS,
    DEMO_ACCOUNTS,
    PROVISO,
    RESIDENT,
    TEEN,
    VOLUNTEER,
)
from neighborly.demo.help import Cast, bring_to_life
from neighborly.demo.mentoring import load_mentoring_demo
from neighborly.demo.people import DemoPerson, demo_password, split_counts
from neighborly.demo.snow import remember_a_snow_day
from neighborly.demo.wolves import Setting
from neighborly.extensions import db
from neighborly.timeutil import utcnow

STEPS = 2 + 3 * len(AREAS)  # accounts; people of two kinds and life per area; mentoring


def load_demo(
    residents: int = 120,
    volunteers: int = 60,
    seed: int = 7,
    echo: Echo | None = None,
    mentoring: bool = True,
    advance: Callable[[], object] | None = None,
) -> list[Account]:
    """Load (or top up) the demo; return (role label, email, password) for each demo account.

    `residents` and `volunteers` are totals over both communities (see `split_counts`).
    `mentoring=False` leaves out Algoma's Wolves and Pups program (about a second of
    service calls), for tests about the rest of the demo. `advance` is called after each of
    the `STEPS` steps (the command's progress bar).
    """
    with _commits_without_waiting_for_the_disk():
        return _load(residents, volunteers, seed, echo, mentoring, advance)


@contextmanager
def _commits_without_waiting_for_the_disk() -> Iterator[None]:
    """On SQLite, while the demo loads, commit with synchronous=NORMAL (one fsync less each).

    In WAL mode (see neighborly.setup) NORMAL keeps the database consistent; a power cut
    could lose the last commits, which running the demo again puts back. The demo's
    thousands of small commits load in about two thirds of the time. Each connection gets
    its own setting back when returned to the pool.
    """
    engine = db.engine
    if engine.dialect.name != "sqlite":
        yield
        return

    def normal(dbapi_connection, record, _proxy) -> None:
        before = dbapi_connection.execute("PRAGMA synchronous").fetchone()[0]
        record.info.setdefault("demo_synchronous", before)
        dbapi_connection.execute("PRAGMA synchronous=NORMAL")

    def restore(dbapi_connection, record) -> None:
        if (before := record.info.pop("demo_synchronous", None)) is not None:
            dbapi_connection.execute(f"PRAGMA synchronous={int(before)}")

    event.listen(engine, "checkout", normal)
    event.listen(engine, "checkin", restore)
    try:
        yield
    finally:
        event.remove(engine, "checkout", normal)
        event.remove(engine, "checkin", restore)


def _load(
    residents: int,
    volunteers: int,
    seed: int,
    echo: Echo | None,
    mentoring: bool,
    advance: Callable[[], object] | None,
) -> list[Account]:
    """The demo's steps, in order (see `load_demo`)."""
    say = echo or (lambda _message: None)
    step = advance or (lambda: None)
    now = utcnow()
    first_new_user_id = (db.session.scalar(select(func.max(User.id))) or 0) + 1
    passwords = {account.email: demo_password(account.email) for account in DEMO_ACCOUNTS}
    admin = ensure_account(DEMO_ACCOUNTS[0], passwords[DEMO_ACCOUNTS[0].email], say)
    communities = {area.slug: ensure_community(area, admin, say) for area in AREAS}
    accounts = {admin.email: admin}
    for account in DEMO_ACCOUNTS[1:]:
        user = accounts[account.email] = ensure_account(account, passwords[account.email], say)
        for slug, role in account.roles:
            grant_role(admin, user, communities[slug], role, now=user.created_at)
    step()
    resident_counts, volunteer_counts = split_counts(residents), split_counts(volunteers)
    shared_hash = hash_password(secrets.token_urlsafe(32))
    people: dict[tuple[str, str], list[tuple[DemoPerson, User]]] = {}
    for area in AREAS:
        community = communities[area.slug]
        for kind, counts in ((RESIDENT, resident_counts), (VOLUNTEER, volunteer_counts)):
            people[area.slug, kind] = ensure_people(
                community, area, kind, counts[area.slug], seed, shared_hash, say
            )
            step()
    for area in AREAS:
        cast = Cast(
            area=area,
            community=communities[area.slug],
            accounts=accounts,
            residents=people[area.slug, RESIDENT],
            volunteers=people[area.slug, VOLUNTEER],
            first_new_user_id=first_new_user_id,
            seed=seed,
            now=now,
        )
        bring_to_life(cast, say)
        if area is PROVISO:
            remember_a_snow_day(cast, say)
        step()
    if mentoring:
        _load_wolves_and_pups(communities[ALGOMA.slug], accounts, people, seed, shared_hash, say)
    step()
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
