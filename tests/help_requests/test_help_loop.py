"""The help loop as neighbours live it: ask, find, accept, finish, thank."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from neighborly.accounts.models import Role, User
from neighborly.audit import AuditEvent
from neighborly.extensions import db
from neighborly.help_requests import services
from neighborly.help_requests.models import HelpRequest, Status, Withdrawal
from neighborly.timeutil import utcnow
from tests.factories.accounts import CommunityFactory, member, resident
from tests.factories.help_requests import HelpRequestFactory, volunteer

ASK = {
    "category": "snow",
    "title": "Shovel my front steps",
    "details": "The walk to the garage too.",
    "street_address": "4217 Elmwood Lane",
    "postal_code": "60153",
    "needed_by": "",
    "estimated_minutes": "30",
    "urgency": "soon",
}


def _request_titled(title: str) -> HelpRequest:
    return db.session.scalar(select(HelpRequest).where(HelpRequest.title == title))


def test_full_journey_from_asking_to_a_thank_you(client, login):
    community = CommunityFactory(slug="proviso")
    rosa = resident(community, first_name="Rosa", last_name="Martinez")
    sam = volunteer(community)
    sam.first_name, sam.last_name = "Sam", "Lee"
    db.session.commit()

    login(rosa)
    posted = client.post("/c/proviso/ask", data=ASK, follow_redirects=True)
    assert "Your request is posted" in posted.text
    req = _request_titled("Shovel my front steps")
    assert req.status == Status.OPEN and req.postal_code == "60153"

    login(sam)
    near = client.get("/c/proviso/near-me").text
    assert "Shovel my front steps" in near and "under 1 km" in near and "Rosa M." in near
    accepted = client.post(f"/requests/{req.id}/accept", follow_redirects=True)
    assert "Thank you! The address is now on the request page." in accepted.text
    assert "4217 Elmwood Lane" in accepted.text
    done = client.post(
        f"/requests/{req.id}/complete", data={"minutes": "45"}, follow_redirects=True
    )
    assert "Thank you for helping!" in done.text

    login(rosa)
    page = client.get(f"/requests/{req.id}").text
    assert "Did Sam L. help?" in page
    thanked = client.post(
        f"/requests/{req.id}/confirm",
        data={"thank_you": "Thank you Sam, the steps are perfect!"},
        follow_redirects=True,
    )
    assert "Your helper will see your note" in thanked.text
    assert "Helped by Sam L." in client.get("/c/proviso/my-requests").text

    login(sam)
    home = client.get("/c/proviso/volunteer").text
    assert "1 visit, 45 minutes given" in home
    assert "Rosa M." in home and "Thank you Sam, the steps are perfect!" in home
    db.session.refresh(req)
    assert (req.status, req.minutes_spent, req.volunteer_id) == (Status.CONFIRMED, 45, sam.id)


def test_second_volunteer_is_told_the_request_was_taken_and_offered_the_next_nearest(client, login):
    community = CommunityFactory(slug="proviso")
    first, second = volunteer(community), volunteer(community)
    req = HelpRequestFactory(community=community, title="Roll the bins out")
    HelpRequestFactory(community=community, title="Pick up groceries", category="errands")
    login(first)
    client.post(f"/requests/{req.id}/accept")
    login(second)
    page = client.post(f"/requests/{req.id}/accept", follow_redirects=True)
    assert "Another neighbour just took this one." in page.text
    assert "The next nearest request" in page.text and "Pick up groceries" in page.text
    db.session.refresh(req)
    assert req.volunteer_id == first.id


def test_bad_request_input_shows_messages_beside_fields_and_saves_nothing(client, login):
    community = CommunityFactory(slug="proviso")
    login(resident(community))
    page = client.post(
        "/c/proviso/ask",
        data={**ASK, "title": "", "postal_code": "ABC", "estimated_minutes": "9999", "lat": "41.9"},
    )
    assert "Say in a few words what you need." in page.text
    assert "Enter a 5-digit ZIP code, like 60153." in page.text
    assert "Enter between 5 and 480 minutes." in page.text
    assert "Enter both latitude and longitude" in page.text
    assert db.session.scalar(select(func.count(HelpRequest.id))) == 0


def test_unknown_zip_code_is_explained_beside_the_field(client, login):
    # In the community's list but unknown to the geocoder (outside the list: see test_time_window).
    community = CommunityFactory(slug="proviso", postal_codes="60153,00000")
    login(resident(community))
    page = client.post("/c/proviso/ask", data={**ASK, "postal_code": "00000"})
    assert "We could not find this ZIP code." in page.text
    assert db.session.scalar(select(func.count(HelpRequest.id))) == 0


def test_a_null_character_is_refused_beside_its_field_and_saves_nothing(client, login):
    community = CommunityFactory(slug="proviso")
    login(resident(community))
    page = client.post("/c/proviso/ask", data={**ASK, "street_address": "4217 Elm\x00wood"})
    assert page.status_code == 200
    assert 'id="street_address-error"' in page.text
    assert "Remove the invisible null character from this box." in page.text
    assert db.session.scalar(select(func.count(HelpRequest.id))) == 0


def test_typed_coordinates_are_used_instead_of_the_zip_centre(client, login):
    community = CommunityFactory(slug="proviso")
    login(resident(community))
    client.post("/c/proviso/ask", data={**ASK, "lat": "41.8861", "lng": "-87.8502"})
    req = _request_titled("Shovel my front steps")
    assert (req.lat, req.lng) == (41.8861, -87.8502)


def test_requester_can_edit_while_open_but_not_after_it_is_taken(client, login):
    community = CommunityFactory(slug="proviso")
    owner = resident(community)
    req = HelpRequestFactory(community=community, requester=owner)
    login(owner)
    client.post(f"/requests/{req.id}/edit", data={**ASK, "title": "Shovel steps and walk"})
    db.session.refresh(req)
    assert req.title == "Shovel steps and walk"
    services.accept_request(req.id, volunteer(community))
    page = client.post(f"/requests/{req.id}/edit", data={**ASK, "title": "Changed again"})
    assert page.status_code == 403
    db.session.refresh(req)
    assert req.title == "Shovel steps and walk"


def test_someone_else_cannot_edit_or_cancel_a_request(client, login):
    community = CommunityFactory(slug="proviso")
    req = HelpRequestFactory(community=community)
    login(resident(community))
    assert client.post(f"/requests/{req.id}/edit", data=ASK).status_code == 403
    assert client.post(f"/requests/{req.id}/cancel").status_code == 403
    db.session.refresh(req)
    assert req.status == Status.OPEN


def test_resident_cancels_an_open_request(client, login):
    community = CommunityFactory(slug="proviso")
    owner = resident(community)
    req = HelpRequestFactory(community=community, requester=owner)
    login(owner)
    assert (
        "The request is cancelled."
        in client.post(f"/requests/{req.id}/cancel", follow_redirects=True).text
    )
    db.session.refresh(req)
    assert req.status == Status.CANCELLED


def test_withdrawing_reopens_the_request_and_keeps_the_reason(client, login):
    community = CommunityFactory(slug="proviso")
    helper = volunteer(community)
    req = HelpRequestFactory(community=community)
    services.accept_request(req.id, helper)
    login(helper)
    page = client.post(
        f"/requests/{req.id}/withdraw", data={"reason": "My car broke down"}, follow_redirects=True
    )
    assert "open for other neighbours again" in page.text
    db.session.refresh(req)
    assert (req.status, req.volunteer_id) == (Status.OPEN, None)
    assert db.session.scalar(select(Withdrawal.reason)) == "My car broke down"


def test_only_the_accepted_volunteer_can_complete(client, login):
    community = CommunityFactory(slug="proviso")
    helper, other = volunteer(community), volunteer(community)
    req = HelpRequestFactory(community=community)
    services.accept_request(req.id, helper)
    login(other)
    page = client.post(
        f"/requests/{req.id}/complete", data={"minutes": "20"}, follow_redirects=True
    )
    assert "not yours to complete" in page.text
    db.session.refresh(req)
    assert req.status == Status.ACCEPTED


def test_completing_without_minutes_explains_what_is_missing(client, login):
    community = CommunityFactory(slug="proviso")
    helper = volunteer(community)
    req = HelpRequestFactory(community=community)
    services.accept_request(req.id, helper)
    login(helper)
    page = client.post(f"/requests/{req.id}/complete", data={"minutes": ""})
    assert page.status_code == 400 and "Enter the minutes you spent." in page.text
    db.session.refresh(req)
    assert req.status == Status.ACCEPTED


def test_unverified_volunteer_is_asked_to_wait_for_verification(client, login):
    community = CommunityFactory(slug="proviso")
    newcomer = volunteer(community, verified_at=None)
    req = HelpRequestFactory(community=community)
    login(newcomer)
    page = client.post(f"/requests/{req.id}/accept", follow_redirects=True)
    assert "A coordinator needs to verify you" in page.text
    db.session.refresh(req)
    assert req.status == Status.OPEN


def test_volunteer_at_capacity_cannot_take_another(client, login):
    community = CommunityFactory(slug="proviso")
    helper = volunteer(community, capacity=1)
    first, second = (HelpRequestFactory(community=community) for _ in range(2))
    services.accept_request(first.id, helper)
    login(helper)
    page = client.post(f"/requests/{second.id}/accept", follow_redirects=True)
    assert "You already hold as many requests as you offered" in page.text
    db.session.refresh(second)
    assert second.status == Status.OPEN


def test_near_me_leaves_out_far_away_and_other_kinds_of_requests(client, login):
    community = CommunityFactory(slug="proviso")
    helper = volunteer(community, radius_km=2.0, categories="snow,bins")
    HelpRequestFactory(community=community, title="Close snow")
    HelpRequestFactory(community=community, title="Far snow", lat=41.95, lng=-87.84)
    HelpRequestFactory(community=community, title="Close ride", category="ride")
    HelpRequestFactory(community=community, title="Taken snow", status=Status.ACCEPTED)
    HelpRequestFactory(
        community=community, title="Past due", needed_by=utcnow() - timedelta(hours=1)
    )
    login(helper)
    page = client.get("/c/proviso/near-me").text
    assert "Close snow" in page
    for absent in ("Far snow", "Close ride", "Taken snow", "Past due"):
        assert absent not in page


def test_near_me_mentions_a_neighbour_helped_before(client, login):
    community = CommunityFactory(slug="proviso")
    helper = volunteer(community)
    rosa = resident(community, first_name="Rosa")
    earlier = HelpRequestFactory(community=community, requester=rosa)
    services.accept_request(earlier.id, helper)
    services.complete_request(earlier.id, helper, 20)
    HelpRequestFactory(community=community, requester=rosa, title="Bins again")
    login(helper)
    page = client.get("/c/proviso/near-me").text
    month = utcnow().astimezone().strftime("%B")
    assert f"you helped Rosa in {month}" in page


def test_volunteer_profile_form_saves_categories_and_times(client, login):
    community = CommunityFactory(slug="proviso")
    person = resident(community)
    login(person)
    page = client.post(
        "/c/proviso/volunteer/profile",
        data={
            "postal_code": "60104",
            "radius_km": "4",
            "categories": ["snow", "bins"],
            "availability": ["tue-morning", "sat-evening"],
            "capacity": "2",
        },
        follow_redirects=True,
    )
    assert "Your volunteer profile is saved." in page.text
    profile = services.volunteer_profile(person, community.id)
    assert profile.category_set == {"snow", "bins"}
    assert "tue-9" in profile.slot_set and "sat-18" in profile.slot_set
    assert profile.availability.split(",")[:2] == ["tue-8", "tue-9"]  # stored as slot codes
    assert Role.VOLUNTEER in person.roles_in(community.id)


def test_volunteer_profile_needs_at_least_one_kind_of_help(client, login):
    community = CommunityFactory(slug="proviso")
    person = resident(community)
    login(person)
    page = client.post(
        "/c/proviso/volunteer/profile",
        data={"postal_code": "60104", "radius_km": "4", "capacity": "2"},
    )
    assert "Choose at least one kind of help." in page.text
    assert services.volunteer_profile(person, community.id) is None


def test_phone_in_request_creates_the_caller_once_and_reuses_them(client, login):
    community = CommunityFactory(slug="proviso")
    login(member(community, Role.COORDINATOR))
    call = {
        **ASK,
        "resident_first_name": "Dolores",
        "resident_last_name": "Vega",
        "resident_phone": "708-555-0199",
        "intake_notes": "Hard of hearing; knock loudly.",
    }
    first = client.post("/c/proviso/coordinate/phone-in", data=call, follow_redirects=True)
    assert "The request for Dolores V. is posted." in first.text
    client.post("/c/proviso/coordinate/phone-in", data={**call, "title": "Bins on Tuesday"})
    callers = db.session.scalars(select(User).where(User.phone == "708-555-0199")).all()
    assert len(callers) == 1 and callers[0].email is None and not callers[0].has_account
    requests = db.session.scalars(select(HelpRequest)).all()
    assert {r.requester_id for r in requests} == {callers[0].id}


def test_coordinator_sees_unclaimed_requests_with_ageing_flag_and_assigns_one(client, login):
    community = CommunityFactory(slug="proviso")
    coordinator = member(community, Role.COORDINATOR)
    helper = volunteer(community)
    old = HelpRequestFactory(
        community=community, title="Waiting a while", created_at=utcnow() - timedelta(days=2)
    )
    login(coordinator)
    page = client.get("/c/proviso/coordinate/requests").text
    assert "Waiting a while" in page and "Ageing" in page
    assigned = client.post(
        f"/requests/{old.id}/assign", data={"volunteer_id": helper.id}, follow_redirects=True
    )
    assert f"Assigned to {helper.display_name}</p>" in assigned.text
    db.session.refresh(old)
    assert (old.status, old.volunteer_id) == (Status.ACCEPTED, helper.id)


def test_coordinator_verifies_a_waiting_volunteer(client, login):
    community = CommunityFactory(slug="proviso")
    newcomer = volunteer(community, verified_at=None)
    login(member(community, Role.COORDINATOR))
    profile = services.volunteer_profile(newcomer, community.id)
    assert newcomer.display_name in client.get("/c/proviso/coordinate/requests").text
    client.post(f"/c/proviso/coordinate/volunteers/{profile.id}/verify")
    db.session.refresh(profile)
    assert profile.verified_at is not None


def test_overdue_open_requests_expire(app):
    community = CommunityFactory()
    overdue = HelpRequestFactory(community=community, needed_by=utcnow() - timedelta(hours=2))
    fresh = HelpRequestFactory(community=community)
    assert services.expire_overdue() == 1
    db.session.refresh(overdue)
    db.session.refresh(fresh)
    assert (overdue.status, fresh.status) == (Status.EXPIRED, Status.OPEN)


def test_every_transition_is_audited(app):
    community = CommunityFactory()
    helper = volunteer(community)
    req = HelpRequestFactory(community=community)
    services.accept_request(req.id, helper)
    services.complete_request(req.id, helper, 10)
    services.confirm_request(req.id, req.requester, "thanks")
    actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions == ["request.accepted", "request.completed", "request.confirmed"]


def test_expire_command_reports_how_many_requests_expired(app):
    community = CommunityFactory()
    HelpRequestFactory(community=community, needed_by=utcnow() - timedelta(hours=2))
    result = app.test_cli_runner().invoke(args=["expire-requests"])
    assert "Expired 1 request(s)." in result.output
