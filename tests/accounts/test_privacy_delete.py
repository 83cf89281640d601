"""Delete my account: the person is erased, their requests and thanks stay anonymised."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from neighborly.accounts.models import AuthToken, Membership, Role, User
from neighborly.accounts.services import request_password_reset
from neighborly.audit import AuditEvent
from neighborly.extensions import db
from neighborly.geo.cells import cell_centre
from neighborly.help_requests.models import HelpRequest, Status, VolunteerProfile
from neighborly.mentoring.models import EnrollmentStatus, MentorEnrollment
from neighborly.my_data import services
from tests.factories.accounts import DEFAULT_PASSWORD, CommunityFactory, member, resident
from tests.factories.help_requests import HelpRequestFactory, volunteer
from tests.factories.mentoring import active_pair, mentee, mentor, program_run_by


def _delete(client, password: str = DEFAULT_PASSWORD):
    return client.post("/account/delete", data={"password": password}, follow_redirects=True)


def _fresh(model, row_id):
    db.session.expire_all()
    return db.session.get(model, row_id)


def test_the_delete_page_explains_what_happens_before_asking_for_the_password(client, login):
    login(resident(CommunityFactory()))
    page = client.get("/account/delete")
    assert "Step 1: what happens" in page.text and "Step 2: confirm" in page.text
    assert "This cannot be undone" in page.text
    assert 'type="password"' in page.text and "Delete my account for good" in page.text


def test_deleting_erases_the_person_and_signs_them_out_everywhere(client, login):
    home = CommunityFactory()
    rosa = resident(home, first_name="Rosa", email="rosa@example.org", phone="708-555-0101")
    login(rosa)

    page = _delete(client)

    assert "Your account is deleted" in page.text
    gone = _fresh(User, rosa.id)
    assert gone.first_name == "Former neighbour" and gone.last_name == ""
    assert gone.display_name == "Former neighbour"
    assert gone.email == f"deleted-{rosa.id}@deleted.invalid" and gone.phone is None
    assert gone.password_hash is None and not gone.has_account and gone.deleted_at is not None
    assert db.session.scalar(select(func.count()).where(Membership.user_id == rosa.id)) == 0
    assert client.get("/account/profile").status_code == 302  # the old cookie loads no one
    signed_in = client.post(
        "/account/login", data={"email": "rosa@example.org", "password": DEFAULT_PASSWORD}
    )
    assert "That email and password do not match an account." in signed_in.text


def test_the_old_session_cookie_no_longer_reads_the_profile(client, login, app):
    rosa = resident(CommunityFactory())
    version = rosa.session_version
    login(rosa)
    with client.session_transaction() as session:
        captured = dict(session)
    _delete(client)
    gone = _fresh(User, rosa.id)
    assert gone.session_version == version + 1 and not gone.is_active
    replay = app.test_client()
    with replay.session_transaction() as session:
        session.update(captured)
    assert replay.get("/account/profile").status_code == 302


def test_requests_and_thanks_stay_for_history_without_address_or_exact_point(client, login):
    home = CommunityFactory()
    rosa = resident(home)
    sam = volunteer(home)
    done = HelpRequestFactory(
        community=home,
        requester=rosa,
        street_address="4217 Elmwood Lane",
        status=Status.CONFIRMED,
        volunteer=sam,
        thank_you_note="Thank you, Sam!",
    )
    still_open = HelpRequestFactory(community=home, requester=rosa)
    login(rosa)

    _delete(client)

    kept = _fresh(HelpRequest, done.id)
    assert kept.requester_id == rosa.id and kept.thank_you_note == "Thank you, Sam!"
    assert kept.street_address == ""
    assert (kept.lat, kept.lng) == cell_centre(kept.cell)
    assert kept.status == Status.CONFIRMED
    cancelled = _fresh(HelpRequest, still_open.id)
    assert cancelled.status == Status.CANCELLED and cancelled.street_address == ""


def test_a_volunteer_loses_their_profile_and_their_unfinished_requests_go_back(client, login):
    home = CommunityFactory()
    sam = volunteer(home)
    taken = HelpRequestFactory(community=home, status=Status.ACCEPTED, volunteer=sam)
    login(sam)

    _delete(client)

    assert db.session.scalar(select(func.count()).where(VolunteerProfile.user_id == sam.id)) == 0
    back = _fresh(HelpRequest, taken.id)
    assert back.status == Status.OPEN and back.volunteer_id is None


def test_a_mentor_without_a_mentee_is_withdrawn(client, login):
    program, _coordinator = program_run_by()
    wolf = mentor(program)
    login(wolf.user)

    _delete(client)

    assert _fresh(MentorEnrollment, wolf.id).status == EnrollmentStatus.WITHDRAWN


def test_a_mentor_with_a_child_is_asked_to_talk_to_the_coordinator_first(client, login):
    program, _coordinator = program_run_by()
    wolf = mentor(program)
    active_pair(wolf, mentee(program))
    login(wolf.user)

    page = _delete(client)

    assert "You are mentoring a child right now" in page.text
    assert _fresh(User, wolf.user_id).deleted_at is None
    assert _fresh(MentorEnrollment, wolf.id).status == EnrollmentStatus.APPROVED


def test_the_last_coordinator_of_a_community_is_asked_to_name_another_first(client, login):
    home = CommunityFactory(name="Proviso")
    ana = member(home, Role.COORDINATOR)
    login(ana)

    page = _delete(client)

    assert "You are the only coordinator of Proviso" in page.text
    assert _fresh(User, ana.id).deleted_at is None


def test_a_coordinator_with_a_colleague_can_delete_their_account(client, login):
    home = CommunityFactory()
    ana = member(home, Role.COORDINATOR)
    member(home, Role.COORDINATOR)
    login(ana)

    _delete(client)

    assert _fresh(User, ana.id).deleted_at is not None


def test_a_wrong_password_deletes_nothing(client, login):
    rosa = resident(CommunityFactory(), first_name="Rosa")
    login(rosa)

    page = _delete(client, password="not my password")

    assert "That is not your password." in page.text
    assert _fresh(User, rosa.id).first_name == "Rosa"


def test_deleting_is_all_or_nothing(app, monkeypatch):
    home = CommunityFactory()
    rosa = resident(home, first_name="Rosa")
    req = HelpRequestFactory(community=home, requester=rosa, street_address="4217 Elmwood Lane")

    def broken(user, now):
        raise RuntimeError("the database went away half way")

    monkeypatch.setattr(services, "erase_account", broken)
    with pytest.raises(RuntimeError):
        services.delete_my_account(rosa, DEFAULT_PASSWORD)

    assert _fresh(HelpRequest, req.id).street_address == "4217 Elmwood Lane"
    assert _fresh(User, rosa.id).first_name == "Rosa"


def test_deleting_twice_is_harmless_and_audited_once(app):
    rosa = resident(CommunityFactory())
    services.delete_my_account(rosa, DEFAULT_PASSWORD)
    services.delete_my_account(_fresh(User, rosa.id), DEFAULT_PASSWORD)

    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "account.deleted")
    ).all()
    assert [(e.actor_id, e.object_type, e.object_id) for e in events] == [
        (rosa.id, "user", rosa.id)
    ]


def test_deleting_removes_the_persons_sign_in_links(app):
    rosa = resident(CommunityFactory())
    request_password_reset(rosa.email)
    services.delete_my_account(rosa, DEFAULT_PASSWORD)

    assert db.session.scalar(select(func.count()).where(AuthToken.user_id == rosa.id)) == 0
