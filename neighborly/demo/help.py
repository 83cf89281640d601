"""Bringing a community to life: callers, volunteer profiles, requests with history."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from sqlalchemy import func, select

from neighborly.accounts.models import Membership, Role, User
from neighborly.demo.accounts import Echo, batches
from neighborly.demo.data.help import CALLER, NEAR_ME_AT_LEAST, REQUEST_BATCH
from neighborly.demo.data.people import (
    DEMO_RESIDENT_EMAIL,
    DEMO_VOLUNTEER_EMAIL,
    OLDER,
    RESIDENT,
    TAGS,
    VOLUNTEER,
)
from neighborly.demo.data.places import CALLER_KNOWN_FOR, DEMO_CALLERS, DemoCaller
from neighborly.demo.people import (
    account_home,
    ask_weights,
    caller_home,
    demo_volunteer_draft,
    person_home,
    volunteer_draft,
    waits_for_verification,
)
from neighborly.demo.standing import give_this_weeks, tell_standing
from neighborly.demo.stories import Asker, Cast, Helper, Stories, draw
from neighborly.extensions import db
from neighborly.geo.cells import haversine_km
from neighborly.help_requests.models import (
    Category,
    HelpRequest,
    Status,
    VolunteerProfile,
)
from neighborly.help_requests.services import (
    ProfileDraft,
    accept_request,
    complete_request,
    confirm_request,
    near_me,
    post_request,
    save_volunteer_profile,
    verify_volunteer,
)


def bring_to_life(cast: Cast, say: Echo) -> None:
    """Callers, volunteer profiles, requests with their history, and a full Near-me list."""
    callers = _ensure_callers(cast, say)
    _ensure_profiles(cast, say)
    stories = Stories(cast, _helpers(cast.community.id))
    askers = _askers(cast, callers)
    _ensure_requests(cast, stories, askers, say)
    volunteer = cast.account(DEMO_VOLUNTEER_EMAIL, Role.VOLUNTEER)
    if volunteer is not None:
        _top_up_near_me(cast, stories, volunteer[1], askers, say)


def _ensure_callers(cast: Cast, say: Echo) -> list[tuple[DemoCaller, User]]:
    """The community's phone-in residents: no email, no password, found again by phone."""
    found = []
    for caller in DEMO_CALLERS:
        if caller.community_slug != cast.area.slug:
            continue
        user = db.session.scalar(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(
                Membership.community_id == cast.community.id,
                Membership.role == Role.RESIDENT,
                User.email.is_(None),
                User.phone == caller.resident.phone,
            )
            .limit(1)
        )
        if user is None:
            known_since = cast.now - CALLER_KNOWN_FOR
            user = User(
                email=None,
                password_hash=None,
                first_name=caller.resident.first_name,
                last_name=caller.resident.last_name,
                phone=caller.resident.phone,
                locale=caller.locale,
                created_at=known_since,
            )
            db.session.add(user)
            db.session.add(
                Membership(
                    user=user, community=cast.community, role=Role.RESIDENT, created_at=known_since
                )
            )
            db.session.flush()
            say(f"Added {user.display_name}, who asks for help by phone, to {cast.area.name}.")
        found.append((caller, user))
    db.session.commit()
    return found


def _ensure_profiles(cast: Cast, say: Echo) -> None:
    """Give every demo volunteer without one a profile; most are verified by the coordinator."""
    entries: list[tuple[User, ProfileDraft, bool, str]] = []
    volunteer = cast.account(DEMO_VOLUNTEER_EMAIL, Role.VOLUNTEER)
    if volunteer is not None:
        account, user = volunteer
        entries.append((user, demo_volunteer_draft(account_home(account)), False, "account"))
    for person, user in cast.volunteers:
        draft = volunteer_draft(person, person_home(person, cast.seed), cast.seed)
        entries.append((user, draft, waits_for_verification(person), f"v{person.index}"))
    have = set(
        db.session.scalars(
            select(VolunteerProfile.user_id).where(
                VolunteerProfile.community_id == cast.community.id
            )
        )
    )
    new = [entry for entry in entries if entry[0].id not in have]
    if not new:
        if entries:
            say(f"Every demo volunteer in {cast.area.name} has a profile already.")
        return
    for user, draft, waiting, key in new:
        signed_up, verified_at = _profile_times(cast, user, waiting, key)
        profile = save_volunteer_profile(user, cast.community, draft, now=signed_up)
        if verified_at is not None:
            verify_volunteer(profile.id, cast.coordinator, now=verified_at)
    waiting = sum(entry[2] for entry in new)
    say(
        f"Volunteer profiles in {cast.area.name}: {len(new)} new, {len(new) - waiting} "
        f"verified by the coordinator, {waiting} waiting to be verified."
    )


def _profile_times(
    cast: Cast, user: User, waiting: bool, key: str
) -> tuple[datetime, datetime | None]:
    """When a volunteer signed up and, unless still waiting, when the coordinator verified them."""
    rng, now = cast.rng(key, "signed-up"), cast.now
    if waiting:  # signed up in the last few days
        signed_up = now - timedelta(hours=rng.uniform(6, 120))
    else:
        signed_up = now - timedelta(days=rng.uniform(60, 400))
    signed_up = min(max(signed_up, user.created_at + timedelta(days=1)), now - timedelta(hours=3))
    if waiting:
        return signed_up, None
    return signed_up, min(signed_up + timedelta(hours=rng.uniform(4, 96)), now - timedelta(hours=1))


def _helpers(community_id: int) -> list[Helper]:
    """The community's verified volunteers who accept requests, with what they hold now."""
    load = dict(
        db.session.execute(
            select(HelpRequest.volunteer_id, func.count(HelpRequest.id))
            .where(HelpRequest.community_id == community_id, HelpRequest.status == Status.ACCEPTED)
            .group_by(HelpRequest.volunteer_id)
        ).all()
    )
    rows = db.session.execute(
        select(VolunteerProfile, User.first_name)
        .join(User, User.id == VolunteerProfile.user_id)
        .where(
            VolunteerProfile.community_id == community_id,
            VolunteerProfile.verified_at.is_not(None),
            VolunteerProfile.accepting.is_(True),
        )
        .order_by(VolunteerProfile.id)
    ).all()
    return [
        Helper(
            user_id=profile.user_id,
            first_name=first_name,
            lat=profile.home_lat,
            lng=profile.home_lng,
            radius_km=profile.radius_km,
            categories=profile.category_set,
            slots=profile.slot_set,
            capacity=profile.capacity,
            verified_at=profile.verified_at,
            load=load.get(profile.user_id, 0),
            held=load.get(profile.user_id, 0),
        )
        for profile, first_name in rows
    ]


def _askers(cast: Cast, callers: list[tuple[DemoCaller, User]]) -> list[Asker]:
    """Everyone who asks: the resident account first, then callers, residents, volunteers."""
    askers = []
    resident = cast.account(DEMO_RESIDENT_EMAIL, Role.RESIDENT)
    if resident is not None:
        account, user = resident
        askers.append(
            Asker(user, account_home(account), account.locale, OLDER, "account", RESIDENT)
        )
    for caller, user in callers:
        askers.append(
            Asker(
                user,
                caller_home(caller),
                caller.locale,
                OLDER,
                f"caller{user.phone}",
                CALLER,
                created_by=cast.coordinator,
                intake_notes=caller.resident.notes,
            )
        )
    asking_volunteers = [pair for pair in cast.volunteers if pair[0].also_resident]
    for person, user in cast.residents + asking_volunteers:
        askers.append(
            Asker(
                user,
                person_home(person, cast.seed),
                person.locale,
                person.age_group,
                f"{TAGS[person.kind]}{person.index}",
                RESIDENT if person.kind == RESIDENT else VOLUNTEER,
            )
        )
    return askers


def _ensure_requests(cast: Cast, stories: Stories, askers: list[Asker], say: Echo) -> None:
    """Write each neighbour's requests once: in the run that creates them.

    A person gets their requests and history in the run that creates them, or, in a
    community with no help requests at all (a database loaded before the demo wrote any),
    in this run. So a second run adds nothing, and a top-up adds stories for new people only.
    """
    fresh_community = (
        db.session.scalar(
            select(func.count(HelpRequest.id)).where(HelpRequest.community_id == cast.community.id)
        )
        == 0
    )
    fresh = [a for a in askers if fresh_community or a.user.id >= cast.first_new_user_id]
    volunteer = cast.account(DEMO_VOLUNTEER_EMAIL, Role.VOLUNTEER)
    for asker in fresh:
        rng = cast.rng(asker.key, "asks")
        if asker.key == "account" and volunteer is not None:
            stories.demo_resident_story(asker, rng, volunteer[1].id)
        else:
            stories.story(asker, rng)
    rows, stories.rows = stories.rows, []
    standing, stories.standing = stories.standing, []
    told = tell_standing(cast, standing, say)
    if not rows:
        give_this_weeks(cast, told)
        say(f"{cast.area.name}: no new neighbours, so no new help requests.")
        return
    _tell_requests(cast, rows, say)
    give_this_weeks(cast, told)
    statuses = Counter(row["status"] for row in rows)
    pairs = Counter(
        (row["helper"].user_id, row["asker"].user.id)
        for row in rows
        if row["status"] in (Status.COMPLETED, Status.CONFIRMED)
    )
    neighbours = len({row["asker"].user.id for row in rows})
    say(
        f"{cast.area.name}: {len(rows)} help requests from {neighbours}"
        f" neighbours: {statuses[Status.OPEN]} open, {statuses[Status.ACCEPTED]} with a helper "
        f"on the way, {statuses[Status.COMPLETED] + statuses[Status.CONFIRMED]} done "
        f"({sum(1 for r in rows if r['thank_you_note'])} thank-you notes); "
        f"{sum(1 for n in pairs.values() if n >= 3)} volunteers help the same neighbour "
        f"week after week."
    )


def _tell_requests(cast: Cast, rows: list[dict], say: Echo) -> None:
    """Tell each request's story through the services, past ones first, with progress.

    Finished help is told before what is under way, so a volunteer's capacity counts only
    the requests they hold now, as it did at each moment of the story.
    """
    finished = (Status.COMPLETED, Status.CONFIRMED)
    order = sorted(rows, key=lambda row: (row["status"] not in finished, row["created_at"]))
    for done, batch in batches(order, REQUEST_BATCH):
        for row in batch:
            _tell_request(cast, row)
        say(f"Posting help requests in {cast.area.name} ... {done}/{len(rows)}")


def _tell_request(cast: Cast, row: dict) -> None:
    """Post one request and, as its story says, accept, complete and confirm it, each in time."""
    asker = row["asker"]
    request = post_request(
        cast.community,
        asker.user,
        row["draft"],
        created_by=asker.created_by,
        intake_notes=asker.intake_notes,
        now=row["created_at"],
    )
    if row["helper"] is None:
        return
    helper = db.session.get(User, row["helper"].user_id)
    accept_request(request.id, helper, now=row["accepted_at"])
    if row["completed_at"] is None:
        return
    complete_request(request.id, helper, row["minutes_spent"], now=row["completed_at"])
    if row["confirmed_at"] is not None:
        confirmer = asker.created_by or asker.user
        confirm_request(request.id, confirmer, row["thank_you_note"], now=row["confirmed_at"])


def _top_up_near_me(
    cast: Cast, stories: Stories, volunteer: User, askers: list[Asker], say: Echo
) -> None:
    """Make sure the volunteer account finds open requests near them.

    When their Near-me list is short (a small demo, or requests since taken or expired),
    the nearest neighbours with no open request the volunteer could take post one. Right
    after a run the list is full, so running again adds nothing.
    """
    profile = db.session.scalar(
        select(VolunteerProfile).where(
            VolunteerProfile.user_id == volunteer.id,
            VolunteerProfile.community_id == cast.community.id,
        )
    )
    if profile is None:
        return
    missing = NEAR_ME_AT_LEAST - len(near_me(volunteer, cast.community, now=cast.now))
    weights = {
        category: weight
        for category, weight in ask_weights(stories.today.month).items()
        if category.value in profile.category_set and category != Category.BINS
    }
    if missing > 0 and any(weights.values()):
        asking = set(
            db.session.scalars(
                select(HelpRequest.requester_id).where(
                    HelpRequest.community_id == cast.community.id,
                    HelpRequest.status == Status.OPEN,
                    HelpRequest.category.in_(sorted(profile.category_set)),
                )
            )
        )
        nearby = sorted(
            (haversine_km(profile.home_lat, profile.home_lng, a.home.lat, a.home.lng), a.key, a)
            for a in askers
            if a.user.id != volunteer.id and a.user.id not in asking
        )
        for km, _key, asker in nearby[:missing]:
            if km > profile.radius_km * 0.9:
                break
            rng = cast.rng(asker.key, "near-me")
            stories.open_request(asker, draw(weights, 1, rng)[0], rng, may_be_taken=False)
        rows, stories.rows = stories.rows, []
        if rows:
            _tell_requests(cast, rows, say)
    found = len(near_me(volunteer, cast.community, now=cast.now))
    say(
        f"{volunteer.display_name} finds {found} open requests within "
        f"{profile.radius_km:g} km of ZIP {profile.home_postal_code} (Near me)."
    )
