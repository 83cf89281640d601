"""Loading the demo's accounts, communities and people."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import timedelta

from sqlalchemy import select

from neighborly.accounts.models import Community, Membership, User
from neighborly.accounts.passwords import hash_password, verify_password
from neighborly.accounts.services import (
    Registration,
    create_community,
    create_confirmed_user,
    find_user_by_email,
)
from neighborly.demo.data.people import (
    ACCOUNT_AGE,
    BATCH_SIZE,
    PERSON_EMAIL,
    TAGS,
    DemoAccount,
    DemoArea,
)
from neighborly.demo.people import DemoPerson, area_centre, demo_person
from neighborly.extensions import db
from neighborly.timeutil import utcnow

Echo = Callable[[str], object]
Account = tuple[str, str, str]  # (role label, email, password)


def ensure_account(account: DemoAccount, password: str, say: Echo) -> User:
    """Create a demo account, or give the existing one its demo password back."""
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
            now=utcnow() - ACCOUNT_AGE,
        )
        say(f"Created the {account.label} account {account.email}.")
    else:
        if not verify_password(user.password_hash, password):
            # Someone changed it while trying the demo: the printed password works again.
            user.password_hash = hash_password(password)
            user.session_version += 1
        user.is_active_account = True
        user.is_site_admin = user.is_site_admin or account.is_site_admin
        user.email_confirmed_at = user.email_confirmed_at or utcnow()
        say(f"The {account.label} account {account.email} exists: its demo password works.")
    db.session.commit()
    return user


def ensure_community(area: DemoArea, admin: User, say: Echo) -> Community:
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
        now=admin.created_at,
        description=area.description,
        towns=", ".join(dict.fromkeys(town.name for town in area.towns)),
        distance_unit=area.distance_unit,
    )
    say(f"Created {area.name} ({', '.join(area.postal_codes)}).")
    return community


def existing_people(area: DemoArea, kind: str) -> dict[int, User]:
    """The demo people of one kind already in the database, by their number."""
    users = db.session.scalars(select(User).where(User.email.like(f"%@{area.email_domain}")))
    found: dict[int, User] = {}
    for user in users:
        match = PERSON_EMAIL.search(user.email)
        if match and match["tag"] == TAGS[kind] and match["slug"] == area.slug:
            found[int(match["index"])] = user
    return found


def ensure_people(
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
        for done, batch in batches(missing, BATCH_SIZE):
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


def batches(items: list, size: int) -> Iterable[tuple[int, list]]:
    """Split a list into chunks, each with how many items are done after it."""
    for start in range(0, len(items), size):
        chunk = items[start : start + size]
        yield start + len(chunk), chunk
