"""The signed-in home: a section per role, each with its next step, in a fixed number of queries."""

from __future__ import annotations

import html
from contextlib import contextmanager
from datetime import date, timedelta

from sqlalchemy import event, select

from neighborly.accounts.models import Role
from neighborly.audit import AuditEvent
from neighborly.extensions import db
from neighborly.help_requests.models import Category, Status
from neighborly.mentoring.models import EnrollmentStatus, Meeting
from neighborly.timeutil import utcnow
from tests.factories.accounts import CommunityFactory, MembershipFactory, UserFactory, member
from tests.factories.help_requests import HelpRequestFactory, VolunteerProfileFactory, volunteer
from tests.factories.mentoring import active_pair, mentee, mentor, program_run_by


@contextmanager
def counting_statements():
    """Count every SQL statement sent while the block runs."""
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def _home(client) -> str:
    return html.unescape(client.get("/").text)


def test_a_new_resident_is_offered_ask_for_help_first_and_told_what_to_do(client, login):
    proviso = CommunityFactory(slug="proviso", name="Proviso Township")
    login(member(proviso, Role.RESIDENT, first_name="Rosa"))

    page = _home(client)

    assert "Welcome back, Rosa" in page
    ask = page.index('href="/c/proviso/ask">Ask for help</a>')
    assert ask < page.index("Your communities")
    assert "You have not asked for anything yet." in page


def test_a_resident_sees_each_request_with_its_status_and_what_happens_next(client, login):
    proviso = CommunityFactory(slug="proviso")
    rosa = member(proviso, Role.RESIDENT)
    helper = member(proviso, Role.VOLUNTEER, first_name="Sam", last_name="Lee")
    HelpRequestFactory(community=proviso, requester=rosa, title="Bins to the curb")
    HelpRequestFactory(
        community=proviso,
        requester=rosa,
        title="Shovel the steps",
        status=Status.ACCEPTED,
        volunteer=helper,
    )
    HelpRequestFactory(
        community=proviso,
        requester=rosa,
        title="A ride to the clinic",
        status=Status.COMPLETED,
        volunteer=helper,
    )
    login(rosa)

    page = _home(client)

    assert "Bins to the curb" in page and "Waiting for a helper" in page
    assert "We will email you when one says they will help." in page
    assert "Sam L. will help. They can now see your address" in page
    assert "Sam L. says it is done. Please confirm and say thank you." in page
    assert 'href="/c/proviso/my-requests">All my requests</a>' in page


def test_a_volunteer_without_a_profile_is_led_to_set_one_up(client, login):
    proviso = CommunityFactory(slug="proviso", name="Proviso Township")
    login(member(proviso, Role.VOLUNTEER))

    page = _home(client)

    assert 'href="/c/proviso/volunteer/profile">Set up my volunteer profile</a>' in page
    assert "Your hours will add up here after your first visit." in page


def test_a_volunteer_sees_tasks_then_three_best_matches_then_hours(client, login):
    proviso = CommunityFactory(slug="proviso", distance_unit="mi")
    sam = volunteer(proviso)
    asker = member(proviso, Role.RESIDENT, first_name="Dot", last_name="Jenkins")
    HelpRequestFactory(
        community=proviso,
        requester=asker,
        title="Taken by Sam",
        status=Status.ACCEPTED,
        volunteer=sam,
    )
    for n in range(5):
        HelpRequestFactory(community=proviso, requester=asker, title=f"Open one {n}")
    HelpRequestFactory(
        community=proviso,
        requester=asker,
        title="Done before",
        status=Status.CONFIRMED,
        volunteer=sam,
        minutes_spent=45,
        completed_at=utcnow() - timedelta(days=3),
    )
    login(sam)

    page = _home(client)

    assert page.index("Taken by Sam") < page.index("Best matches near you")
    matches = page.split("Best matches near you", 1)[1].split("Your help so far", 1)[0]
    assert matches.count("Open one") == 3
    assert "under 0.6 miles" in matches  # a US community counts in miles
    assert "1 visit, 45 minutes given" in page
    assert 'href="/c/proviso/near-me">All requests near me</a>' in page


def test_an_unverified_volunteer_is_told_a_coordinator_will_verify_them(client, login):
    proviso = CommunityFactory(slug="proviso", name="Proviso Township")
    user = member(proviso, Role.VOLUNTEER)
    VolunteerProfileFactory(user=user, community_id=proviso.id, verified_at=None)
    login(user)

    page = _home(client)

    assert "A coordinator of Proviso Township will check your profile and verify you." in page


def test_a_coordinator_sees_counts_of_what_needs_them_linking_to_their_pages(client, login):
    proviso = CommunityFactory(slug="proviso")
    boss = member(proviso, Role.COORDINATOR)
    later = utcnow() + timedelta(days=5)
    HelpRequestFactory(community=proviso, needed_by=later)
    HelpRequestFactory(community=proviso, needed_by=later, created_at=utcnow() - timedelta(days=2))
    user = member(proviso, Role.VOLUNTEER)
    VolunteerProfileFactory(user=user, community_id=proviso.id, verified_at=None)
    login(boss)

    page = _home(client)

    assert "What needs you today" in page
    assert "2</span> open requests" in page
    assert "1 waiting a day or due soon" in page
    assert "1</span> volunteer to verify" in page
    assert "0</span> mentor applications to review" in page
    assert 'href="/c/proviso/coordinate">Open the coordinator console</a>' in page
    assert 'href="/c/proviso/coordinate/requests"' in page


def test_a_mentor_sees_their_pup_the_next_meeting_and_log_a_meeting(client, login):
    program, _coordinator = program_run_by(meeting_cadence_days=7)
    wolf = mentor(program)
    pup = mentee(program, first_name="Mia", last_initial="Q")
    pair = active_pair(wolf, pup, meeting_time="Tuesdays 3:15 pm", meeting_place="Library")
    db.session.add(
        Meeting(
            pairing_id=pair.id,
            program_id=program.id,
            community_id=program.community_id,
            met_on=date.today() - timedelta(days=2),
            minutes=45,
            activity="Chess",
        )
    )
    db.session.commit()
    login(wolf.user)

    page = _home(client)

    assert "Your Pup: Mia Q." in page
    assert "Tuesdays 3:15 pm · Library" in page
    assert f'href="/mentoring/programs/{program.id}/me#log-{pair.id}">Log a meeting</a>' in page
    viewed = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "mentee.viewed_by_mentor")
    ).all()
    assert [event.object_id for event in viewed] == [pup.id]  # a child's record view is audited


def test_a_mentor_who_applied_is_told_what_happens_next(client, login):
    program, _coordinator = program_run_by()
    wolf = mentor(program, status=EnrollmentStatus.APPLIED)
    login(wolf.user)

    page = _home(client)

    assert f"Your application to {program.name} is waiting for a coordinator." in page


def test_someone_in_no_community_is_told_to_join_one(client, login):
    CommunityFactory(slug="algoma", name="Algoma, Wisconsin")
    login(UserFactory())

    page = _home(client)

    assert "Start by joining your community" in page
    assert '<a href="/c/algoma">Algoma, Wisconsin</a>' in page


def _person_with_every_role(rows: int):
    """A resident, volunteer, coordinator and mentor with `rows` of each kind of thing."""
    program, _other = program_run_by()
    community = program.community
    person = member(community, Role.RESIDENT)
    for role in (Role.VOLUNTEER, Role.COORDINATOR):
        MembershipFactory(user=person, community=community, role=role)
    VolunteerProfileFactory(user=person, community_id=community.id)
    asker = member(community, Role.RESIDENT)
    for n in range(rows):
        HelpRequestFactory(community=community, requester=person, title=f"Mine {n}")
        HelpRequestFactory(community=community, requester=asker, category=Category.BINS)
        HelpRequestFactory(
            community=community, requester=asker, status=Status.ACCEPTED, volunteer=person
        )
        HelpRequestFactory(
            community=community,
            requester=asker,
            status=Status.CONFIRMED,
            volunteer=person,
            minutes_spent=30,
            completed_at=utcnow() - timedelta(days=n + 1),
        )
    wolf = mentor(program, user=person, capacity=2)
    active_pair(wolf, mentee(program))
    return person


def test_the_home_costs_the_same_statements_with_few_or_many_rows(app, client, login, is_postgres):
    from tests.conftest import wipe_tables

    counts = []
    for rows in (1, 12):
        person = _person_with_every_role(rows)
        login(person)
        with counting_statements() as statements:
            page = client.get("/")
        assert page.status_code == 200 and "What needs you today" in page.text
        counts.append(len(statements))
        client.post("/account/logout")
        wipe_tables(is_postgres)
    # Near me's ring search reads more rings when the area is nearly empty, never more when full.
    assert counts[1] <= counts[0] <= 25, counts


def test_a_mentor_who_does_not_help_neighbours_sees_mentoring_first(client, login):
    program, _coordinator = program_run_by()
    wolf = mentor(program)
    active_pair(wolf, mentee(program, first_name="Mia", last_initial="Q"))
    login(wolf.user)

    page = _home(client)

    assert "Your volunteering" not in page
    assert page.index("Your Pup: Mia Q.") < page.index("You can also help neighbours")
    assert "Set up my volunteer profile" in page
