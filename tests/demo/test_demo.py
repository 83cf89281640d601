"""Demo data: communities, accounts, people, profiles, requests with history, re-runs, the CLI."""

from __future__ import annotations

import html
import re
from collections import Counter
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from neighborly.accounts.models import Community, Membership, Role, User
from neighborly.audit import AuditEvent
from neighborly.availability import format_codes
from neighborly.demo import load_demo
from neighborly.demo.accounts import existing_people
from neighborly.demo.data.help import ASKS, DAY_NAMES, NEAR_ME_AT_LEAST
from neighborly.demo.data.people import (
    ALGOMA,
    AREAS,
    DEMO_ACCOUNTS,
    DEMO_RESIDENT_EMAIL,
    DEMO_VOLUNTEER_EMAIL,
    PROVISO,
    RESIDENT,
    TEEN,
    VOLUNTEER,
)
from neighborly.demo.data.places import DEMO_CALLERS, STREETS
from neighborly.demo.data.wolves import PROGRAM_NAME
from neighborly.demo.people import (
    demo_people,
    demo_person,
    new_password,
    person_home,
    split_counts,
    volunteer_draft,
    zip_centroid,
)
from neighborly.demo.wolves import no_school
from neighborly.extensions import db
from neighborly.geo.cells import cell_of, haversine_km
from neighborly.help_requests import services
from neighborly.help_requests.models import Category, HelpRequest, Status, VolunteerProfile
from neighborly.mentoring import reports
from neighborly.mentoring import services as mentoring
from neighborly.mentoring.models import (
    CheckIn,
    CloseReason,
    EnrollmentStatus,
    EventAttendance,
    GroupEvent,
    Meeting,
    Mentee,
    MenteeStatus,
    MentorEnrollment,
    Pairing,
    PairStatus,
    Program,
)
from neighborly.mentoring.pairing import blocking_constraints
from neighborly.mentoring.services import proposals
from neighborly.timeutil import utcnow
from tests.conftest import wipe_tables

MAYWOOD = (41.8793, -87.8433)
ALGOMA_TOWN = (44.6089, -87.4326)
PROVISO_ZIPS = ["60153", "60104", "60160", "60155", "60130", "60162", "60154"]
PASSWORD = re.compile(r"\b[a-z]+-[a-z]+-[a-z]+-\d{4}\b")


def _community(slug: str) -> Community:
    return db.session.scalar(select(Community).where(Community.slug == slug))


def _role_count(slug: str, role: Role) -> int:
    return db.session.scalar(
        select(func.count(Membership.id))
        .join(Community, Community.id == Membership.community_id)
        .where(Community.slug == slug, Membership.role == role)
    )


def _sign_in(app, email: str, password: str):
    client = app.test_client()
    return client, client.post("/account/login", data={"email": email, "password": password})


def test_demo_creates_both_communities_on_their_real_zip_codes(app):
    load_demo(residents=6, volunteers=6, seed=1, mentoring=False)

    proviso, algoma = _community("proviso"), _community("algoma")
    assert proviso.name == "Proviso Township, Illinois"
    assert proviso.postal_code_list == PROVISO_ZIPS
    assert proviso.timezone == "America/Chicago"
    assert haversine_km(proviso.centre_lat, proviso.centre_lng, *MAYWOOD) < 4
    assert algoma.name == "Algoma, Wisconsin"
    assert algoma.postal_code_list == ["54201"]
    assert algoma.timezone == "America/Chicago"
    assert haversine_km(algoma.centre_lat, algoma.centre_lng, *ALGOMA_TOWN) < 4
    assert haversine_km(proviso.centre_lat, proviso.centre_lng, *ALGOMA_TOWN) > 250


def test_every_demo_account_signs_in_with_its_printed_password(app):
    accounts = load_demo(residents=2, volunteers=2, seed=1, mentoring=False)

    assert [label for label, _email, _pw in accounts] == [
        "site admin",
        "coordinator",
        "resident",
        "volunteer",
        "resident (Spanish)",
        "coordinator",
        "mentor",
    ]
    assert len({password for _label, _email, password in accounts}) == len(accounts)
    for _label, email, password in accounts:
        assert email.endswith(".example")
        client, response = _sign_in(app, email, password)
        assert response.status_code == 302, email
        assert "/account/login" not in response.headers["Location"]
        assert client.get("/account/profile").status_code == 200
        _other, refused = _sign_in(app, email, password + "x")
        assert "do not match an account" in refused.text

    admin_email, admin_password = accounts[0][1], accounts[0][2]
    welcomed = app.test_client().post(
        "/account/login",
        data={"email": admin_email, "password": admin_password},
        follow_redirects=True,
    )
    assert "Welcome back, Dana." in welcomed.text


def test_each_demo_account_holds_its_role(app):
    load_demo(residents=0, volunteers=0, seed=1, mentoring=False)

    users = {
        a.email: db.session.scalar(select(User).where(User.email == a.email)) for a in DEMO_ACCOUNTS
    }
    proviso, algoma = _community("proviso"), _community("algoma")
    admin = users["admin@neighborly.example"]
    assert admin.is_site_admin
    assert [u.email for u in users.values() if u.is_site_admin] == [admin.email]
    assert users["coordinator@proviso.neighborly.example"].roles_in(proviso.id) == {
        Role.COORDINATOR
    }
    assert users["resident@proviso.neighborly.example"].roles_in(proviso.id) == {Role.RESIDENT}
    assert users["volunteer@proviso.neighborly.example"].roles_in(proviso.id) == {Role.VOLUNTEER}
    # The volunteer reads English; a Spanish-speaking resident shows the Spanish site.
    assert users["volunteer@proviso.neighborly.example"].locale == "en"
    assert users["residente@proviso.neighborly.example"].locale == "es"
    assert users["residente@proviso.neighborly.example"].roles_in(proviso.id) == {Role.RESIDENT}
    assert users["coordinator@algoma.neighborly.example"].roles_in(algoma.id) == {Role.COORDINATOR}
    assert users["mentor@algoma.neighborly.example"].roles_in(algoma.id) == {Role.VOLUNTEER}
    assert users["mentor@algoma.neighborly.example"].roles_in(proviso.id) == set()


def test_demo_creates_the_requested_residents_and_volunteers(app):
    load_demo(residents=12, volunteers=7, seed=3, mentoring=False)

    assert len(existing_people(PROVISO, RESIDENT)) == split_counts(12)["proviso"] == 10
    assert len(existing_people(ALGOMA, RESIDENT)) == split_counts(12)["algoma"] == 2
    assert len(existing_people(PROVISO, VOLUNTEER)) == split_counts(7)["proviso"] == 6
    assert len(existing_people(ALGOMA, VOLUNTEER)) == split_counts(7)["algoma"] == 1
    # every volunteer volunteers; only the role accounts add to these counts
    assert _role_count("proviso", Role.VOLUNTEER) == 6 + 1
    assert _role_count("algoma", Role.VOLUNTEER) == 1 + 1
    assert _role_count("proviso", Role.COORDINATOR) == 1
    people = db.session.scalars(select(User).where(User.email.like("%.r0%"))).all()
    assert all(user.email_confirmed_at is not None for user in people)
    # the bulk people share one unusable hash, so loading them costs a single hash
    assert len({user.password_hash for user in people}) == 1


def test_bulk_people_cannot_sign_in(app):
    load_demo(residents=2, volunteers=0, seed=1, mentoring=False)
    person = existing_people(PROVISO, RESIDENT)[0]
    for guess in ("", "password", new_password()):
        _client, response = _sign_in(app, person.email, guess)
        assert response.status_code != 302


def test_volunteers_spread_over_several_proviso_zip_codes(app):
    load_demo(residents=0, volunteers=24, seed=7, mentoring=False)
    volunteers = demo_people(PROVISO, VOLUNTEER, count=split_counts(24)["proviso"], seed=7)
    loaded = existing_people(PROVISO, VOLUNTEER)
    assert sorted(u.email for u in loaded.values()) == sorted(p.email for p in volunteers)
    codes = Counter(person.postal_code for person in volunteers)
    assert set(codes) <= set(PROVISO_ZIPS)
    assert len(codes) >= 4
    assert max(codes.values()) <= 10


def test_people_reflect_the_communities():
    residents = demo_people(PROVISO, RESIDENT, count=400, seed=7)
    spanish = sum(person.locale == "es" for person in residents) / len(residents)
    older = sum(person.age_group == "older" for person in residents) / len(residents)
    melrose = [p for p in residents if p.postal_code == "60160"]
    assert 0.12 < spanish < 0.45
    assert older > 0.45
    assert sum(p.locale == "es" for p in melrose) / len(melrose) > spanish
    algoma_volunteers = demo_people(ALGOMA, VOLUNTEER, count=100, seed=7)
    assert {p.postal_code for p in algoma_volunteers} == {"54201"}
    assert sum(p.age_group == TEEN for p in algoma_volunteers) > 50
    assert any(p.also_resident for p in demo_people(PROVISO, VOLUNTEER, count=40, seed=7))


def test_people_are_repeatable_for_a_seed_and_differ_between_seeds():
    first = demo_people(PROVISO, RESIDENT, count=30, seed=7)
    assert first == demo_people(PROVISO, RESIDENT, count=30, seed=7)
    assert first[:10] == demo_people(PROVISO, RESIDENT, count=10, seed=7)
    assert first != demo_people(PROVISO, RESIDENT, count=30, seed=8)
    assert len({person.email for person in first}) == 30
    assert all(
        re.fullmatch(r"[a-z]+\.[a-z]+\.r\d{4}@proviso\.neighborly\.example", p.email) for p in first
    )


def test_running_twice_does_not_duplicate_and_keeps_the_same_passwords(app):
    first = load_demo(residents=6, volunteers=4, seed=5)
    counts = (
        db.session.scalar(select(func.count(User.id))),
        db.session.scalar(select(func.count(Membership.id))),
        db.session.scalar(select(func.count(Community.id))),
    )
    second = load_demo(residents=6, volunteers=4, seed=5)

    assert db.session.scalar(select(func.count(User.id))) == counts[0]
    assert db.session.scalar(select(func.count(Membership.id))) == counts[1]
    assert db.session.scalar(select(func.count(Community.id))) == counts[2] == 2
    assert first == second  # the same emails and the same passwords, run after run
    _client, signed_in = _sign_in(app, first[0][1], first[0][2])
    assert signed_in.status_code == 302


def test_running_again_with_larger_counts_tops_up(app):
    load_demo(residents=6, volunteers=0, seed=5, mentoring=False)
    before = {u.email for u in existing_people(PROVISO, RESIDENT).values()}
    load_demo(residents=12, volunteers=0, seed=5, mentoring=False)

    after = existing_people(PROVISO, RESIDENT)
    assert len(after) == split_counts(12)["proviso"]
    assert before <= {u.email for u in after.values()}
    fresh = [p.email for p in demo_people(PROVISO, RESIDENT, split_counts(12)["proviso"], 5)]
    assert sorted(fresh) == sorted(u.email for u in after.values())


def test_progress_is_reported(app):
    lines: list[str] = []
    load_demo(residents=60, volunteers=0, seed=2, echo=lines.append, mentoring=False)
    assert "Creating residents in Proviso Township, Illinois ... 50/50" in lines
    assert "Creating residents in Algoma, Wisconsin ... 10/10" in lines
    lines.clear()
    load_demo(residents=60, volunteers=0, seed=2, echo=lines.append, mentoring=False)
    assert "Proviso Township, Illinois exists already: topping it up." in lines
    assert not any(line.startswith("Creating") for line in lines)


def _cli_accounts(output: str) -> dict[str, str]:
    """email -> the rest of its line, from the command's account table."""
    found = {}
    for line in output.splitlines():
        match = re.match(r"\s+\S.*?\s(\S+@\S+)\s+(.*)$", line)
        if match:
            found[match[1]] = match[2]
    return found


@pytest.mark.parametrize("show", [True, False])
def test_cli_demo_prints_passwords_only_when_configured(app, monkeypatch, show):
    monkeypatch.setitem(app.config, "SHOW_DEMO_PASSWORDS", show)
    result = app.test_cli_runner().invoke(
        args=["demo", "--residents", "3", "--volunteers", "2", "--seed", "4"]
    )

    assert result.exit_code == 0, result.output
    assert "Creating residents in Proviso Township, Illinois" in result.output
    shown = _cli_accounts(result.output)
    assert set(shown) == {account.email for account in DEMO_ACCOUNTS}
    if show:
        password = shown["admin@neighborly.example"]
        assert PASSWORD.fullmatch(password)
        client, response = _sign_in(app, "admin@neighborly.example", password)
        assert response.status_code == 302
    else:
        assert set(shown.values()) == {"(hidden outside development)"}
        assert not PASSWORD.search(result.output)
    assert db.session.scalar(select(func.count(Community.id))) == 2


# --------------------------------------------------------------------------- a living demo


def _account_user(email: str) -> User:
    return db.session.scalar(select(User).where(User.email == email))


def _profiles(slug: str) -> list[VolunteerProfile]:
    return list(
        db.session.scalars(
            select(VolunteerProfile)
            .join(Community, Community.id == VolunteerProfile.community_id)
            .where(Community.slug == slug)
        )
    )


def _all_requests() -> list[HelpRequest]:
    return list(db.session.scalars(select(HelpRequest).order_by(HelpRequest.id)))


def _signed_in(app, user: User):
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
    return client


def test_every_demo_volunteer_has_a_profile_most_verified_by_their_coordinator(app):
    load_demo(residents=4, volunteers=14, seed=3, mentoring=False)

    proviso, algoma = _community("proviso"), _community("algoma")
    luis = _account_user(DEMO_VOLUNTEER_EMAIL)
    coordinators = {
        proviso.id: _account_user("coordinator@proviso.neighborly.example").id,
        algoma.id: _account_user("coordinator@algoma.neighborly.example").id,
    }
    for area in AREAS:
        volunteers = existing_people(area, VOLUNTEER)
        profiles = {p.user_id: p for p in _profiles(area.slug)}
        expected = {user.id for user in volunteers.values()}
        if area is PROVISO:
            expected.add(luis.id)
        assert set(profiles) == expected  # the mentor account is not a help volunteer
        for index, user in volunteers.items():
            person = demo_person(area, VOLUNTEER, index, seed=3)
            profile = profiles[user.id]
            assert profile.home_postal_code == person.postal_code
            centre = zip_centroid(person.postal_code)
            assert haversine_km(profile.home_lat, profile.home_lng, *centre) <= 1.51
            assert 2 <= profile.radius_km <= 5
            assert 2 <= profile.capacity <= 4
            assert 2 <= len(profile.category_set) <= 6
            assert profile.category_set <= {category.value for category in Category}
            assert profile.availability == format_codes(profile.slot_set)  # canonical slot codes
            assert len(profile.slot_set) >= 8  # two blocks of the form at least
            assert (profile.verified_at is None) == (index % 8 == 3)
            if profile.verified_at is not None:
                assert profile.verified_by_id == coordinators[profile.community_id]
                assert user.created_at < profile.created_at < profile.verified_at < utcnow()

    proviso_profiles = _profiles("proviso")
    verified = [p for p in proviso_profiles if p.verified_at is not None]
    assert len(verified) / len(proviso_profiles) > 0.8
    assert services.volunteer_profile(luis, proviso.id).verified_at is not None
    waiting = services.volunteers_awaiting_verification(proviso.id)
    bulk = existing_people(PROVISO, VOLUNTEER)
    assert {user.id for user, _profile in waiting} == {bulk[3].id, bulk[11].id}


def test_the_coordinator_sees_who_waits_to_be_verified(app):
    load_demo(residents=2, volunteers=6, seed=3, mentoring=False)
    coordinator = _account_user("coordinator@proviso.neighborly.example")
    waiting = existing_people(PROVISO, VOLUNTEER)[3]

    page = _signed_in(app, coordinator).get("/c/proviso/coordinate/requests")

    assert page.status_code == 200
    assert "Volunteers waiting to be verified" in page.text
    assert f"Verify {waiting.display_name}" in page.text


def test_the_demo_volunteer_finds_neighbours_near_me(app):
    load_demo(residents=12, volunteers=6, seed=3, mentoring=False)
    proviso = _community("proviso")
    luis, dorothy = _account_user(DEMO_VOLUNTEER_EMAIL), _account_user(DEMO_RESIDENT_EMAIL)
    profile = services.volunteer_profile(luis, proviso.id)

    rows = services.near_me(luis, proviso)

    assert len(rows) >= NEAR_ME_AT_LEAST
    assert all(row.distance_km <= profile.radius_km for row in rows)
    assert all(row.category.value in profile.category_set for row in rows)
    assert len({row.requester_name for row in rows}) >= 3
    dorothys = [row for row in rows if row.requester_name == "Dorothy J."]
    assert dorothys and "you helped Dorothy in" in " ".join(dorothys[0].reasons)
    page = _signed_in(app, luis).get("/c/proviso/near-me")
    assert page.status_code == 200
    assert dorothys[0].title in page.text
    assert all(r.requester_id != luis.id for r in services.requests_of(dorothy, proviso.id))


def test_the_demo_resident_has_an_open_request_and_a_thank_you_for_help_given(app):
    load_demo(residents=0, volunteers=4, seed=3, mentoring=False)
    proviso = _community("proviso")
    dorothy, luis = _account_user(DEMO_RESIDENT_EMAIL), _account_user(DEMO_VOLUNTEER_EMAIL)

    mine = services.requests_of(dorothy, proviso.id)

    assert any(r.status == Status.OPEN for r in mine)
    thanked = [r for r in mine if r.status == Status.CONFIRMED and r.thank_you_note]
    assert thanked
    assert all(r.volunteer_id not in (None, dorothy.id) and r.minutes_spent for r in thanked)
    assert any(r.category == Category.RIDE and "clinic" in r.thank_you_note for r in thanked)
    # Luis has her bins this week, and she is on his page
    assert [r.requester_id for r in services.assigned_to(luis, proviso.id)].count(dorothy.id) == 1
    summary = services.volunteer_summary(luis, proviso.id)
    assert dict(summary.neighbours)["Dorothy J."] >= 3
    assert summary.minutes > 0
    page = _signed_in(app, dorothy).get("/c/proviso/my-requests")
    assert "Helped by Luis H." in page.text


def test_the_same_volunteer_helps_the_same_neighbour_week_after_week(app):
    load_demo(residents=30, volunteers=12, seed=3, mentoring=False)
    zone = ZoneInfo("America/Chicago")

    done = [r for r in _all_requests() if r.status in (Status.COMPLETED, Status.CONFIRMED)]
    bins = Counter((r.volunteer_id, r.requester_id) for r in done if r.category == Category.BINS)
    regulars = [pair for pair, times in bins.items() if times >= 3]

    assert len(regulars) >= 3
    for volunteer_id, requester_id in regulars:
        visits = sorted(
            r.completed_at
            for r in done
            if (r.volunteer_id, r.requester_id) == (volunteer_id, requester_id)
            and r.category == Category.BINS
        )
        days = [visit.astimezone(zone).date() for visit in visits]
        assert len(days) >= 3
        assert all(
            (later - earlier).days % 7 == 0 for earlier, later in zip(days, days[1:], strict=False)
        )
    assert sum(1 for r in done if r.thank_you_note) > len(done) / 3


def test_requests_tell_consistent_stories(app):
    load_demo(residents=24, volunteers=10, seed=5, mentoring=False)
    now = utcnow()
    profiles = {
        (p.user_id, p.community_id): p for p in db.session.scalars(select(VolunteerProfile))
    }
    communities = {c.id: c for c in db.session.scalars(select(Community))}
    titles = {
        locale: {ask.words(locale, day=day)[0] for ask in ASKS for day in DAY_NAMES[locale]}
        for locale in ("en", "es")
    }
    requests = _all_requests()
    assert len(requests) > 30
    statuses = Counter(r.status for r in requests)
    assert statuses[Status.OPEN] and statuses[Status.ACCEPTED] and statuses[Status.CONFIRMED]
    load = Counter(r.volunteer_id for r in requests if r.status == Status.ACCEPTED)

    for r in requests:
        requester = db.session.get(User, r.requester_id)
        assert r.cell == cell_of(r.lat, r.lng)
        assert r.postal_code in communities[r.community_id].postal_code_list
        assert haversine_km(r.lat, r.lng, *zip_centroid(r.postal_code)) <= 1.51
        assert re.fullmatch(r"\d+ [A-Z][A-Za-z ]+", r.street_address)
        assert r.title in titles[requester.locale]
        assert 5 <= r.estimated_minutes <= 120
        assert requester.created_at < r.created_at < now
        moments = [r.created_at, r.accepted_at, r.completed_at, r.confirmed_at]
        reached = {
            Status.OPEN: 1,
            Status.EXPIRED: 1,  # a past snow day's request nobody could reach
            Status.ACCEPTED: 2,
            Status.COMPLETED: 3,
            Status.CONFIRMED: 4,
        }[r.status]
        assert all(m is not None for m in moments[:reached])
        assert all(m is None for m in moments[reached:])
        assert moments[:reached] == sorted(set(moments[:reached]))
        assert moments[reached - 1] < now
        if r.status == Status.OPEN:
            assert r.volunteer_id is None
            assert r.needed_by is None or r.needed_by > now
        elif r.status == Status.EXPIRED:
            assert r.volunteer_id is None and r.needed_by < now
        else:
            profile = profiles[r.volunteer_id, r.community_id]
            assert r.volunteer_id != r.requester_id
            assert profile.verified_at is not None and profile.verified_at < r.accepted_at
            assert r.category.value in profile.category_set
            assert haversine_km(profile.home_lat, profile.home_lng, r.lat, r.lng) <= (
                profile.radius_km + 1e-9
            )
        if r.status == Status.ACCEPTED:
            assert r.needed_by is None or r.needed_by > now
        if r.status in (Status.COMPLETED, Status.CONFIRMED):
            assert r.minutes_spent and r.minutes_spent > 0
        if r.thank_you_note:
            assert r.status == Status.CONFIRMED
            assert db.session.get(User, r.volunteer_id).first_name in r.thank_you_note
    for volunteer_id, holding in load.items():
        community_id = next(r.community_id for r in requests if r.volunteer_id == volunteer_id)
        assert holding <= profiles[volunteer_id, community_id].capacity
    spanish = [r for r in requests if db.session.get(User, r.requester_id).locale == "es"]
    assert spanish and all(r.title in titles["es"] for r in spanish)


def test_phone_in_residents_have_no_account_and_the_coordinator_posted_for_them(app):
    load_demo(residents=0, volunteers=4, seed=3, mentoring=False)
    callers = list(db.session.scalars(select(User).where(User.email.is_(None))))

    assert {(c.first_name, c.phone) for c in callers} == {
        (caller.resident.first_name, caller.resident.phone) for caller in DEMO_CALLERS
    }
    for caller in callers:
        assert caller.password_hash is None and not caller.has_account
        assert [m.role for m in caller.memberships] == [Role.RESIDENT]
        community = db.session.get(Community, caller.memberships[0].community_id)
        coordinator = _account_user(f"coordinator@{community.slug}.neighborly.example")
        theirs = services.requests_of(caller, community.id)
        assert any(r.status == Status.OPEN for r in theirs)
        assert all(r.created_by_id == coordinator.id and r.intake_notes for r in theirs)
    spanish = next(c for c in callers if c.locale == "es")
    assert all(
        r.title in {a.es[0] for a in ASKS}
        for r in services.requests_of(spanish, spanish.memberships[0].community_id)
    )


def test_running_twice_does_not_duplicate_requests_profiles_or_callers(app):
    load_demo(residents=10, volunteers=6, seed=5, mentoring=False)
    before = (
        db.session.scalar(select(func.count(HelpRequest.id))),
        db.session.scalar(select(func.count(VolunteerProfile.id))),
        db.session.scalar(select(func.count(User.id))),
        db.session.scalar(select(func.count(Membership.id))),
    )
    lines: list[str] = []
    load_demo(residents=10, volunteers=6, seed=5, echo=lines.append, mentoring=False)

    after = (
        db.session.scalar(select(func.count(HelpRequest.id))),
        db.session.scalar(select(func.count(VolunteerProfile.id))),
        db.session.scalar(select(func.count(User.id))),
        db.session.scalar(select(func.count(Membership.id))),
    )
    assert after == before
    assert before[0] > 0
    assert "Proviso Township, Illinois: no new neighbours, so no new help requests." in lines
    assert not any(line.startswith("Posting help requests") for line in lines)


def test_topping_up_writes_requests_for_the_new_people_only(app):
    load_demo(residents=6, volunteers=4, seed=5, mentoring=False)
    first = Counter(r.requester_id for r in _all_requests())
    old_people = {u.id for u in existing_people(PROVISO, RESIDENT).values()}

    load_demo(residents=24, volunteers=4, seed=5, mentoring=False)

    now = Counter(r.requester_id for r in _all_requests())
    assert {k: v for k, v in now.items() if k in first} == first
    new_people = {u.id for u in existing_people(PROVISO, RESIDENT).values()} - old_people
    assert new_people and any(now[person] for person in new_people)


def test_loading_the_demo_reports_profiles_and_requests(app):
    lines: list[str] = []
    load_demo(residents=12, volunteers=8, seed=2, echo=lines.append, mentoring=False)

    # seven bulk volunteers and Luis; number 3 waits for the coordinator
    assert (
        "Volunteer profiles in Proviso Township, Illinois: 8 new, 7 verified by the "
        "coordinator, 1 waiting to be verified."
    ) in lines
    assert any(
        re.fullmatch(r"Posting help requests in Algoma, Wisconsin \.\.\. (\d+)/\1", line)
        for line in lines
    )
    assert any(line.startswith("Luis H. finds ") for line in lines)
    assert lines[-1] == "Demo data ready."


def test_profiles_and_homes_are_repeatable_for_a_seed():
    person = demo_person(PROVISO, VOLUNTEER, 5, seed=7)
    home = person_home(person, seed=7)
    assert home == person_home(person, seed=7)
    assert volunteer_draft(person, home, 7) == volunteer_draft(person, home, 7)
    assert haversine_km(home.lat, home.lng, *zip_centroid(person.postal_code)) <= 1.51
    assert home.street_address.split(" ", 1)[1] in STREETS[person.postal_code]
    homes = [person_home(p, 7) for p in demo_people(PROVISO, VOLUNTEER, 40, seed=7)]
    assert len({(h.lat, h.lng) for h in homes}) == 40


# --------------------------------------------------------------------------- Wolves and Pups

MENTOR_EMAIL = "mentor@algoma.neighborly.example"
ALGOMA_COORDINATOR_EMAIL = "coordinator@algoma.neighborly.example"


def _wolves_and_pups() -> Program:
    return db.session.scalar(select(Program).where(Program.name == PROGRAM_NAME))


def _mentoring_counts() -> dict[str, int]:
    tables = (Program, MentorEnrollment, Mentee, Pairing, Meeting, CheckIn, GroupEvent)
    counts = {t.__name__: db.session.scalar(select(func.count(t.id))) for t in tables}
    counts["attendance"] = db.session.scalar(select(func.count(EventAttendance.id)))
    counts["users"] = db.session.scalar(select(func.count(User.id)))
    counts["memberships"] = db.session.scalar(select(func.count(Membership.id)))
    return counts


def _local_day(moment: datetime) -> date:
    return moment.astimezone(ZoneInfo("America/Chicago")).date()


def _school_this_week(today: date) -> bool:
    """Whether the week before today had a school day (not so over the winter break)."""
    return any(not no_school(today - timedelta(days=n)) for n in range(1, 8))


def _text(page) -> str:
    """A page's words, tags dropped and spaces squeezed, as a reader sees them."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page.text)).split())


def test_the_mentor_account_sees_their_pup_meetings_and_hours(app):
    load_demo(residents=0, volunteers=12, seed=7)
    program, kaylee = _wolves_and_pups(), _account_user(MENTOR_EMAIL)
    enrollment = mentoring.enrollment_for(kaylee, program.id)
    active = mentoring.pairings_of(program.id, PairStatus.ACTIVE)
    (pair,) = [p for p in active if p.mentor_id == enrollment.id]
    meetings = mentoring.meetings_of(pair.id)
    den = sum(e.minutes for e in db.session.scalars(select(GroupEvent)))
    today = mentoring.program_today(program)

    client = _signed_in(app, kaylee)
    listed = _text(client.get("/c/algoma/mentoring"))
    page = _text(client.get(f"/mentoring/programs/{program.id}/me"))

    assert "Wolves and Pups Approved My mentoring page" in listed
    assert enrollment.status == EnrollmentStatus.APPROVED and enrollment.active_count == 1
    assert f"Your Pup: {pair.mentee.display_name}" in page
    assert pair.meeting_time in page and pair.meeting_place in page
    assert 2 <= len(meetings) <= 8  # a few, weekly since the staff meeting
    assert all(pair.started_on < m.met_on < today for m in meetings)
    if _school_this_week(today):  # on track with the weekly cadence
        assert (today - meetings[0].met_on).days <= 7
    for meeting in meetings:
        assert f"{meeting.minutes} minutes · {meeting.activity}" in page
    hours = (sum(m.minutes for m in meetings) + den) / 60
    assert f"Your service hours {hours:.1f} hours" in page
    assert f"{sum(m.minutes for m in meetings)} minutes of meetings and {den} minutes" in page
    # a mentor never sees the child's restricted record
    child = pair.mentee
    for private in (child.guardian_name, child.guardian_contact, child.referral_reason):
        assert private not in page
    assert child.notes == "" or child.notes not in page


def test_the_algoma_coordinator_sees_the_program_with_active_overdue_and_waiting_figures(app):
    load_demo(residents=0, volunteers=12, seed=7)
    program, karen = _wolves_and_pups(), _account_user(ALGOMA_COORDINATOR_EMAIL)
    report = reports.program_report(program.id)
    proposals = mentoring.pairings_of(program.id, PairStatus.PROPOSED)
    mentors = mentoring.mentors_of(program.id)
    applied = [m for m in mentors if m.status == EnrollmentStatus.APPLIED]
    approved = [m for m in mentors if m.status == EnrollmentStatus.APPROVED]

    client = _signed_in(app, karen)
    listed = _text(client.get("/c/algoma/mentoring"))
    overview = _text(client.get(f"/mentoring/programs/{program.id}"))
    figures = _text(client.get(f"/mentoring/programs/{program.id}/reports"))

    assert mentoring.programs_coordinated(karen, program.community_id) == [program]
    assert "Wolves and Pups Wolves and Pups" in listed  # the card: name, then labels
    assert program.mentor_label_plural == "Wolves" and program.mentee_label_plural == "Pups"
    assert 12 <= report.active_pairs <= 20
    assert report.overdue_pairs >= 1
    if _school_this_week(mentoring.program_today(program)):  # else every pair is overdue
        assert report.overdue_pairs == 2
    assert report.closed_pairs == 1 and report.closures[0][0] == CloseReason.MOVED
    assert len(report.unmatched) >= 5 and 2 <= len(proposals) <= 4
    assert len(applied) >= 2 and len(approved) >= 12
    assert f"{len(approved)} approved Wolves" in overview
    assert f"{len(applied)} applications to review" in overview
    assert f"{len(report.unmatched)} Pups waiting for a mentor" in overview
    assert f"{len(proposals)} proposals to review" in overview
    assert f"{report.active_pairs} active pairs" in overview
    assert f"{report.overdue_pairs} pairs are overdue to meet" in overview
    assert f"{report.active_pairs} active pairs {report.overdue_pairs} overdue to meet" in figures
    assert f"{len(report.unmatched)} children waiting for a mentor" in figures
    assert "Why matches ended Moved away: 1" in figures
    assert "Wolf Den dinner" in _text(client.get(f"/mentoring/programs/{program.id}/events"))


def test_running_the_demo_twice_keeps_one_program_and_the_same_counts(app):
    load_demo(residents=0, volunteers=6, seed=4)
    before = _mentoring_counts()
    lines: list[str] = []

    load_demo(residents=0, volunteers=6, seed=4, echo=lines.append)

    assert _mentoring_counts() == before
    assert before["Program"] == 1 and before["Meeting"] > 40 and before["Mentee"] >= 20
    assert "Algoma, Wisconsin runs Wolves and Pups already: left as it is." in lines
    assert not any(line.startswith("Writing the weeks") for line in lines)


def test_the_demo_program_never_breaks_a_hard_constraint(app):
    lines: list[str] = []
    load_demo(residents=0, volunteers=30, seed=2, echo=lines.append)
    program = _wolves_and_pups()
    today = mentoring.program_today(program)
    rules = proposals._rules(program, with_rejected=False)
    pairs = list(db.session.scalars(select(Pairing).where(Pairing.program_id == program.id)))
    live = [p for p in pairs if p.status in (PairStatus.ACTIVE, PairStatus.PROPOSED)]

    assert any(line.startswith("Writing the weeks of Wolves and Pups ...") for line in lines)
    for pair in live:  # requirements, shared time, language, preferences, grade gap, lists
        mentor = proposals._mentor_candidate(pair.mentor, program)
        child = proposals._mentee_candidate(pair.mentee)
        assert blocking_constraints(mentor, child, rules) == (), pair.id
    for enrollment in mentoring.mentors_of(program.id):  # capacity, counted and held
        held = [p for p in pairs if p.mentor_id == enrollment.id and p.status == PairStatus.ACTIVE]
        assert enrollment.active_count == len(held) <= enrollment.capacity
        assert enrollment.capacity <= program.max_mentees_per_mentor
        assert enrollment.grade in (10, 11) and enrollment.school == "Algoma High School"
    for child in mentoring.mentees_of(program.id):
        active = [p for p in pairs if p.mentee_id == child.id and p.status == PairStatus.ACTIVE]
        assert len(active) == (1 if child.status == MenteeStatus.PAIRED else 0)
        assert 0 <= child.grade <= 5 and child.school == "Algoma Elementary School"
        assert re.fullmatch(r"[A-Z]", child.last_initial)
        assert child.guardian_consent_on < _local_day(child.created_at)
        assert re.fullmatch(
            r"\(920\) 555-01\d\d · [a-z]+\.[a-z]+\.guardian@algoma\.neighborly\.example",
            child.guardian_contact,
        )
    for pair in pairs:
        if pair.status == PairStatus.CLOSED:
            assert pair.close_reason and pair.exit_notes and pair.closed_on < today
        for meeting in mentoring.meetings_of(pair.id):
            assert pair.started_on < meeting.met_on < (pair.closed_on or today)
        for check_in in mentoring.check_ins_of(pair.id):
            assert pair.started_on <= check_in.held_on < today
    # the history is dated when it happened, audit trail included, not when it was loaded
    meetings = list(db.session.scalars(select(Meeting)))
    assert all(_local_day(m.created_at) == m.met_on for m in meetings)
    logged = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "meeting.logged"))
    assert sorted(_local_day(e.created_at) for e in logged) == sorted(m.met_on for m in meetings)
    assert min(m.met_on for m in meetings) < today - timedelta(days=14)


def test_wolves_are_algoma_teen_volunteers_then_students_who_only_mentor(app):
    load_demo(residents=0, volunteers=30, seed=2)
    program = _wolves_and_pups()
    teens = [
        user
        for index, user in sorted(existing_people(ALGOMA, VOLUNTEER).items())
        if demo_person(ALGOMA, VOLUNTEER, index, seed=2).age_group == TEEN
    ]
    wolves = [m.user for m in mentoring.mentors_of(program.id)]
    mentor_only = [u for u in wolves if re.search(r"\.w\d{4}@algoma\.", u.email)]
    profiles = {p.user_id for p in _profiles("algoma")}

    assert teens and set(teens) <= set(wolves)
    assert len(wolves) == 1 + 16 == 1 + len(teens) + len(mentor_only)
    assert _account_user(MENTOR_EMAIL) in wolves
    algoma = _community("algoma")
    for user in mentor_only:
        assert user.roles_in(algoma.id) == {Role.VOLUNTEER} and user.id not in profiles
    assert len(existing_people(ALGOMA, VOLUNTEER)) == split_counts(30)["algoma"]


def test_the_demo_program_is_the_same_for_the_same_seed(app, is_postgres):
    def shape() -> list:
        program = _wolves_and_pups()
        today = mentoring.program_today(program)
        return sorted(
            (
                p.mentor.user.email,
                p.mentee.display_name,
                p.status.value,
                tuple((today - m.met_on).days for m in mentoring.meetings_of(p.id)),
            )
            for p in db.session.scalars(select(Pairing))
        )

    load_demo(residents=0, volunteers=6, seed=9)
    first = shape()
    wipe_tables(is_postgres)
    load_demo(residents=0, volunteers=6, seed=9)

    assert shape() == first


def test_the_console_shows_a_year_of_help_growing_towards_now(app):
    from neighborly.coordination.connections import connections_for
    from neighborly.coordination.period import Period, today_in

    load_demo(residents=80, volunteers=24, seed=3, mentoring=False)
    proviso = _community("proviso")
    today = today_in(proviso.timezone, utcnow())
    year = Period(today - timedelta(days=364), today, proviso.timezone)
    found = connections_for(proviso.id, year, today)

    first_quarter, last_quarter = sum(found.helps[:3]), sum(found.helps[-4:-1])
    assert first_quarter > 0
    assert last_quarter > 1.5 * first_quarter
    assert found.regular_pairs[-1] > found.regular_pairs[0]
